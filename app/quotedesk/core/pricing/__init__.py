"""`price()`: the pure function from a quote, a price book and the rule tables to a
priced quote. No I/O, no globals; "today" is a parameter.

Each rule family is one module, as python-stdnum keeps one module per number format:
`resolve` (product, edition, schedule), `periods` (terms and co-terms), `tiers`,
`upgrades`, `peak` (monthly lines), `migration`, `checks` (currency, lifecycle, limits),
`rows` (charges to discounted rows), `discounts`, `fees`, `taxes` (over `tax_table`, with
`taxid`'s checks), `payment`, `references` (the licence a renewal names) and `terms`;
`lines` and `context` are the values every step passes on and shares.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, localcontext

from quotedesk.core.money import ZERO
from quotedesk.core.price_book import PriceBook
from quotedesk.core.priced import PricedLine, PricedQuote
from quotedesk.core.pricing.checks import billing_experience, check_quote, currency_allows
from quotedesk.core.pricing.context import PricingContext
from quotedesk.core.pricing.fees import admin_fee
from quotedesk.core.pricing.lines import ResolvedLine
from quotedesk.core.pricing.payment import payment_methods
from quotedesk.core.pricing.periods import Periods
from quotedesk.core.pricing.references import check_licence_references
from quotedesk.core.pricing.resolve import Resolver
from quotedesk.core.pricing.rows import custom_row, product_rows
from quotedesk.core.pricing.taxes import compute_taxes, tax_base
from quotedesk.core.pricing.terms import terms, valid_until
from quotedesk.core.problems import ProblemLog
from quotedesk.core.quotes.model import CustomLine, ProductLine, Quote
from quotedesk.core.rules import RuleTables

PRECISION = 50  # significant digits of every Decimal operation while pricing

__all__ = ["price"]


def price(
    quote: Quote,
    book: PriceBook,
    rules: RuleTables,
    today: date,
    *,
    validity_days: int | None = None,
    reseller: bool = False,
) -> PricedQuote:
    """`validity_days`: the profile's, else the rule tables' default (R-Q-3). `reseller`:
    a reseller profile (a seller's name) is set, so the quote is sold through a reseller
    (R-RESELL-1)."""
    if validity_days is None:
        validity_days = rules.policies.validity_days
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
        quote, book, rules, quote_date, quote.start_date or quote_date, currency,
        rules.places(currency), log,
    )  # fmt: skip
    check_quote(ctx)
    check_licence_references(quote, log)
    experience = billing_experience(ctx)
    resolved, rows = _lines(ctx, experience, reseller)
    fee, fee_rule, fee_pct = admin_fee(ctx, resolved, rows)
    taxes = compute_taxes(ctx, tax_base(rows, fee))
    # Sums of rounded amounts; round() only fixes the scale ("0.00", not "0").
    subtotal = ctx.round(sum((row.list_price for row in rows), ZERO))
    net_total = ctx.round(sum((row.net for row in rows), ZERO))
    tax_total = ctx.round(sum((t.amount for t in taxes), ZERO))
    fee = ctx.round(fee)
    until = valid_until(ctx, today, validity_days)
    usd_rate = (
        Decimal(1)
        if currency == "USD"
        else (1 / quote.exchange_rate if quote.exchange_rate else None)
    )
    return PricedQuote(
        currency=currency,
        quote_date=quote_date,
        start_date=ctx.start_date,
        valid_until=until,
        billing_experience=experience,
        lines=tuple(rows),
        subtotal=subtotal,
        discount_total=subtotal - net_total,
        net_total=net_total,
        admin_fee=fee,
        admin_fee_rule=fee_rule,
        admin_fee_rate=fee_pct,
        taxes=tuple(taxes),
        tax_total=tax_total,
        total=net_total + fee + tax_total,
        payment_methods=payment_methods(
            resolved, currency, experience, net_total + fee, usd_rate, ctx.rules.policies.payment
        ),
        terms=terms(ctx, resolved, until),
        warnings=log.warnings,
        errors=log.errors,
        price_book=book.label,
        illustrative_prices=book.illustrative,
    )


def _lines(
    ctx: PricingContext, experience: str, reseller: bool
) -> tuple[list[ResolvedLine], list[PricedLine]]:
    """Every line's priced rows, in quote order, and the product lines as resolved."""
    program = ctx.rules.programs.get(ctx.quote.program)
    resolver = Resolver(ctx)
    periods = Periods(resolver)
    resolved: list[ResolvedLine] = []
    rows: list[PricedLine] = []
    for i, line in enumerate(ctx.quote.lines):
        if isinstance(line, CustomLine):
            rows.append(custom_row(ctx, i, line))
        elif isinstance(line, ProductLine) and currency_allows(ctx, line, i, experience):
            r = resolver.resolve(i)
            if r is None:
                continue
            resolved.append(r)
            rows += product_rows(ctx, periods, r, program)
            if reseller and r.is_monthly and r.deployment == "cloud":
                ctx.log.warn("R-RESELL-1", "R-RESELL-1.monthly_cloud", i)
    return resolved, rows
