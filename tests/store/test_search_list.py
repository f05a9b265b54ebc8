"""The quote list: full-text search (FTS5) over number, customer, products and notes,
filters, paging and order."""

from __future__ import annotations

from datetime import date

import pytest

from quotedesk.store import StoreError

CONFLUENCE = {"product": "confluence", "deployment": "cloud", "edition": "standard",
              "billing": "annual", "users": 20}  # fmt: skip


@pytest.fixture
def filled(store, make_quote):
    """Four quotes, added in this order: ACME (jira), Globex (confluence, notes),
    Société Générale (jira), ACME Brasil (confluence, signed off)."""
    add = store.add_quote
    numbers = [
        add(*make_quote("ACME Ltda", quote_date="2026-10-01")).number,
        add(*make_quote("Globex", [CONFLUENCE], "2026-11-01", notes="call Hank in March")).number,
        add(*make_quote("Société Générale", quote_date="2026-11-10")).number,
        add(*make_quote("ACME Brasil", [CONFLUENCE], "2026-11-20")).number,
    ]
    store.sign_off(numbers[3], by="Ana")
    return numbers


def _numbers(quotes):
    return [q.number for q in quotes]


def test_list_is_newest_first_with_the_latest_revision_summary(store, filled):
    quotes = store.list_quotes()
    assert _numbers(quotes) == filled[::-1]
    newest = quotes[0]
    assert (newest.customer, newest.status, newest.currency) == ("ACME Brasil", "signed_off", "USD")
    assert newest.products == "Confluence Cloud Standard"
    assert newest.quote_date == date(2026, 11, 20)


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("acme", [3, 0]),  # customer, case-insensitive
        ("acm", [3, 0]),  # prefix
        ("confluence", [3, 1]),  # product names
        ("hank march", [1]),  # notes, every word must match
        ("societe", [2]),  # accents folded
        ("QD-2026-00003", [2]),  # number
        ("nobody", []),
    ],
)
def test_search_matches_number_customer_products_and_notes(store, filled, search, expected):
    assert _numbers(store.list_quotes(search=search)) == [filled[i] for i in expected]
    assert store.count_quotes(search=search) == len(expected)


@pytest.mark.parametrize("text", ['"', "acme OR", "NEAR(", "*", "a:b", "-", "'; DROP TABLE quotes"])
def test_search_text_with_fts_syntax_never_fails(store, filled, text):
    store.list_quotes(search=text)


def test_filters_by_status_customer_and_date_range(store, filled):
    assert _numbers(store.list_quotes(status="signed_off", today=date(2026, 11, 23))) == [filled[3]]
    assert _numbers(store.list_quotes(status="draft")) == filled[2::-1]
    assert _numbers(store.list_quotes(customer="acme ltda")) == [filled[0]]
    in_november = store.list_quotes(date_from=date(2026, 11, 1), date_to=date(2026, 11, 10))
    assert _numbers(in_november) == [filled[2], filled[1]]
    assert store.count_quotes(search="acme", status="draft") == 1


def test_paging_and_order(store, filled):
    assert _numbers(store.list_quotes(limit=2)) == [filled[3], filled[2]]
    assert _numbers(store.list_quotes(limit=2, offset=2)) == [filled[1], filled[0]]
    assert _numbers(store.list_quotes(order_by="customer")) == [
        filled[3], filled[0], filled[1], filled[2]
    ]  # fmt: skip
    assert _numbers(store.list_quotes(order_by="date")) == filled[::-1]
    assert store.count_quotes() == 4


def test_search_follows_saves(store, filled, make_quote):
    store.save_draft(filled[0], *make_quote("Umbrella Corp"))
    assert _numbers(store.list_quotes(search="umbrella")) == [filled[0]]
    assert store.list_quotes(search="acme ltda") == []


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"status": "lost"}, "unknown status"),
        ({"order_by": "colour"}, "cannot order by"),
        ({"limit": -1}, "must not be negative"),
    ],
)
def test_bad_list_arguments_are_refused(store, arguments, message):
    with pytest.raises(StoreError, match=message):
        store.list_quotes(**arguments)
