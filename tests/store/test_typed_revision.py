"""A saved revision reads back as typed values: what the PDF and the
window print comes from these, never from re-parsing the stored strings."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from quotedesk.core.priced import Discount

JIRA = {"product": "jira", "deployment": "cloud", "edition": "standard", "billing": "annual"}


def test_a_saved_revision_reads_back_as_typed_amounts(store, make_quote):
    # Two lines of the 100-user tier (8,000.00 each) with a 10% partner discount
    # (800.00 each), the second also a manual 5% of the rest (5% of 7,200.00 = 360.00).
    quote, priced, book = make_quote(
        lines=[dict(JIRA, users=100), dict(JIRA, users=100, discount_pct="5")],
        partner_discount_pct="10",
    )
    number = store.add_quote(quote, priced, book).number
    totals = store.get(number).totals
    assert totals.currency == "USD"
    assert (totals.quote_date, totals.valid_until) == (date(2026, 11, 20), date(2026, 12, 20))
    assert totals.subtotal == Decimal("16000.00")
    assert totals.discount_total == Decimal("1960.00")  # 800 + 800 + 360
    assert totals.net_total == Decimal("14040.00")
    # A Brazilian customer: no admin fee, no tax lines.
    assert (totals.admin_fee, totals.admin_fee_rate, totals.taxes) == (Decimal("0.00"), None, ())
    assert totals.total == Decimal("14040.00")
    second = totals.lines[1]
    assert (second.index, second.list_price, second.net) == (
        1, Decimal("8000.00"), Decimal("6840.00")
    )  # fmt: skip
    assert second.discounts == (
        Discount("partner", Decimal("10"), Decimal("800.00"), "R-DISC-PARTNER"),
        Discount("manual", Decimal("5"), Decimal("360.00"), "R-DISC-MANUAL"),
    )
