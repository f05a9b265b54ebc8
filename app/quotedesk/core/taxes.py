"""Fees and taxes by the customer's sold-to location (R-FEE-*, R-TAX-*).

All rates come from the rule tables; each tax line is rounded half-up on its own.
"""

from collections.abc import Sequence
from decimal import Decimal
from typing import NamedTuple

from quotedesk.core.context import PricingContext
from quotedesk.core.money import ZERO, percent_of, round_money
from quotedesk.core.priced import PricedLine, TaxLine
from quotedesk.core.rules import RateHistory, rate_on
from quotedesk.core.taxid import check_tax_id


class TaxBase(NamedTuple):
    """Taxable amounts, split where a jurisdiction taxes cloud lines differently."""

    total: Decimal  # taxable lines + the administration fee (R-FEE-2)
    cloud: Decimal  # taxable cloud lines (Chicago lease tax)
    trello: Decimal  # Trello cloud lines (lease tax only from its own start date)


def tax_base(lines: Sequence[PricedLine], admin_fee: Decimal) -> TaxBase:
    taxable = [line for line in lines if line.taxable]
    cloud = [line for line in taxable if line.deployment == "cloud"]
    return TaxBase(
        total=sum((line.net for line in taxable), admin_fee),
        cloud=sum((line.net for line in cloud), ZERO),
        trello=sum((line.net for line in cloud if line.product == "trello"), ZERO),
    )


def compute_taxes(ctx: PricingContext, base: TaxBase) -> list[TaxLine]:
    country = ctx.quote.customer.country
    if country is None:
        ctx.log.warn("R-INPUT", "the customer's country is missing: no tax is computed")
        return []
    if country == "US":
        taxes = _us(ctx, base)
    elif country == "CA":
        taxes = _canada(ctx, base.total)
    elif country in ctx.rules.country_taxes:
        taxes = _country(ctx, base.total)
    else:
        taxes = []
    return [_with_local_amount(ctx, tax) for tax in taxes]


def _line(
    ctx: PricingContext,
    name: str,
    where: str,
    rule: str,
    pct: Decimal,
    base: Decimal,
    *,
    estimated: bool = False,
    exempt_reason: str | None = None,
) -> TaxLine:
    base = max(base, ZERO)  # a credit larger than the charges never makes tax negative
    if exempt_reason is not None:
        return TaxLine(name, where, rule, ZERO, base, ZERO, estimated, exempt_reason)
    amount = round_money(percent_of(base, pct), ctx.places)
    return TaxLine(name, where, rule, pct, base, amount, estimated)


def _exempt(ctx: PricingContext, keys: str | frozenset[str] | None) -> bool:
    if keys is None:
        return False
    wanted = {keys} if isinstance(keys, str) else keys
    return bool(wanted & set(ctx.quote.customer.exemptions))


def _country(ctx: PricingContext, base: Decimal) -> list[TaxLine]:
    customer = ctx.quote.customer
    assert customer.country is not None
    table = ctx.rules.country_taxes[customer.country]
    pct = rate_on(table.rates, ctx.quote_date)
    if pct is None:
        return []
    reason = None
    if _exempt(ctx, table.exemption):
        reason = "exemption documents on file"
    elif table.tax_id and customer.tax_id:
        check = check_tax_id(table.tax_id, customer.tax_id, customer.country)
        if check.valid:
            reason = (
                f"reverse charge: valid {check.kind} {check.reason}"
                if table.tax_id == "eu"
                else f"valid {check.kind} {check.reason} provided"
            )
        else:
            ctx.log.warn(
                table.rule, f"{check.kind} not valid ({check.reason}): {table.name} is charged"
            )
    return [_line(ctx, table.name, customer.country, table.rule, pct, base, exempt_reason=reason)]


def _canada(ctx: PricingContext, base: Decimal) -> list[TaxLine]:
    """R-TAX-CA: GST/HST by province, plus PST (ship-to province) and QST, same base."""
    rules, customer, on = ctx.rules, ctx.quote.customer, ctx.quote_date
    province = _subdivision(customer.subdivision, "CA")
    if province not in rules.ca_gst_hst:
        ctx.log.warn("R-TAX-CA", "the customer's province is missing or unknown: no tax computed")
        return []
    out = []
    name, history = rules.ca_gst_hst[province]
    pct = rate_on(history, on)
    if pct is not None:
        where = "CA" if name == "GST" else f"CA-{province}"
        out.append(_line(ctx, name, where, "R-TAX-CA", pct, base))
    pst_province = _subdivision(customer.ship_to_subdivision, "CA") or province
    for tax, table, territory in (
        ("PST", rules.ca_pst, pst_province),
        ("QST", rules.ca_qst, province),
    ):
        out += _provincial(ctx, tax, table, territory, base)
    return out


def _provincial(
    ctx: PricingContext, tax: str, table: dict[str, RateHistory], province: str, base: Decimal
) -> list[TaxLine]:
    pct = rate_on(table[province], ctx.quote_date) if province in table else None
    if pct is None:
        return []
    reason = f"{tax} number on file" if _exempt(ctx, tax.lower()) else None
    return [_line(ctx, tax, f"CA-{province}", "R-TAX-CA", pct, base, exempt_reason=reason)]


def _us(ctx: PricingContext, base: TaxBase) -> list[TaxLine]:
    """R-TAX-US (estimated state rates) and R-TAX-CHI (Chicago lease tax on cloud lines)."""
    rules, customer, on = ctx.rules, ctx.quote.customer, ctx.quote_date
    state = _subdivision(customer.subdivision, "US")
    if not state:
        ctx.log.warn("R-TAX-US", "the customer's state is missing: no sales tax estimated")
        return []
    reason = "exemption certificate on file" if _exempt(ctx, rules.us_exemptions) else None
    state_base = base.total
    out = []
    chicago_pct = rate_on(rules.chicago_rates, on)
    in_chicago = state == "IL" and (customer.city or "").strip().lower() == "chicago"
    if in_chicago and chicago_pct is not None:
        leased = base.cloud - (base.trello if on < rules.chicago_trello_from else ZERO)
        state_base -= leased
        out.append(
            _line(
                ctx,
                "Chicago lease transaction tax",
                "US-IL-Chicago",
                "R-TAX-CHI",
                chicago_pct,
                leased,
                exempt_reason=reason,
            )
        )
    since, pct = rules.us_states.get(state, (None, None))
    if since is not None and pct is not None and on >= since and (state_base or not out):
        out.insert(
            0,
            _line(
                ctx,
                "Sales tax (estimated)",
                f"US-{state}",
                "R-TAX-US",
                pct,
                state_base,
                estimated=True,
                exempt_reason=reason,
            ),
        )
    return out


def _subdivision(value: str | None, country: str) -> str:
    """Accept "BC" as well as ISO 3166-2 "CA-BC"."""
    code = (value or "").strip().upper()
    return code.removeprefix(f"{country}-")


def _with_local_amount(ctx: PricingContext, tax: TaxLine) -> TaxLine:
    """R-TAX-LOCAL: the tax in the customer's currency, at the quote's stated rate."""
    quote = ctx.quote
    if ctx.currency != "USD" or not quote.local_currency or quote.exchange_rate is None:
        return tax
    places = ctx.rules.places(quote.local_currency)
    local = round_money(tax.amount * quote.exchange_rate, places)
    return TaxLine(
        tax.name,
        tax.jurisdiction,
        tax.rule,
        tax.rate,
        tax.base,
        tax.amount,
        tax.estimated,
        tax.exempt_reason,
        quote.local_currency,
        local,
        quote.exchange_rate,
    )
