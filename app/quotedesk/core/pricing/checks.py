"""Checks that price nothing: the quote's currency and reference (R-CUR-1, R-Q-1), the
program's caveats, currency per line (R-CUR-2..4), Data Center lifecycle (R-DC-EOL),
dual licensing (R-DISC-DUAL) and the per-site and app-tier limits (R-LIM-1..4)."""

import re

from quotedesk.core.context import PricingContext
from quotedesk.core.lines import Charge, ResolvedLine, peak_count
from quotedesk.core.quote import ProductLine

_ATLASSIAN_REF = re.compile(r"AT-\d{9}")
DUAL_LICENSING_MAX_DAYS = 366  # R-DISC-DUAL: at most 12 months (a leap year's included)
UNLIMITED = 10**12  # an unlimited tier, compared with numbered ones


def check_quote(ctx: PricingContext) -> None:
    quote, log = ctx.quote, ctx.log
    if ctx.book.illustrative:
        log.warn("R-SAMPLE", "priced with the illustrative sample price book: not real prices")
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
            ctx.log.error("R-CUR-2", f"orders with {product} {line.deployment} are in USD only", i)
            return False
    if ctx.currency == "AUD" and (line.deployment == "cloud" or line.is_app):
        ctx.log.error(
            "R-CUR-3", "orders with cloud products or Marketplace apps are never in AUD", i
        )
        return False
    if experience == "improved" and line.deployment == "cloud":
        ctx.log.error(
            "R-CUR-4", "the improved billing experience settles cloud orders in USD only", i
        )
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
            ctx.log.error(
                limit.rule, f"{r.name} allows at most {limit.max:,} per site, not {peak:,}", r.index
            )
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
        log.warn("R-DC-EOL", f"Data Center is not sold from {rules.dc_no_sales_from}", i)
    elif ctx.quote_date >= rules.dc_no_new_customers_from and r.action == "new" and not r.is_app:
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


def _check_dual_licensing(ctx: PricingContext, r: ResolvedLine, main: Charge) -> None:
    log, i = ctx.log, r.index
    days = (main.period_end - main.period_start).days
    if r.deployment != "datacenter" or r.action != "renew":
        log.error("R-DISC-DUAL", "dual licensing applies to Data Center renewals only", i)
    elif days > DUAL_LICENSING_MAX_DAYS:
        log.error("R-DISC-DUAL", "dual licensing covers at most 12 months", i)
    else:
        log.warn(
            "R-DISC-DUAL",
            "Data Center renewal at 100% off for dual licensing while migrating to cloud",
            i,
        )


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
