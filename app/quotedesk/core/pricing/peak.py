"""Monthly lines (R-PEAK-1/2): one billing cycle at the monthly price, plus each increase
above the cycle's peak, pro rata for the days left in the cycle."""

from quotedesk.core.context import PricingContext
from quotedesk.core.dates import days_between
from quotedesk.core.lines import Charge, Period, ResolvedLine


def monthly_charges(ctx: PricingContext, r: ResolvedLine, period: Period) -> list[Charge]:
    if r.action in ("upgrade", "downgrade"):
        rule = "R-UPG-1" if r.action == "upgrade" else "R-UPG-4"
        ctx.log.error(
            rule,
            "a monthly subscription is billed per user: change the count "
            "with additions (R-PEAK-2), not an upgrade or downgrade",
            r.index,
        )
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
        log.error("R-PEAK-1", f"peak-user billing does not apply to {r.name}", i)
        return []
    cycle_days = days_between(period.start, period.end)
    running = peak = r.users
    out: list[Charge] = []
    for change in r.additions:
        if not period.start <= change.date < period.end:
            log.error(
                "R-PEAK-2",
                f"the change on {change.date} is outside the first cycle "
                f"({period.start} to {period.end})",
                i,
            )
            continue
        running += change.users
        if running < 0:
            log.error("R-PEAK-2", f"on {change.date} the count would fall below 0", i)
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
