"""Terms (R-Q-3, R-Q-4): how long the quote is valid, and the terms its lines bring."""

from datetime import date

from quotedesk.core.priced import Term
from quotedesk.core.pricing.context import PricingContext
from quotedesk.core.pricing.lines import ResolvedLine
from quotedesk.core.quotes.validity import is_expired
from quotedesk.core.quotes.validity import valid_until as last_valid_day


def valid_until(ctx: PricingContext, today: date, validity_days: int) -> date:
    """The last day the quote is valid, with a warning when that day has passed."""
    until = last_valid_day(ctx.quote_date, validity_days)
    if is_expired(until, today):
        ctx.log.warn("R-Q-3", "R-Q-3.expired", date=until, days=validity_days)
    return until


def terms(ctx: PricingContext, resolved: list[ResolvedLine], until: date) -> tuple[Term, ...]:
    out = [Term("R-Q-3", "R-Q-3.valid_until", {"date": until.isoformat()})]
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
