"""Upgrades and downgrades (R-UPG-1..4): the upgrade's charge, prorated or as a new term,
the credit for the unused licence, and a downgrade only with its renewal."""

from quotedesk.core.dates import days_between, full_months_between
from quotedesk.core.money import format_amount
from quotedesk.core.price_book import PriceRow
from quotedesk.core.pricing.context import PricingContext
from quotedesk.core.pricing.lines import (
    DAYS_PER_YEAR,
    Charge,
    Period,
    ResolvedLine,
    tier_label,
    tier_said,
)
from quotedesk.core.pricing.tiers import term_charge, tier, tier_charge


def upgrade_mode(r: ResolvedLine) -> str:
    # R-UPG-1: cloud upgrades prorate by default, Data Center ones start a new term.
    return r.mode or ("prorate" if r.deployment == "cloud" else "new_term")


def upgrade_charges(
    ctx: PricingContext, r: ResolvedLine, row: PriceRow, period: Period
) -> list[Charge]:
    log, i = ctx.log, r.index
    if r.from_users is None:
        log.error("R-INPUT", "R-INPUT.upgrade_from_users", i, field="from_users")
        return []
    if r.from_users >= r.users:
        log.error("R-UPG-1", "R-UPG-1.not_upgrade", i, from_users=r.from_users, users=r.users)
        return []
    old = tier(ctx, r, r.from_users)
    if old is None:
        return []
    if old == row:
        log.warn("R-UPG-1", "R-UPG-1.same_tier", i, from_users=r.from_users, users=r.users)
    assert r.current_end is not None
    remaining = days_between(r.start, r.current_end)
    if upgrade_mode(r) == "prorate":
        amount = (row.price - old.price) * remaining / DAYS_PER_YEAR
        basis = (
            f"(12-month {tier_label(row)} {format_amount(row.price)} − "
            f"{tier_label(old)} {format_amount(old.price)}) × {remaining}/365 days"
        )
        return [tier_charge(ctx, r, row, period, amount, basis)]
    return [term_charge(ctx, r, row, period), *_upgrade_credit(ctx, r, old, remaining)]


def _upgrade_credit(
    ctx: PricingContext, r: ResolvedLine, old: PriceRow, remaining: int
) -> list[Charge]:
    """Credit for the unused part of the licence being upgraded (R-UPG-3)."""
    line = r.line
    assert r.current_end is not None
    paid_months = line.paid_months or 12
    paid = line.paid_amount
    if r.deployment == "datacenter":
        months = full_months_between(r.start, r.current_end)
        if paid is not None:
            amount = paid * months / paid_months
            basis = f"{format_amount(paid)} × {months} remaining full months / {paid_months}"
        else:
            # The list price of the period paid (annual × paid_months / 12) stands in
            # for paid_amount: annual × paid_months / 12 × months / paid_months.
            amount = old.price * months / 12
            basis = f"12-month {format_amount(old.price)} × {months} remaining full months / 12"
    else:
        base = paid * 12 / paid_months if paid is not None else old.price
        amount = base * remaining / DAYS_PER_YEAR
        basis = f"12-month {format_amount(base)} × {remaining}/365 remaining days"
    if paid is None:
        ctx.log.warn(
            "R-UPG-3", "R-UPG-3.list_price_credit", r.index, tier=tier_said(old),
            date=ctx.quote_date,
        )  # fmt: skip
    credit = ctx.round(amount)
    if credit == 0:
        return []
    return [
        Charge(
            kind="upgrade_credit",
            name=f"Credit: unused {r.name} {tier_label(old)}",
            tier=tier_label(old),
            units=r.from_users,
            period_start=r.start,
            period_end=r.current_end,
            list_price=-credit,
            book_price=None,
            basis=basis,
            discountable=paid is None,
            manual_discount=False,
        )
    ]


def check_downgrade(ctx: PricingContext, r: ResolvedLine) -> None:
    """R-UPG-4: only with a renewal, within 90 days before the licence expires."""
    log, i = ctx.log, r.index
    assert r.current_end is not None
    if r.from_users is None or r.from_users <= r.users:
        log.error("R-UPG-4", "R-UPG-4.direction", i)
        return
    days_left = days_between(ctx.quote_date, r.current_end)
    window = ctx.rules.policies.downgrade_window_days
    if not 0 <= days_left <= window:
        log.error(
            "R-UPG-4", "R-UPG-4.window", i, days=window, date=r.current_end, days_left=days_left
        )
