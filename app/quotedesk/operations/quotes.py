"""Quotes: price with the reseller profile's defaults, save, sign off, revise."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple

from quotedesk.core import PriceBook, PricedQuote, Quote, RuleTables, load_rules, parse_quote
from quotedesk.core.defaults import price_with_profile
from quotedesk.core.problems import Refused
from quotedesk.core.records import ResellerProfile, StoredRevision
from quotedesk.operations.changes import OpChanges

if TYPE_CHECKING:
    from quotedesk.core.scenarios import Scenario
    from quotedesk.store import QuoteStore

# What sign-off checks a re-pricing against (R-Q-5).
PRICED_TOTALS = (
    "currency",
    "subtotal",
    "discount_total",
    "net_total",
    "admin_fee",
    "tax_total",
    "total",
)


def price_quote(
    quote: Quote,
    book: PriceBook,
    rules: RuleTables,
    today: date,
    profile: ResellerProfile | None = None,
) -> PricedQuote:
    """Price (or re-price) with the profile's validity, partner discount and reseller
    status."""
    return price_with_profile(quote, book, rules, today, profile or ResellerProfile())


def compare_scenarios(
    data: dict[str, Any],
    book: PriceBook,
    rules: RuleTables,
    today: date,
    profile: ResellerProfile | None = None,
) -> tuple[Scenario, ...]:
    """The quote's scenarios (core.scenarios), each priced as `price_quote` prices it."""
    from quotedesk.core.scenarios import compare

    return compare(data, book, rules, today, profile=profile or ResellerProfile())


class Saved(NamedTuple):
    revision: StoredRevision
    priced: PricedQuote

    @property
    def changes(self) -> OpChanges:
        return OpChanges(quotes=True, quote=self.revision.number)


class Stored(NamedTuple):
    """A revision an operation wrote, and what else that changed."""

    revision: StoredRevision
    changes: OpChanges


def save(
    store: QuoteStore,
    quote: Quote,
    book: PriceBook,
    rules: RuleTables,
    today: date,
    number: str | None = None,
) -> Saved:
    """Price `quote` with the store's profile and save it: a new quote (draft revision 1)
    without `number`, else over the draft `number` (R-Q-2 refuses a signed-off one)."""
    priced = price_quote(quote, book, rules, today, store.profile())
    if number is None:
        return Saved(store.add_quote(quote, priced, book, today=today), priced)
    return Saved(store.save_draft(number, quote, priced, book), priced)


def sign_off(
    store: QuoteStore,
    number: str,
    by: str,
    approver: str | None = None,
    *,
    require_seller: bool = False,
) -> Stored:
    """Freeze the latest draft of `number`: the store checks the sign-off rules, and
    before it commits the draft must price again to its stored totals (R-Q-5). A sale
    signed off enters the licence register."""
    rules = load_rules()

    def prices_again(
        draft: StoredRevision, book: PriceBook | None, profile: ResellerProfile
    ) -> None:
        """R-Q-5: what is signed off is a quote file that prices to its stored totals with
        its stored price book and the profile's defaults (the profile's partner discount
        may have changed since it was saved)."""
        if book is None:
            raise Refused(
                f"{draft.label} was priced with {draft.price_book}, which this database does "
                "not have; save it again with a price book before signing off",
                "R-Q-5",
            )
        saved = draft.priced
        on = date.fromisoformat(saved["quote_date"])
        again = price_quote(parse_quote(draft.quote_file, draft.label), book, rules, on, profile)
        repriced = again.to_dict()
        changed = [name for name in PRICED_TOTALS if repriced[name] != saved[name]]
        if changed or repriced["errors"]:
            raise Refused(
                f"{draft.label}: its stored quote file prices to a total of "
                f"{repriced['currency']} {repriced['total']} with {book.label}, not the stored "
                f"{saved['currency']} {saved['total']}; open and save it again before signing off",
                "R-Q-5",
            )

    revision = store.sign_off(
        number, by, approver, require_seller=require_seller, confirm=prices_again
    )
    return Stored(revision, OpChanges(quotes=True, licences=True, quote=revision.number))


def revise(store: QuoteStore, number: str) -> Stored:
    """Copy the latest signed-off revision of `number` to a new draft (R-Q-2)."""
    revision = store.revise(number)
    return Stored(revision, OpChanges(quotes=True, quote=revision.number))
