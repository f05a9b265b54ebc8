"""From a line to its priced rows: the charges of a resolved line (term, upgrade, monthly
cycle, credits), a list-price override (R-PRICE-OVERRIDE), then the discounts in order
(R-DISC-*). A custom line is one row at its own price."""

from decimal import Decimal

from quotedesk.core.money import format_amount
from quotedesk.core.priced import Discount, PricedLine
from quotedesk.core.pricing.checks import check_line, within_limits
from quotedesk.core.pricing.context import PricingContext
from quotedesk.core.pricing.discounts import Step, chain, program_grant
from quotedesk.core.pricing.lines import Charge, Period, ResolvedLine
from quotedesk.core.pricing.migration import migration_credit
from quotedesk.core.pricing.peak import monthly_charges
from quotedesk.core.pricing.periods import Periods
from quotedesk.core.pricing.tiers import refuse_additions, term_charge, tier
from quotedesk.core.pricing.upgrades import check_downgrade, upgrade_charges
from quotedesk.core.problems import Message
from quotedesk.core.quotes.model import CustomLine
from quotedesk.core.rules import Program


def charges(ctx: PricingContext, periods: Periods, r: ResolvedLine) -> list[Charge]:
    """The rows of one resolved line, before discounts (empty on an error)."""
    period = periods.period(r)
    if period is None:
        return []
    if r.is_monthly:
        return monthly_charges(ctx, r, period)
    row = tier(ctx, r, r.users)
    if row is None:
        return []
    if r.line.additions:
        refuse_additions(ctx, r, row)
    if r.action == "upgrade":
        return upgrade_charges(ctx, r, row, period)
    if r.action == "downgrade":
        check_downgrade(ctx, r)
    return [term_charge(ctx, r, row, period)]


def product_rows(
    ctx: PricingContext, periods: Periods, r: ResolvedLine, program: Program | None
) -> list[PricedLine]:
    if not within_limits(ctx, r):
        return []
    found = charges(ctx, periods, r)
    if not found:
        return []
    main = found[0]
    if r.line.migrating_from is not None:
        credit = migration_credit(ctx, r, Period(main.period_start, main.period_end, None))
        if credit is not None:
            found.append(credit)
    check_line(ctx, r, main)
    found[0] = main = _overridden(ctx, r, main)
    tier_max = main.tier if isinstance(main.tier, int) else None
    grant = None
    if program is not None and program.grants and not r.line.dual_licensing:
        grant = program_grant(program, r, tier_max, ctx.log)
    partner = ctx.quote.partner_discount_pct
    rows = []
    for charge in found:
        steps: list[Step] = []
        if r.line.dual_licensing and charge.kind == "product":
            steps.append(("dual_licensing", Decimal(100), "R-DISC-DUAL"))
        elif charge.discountable:
            if grant is not None:
                steps.append(("program", grant.pct, program.rule if program else ""))
            if partner:
                steps.append(("partner", partner, "R-DISC-PARTNER"))
            if charge.manual_discount and r.line.discount_pct:
                steps.append(("manual", r.line.discount_pct, "R-DISC-MANUAL"))
        rows.append(_row(r, charge, *chain(charge.list_price, steps, ctx.places)))
    return rows


def custom_row(ctx: PricingContext, i: int, line: CustomLine) -> PricedLine:
    list_price = ctx.round(line.unit_price * line.quantity)
    steps: list[Step] = (
        [("manual", line.discount_pct, "R-DISC-MANUAL")] if line.discount_pct else []
    )
    discounts, net = chain(list_price, steps, ctx.places)
    return PricedLine(
        index=i,
        kind="custom",
        product="custom",
        name=line.description,
        deployment=None,
        edition=None,
        billing=None,
        tier=None,
        units=line.quantity,
        period_start=None,
        period_end=None,
        list_price=list_price,
        discounts=discounts,
        net=net,
        taxable=line.taxable,
        book_price=line.unit_price,
        basis=f"{line.quantity} × {format_amount(line.unit_price)}",
    )


def _row(
    r: ResolvedLine, charge: Charge, discounts: tuple[Discount, ...], net: Decimal
) -> PricedLine:
    return PricedLine(
        index=r.index,
        kind=charge.kind,
        product=r.product,
        name=charge.name,
        deployment=r.deployment,
        edition=r.edition or None,
        billing=r.billing,
        tier=charge.tier,
        units=charge.units,
        period_start=charge.period_start,
        period_end=charge.period_end,
        list_price=charge.list_price,
        discounts=discounts,
        net=net,
        taxable=True,
        book_price=charge.book_price,
        price_effective_from=r.schedule.effective_from if charge.book_price is not None else None,
        basis=charge.basis,
        product_name=r.schedule.rows[0].name,
    )


def _overridden(ctx: PricingContext, r: ResolvedLine, main: Charge) -> Charge:
    line = r.line
    if line.list_price is None:
        return main
    if not (line.override_reason or "").strip():
        ctx.log.error("R-INPUT", "R-INPUT.override_reason", r.index)
    ctx.log.warn(
        "R-PRICE-OVERRIDE", "R-PRICE-OVERRIDE.applied", r.index, price=line.list_price,
        book_price=main.list_price,
        reason=line.override_reason or Message("R-PRICE-OVERRIDE.no_reason", {}),
    )  # fmt: skip
    return main._replace(
        list_price=ctx.round(line.list_price),
        basis=f"override: {line.override_reason or ''}",
        discountable=True,
        manual_discount=True,
    )
