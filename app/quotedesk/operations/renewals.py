"""Renewal quotes: one draft per customer for the licences chosen in the register."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING, NamedTuple

from quotedesk.core import PriceBook, RuleTables, parse_quote
from quotedesk.core.money import format_amount
from quotedesk.core.records import StoredRevision
from quotedesk.operations.changes import OpChanges
from quotedesk.operations.quotes import price_quote

if TYPE_CHECKING:
    from quotedesk.core.renewals import Licence, Renewal
    from quotedesk.store import QuoteStore


class Renewed(NamedTuple):
    made: list[tuple[Renewal, StoredRevision]]  # each plan and the draft saved for it
    changes: OpChanges


def renew(
    store: QuoteStore,
    licences: Sequence[Licence],
    book: PriceBook,
    rules: RuleTables,
    today: date,
    coterm: date | None = None,
    step: Callable[[int, int], bool] | None = None,
) -> Renewed:
    """Save one draft renewal quote per customer (core.renewals plans them), priced as
    `save` prices a quote: with `book` as in force on `today` and the store's profile, so
    the list, the editor and sign-off's re-pricing (R-Q-5) agree. Each line that cost
    something else in the licence's last period records that price as `was_list_price`.
    `step(done, total)` is told of each quote saved and stops the run when it returns
    False (the quotes saved so far stay)."""
    from quotedesk.core.renewals import build_renewals, was_prices

    plans = build_renewals(licences, today, rules.core_products, coterm)
    profile = store.profile()
    made: list[tuple[Renewal, StoredRevision]] = []
    for plan in plans:
        if step is not None and not step(len(made), len(plans)):
            break
        priced = price_quote(parse_quote(plan.quote, plan.customer), book, rules, today, profile)
        current = {line.index: line.list_price for line in priced.lines if line.kind == "product"}
        for i, amount in was_prices(plan.quote, current, book, rules).items():
            plan.quote["lines"][i]["was_list_price"] = format_amount(amount)
        # The same quote, now as stored: a "was" price is shown, never priced.
        quote = parse_quote(plan.quote, plan.customer)
        made.append((plan, store.add_quote(quote, priced, book, today=today)))
    if step is not None and len(made) == len(plans):
        step(len(made), len(plans))
    return Renewed(made, OpChanges(quotes=bool(made)))
