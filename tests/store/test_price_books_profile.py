"""Price-book versions (never overwritten, diffable) and the reseller profile."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest

from quotedesk.core.records import ResellerProfile
from quotedesk.store import StoreError, open_store

HEADER = (
    "product,name,deployment,edition,billing,unit,tier_max,price_kind,currency,price,"
    "effective_from\n"
)
OLD = HEADER + (
    "jira,Jira,datacenter,,annual,users,500,flat,USD,100.00,2026-01-01\n"
    "crowd,Crowd,datacenter,,annual,users,500,flat,USD,50.00,2026-01-01\n"
)
NEW = HEADER + (
    "jira,Jira,datacenter,,annual,users,500,flat,USD,120.00,2026-01-01\n"
    "bitbucket,Bitbucket,datacenter,,annual,users,500,flat,USD,70.00,2026-01-01\n"
)


def test_imported_price_book_is_kept_as_a_version_and_loads_back(store):
    version, created = store.import_price_book(OLD.encode(), "/home/ana/prices-2026.csv")
    assert created
    assert (version.source, version.row_count) == ("/home/ana/prices-2026.csv", 2)
    assert version.label.startswith("prices-2026.csv sha256:")
    book = store.price_book(version.id)
    assert book.sha256 == version.sha256
    assert book.name_of("crowd") == "Crowd"
    assert book.schedule(("jira", "datacenter", "", "annual", "USD"), date(2026, 6, 1)).rows[
        0
    ].price == Decimal("100.00")


def test_same_file_twice_is_a_no_op(store):
    first, _ = store.import_price_book(OLD.encode(), "a.csv")
    again, created = store.import_price_book(OLD.encode(), "renamed.csv")
    assert (again, created) == (first, False)
    assert len(store.price_books()) == 1


def test_new_file_is_a_new_version_beside_the_old(store):
    store.import_price_book(OLD.encode(), "a.csv")
    store.import_price_book(NEW.encode(), "b.csv")
    assert [v.source for v in store.price_books()] == ["a.csv", "b.csv"]


def test_diff_lists_added_removed_and_changed_prices(store):
    old, _ = store.import_price_book(OLD.encode(), "a.csv")
    new, _ = store.import_price_book(NEW.encode(), "b.csv")
    diff = store.diff_price_books(old.id, new.id)
    assert [r.product for r in diff.added] == ["bitbucket"]
    assert [r.product for r in diff.removed] == ["crowd"]
    assert [(c.before.price, c.after.price) for c in diff.changed] == [
        (Decimal("100.00"), Decimal("120.00"))
    ]


def test_price_book_with_bad_rows_is_refused_listing_every_row(store):
    bad = OLD + "jira,Jira,cloud,gold,annual,users,10,flat,USD,1.00,2026-01-01\n"
    bad += "jira,Jira,datacenter,,annual,users,900,flat,USD,abc,2026-01-01\n"
    with pytest.raises(StoreError, match=r"2 bad rows: line 4: edition 'gold'.*; line 5"):
        store.import_price_book(bad.encode(), "bad.csv")
    assert store.price_books() == []


def test_file_that_is_not_a_price_book_is_refused(store):
    with pytest.raises(StoreError, match="header lacks"):
        store.import_price_book(b"name,amount\nx,1\n", "other.csv")
    with pytest.raises(StoreError, match="not UTF-8"):
        store.import_price_book(b"\xff\xfe\x00", "binary.csv")


def test_oversized_price_book_is_refused_before_parsing(store):
    with pytest.raises(StoreError, match="too large for a price book"):
        store.import_price_book(OLD.encode() + b" " * 25_000_000, "huge.csv")


def test_unknown_price_book_version(store):
    with pytest.raises(KeyError, match="no price book version 7"):
        store.price_book(7)


def test_profile_defaults_then_saved_values_survive_reopening(db_path):
    with open_store(db_path) as store:
        assert store.profile() == ResellerProfile()
        profile = ResellerProfile(
            company="Parceiro Ltda",
            address="Rua A, 1\nSão Paulo",
            partner_discount_pct=Decimal("12.5"),
            approval_threshold_pct=Decimal(20),
            number_prefix="PRC",
            default_currency="AUD",
            default_language="pt-BR",
            validity_days=45,
            timestamp_url="http://timestamp.example.com/tsa",
        )
        store.save_profile(profile)
    with open_store(db_path) as store:
        assert store.profile() == profile


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"number_prefix": "QD 1"}, "number prefix"),
        ({"number_prefix": ""}, "number prefix"),
        ({"approval_threshold_pct": Decimal(101)}, "approval_threshold_pct"),
        ({"partner_discount_pct": Decimal(-1)}, "partner_discount_pct"),
        ({"default_currency": "EUR"}, "default currency"),
        ({"default_language": "de"}, "default language"),
        ({"validity_days": 0}, "validity"),
        ({"timestamp_url": "timestamp.example.com"}, "timestamp authority"),
        ({"timestamp_url": "ftp://timestamp.example.com"}, "timestamp authority"),
    ],
)
def test_invalid_profile_is_refused(store, change, message):
    with pytest.raises(StoreError, match=message):
        store.save_profile(dataclasses.replace(ResellerProfile(), **change))
    assert store.profile() == ResellerProfile()
