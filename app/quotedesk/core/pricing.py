"""`price()`: the pure function from a quote, a price book and the rule tables to a
priced quote. No I/O, no globals; "today" is a parameter."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal, localcontext

from quotedesk.core.catalog import PriceBook
from quotedesk.core.context import PricingContext
from quotedesk.core.discounts import Step, chain, program_grant
from quotedesk.core.lines import Charge, LinePricer, Period, ResolvedLine, peak_count
from quotedesk.core.money import ZERO, format_amount, percent_of
from quotedesk.core.payment import payment_methods
from quotedesk.core.priced import Discount, PricedLine, PricedQuote, Term
from quotedesk.core.problems import ProblemLog
from quotedesk.core.quote import BrokenLine, CustomLine, ProductLine, Quote
from quotedesk.core.rules import Program, RuleTables
from quotedesk.core.taxes import compute_taxes, tax_base

DEFAULT_VALIDITY_DAYS = 30  # R-Q-3
PRECISION = 50  # significant digits of every Decimal operation while pricing
_ATLASSIAN_REF = re.compile(r"AT-\d{9}")


def price(
    quote: Quote,
    book: PriceBook,
    rules: RuleTables,
    today: date,
    *,
    validity_days: int = DEFAULT_VALIDITY_DAYS,
    reseller: bool = False,
) -> PricedQuote:
    """`reseller`: a reseller profile (a seller's name) is set, so the quote is sold
    through a reseller (R-RESELL-1)."""
    # The input bounds (money.MAX_INTEGER_DIGITS, quote.MAX_COUNT, MAX_MONTHS) keep every
    # amount below 10**40, but not below the default context's 28 digits: rounding a sum
    # of thousands of maximal lines to cents would raise InvalidOperation there.
    with localcontext(prec=PRECISION):
        return _price(quote, book, rules, today, validity_days, reseller)


def _price(
    quote: Quote,
    book: PriceBook,
    rules: RuleTables,
    today: date,
    validity_days: int,
    reseller: bool,
) -> PricedQuote:
    log = ProblemLog()
    log.extend(quote.problems)
    quote_date = quote.quote_date or today
    currency = quote.currency or "USD"  # R-CUR-1
    ctx = PricingContext(
        quote,
        book,
        rules,
        quote_date,
        quote.start_date or quote_date,
        currency,
        rules.places(currency),
        log,
    )
    if book.illustrative:
        log.warn("R-SAMPLE", "priced with the illustrative sample price book: not real prices")
    _check_quote(ctx)
    program = rules.programs.get(quote.program)
    experience = _billing_experience(ctx)
    pricer = LinePricer(ctx)
    resolved: list[ResolvedLine] = []
    rows: list[PricedLine] = []
    for i, line in enumerate(quote.lines):
        if isinstance(line, CustomLine):
            rows.append(_custom_row(ctx, i, line))
        elif isinstance(line, ProductLine) and _currency_allows(ctx, line, i, experience):
            r = pricer.resolve(i)
            if r is not None:
                resolved.append(r)
                rows += _product_rows(ctx, pricer, r, program)
                if reseller and r.is_monthly and r.deployment == "cloud":
                    log.warn(
                        "R-RESELL-1",
                        "resellers cannot buy monthly cloud subscriptions: the customer "
                        "must subscribe directly, or choose annual billing",
                        i,
                    )
        elif isinstance(line, BrokenLine):
            continue

    admin_fee, fee_rule, fee_pct = _admin_fee(ctx, resolved, rows)
    taxes = compute_taxes(ctx, tax_base(rows, admin_fee))
    # Sums of rounded amounts; round() only fixes the scale ("0.00", not "0").
    subtotal = ctx.round(sum((row.list_price for row in rows), ZERO))
    net_total = ctx.round(sum((row.net for row in rows), ZERO))
    discount_total = subtotal - net_total
    tax_total = ctx.round(sum((t.amount for t in taxes), ZERO))
    admin_fee = ctx.round(admin_fee)
    valid_until = quote_date + timedelta(days=validity_days)
    if today > valid_until:
        log.warn("R-Q-3", f"the quote expired on {valid_until} ({validity_days}-day validity)")
    usd_rate = (
        Decimal(1)
        if currency == "USD"
        else (1 / quote.exchange_rate if quote.exchange_rate else None)
    )
    return PricedQuote(
        currency=currency,
        quote_date=quote_date,
        start_date=ctx.start_date,
        valid_until=valid_until,
        billing_experience=experience,
        lines=tuple(rows),
        subtotal=subtotal,
        discount_total=discount_total,
        net_total=net_total,
        admin_fee=admin_fee,
        admin_fee_rule=fee_rule,
        admin_fee_rate=fee_pct,
        taxes=tuple(taxes),
        tax_total=tax_total,
        total=net_total + admin_fee + tax_total,
        payment_methods=payment_methods(
            resolved, currency, experience, net_total + admin_fee, usd_rate, ctx.rules.policies
        ),
        terms=_terms(ctx, resolved, valid_until),
        warnings=log.warnings,
        errors=log.errors,
        price_book=book.label,
        illustrative_prices=book.illustrative,
    )


def _check_quote(ctx: PricingContext) -> None:
    quote, log = ctx.quote, ctx.log
    country = ctx.rules.quote_currency_country.get(ctx.currency)
    if country and quote.customer.country != country:
        log.error("R-CUR-1", f"{ctx.currency} quotes are only for customers in {country}")
    if quote.atlassian_ref and not _ATLASSIAN_REF.fullmatch(quote.atlassian_ref):
        log.error(
            "R-Q-1",
            f"Atlassian quote reference {quote.atlassian_ref!r} is not AT- followed by 9 digits",
        )
    if quote.local_currency and ctx.currency != "USD":
        log.warn("R-TAX-LOCAL", "local-currency tax amounts are shown on USD quotes only")
    if quote.program == "government":
        log.warn("R-DISC-GOV", "government bodies pay commercial prices: no program discount")
        program = ctx.rules.programs["government"]
        if quote.customer.country == "US" and program.note_us:
            log.warn("R-DISC-GOV", program.note_us)
    elif quote.program in ctx.rules.programs:
        program = ctx.rules.programs[quote.program]
        log.warn(
            program.rule, f"confirm eligibility for {program.label} pricing: {program.eligibility}"
        )


def _currency_allows(ctx: PricingContext, line: ProductLine, i: int, experience: str) -> bool:
    """R-CUR-2/3/4, checked before the price book so the message names the real rule."""
    if ctx.currency == "USD":  # every currency rule restricts the other currencies
        return True
    for product, deployment in ctx.rules.usd_only:
        if (
            line.product == product
            and deployment in (None, line.deployment)
            and ctx.currency != "USD"
        ):
            ctx.log.error("R-CUR-2", f"orders with {product} {line.deployment} are in USD only", i)
            return False
    if ctx.currency == "AUD" and (line.deployment == "cloud" or line.is_app):
        ctx.log.error(
            "R-CUR-3", "orders with cloud products or Marketplace apps are never in AUD", i
        )
        return False
    if experience == "improved" and line.deployment == "cloud" and ctx.currency != "USD":
        ctx.log.error(
            "R-CUR-4", "the improved billing experience settles cloud orders in USD only", i
        )
        return False
    return True


def _custom_row(ctx: PricingContext, i: int, line: CustomLine) -> PricedLine:
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


def _product_rows(
    ctx: PricingContext, pricer: LinePricer, r: ResolvedLine, program: Program | None
) -> list[PricedLine]:
    if not _within_limits(ctx, r):
        return []
    charges = pricer.charges(r)
    if not charges:
        return []
    main = charges[0]
    if r.line.migrating_from is not None:
        credit = pricer.migration_credit(r, Period(main.period_start, main.period_end, None))
        if credit is not None:
            charges.append(credit)
    _check_line(ctx, pricer, r, main, charges)
    charges[0] = main = _overridden(ctx, r, main)
    tier_max = main.tier if isinstance(main.tier, int) else None
    grant = None
    if program is not None and program.grants and not r.line.dual_licensing:
        grant = program_grant(program, r, tier_max, ctx.log)
    partner = ctx.quote.partner_discount_pct
    rows = []
    for charge in charges:
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
        ctx.log.error("R-INPUT", "a list_price override needs an override_reason", r.index)
    ctx.log.warn(
        "R-PRICE-OVERRIDE",
        f"list price {format_amount(line.list_price)} instead of "
        f"{format_amount(main.list_price)}: {line.override_reason or 'no reason given'}",
        r.index,
    )
    return Charge(
        main.kind,
        main.name,
        main.tier,
        main.units,
        main.period_start,
        main.period_end,
        ctx.round(line.list_price),
        main.book_price,
        f"override: {line.override_reason or ''}",
    )


def _check_line(
    ctx: PricingContext, pricer: LinePricer, r: ResolvedLine, main: Charge, charges: list[Charge]
) -> None:
    rules, log, i = ctx.rules, ctx.log, r.index
    if r.is_app and r.parent is not None and not r.users_inherited:
        _check_app_tier(ctx, r, r.parent)
    if r.deployment == "datacenter":
        if ctx.quote_date >= rules.dc_no_sales_from:
            log.warn("R-DC-EOL", f"Data Center is not sold from {rules.dc_no_sales_from}", i)
        elif (
            ctx.quote_date >= rules.dc_no_new_customers_from and r.action == "new" and not r.is_app
        ):
            log.warn(
                "R-DC-EOL",
                f"Data Center is not sold to new customers from "
                f"{rules.dc_no_new_customers_from}: confirm an existing licence",
                i,
            )
        if main.period_end > rules.dc_end_of_life:
            log.error(
                "R-DC-EOL",
                f"the period ends {main.period_end}, after Data Center end of "
                f"life on {rules.dc_end_of_life}",
                i,
            )
    if r.line.dual_licensing:
        days = (main.period_end - main.period_start).days
        if r.deployment != "datacenter" or r.action != "renew":
            log.error("R-DISC-DUAL", "dual licensing applies to Data Center renewals only", i)
        elif days > 366:
            log.error("R-DISC-DUAL", "dual licensing covers at most 12 months", i)
        else:
            log.warn(
                "R-DISC-DUAL",
                "Data Center renewal at 100% off for dual licensing while migrating to cloud",
                i,
            )


def _within_limits(ctx: PricingContext, r: ResolvedLine) -> bool:
    """R-LIM-1..3, on the highest count the line reaches (peak additions included)."""
    if r.is_app:  # an app follows its parent's count (R-LIM-4)
        return True
    peak = peak_count(r.users, r.additions)
    for limit in ctx.rules.limits:
        if (
            r.product in limit.products
            and r.deployment == limit.deployment
            and (limit.editions is None or r.edition in limit.editions)
            and peak > limit.max
        ):
            ctx.log.error(
                limit.rule, f"{r.name} allows at most {limit.max:,} per site, not {peak:,}", r.index
            )
            return False
    return True


def _check_app_tier(ctx: PricingContext, r: ResolvedLine, parent: ResolvedLine) -> None:
    """R-LIM-4: an app matches or exceeds its parent's tier (monthly: its user count)."""
    if r.is_monthly:
        mine, theirs = r.users, parent.users
    else:
        own, par = r.schedule.tier_for(r.users), parent.schedule.tier_for(parent.users)
        if own is None or par is None:
            return
        mine, theirs = own.tier_max or 10**12, par.tier_max or 10**12
    if mine < theirs:
        ctx.log.error(
            "R-LIM-4",
            f"the app must match or exceed its parent's tier "
            f"(line {parent.index}: {parent.users} users)",
            r.index,
        )
    elif mine > theirs:
        ctx.log.warn(
            "R-LIM-4",
            "apps are bought at the same tier as their parent; this one is larger",
            r.index,
        )


def _billing_experience(ctx: PricingContext) -> str:
    """R-CUR-4: given, or improved when every cloud line is on the improved engine."""
    rules = ctx.rules
    cloud = [
        line
        for line in ctx.quote.lines
        if isinstance(line, ProductLine) and line.deployment == "cloud" and not line.is_app
    ]
    return ctx.quote.billing_experience or (
        "improved"
        if all(
            line.product in rules.improved_billing_products
            and (line.edition or "standard") in rules.improved_billing_editions
            for line in cloud
        )
        else "original"
    )


def _admin_fee(
    ctx: PricingContext, resolved: list[ResolvedLine], rows: list[PricedLine]
) -> tuple[Decimal, str | None, Decimal | None]:
    """R-FEE-1: a percentage of the discounted price of the eligible lines."""
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


def _terms(
    ctx: PricingContext, resolved: list[ResolvedLine], valid_until: date
) -> tuple[Term, ...]:
    out = [Term("R-Q-3", "R-Q-3.valid_until", {"date": valid_until.isoformat()})]
    for term in ctx.rules.terms:
        if any(
            (term.app and r.is_app)
            or (
                not term.app
                and not r.is_app
                and term.deployment in (None, r.deployment)
                and term.billing in (None, r.billing)
                and (term.editions is None or r.edition in term.editions)
            )
            for r in resolved
        ):
            out.append(Term("R-Q-4", term.code, {}))
    return tuple(out)
