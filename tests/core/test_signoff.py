"""One sign-off check for the store, the command line and the window's dialog."""

from __future__ import annotations

from decimal import Decimal

from quotedesk.core.quotes.signoff import sign_off_refusals

LINE = {"product": "jira", "deployment": "cloud", "edition": "standard", "billing": "annual",
        "users": 50}  # fmt: skip
CLEAN = {"errors": []}


def refusals(quote, priced=CLEAN, seller="Atlas", by="Ana", approver=None):
    return sign_off_refusals(
        quote, priced, seller=seller, threshold=Decimal(15), by=by, approver=approver
    )


def test_an_empty_quote_is_refused_for_its_lines_and_its_customer():
    assert [(r.code, r.message) for r in refusals({"customer": {"name": " "}, "lines": []})] == [
        ("empty quote", "the quote has no lines"),
        ("empty quote", "the quote names no customer"),
    ]


def test_a_seller_is_required_unless_the_caller_cannot_set_one():
    quote = {"customer": {"name": "ACME"}, "lines": [LINE]}
    assert [r.field for r in refusals(quote, seller="")] == ["profile"]
    assert refusals(quote, seller=None) == []


def test_a_discount_above_the_threshold_needs_another_person_counting_lines_from_1():
    quote = {"customer": {"name": "ACME"}, "lines": [LINE, dict(LINE, discount_pct="20")]}
    (missing,) = refusals(quote)
    assert missing.message.startswith("line 2 has a manual discount of 20%")
    (same,) = refusals(quote, by="Ana", approver="ANA")
    assert same.field == "approver"
    assert refusals(quote, by="Ana", approver="Bruno") == []


def test_pricing_errors_name_the_first_and_count_the_rest():
    quote = {"customer": {"name": "ACME"}, "lines": [LINE]}
    priced = {"errors": [{"code": "R-LIM-2", "message": "too many"},
                         {"code": "R-TERM-1", "message": "bad term"}]}  # fmt: skip
    assert [(r.code, r.message) for r in refusals(quote, priced)] == [
        ("R-LIM-2", "too many (and 1 more error)")
    ]
