"""The values a product line passes through while it is priced: resolved (defaults and its
parent's term filled in, its price-book schedule found), given a period, then charged as
one main row plus its charge rows (credits, peak additions), all before discounts.

The rules that produce them live in `quotedesk.core.pricing`, one module per rule family.
"""

from datetime import date
from decimal import Decimal
from typing import NamedTuple

from quotedesk.core.price_book import PriceRow, Schedule
from quotedesk.core.problems import Message
from quotedesk.core.quotes.model import Addition, ProductLine

DAYS_PER_YEAR = Decimal(365)


class ResolvedLine(NamedTuple):
    index: int  # type: ignore[assignment]  # the quote line's index; shadows tuple.index
    line: ProductLine
    product: str
    deployment: str
    billing: str
    edition: str
    users: int
    users_inherited: bool
    months: int | None
    start: date
    action: str
    from_users: int | None
    current_end: date | None
    mode: str | None
    coterm_with: int | None
    additions: tuple[Addition, ...]
    family: str  # the product, or the parent line's product for an app (Confluence apps)
    parent: "ResolvedLine | None"
    schedule: Schedule
    name: str
    is_app: bool

    @property
    def is_monthly(self) -> bool:
        return self.billing == "monthly"


class Charge(NamedTuple):
    """A priced row before discounts."""

    kind: str  # product | upgrade_credit | migration_credit | peak_addition
    name: str
    tier: int | str | None
    units: int | None
    period_start: date
    period_end: date
    list_price: Decimal
    book_price: Decimal | None
    basis: str
    # Upgrade credits valued at list price get the program and partner discounts the
    # customer had; credits of what was actually paid get none.
    discountable: bool = True
    manual_discount: bool = True


class Period(NamedTuple):
    start: date
    end: date
    months: int | None  # None when priced by days (co-term)


def peak_count(users: int, additions: tuple[Addition, ...]) -> int:
    """The highest running count a line reaches through its additions."""
    count = peak = users
    for change in additions:
        count += change.users
        peak = max(peak, count)
    return peak


def tier_label(row: PriceRow) -> int | str:
    return "unlimited" if row.tier_max is None else row.tier_max


def tier_said(row: PriceRow) -> int | Message:
    """The tier as a message names it: its size, or "unlimited" in the reader's language."""
    return Message("R-TIER-1.unlimited", {}) if row.tier_max is None else row.tier_max


def display_name(book_name: str, deployment: str, edition: str) -> str:
    """The row's own name, with its deployment unless the name already says it ("Jira" →
    "Jira Cloud Standard"; a Data Center row named "Jira Data Center" stays as it is)."""
    where = "Cloud" if deployment == "cloud" else "Data Center"
    name = book_name if where in book_name else f"{book_name} {where}"
    return f"{name} {edition.capitalize()}" if edition else name
