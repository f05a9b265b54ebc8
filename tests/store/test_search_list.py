"""The quote list: full-text search (FTS5) over number, customer, products and notes,
filters, paging and order."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

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


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("ller", [0]),  # inside a word (trigram index)
        ("ÜLLER", [0]),  # any case
        ("mueller", []),
        ("mu", [0]),  # shorter than a trigram: the start of a word, accents folded
        ("ag", [0, 1]),  # "AG" and "Agência"
        ("g", [1]),  # one letter: the start of "Globo", not the G inside "AG"
        ("ll", []),  # two letters inside a word: no index can say
        ("nci", [1]),  # "Agência"
    ],
)
def test_search_finds_parts_of_words_and_short_words_still_work(
    store, make_quote, search, expected
):
    numbers = [
        store.add_quote(*make_quote("Müller AG")).number,
        store.add_quote(*make_quote("Agência Globo")).number,
    ]
    found = [q.number for q in store.list_quotes(search=search)]
    assert sorted(found) == sorted(numbers[i] for i in expected)


def test_list_revisions_finds_each_revision_by_its_own_status(store, make_quote):
    number = store.add_quote(*make_quote("Müller AG")).number
    store.sign_off(number, by="Ana")
    store.revise(number)
    store.save_draft(number, *make_quote("Müller AG", [dict(CONFLUENCE, users=80)]))
    other = store.add_quote(*make_quote("Globex")).number
    listed = [(q.label, q.status, q.latest) for q in store.list_revisions(today=date(2026, 11, 23))]
    assert listed == [
        (other, "draft", True),
        (f"{number}-R2", "draft", True),
        (number, "signed_off", False),
    ]
    signed = store.list_revisions(status="signed_off", today=date(2026, 11, 23))
    assert [(q.key, q.customer, q.total) for q in signed] == [
        (f"{number}-R1", "Müller AG", Decimal(store.get(number, 1).priced["total"]))
    ]
    assert signed[0].total != store.list_revisions(search="ller")[0].total  # R2: 80 users
    assert store.get(signed[0].key).status == "signed_off"
    assert [q.label for q in store.list_revisions(search="ller")] == [f"{number}-R2", number]


@pytest.fixture
def customers_by_number(store, make_quote):
    """Customer 010 down to Customer 001 (so QD-…-00007 is Customer 004, and Customer
    007 is QD-…-00004), then one whose notes hold both words apart."""
    numbers = {}
    for n in range(10, 0, -1):
        numbers[f"Customer {n:03d}"] = store.add_quote(*make_quote(f"Customer {n:03d}")).number
    numbers["notes"] = store.add_quote(
        *make_quote("Initech", notes="Customer asked for agent 007")
    ).number
    return numbers


def test_a_quoted_phrase_matches_the_phrase_not_its_words_anywhere(store, customers_by_number):
    by = customers_by_number
    # Unquoted, each word may be anywhere: "007" is also inside the number QD-…-00007
    # (Customer 004) and in Initech's notes, where "customer" is too.
    words = {q.number for q in store.list_quotes(search="Customer 007")}
    assert words == {by["Customer 007"], by["Customer 004"], by["notes"]}
    for phrase in ('"Customer 007"', '"customer 007"', '"Customer  007', 'draft "Customer 007"'):
        found = [q.number for q in store.list_quotes(search=phrase)]
        assert found == ([] if phrase.startswith("draft") else [by["Customer 007"]]), phrase
    # Whole words: the phrase's last word is not a prefix.
    assert store.list_quotes(search='"Customer 00"') == []
    assert [q.number for q in store.list_quotes(search='"agent 007"')] == [by["notes"]]
    assert store.count_quotes(search='"Customer 007"') == 1
