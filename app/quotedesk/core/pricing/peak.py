"""Monthly lines (R-PEAK-1/2): one billing cycle at the monthly price, plus each increase
above the cycle's peak, pro rata for the days left in the cycle."""

from quotedesk.core.dates import days_between
from quotedesk.core.pricing.context import PricingContext
from quotedesk.core.pricing.lines import Charge, Period, ResolvedLine


def monthly_charges(ctx: PricingContext, r: ResolvedLine, period: Period) -> list[Charge]:
    if r.action in ("upgrade", "downgrade"):
        if r.action == "upgrade":
            ctx.log.error("R-UPG-1", "R-UPG-1.monthly", r.index)
        else:
            ctx.log.error("R-UPG-4", "R-UPG-4.monthly", r.index)
        return []
    amount = r.schedule.monthly_amount(r.users)
    out = [
        Charge(
            kind="product",
            name=r.name,
            tier=r.users,
            units=r.users,
            period_start=period.start,
            period_end=period.end,
            list_price=ctx.round(amount),
            book_price=amount,
            basis=f"monthly price for {r.users}",
        )
    ]
    if r.additions:
        out += _peak_charges(ctx, r, period)
    return out


def _peak_charges(ctx: PricingContext, r: ResolvedLine, period: Period) -> list[Charge]:
    """R-PEAK-2: increases above the cycle's peak, pro rata for the days left."""
    log, i, monthly = ctx.log, r.index, r.schedule.monthly_amount
    family = "app" if r.is_app else r.product
    if family not in ctx.rules.peak_billing_products:
        log.error("R-PEAK-1", "R-PEAK-1.not_applicable", i, name=r.name)
        return []
    cycle_days = days_between(period.start, period.end)
    running = peak = r.users
    out: list[Charge] = []
    for change in r.additions:
        if not period.start <= change.date < period.end:
            log.error(
                "R-PEAK-2", "R-PEAK-2.outside_cycle", i, date=change.date, start=period.start,
                end=period.end,
            )  # fmt: skip
            continue
        running += change.users
        if running < 0:
            log.error("R-PEAK-2", "R-PEAK-2.below_zero", i, date=change.date)
            running = 0
        if running <= peak:
            continue  # removals free seats until the cycle ends; re-adding is free
        remaining = days_between(change.date, period.end)
        amount = (monthly(running) - monthly(peak)) * remaining / cycle_days
        out.append(
            Charge(
                kind="peak_addition",
                name=f"{r.name}: {peak} → {running} from {change.date}",
                tier=running,
                units=running - peak,
                period_start=change.date,
                period_end=period.end,
                list_price=ctx.round(amount),
                book_price=None,
                basis=f"(monthly price at {running} − at {peak}) × {remaining}/{cycle_days} days",
            )
        )
        peak = running
    return out
