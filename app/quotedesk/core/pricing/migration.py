"""Migration (R-MIG-1): the credit for the unused part of the Data Center subscription a
cloud line replaces."""

from quotedesk.core.dates import days_between
from quotedesk.core.money import format_amount
from quotedesk.core.pricing.context import PricingContext
from quotedesk.core.pricing.lines import Charge, Period, ResolvedLine


def migration_credit(ctx: PricingContext, r: ResolvedLine, period: Period) -> Charge | None:
    source = r.line.migrating_from
    if source is None:
        return None
    if r.deployment != "cloud":
        ctx.log.error("R-MIG-1", "R-MIG-1.cloud_only", r.index)
        return None
    policies = ctx.rules.policies
    ctx.log.warn(
        "R-MIG-1", "R-MIG-1.trial", r.index, months=policies.migration_trial_months,
        users=policies.migration_trial_users,
    )  # fmt: skip
    total_days = days_between(source.period_start, source.period_end)
    unused = days_between(max(period.start, source.period_start), source.period_end)
    if unused <= 0:
        return None
    credit = ctx.round(source.paid_amount * unused / total_days)
    return Charge(
        kind="migration_credit",
        name=f"Credit: unused Data Center to {source.period_end}",
        tier=None,
        units=None,
        period_start=period.start,
        period_end=source.period_end,
        list_price=-credit,
        book_price=None,
        basis=f"{format_amount(source.paid_amount)} × {unused}/{total_days} days",
        discountable=False,
        manual_discount=False,
    )
