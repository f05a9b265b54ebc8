"""Fees (R-FEE-1): an administrative fee on the discounted price of the eligible lines."""

from decimal import Decimal

from quotedesk.core.money import ZERO, percent_of
from quotedesk.core.priced import PricedLine
from quotedesk.core.pricing.context import PricingContext
from quotedesk.core.pricing.lines import ResolvedLine


def admin_fee(
    ctx: PricingContext, resolved: list[ResolvedLine], rows: list[PricedLine]
) -> tuple[Decimal, str | None, Decimal | None]:
    """The fee, its rule and its percentage (zero and None when none applies)."""
    fee = ctx.rules.fees.get(ctx.quote.customer.country or "")
    if fee is None or ctx.quote_date <= fee.not_on_or_before:
        return ZERO, None, None
    eligible = {
        r.index
        for r in resolved
        if any(
            r.deployment == deployment and ("app" if r.is_app else r.product) in products
            for deployment, products in fee.eligible
        )
    }
    base = sum((row.net for row in rows if row.kind != "custom" and row.index in eligible), ZERO)
    if base <= 0:
        return ZERO, None, None
    return ctx.round(percent_of(base, fee.pct)), fee.rule, fee.pct
