"""What the window shows is summed in the core, on typed values: each discount kind and
each quote line's amounts (issue 12 §1: views must not add up money)."""

from __future__ import annotations

from decimal import Decimal

from quotedesk.core.priced import amounts_by_line, discounts_by_kind, priced_lines

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
