"""Checks that price nothing: the quote's currency and reference (R-CUR-1, R-Q-1), the
program's caveats, currency per line (R-CUR-2..4), Data Center lifecycle (R-DC-EOL),
dual licensing (R-DISC-DUAL) and the per-site and app-tier limits (R-LIM-1..4)."""

import re

from quotedesk.core.pricing.context import PricingContext
from quotedesk.core.pricing.lines import Charge, ResolvedLine, peak_count
from quotedesk.core.problems import shown
from quotedesk.core.quotes.model import ProductLine

_ATLASSIAN_REF = r"AT-\d{9}"  # compiled by `re` on first use
UNLIMITED = 10**12  # an unlimited tier, compared with numbered ones


def check_quote(ctx: PricingContext) -> None:
    quote, log = ctx.quote, ctx.log
    if ctx.book.illustrative:
        log.warn("R-SAMPLE", "R-SAMPLE.illustrative")
    country = ctx.rules.quote_currency_country.get(ctx.currency)
    if country and quote.customer.country != country:
        log.error("R-CUR-1", "R-CUR-1.country", currency=ctx.currency, country=country)
    if quote.atlassian_ref and not re.fullmatch(_ATLASSIAN_REF, quote.atlassian_ref):
        log.error("R-Q-1", "R-Q-1.reference", ref=shown(quote.atlassian_ref))
    if quote.local_currency and ctx.currency != "USD":
        log.warn("R-TAX-LOCAL", "R-TAX-LOCAL.usd_only")
    if quote.program == "government":
        log.warn("R-DISC-GOV", "R-DISC-GOV.commercial")
        program = ctx.rules.programs["government"]
        if quote.customer.country == "US" and program.note_us:
            log.warn("R-DISC-GOV", program.note_us)
    elif quote.program in ctx.rules.programs:
        program = ctx.rules.programs[quote.program]
        log.warn(program.rule, program.eligibility)


def billing_experience(ctx: PricingContext) -> str:
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


def currency_allows(ctx: PricingContext, line: ProductLine, i: int, experience: str) -> bool:
    """R-CUR-2/3/4, checked before the price book so the message names the real rule."""
    if ctx.currency == "USD":  # every currency rule restricts the other currencies
        return True
    for product, deployment in ctx.rules.usd_only:
        if line.product == product and deployment in (None, line.deployment):
            ctx.log.error(
                "R-CUR-2", "R-CUR-2.usd_only", i, product=product, deployment=line.deployment
            )
            return False
    if ctx.currency == "AUD" and (line.deployment == "cloud" or line.is_app):
        ctx.log.error("R-CUR-3", "R-CUR-3.aud", i)
        return False
    if experience == "improved" and line.deployment == "cloud":
        ctx.log.error("R-CUR-4", "R-CUR-4.usd_only", i)
        return False
    return True


def within_limits(ctx: PricingContext, r: ResolvedLine) -> bool:
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
            ctx.log.error(limit.rule, limit.message, r.index, name=r.name, max=limit.max, peak=peak)
            return False
    return True


def check_line(ctx: PricingContext, r: ResolvedLine, main: Charge) -> None:
    if r.is_app and r.parent is not None and not r.users_inherited:
        _check_app_tier(ctx, r, r.parent)
    if r.deployment == "datacenter":
        _check_lifecycle(ctx, r, main)
    if r.line.dual_licensing:
        _check_dual_licensing(ctx, r, main)


def _check_lifecycle(ctx: PricingContext, r: ResolvedLine, main: Charge) -> None:
    rules, log, i = ctx.rules, ctx.log, r.index
    if ctx.quote_date >= rules.dc_no_sales_from:
        log.warn("R-DC-EOL", "R-DC-EOL.no_sales", i, date=rules.dc_no_sales_from)
    elif ctx.quote_date >= rules.dc_no_new_customers_from and r.action == "new" and not r.is_app:
        log.warn("R-DC-EOL", "R-DC-EOL.no_new_customers", i, date=rules.dc_no_new_customers_from)
    if main.period_end > rules.dc_end_of_life:
        log.error(
            "R-DC-EOL", "R-DC-EOL.after_end_of_life", i, end=main.period_end,
            date=rules.dc_end_of_life,
        )  # fmt: skip


def _check_dual_licensing(ctx: PricingContext, r: ResolvedLine, main: Charge) -> None:
    log, i = ctx.log, r.index
    days = (main.period_end - main.period_start).days
    if r.deployment != "datacenter" or r.action != "renew":
        log.error("R-DISC-DUAL", "R-DISC-DUAL.renewals_only", i)
    elif days > ctx.rules.policies.dual_licensing_max_days:
        log.error("R-DISC-DUAL", "R-DISC-DUAL.max_12_months", i)
    else:
        log.warn("R-DISC-DUAL", "R-DISC-DUAL.applied", i)


def _check_app_tier(ctx: PricingContext, r: ResolvedLine, parent: ResolvedLine) -> None:
    """R-LIM-4: an app matches or exceeds its parent's tier (monthly: its user count)."""
    if r.is_monthly:
        mine, theirs = r.users, parent.users
    else:
        own, par = r.schedule.tier_for(r.users), parent.schedule.tier_for(parent.users)
        if own is None or par is None:
            return
        mine, theirs = own.tier_max or UNLIMITED, par.tier_max or UNLIMITED
    if mine < theirs:
        ctx.log.error(
            "R-LIM-4", "R-LIM-4.app_tier_below", r.index, parent_line=parent.index,
            users=parent.users,
        )  # fmt: skip
    elif mine > theirs:
        ctx.log.warn("R-LIM-4", "R-LIM-4.app_tier_above", r.index)
