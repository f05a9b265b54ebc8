"""Fees and taxes by the customer's sold-to location (R-FEE-*, R-TAX-*).

A generic engine over the tax-component table (`core/pricing/tax_table.py`): it knows no country.
Each tax line is rounded half-up on its own.
"""

from collections.abc import Sequence
from decimal import Decimal
from typing import Any, NamedTuple

from quotedesk.core.messages import text
from quotedesk.core.money import ZERO, percent_of, round_money
from quotedesk.core.priced import PricedLine, TaxLine, read_tax
from quotedesk.core.pricing.context import PricingContext
from quotedesk.core.pricing.tax_table import TaxComponent, rate_on
from quotedesk.core.pricing.taxid import check_tax_id


class TaxBase(NamedTuple):
    """What taxes may apply to: the taxable lines and the administration fee (R-FEE-2)."""

    lines: tuple[PricedLine, ...]
    admin_fee: Decimal


def tax_base(lines: Sequence[PricedLine], admin_fee: Decimal) -> TaxBase:
    return TaxBase(tuple(line for line in lines if line.taxable), admin_fee)


def tax_name(label: str, estimated: bool, language: str = "en") -> str:
    """A tax line's name in `language`: its label, marked when the rate is an estimate."""
    name = text(label, language)
    return text("tax.estimated", language, tax=name) if estimated else name


def tax_texts(tax: dict[str, Any], language: str) -> tuple[str, str | None]:
    """A saved priced tax line's name and exemption reason in `language`."""
    return tax_line_texts(read_tax(tax), language)


def tax_line_texts(tax: TaxLine, language: str) -> tuple[str, str | None]:
    """A tax line's name and exemption reason in `language`. A quote priced before tax
    lines had label codes keeps its English texts."""
    if not tax.label:
        return tax.name, tax.exempt_reason
    reason = None
    if tax.exempt_code is not None:
        reason = text(tax.exempt_code, language, **dict(tax.exempt_params))
    return tax_name(tax.label, tax.estimated, language), reason


class _Where(NamedTuple):
    country: str
    sold_to: str  # subdivision codes without the country prefix ("" when not given)
    ship_to: str
    city: str


def compute_taxes(ctx: PricingContext, base: TaxBase) -> list[TaxLine]:
    customer, table = ctx.quote.customer, ctx.rules.taxes
    if customer.country is None:
        _warn(ctx, "R-INPUT.tax_country_missing")
        return []
    country = customer.country
    sold_to = _subdivision(customer.subdivision, country)
    where = _Where(
        country,
        sold_to,
        _subdivision(customer.ship_to_subdivision, country) or sold_to,
        (customer.city or "").strip().lower(),
    )
    needed = table.subdivision_needed.get(country)
    if needed and needed.missing and not sold_to:
        _warn(ctx, needed.missing)
        return []
    components = [c for c in table.components if c.country == country]
    known = set().union(*(c.subdivisions or () for c in components))
    if needed and needed.unknown and sold_to not in known:
        _warn(ctx, needed.unknown)
        return []
    in_force = [
        (c, pct)
        for c in components
        if _located(c, where) and (pct := rate_on(c.rates, ctx.quote_date)) is not None
    ]
    taxes = []
    for component, pct in in_force:
        lines, fee = _covered(ctx, component, base)
        replacers = [c for c, _ in in_force if component.rule in c.instead_of]
        for other in replacers:
            taken, fee_taken = _covered(ctx, other, base)
            lines = [line for line in lines if all(line is not t for t in taken)]
            fee = fee and not fee_taken
        amount = sum((line.net for line in lines), base.admin_fee if fee else ZERO)
        if replacers and not amount:
            continue  # another component taxes all of it instead
        taxes.append(_tax_line(ctx, component, where, pct, amount))
    return [_with_local_amount(ctx, tax) for tax in taxes]


def _located(c: TaxComponent, where: _Where) -> bool:
    subdivision = where.ship_to if c.located_by == "ship_to" else where.sold_to
    if c.subdivisions is not None and subdivision not in c.subdivisions:
        return False
    return c.city is None or c.city.lower() == where.city


def _covered(ctx: PricingContext, c: TaxComponent, base: TaxBase) -> tuple[list[PricedLine], bool]:
    """The taxable lines `c` applies to, and whether the administration fee is in its base."""
    not_yet = {product for product, since in c.products_from if ctx.quote_date < since}
    lines = [
        line
        for line in base.lines
        if (c.deployments is None or line.deployment in c.deployments)
        and line.product not in not_yet
    ]
    return lines, c.admin_fee


def _tax_line(
    ctx: PricingContext, c: TaxComponent, where: _Where, pct: Decimal, base: Decimal
) -> TaxLine:
    subdivision = where.ship_to if c.located_by == "ship_to" else where.sold_to
    jurisdiction = {
        "country": where.country,
        "subdivision": f"{where.country}-{subdivision}",
        "city": f"{where.country}-{subdivision}-{c.city}",
    }[c.level]
    base = max(base, ZERO)  # a credit larger than the charges never makes tax negative
    exempt = _exemption(ctx, c)
    name = tax_name(c.label, c.estimated)
    if exempt is not None:
        code, params = exempt
        return TaxLine(
            name,
            jurisdiction,
            c.rule,
            ZERO,
            base,
            ZERO,
            c.estimated,
            text(code, "en", **params),
            label=c.label,
            exempt_code=code,
            exempt_params=tuple(params.items()),
        )
    amount = round_money(percent_of(base, pct), ctx.places)
    return TaxLine(name, jurisdiction, c.rule, pct, base, amount, c.estimated, label=c.label)


def _exemption(ctx: PricingContext, c: TaxComponent) -> tuple[str, dict[str, str]] | None:
    """Why `c` is not charged (a text code and its parameters), or None."""
    customer = ctx.quote.customer
    if c.exempt_reason and c.exempt_if & set(customer.exemptions):
        return c.exempt_reason, {}
    if c.tax_id and c.tax_id_reason and customer.tax_id:
        check = check_tax_id(c.tax_id, customer.tax_id, c.country)
        if check.valid:
            return c.tax_id_reason, {"kind": check.kind, "number": check.reason}
        _warn(ctx, f"{c.rule}.tax_id_invalid", kind=check.kind, reason=check.reason)
    return None


def _warn(ctx: PricingContext, code: str, **params: object) -> None:
    """A warning under the rule its code starts with (`R-TAX-US.state_missing`)."""
    ctx.log.warn(code.split(".", 1)[0], code, None, **params)


def _subdivision(value: str | None, country: str) -> str:
    """Accept "BC" as well as ISO 3166-2 "CA-BC"."""
    code = (value or "").strip().upper()
    return code.removeprefix(f"{country}-")


def _with_local_amount(ctx: PricingContext, tax: TaxLine) -> TaxLine:
    """R-TAX-LOCAL: the tax in the customer's currency, at the quote's stated rate."""
    quote = ctx.quote
    if (
        ctx.currency not in ctx.rules.taxes.local_quote_currencies
        or not quote.local_currency
        or quote.exchange_rate is None
    ):
        return tax
    places = ctx.rules.places(quote.local_currency)
    local = round_money(tax.amount * quote.exchange_rate, places)
    return tax._replace(
        local_currency=quote.local_currency, local_amount=local, exchange_rate=quote.exchange_rate
    )
