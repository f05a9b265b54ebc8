"""What the window shows is summed in the core, on typed values: each discount kind and
each quote line's amounts (views must not add up money)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from quotedesk.core.priced import (
    amounts_by_line,
    discounts_by_kind,
    lines_left_out,
    priced_lines,
    read_priced,
)

JIRA = {"product": "jira", "deployment": "cloud", "edition": "standard", "billing": "annual"}


def test_discounts_are_summed_by_kind_and_lines_by_quote_line(priced):
    # Two lines of the 100-user tier (8,000.00 each), 10% partner discount on both
    # (800.00 each), then a manual 5% on the second (5% of 7,200.00 = 360.00).
    q = priced(
        [dict(JIRA, users=100), dict(JIRA, users=100, discount_pct="5")],
        partner_discount_pct="10",
    )
    assert discounts_by_kind(q.lines) == {
        "partner": Decimal("1600.00"),
        "manual": Decimal("360.00"),
    }
    assert amounts_by_line(q.lines) == {
        0: (Decimal("8000.00"), Decimal("7200.00")),
        1: (Decimal("8000.00"), Decimal("6840.00")),
    }


def test_a_stored_priced_document_reads_back_as_the_same_typed_lines(priced):
    q = priced([dict(JIRA, users=100, discount_pct="5")], partner_discount_pct="10")
    assert priced_lines(q.to_dict()) == q.lines


def test_the_lines_left_out_are_those_in_error_without_a_priced_row(priced):
    # Line 1's 150% discount is an error, but the line is priced at list price (8,000.00)
    # without it; line 2's 7-month term breaks R-TERM-1, so it has no row at all.
    q = priced(
        [dict(JIRA, users=100, discount_pct="150"), dict(JIRA, users=100, months=7)],
    )
    assert sorted(e.line for e in q.errors) == [0, 1]
    assert lines_left_out((e.line for e in q.errors), q.lines) == [1]
    assert (q.subtotal, q.total) == (Decimal("8000.00"), Decimal("8000.00"))


def test_a_saved_priced_document_reads_back_as_the_whole_priced_quote(priced):
    # Monthly Jira in India, 20 days past the quote's validity: payment methods, terms,
    # an R-Q-3 warning with a date, an admin fee and GST all come back as written.
    q = priced(
        [dict(JIRA, billing="monthly", users=20, discount_pct="5")],
        today=date(2027, 1, 10),
        customer={"name": "Tata", "country": "IN"},
    )
    saved = q.to_dict()
    read = read_priced(saved)
    assert read.to_dict() == saved
    assert (read.lines, read.taxes, read.payment_methods, read.terms) == (
        q.lines,
        q.taxes,
        q.payment_methods,
        q.terms,
    )
    assert [(w.code, w.key) for w in read.warnings] == [(w.code, w.key) for w in q.warnings]
    assert "R-Q-3" in [w.code for w in read.warnings]


def test_texts_saved_before_they_had_codes_keep_their_english_wording(priced):
    saved = priced([dict(JIRA, users=100)]).to_dict()
    saved["payment_methods"] = [{"method": "paypal", "label": "PayPal", "rule": "R-PAY-3"}]
    saved["terms"] = [{"rule": "R-Q-4", "text": "Trial: Data Center 30 days."}]
    saved["warnings"] = [{"code": "R-Q-3", "message": "the quote expired", "line": None}]
    read = read_priced(saved)
    assert [(m.code, m.label) for m in read.payment_methods] == [("", "PayPal")]
    assert [(t.code, t.text) for t in read.terms] == [("", "Trial: Data Center 30 days.")]
    assert [(w.code, w.key, w.message) for w in read.warnings] == [
        ("R-Q-3", "", "the quote expired")
    ]
