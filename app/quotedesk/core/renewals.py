"""Renewal quotes for licences in the register, without Qt or SQLite.

One draft per customer: every licence becomes an `action: renew` line that starts at the
licence's end date (R-TERM-2) and names the licence it renews (R-RESELL-2). Where the
rules allow it (R-TERM-3/4) the term lines of one deployment co-term with one *anchor*: a
core product renewed for 12 to 24 months. Without a date asked for, the anchor is the
core licence ending last, renewed for 12 months; with `coterm`, the core licence that a
whole number of months from 12 to 24 brings exactly to that date.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from quotedesk.core.dates import add_months
from quotedesk.core.price_book import PriceBook
from quotedesk.core.pricing import price
from quotedesk.core.pricing.periods import term_months
from quotedesk.core.quotes.model import parse_quote
from quotedesk.core.rules import RuleTables, load_rules

# The months a licence's last period ran, for its "was" price (the register holds only
# its end date; licences are sold in annual terms).
LAST_PERIOD_MONTHS = 12


class Licence(NamedTuple):
    """One row of the licence register. `licence` is the SEN (Data Center) or the site
    URL (cloud); "" for a licence sold on a quote that named neither yet."""

    licence: str
    product: str
    deployment: str
    edition: str  # "" for Data Center
    billing: str  # annual | monthly
    users: int
    end_date: date
    customer: str
    country: str
    subdivision: str = ""
    id: int | None = None  # the register's row id

    @property
    def customer_key(self) -> tuple[str, str, str]:
        return (self.customer, self.country, self.subdivision)


class Renewal(NamedTuple):
    """A renewal quote to be made: its quote file and the licences it renews, in the
    order of its lines. `coterm` maps a deployment to the end date its term lines
    share; `separate` lists the licences left out of that because a rule forbids it."""

    customer: str
    quote: dict[str, Any]
    licences: tuple[Licence, ...]
    coterm: dict[str, date]
    separate: tuple[Licence, ...]


def build_renewals(
    licences: Iterable[Licence],
    today: date,
    core_products: frozenset[str],
    coterm: date | None = None,
) -> list[Renewal]:
    """One Renewal per customer (name, country, subdivision), in order of first mention."""
    by_customer: dict[tuple[str, str, str], list[Licence]] = {}
    for licence in licences:
        by_customer.setdefault(licence.customer_key, []).append(licence)
    return [_renewal(group, today, core_products, coterm) for group in by_customer.values()]


def _renewal(
    group: list[Licence], today: date, core_products: frozenset[str], coterm: date | None
) -> Renewal:
    ordered = sorted(group, key=lambda x: (x.deployment, x.end_date, x.product, x.licence))
    lines = [_line(licence) for licence in ordered]
    shared: dict[str, date] = {}
    separate: list[Licence] = []
    for deployment in ("cloud", "datacenter"):
        term = [
            i for i, x in enumerate(ordered)
            if x.deployment == deployment and x.billing == "annual"
        ]  # fmt: skip
        anchor = _anchor([ordered[i] for i in term], core_products, coterm)
        if anchor is None:
            if coterm is not None:
                separate += [ordered[i] for i in term]
            continue
        a = ordered.index(anchor[0])
        end = add_months(anchor[0].end_date, anchor[1])
        lines[a]["months"] = anchor[1]
        joined = False
        for i in term:
            start = ordered[i].end_date
            if i == a:
                continue
            if start < end <= add_months(start, 24):  # R-TERM-3
                lines[i]["coterm_with"] = a
                joined = True
            else:
                separate.append(ordered[i])
        if joined or coterm is not None:
            shared[deployment] = end
    _attach_apps(ordered, lines)
    first = ordered[0]
    quote = {
        "schema": 1,
        "quote_date": today.isoformat(),
        "customer": {
            "name": first.customer,
            "country": first.country,
            "subdivision": first.subdivision or None,
        },
        "lines": lines,
    }
    return Renewal(first.customer, quote, tuple(ordered), shared, tuple(separate))


def _anchor(
    term: Sequence[Licence], core_products: frozenset[str], coterm: date | None
) -> tuple[Licence, int] | None:
    """The core licence the others co-term with, and its renewal's months."""
    cores = [x for x in term if x.product in core_products]
    if coterm is None:
        return (max(cores, key=lambda x: x.end_date), 12) if cores else None
    for licence in cores:
        for months in term_months(load_rules().policies):
            if add_months(licence.end_date, months) == coterm:
                return licence, months
    return None


def _line(licence: Licence) -> dict[str, Any]:
    line: dict[str, Any] = {"product": licence.product, "deployment": licence.deployment}
    if licence.deployment == "cloud":
        line["edition"] = licence.edition
        line["billing"] = licence.billing
    line["users"] = licence.users
    line["action"] = "renew"
    line["current_end_date"] = licence.end_date.isoformat()
    if licence.licence:  # R-RESELL-2
        line["sen" if licence.deployment == "datacenter" else "site_url"] = licence.licence
    return line


def _attach_apps(ordered: list[Licence], lines: list[dict[str, Any]]) -> None:
    """R-LIM-4: an app line names a parent; the register does not say which product an
    app runs on, so it is the first product of its deployment on the quote."""
    for i, licence in enumerate(ordered):
        if licence.product.startswith("app:"):
            parent = next(
                (
                    j for j, x in enumerate(ordered)
                    if x.deployment == licence.deployment and not x.product.startswith("app:")
                ),
                None,
            )  # fmt: skip
            if parent is not None:
                lines[i]["parent"] = parent


def was_prices(
    quote: dict[str, Any], current: dict[int, Decimal], book: PriceBook, rules: RuleTables
) -> dict[int, Decimal]:
    """The list price each renewal line had in the licence's last period: the same line
    priced with the book's prices in force when that period began (its end date less
    LAST_PERIOD_MONTHS). Only lines whose price differs from `current` (index -> list
    price now) are returned; a line the older prices cannot price has no "was"."""
    by_date: dict[date, list[int]] = {}
    for i, line in enumerate(quote["lines"]):
        end = line.get("current_end_date")
        if line.get("action") == "renew" and isinstance(end, str) and i in current:
            began = add_months(date.fromisoformat(end), -LAST_PERIOD_MONTHS)
            by_date.setdefault(began, []).append(i)
    was: dict[int, Decimal] = {}
    for began, indexes in by_date.items():
        earlier = parse_quote({**quote, "quote_date": began.isoformat()}, "renewal")
        priced = price(earlier, book, rules, began)
        failed = {p.line for p in priced.errors}
        old = {
            line.index: line.list_price
            for line in priced.lines
            if line.kind == "product" and line.index not in failed
        }
        for i in indexes:
            if i in old and old[i] != current[i]:
                was[i] = old[i]
    return was


def was_price(quote_file: Mapping[str, Any], index: int) -> Decimal | None:
    """The "was" list price a renewal line records, None when it has none (or a bad one)."""
    lines = quote_file.get("lines")
    line = lines[index] if isinstance(lines, list) and 0 <= index < len(lines) else None
    value = line.get("was_list_price") if isinstance(line, dict) else None
    try:
        return Decimal(value) if isinstance(value, str) else None
    except ArithmeticError:
        return None
