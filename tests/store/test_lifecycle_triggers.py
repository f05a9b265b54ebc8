"""R-Q-2: the database allows exactly the status moves of core.quotes.lifecycle, whoever writes.

Each move is tried through a plain sqlite3 connection, as the sqlite3 shell would make it:
on a fresh revision in the starting status, with the signed-off columns the target status
needs, so that only the lifecycle itself can refuse it."""

from __future__ import annotations

import itertools
import sqlite3
from pathlib import Path

import pytest

from quotedesk.core.quotes.lifecycle import MOVES, Status
from quotedesk.store import open_store

SIGNED_OFF_COLUMNS = {Status.DRAFT: (None, None)}  # a draft has no signer; others have one


def _moved(raw: sqlite3.Connection, seq: int, old: Status, new: Status) -> bool:
    """Whether a revision in `old`, and its quote, may be moved to `new`; rolled back."""
    by, at = SIGNED_OFF_COLUMNS.get(old, ("Ana Lima", "2026-11-22T10:00:00+00:00"))
    raw.execute("BEGIN")
    try:
        quote_id = raw.execute(
            "INSERT INTO quotes (number, prefix, year, seq, created_at, revision, status, "
            "customer, currency, total_minor, minor_digits, quote_date, valid_until, "
            "products, notes, updated_at) VALUES (?, 'QD', 2026, ?, '2026-11-22', 1, ?, "
            "'ACME Ltda', 'USD', 100000, 2, '2026-11-22', '2026-12-22', 'Jira', '', "
            "'2026-11-22')",
            [f"QD-2026-{seq:05d}", seq, old],
        ).lastrowid
        raw.execute(
            "INSERT INTO revisions (quote_id, revision, status, quote_file, priced, price_book, "
            "price_book_sha256, created_at, updated_at, signed_off_by, signed_off_at) "
            "VALUES (?, 1, ?, '{}', '{}', 'Test book', ?, '2026-11-22', '2026-11-22', ?, ?)",
            [quote_id, old, "0" * 64, by, at],
        )
        by, at = SIGNED_OFF_COLUMNS.get(new, (by or "Ana Lima", at or "2026-11-23T09:00:00"))
        try:
            raw.execute(
                "UPDATE revisions SET status = ?, signed_off_by = ?, signed_off_at = ? "
                "WHERE quote_id = ?",
                [new, by, at, quote_id],
            )
            raw.execute("UPDATE quotes SET status = ? WHERE id = ?", [new, quote_id])
        except sqlite3.IntegrityError as refused:
            assert str(refused).startswith("R-Q-2: "), refused
            return False
        return True
    finally:
        raw.execute("ROLLBACK")


@pytest.fixture
def raw(tmp_path: Path):
    path = tmp_path / "quotes.db"
    open_store(path).close()
    connection = sqlite3.connect(path, isolation_level=None)
    yield connection
    connection.close()


def test_the_database_allows_exactly_the_lifecycle_moves(raw):
    pairs = [(old, new) for old, new in itertools.product(MOVES, MOVES) if old != new]
    allowed = {(old, new) for seq, (old, new) in enumerate(pairs, 1) if _moved(raw, seq, old, new)}
    assert allowed == {(old, new) for old in MOVES for new in MOVES[old]}
    assert len(pairs) == 12 and len(allowed) == 4


def test_expired_is_shown_never_stored(raw):
    with pytest.raises(sqlite3.IntegrityError, match="CHECK constraint failed"):
        _moved(raw, 1, Status.EXPIRED, Status.EXPIRED)
