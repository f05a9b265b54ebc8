"""Tiers and terms (R-TIER-1): the tier a count falls in, a term's price pro rata by
months or by days (co-term), and additions refused on lines bought by the tier."""

from decimal import Decimal

from quotedesk.core.dates import days_between
from quotedesk.core.money import format_amount
from quotedesk.core.price_book import PriceRow
from quotedesk.core.pricing.context import PricingContext
from quotedesk.core.pricing.lines import (
    DAYS_PER_YEAR,
    Charge,
    Period,
    ResolvedLine,
    peak_count,
    tier_label,
    tier_said,
)


def tier(ctx: PricingContext, r: ResolvedLine, count: int) -> PriceRow | None:
    row = r.schedule.tier_for(count)
    if row is None:
        ctx.log.error(
            "R-TIER-1", "R-TIER-1.above_largest", r.index, count=count, max=r.schedule.max_count
        )
    return row


def refuse_additions(ctx: PricingContext, r: ResolvedLine, row: PriceRow) -> None:
    """R-TIER-1: an annual or Data Center tier is bought whole; licences cannot be
    combined into a higher tier, so users added later need an upgrade line. Additions
    are for monthly lines (R-PEAK-2); the line is priced without them."""
    peak = peak_count(r.users, r.line.additions)
    above = row.tier_max is not None and peak > row.tier_max
    key = "R-TIER-1.additions_above" if above else "R-TIER-1.additions_covered"
    ctx.log.error("R-TIER-1", key, r.index, name=r.name, peak=peak, tier=tier_said(row))


def term_charge(ctx: PricingContext, r: ResolvedLine, row: PriceRow, period: Period) -> Charge:
    annual = row.price
    if period.months is not None:
        amount = annual * period.months / 12
        basis = f"12-month price {format_amount(annual)} × {period.months}/12"
    else:
        days = days_between(period.start, period.end)
        amount = annual * days / DAYS_PER_YEAR
        basis = f"12-month price {format_amount(annual)} × {days}/365 days (co-term)"
    return tier_charge(ctx, r, row, period, amount, basis)


def tier_charge(
    ctx: PricingContext,
    r: ResolvedLine,
    row: PriceRow,
    period: Period,
    amount: Decimal,
    basis: str,
) -> Charge:
    return Charge(
        kind="product",
        name=r.name,
        tier=tier_label(row),
        units=r.users,
        period_start=period.start,
        period_end=period.end,
        list_price=ctx.round(amount),
        book_price=row.price,
        basis=basis,
    )
