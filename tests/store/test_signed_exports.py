"""The store remembers every signed export of a revision by the path it was written to,
with its PAdES level, and lists those still waiting for a timestamp or validation data
(below B-LTA), oldest first."""

from __future__ import annotations

from datetime import date

import pytest

from quotedesk.store import NotFound, StoreError


@pytest.fixture
def revisions(store, make_quote):
    """QD-2026-00001 signed off, revised and signed off again (R1, R2); QD-2026-00002."""
    first = store.add_quote(*make_quote("ACME Ltda"), today=date(2026, 3, 1)).number
    store.sign_off(first, by="Ana")
    store.revise(first)
    store.sign_off(first, by="Ana")
    second = store.add_quote(*make_quote("Globex"), today=date(2026, 3, 2)).number
    store.sign_off(second, by="Ana")
    return first, second


def test_each_signed_export_is_remembered_with_its_level_and_the_waiting_ones_listed(
    store, revisions, tmp_path
):
    first, second = revisions
    store.record_signed_export(first, 1, tmp_path / "r1.pdf", "B-B")
    store.record_signed_export(first, 2, tmp_path / "r2.pdf", "B-T")
    store.record_signed_export(second, 1, tmp_path / "other.pdf", "B-LTA")
    every = [(e.label, e.path.name, e.level) for e in store.signed_exports()]
    assert every == [
        ("QD-2026-00001", "r1.pdf", "B-B"),
        ("QD-2026-00001-R2", "r2.pdf", "B-T"),
        ("QD-2026-00002", "other.pdf", "B-LTA"),
    ]
    assert [e.label for e in store.signed_exports(waiting=True)] == [
        "QD-2026-00001",
        "QD-2026-00001-R2",
    ]
    assert [e.path.name for e in store.signed_exports("QD-2026-00001-R2")] == ["r1.pdf", "r2.pdf"]

    assert store.set_signed_level(tmp_path / "r1.pdf", "B-LTA") is True
    assert [e.label for e in store.signed_exports(waiting=True)] == ["QD-2026-00001-R2"]
    assert store.set_signed_level(tmp_path / "elsewhere.pdf", "B-LTA") is False


def test_exporting_to_the_same_path_again_replaces_what_the_store_remembers(
    store, revisions, tmp_path
):
    first, _ = revisions
    store.record_signed_export(first, 1, tmp_path / "q.pdf", "B-LTA")
    store.record_signed_export(first, 2, tmp_path / "q.pdf", "B-B")
    (export,) = store.signed_exports()
    assert (export.label, export.level, export.waiting) == ("QD-2026-00001-R2", "B-B", True)


def test_only_a_stored_revision_and_a_pades_level_are_recorded(store, revisions, tmp_path):
    first, _ = revisions
    with pytest.raises(NotFound, match="no quote QD-2026-00001-R3"):
        store.record_signed_export(first, 3, tmp_path / "q.pdf", "B-B")
    with pytest.raises(StoreError):
        store.record_signed_export(first, 1, tmp_path / "q.pdf", "B-X")
    assert store.signed_exports() == []
