"""Scenarios side by side: a quote's alternatives, priced by the same core.

Each scenario is the quote file itself with a few fields changed (a dict, so choosing it
replaces the draft's dict in one step), priced with `price()`:

- billing: every cloud line monthly (one cycle), or annual (for 12 months) when the
  quote has a monthly line;
- term: 24 months (12 when every term already runs 24) on lines bought for a term;
- deployment: Data Center lines to cloud (cloud to Data Center on an all-cloud quote),
  as new purchases, where the price book has the product in the other deployment;
- next tier up: every tiered line at the size of its next tier.

A kind that would change nothing is left out. Every scenario reports its total, its total
per user per month, its warnings and errors, and its tier headroom. A scenario priced with
errors is incomplete (its lines in error are not in its total): it has no difference from
another.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from quotedesk.core import messages
from quotedesk.core.dates import add_months, days_between, full_months_between
from quotedesk.core.defaults import price_with_profile
from quotedesk.core.money import format_amount, round_money
from quotedesk.core.price_book import PriceBook
from quotedesk.core.priced import PricedLine, PricedQuote
from quotedesk.core.pricing import price
from quotedesk.core.pricing.lines import peak_count
from quotedesk.core.quotes.model import ProductLine, Quote, parse_quote
from quotedesk.core.records import ResellerProfile
from quotedesk.core.rules import RuleTables

# Fields that tie a line to the licence it renews or upgrades, or to its deployment's
# price: a line moved to the other deployment is a new purchase without them.
_LICENCE_FIELDS = (
    "action", "from_users", "current_end_date", "mode", "coterm_with", "paid_amount",
    "paid_months", "dual_licensing", "migrating_from", "sen", "site_url", "list_price",
    "override_reason", "additions",
)  # fmt: skip


class Headroom(NamedTuple):
    """Users a line's tier holds beyond those asked for (R-TIER-1: same price)."""

    line: int
    name: str
    tier: int
    units: int
    unit: str  # users, agents, creators...

    @property
    def message(self) -> str:
        """In English, for the JSON output and the CLI; the window and the PDF word it in
        their reader's language from the same codes."""
        more = self.tier - self.units
        unit = f"compare.unit.{self.unit}.{'one' if more == 1 else 'other'}"
        word = messages.text(unit) if unit in messages.catalog() else self.unit
        return messages.text(
            "R-TIER-1.headroom", tier=f"{self.tier:,}", more=f"{more:,}", unit=word
        )


class Scenario(NamedTuple):
    # as_quoted | annual | monthly | 12_months | 24_months | cloud | datacenter | next_tier
    key: str
    label: str
    quote: dict[str, Any]  # the scenario's quote file
    changed_lines: tuple[int, ...]
    priced: PricedQuote
    users: int | None  # the most units on one product line: the people licensed
    per_user_month: Decimal | None
    headroom: tuple[Headroom, ...]

    @property
    def complete(self) -> bool:
        """Priced without errors: a line in error is not in the total, so an incomplete
        total is no price of the scenario."""
        return not self.priced.errors

    def difference(self, base: Scenario) -> Decimal | None:
        """What this scenario costs more than `base` (negative: less); None when either
        total is incomplete or they are in different currencies."""
        if not (self.complete and base.complete) or self.priced.currency != base.priced.currency:
            return None
        return self.priced.total - base.priced.total

    def to_dict(self) -> dict[str, Any]:
        p = self.priced
        return {
            "key": self.key,
            "label": self.label,
            "complete": self.complete,
            "changed_lines": list(self.changed_lines),
            "currency": p.currency,
            "net_total": format_amount(p.net_total),
            "total": format_amount(p.total),
            "users": self.users,
            "per_user_month": None
            if self.per_user_month is None
            else format_amount(self.per_user_month),
            "warnings": [w.to_dict() for w in p.warnings],
            "errors": [e.to_dict() for e in p.errors],
            "headroom": [{**h._asdict(), "message": h.message} for h in self.headroom],
            "quote": self.quote,
        }


def compare(
    data: dict[str, Any],
    book: PriceBook,
    rules: RuleTables,
    today: date,
    *,
    profile: ResellerProfile | None = None,
) -> tuple[Scenario, ...]:
    """The quote as given, then each alternative that changes something, each priced as
    the draft is: with `profile`'s defaults (core.defaults) when given. Raises
    QuoteFileError when `data` is not a quote file at all."""

    def priced_as_draft(quote: Quote) -> PricedQuote:
        if profile is None:
            return price(quote, book, rules, today)
        return price_with_profile(quote, book, rules, today, profile)

    quote = parse_quote(data)
    base = priced_as_draft(quote)
    view = _View(data, quote, base, book)
    out = [_scenario("as_quoted", "As quoted", data, (), base, book, rules)]
    for build in (_billing, _term, _deployment, _next_tier):
        alternative = build(view)
        if alternative is None:
            continue
        key, label, changed = alternative
        alt_data = copy.deepcopy(data)
        for i, edit in changed.items():
            edit(alt_data["lines"][i])
        priced = priced_as_draft(parse_quote(alt_data))
        out.append(_scenario(key, label, alt_data, tuple(changed), priced, book, rules))
    return tuple(out)


Edit = Callable[[dict[str, Any]], None]
Alternative = tuple[str, str, dict[int, Edit]]


class _View:
    """The quote as priced: its lines with their main priced row, for the transforms."""

    def __init__(self, data: dict[str, Any], quote: Quote, base: PricedQuote, book: PriceBook):
        self.data, self.quote, self.book = data, quote, book
        self.currency, self.on = base.currency, base.quote_date
        self.rows: dict[int, PricedLine] = {}
        for row in base.lines:
            if row.kind == "product":
                self.rows.setdefault(row.index, row)

    def lines(self) -> Iterator[tuple[int, ProductLine, PricedLine | None]]:
        for i, (raw, line) in enumerate(zip(self.data["lines"], self.quote.lines, strict=True)):
            if isinstance(raw, dict) and isinstance(line, ProductLine):
                yield i, line, self.rows.get(i)

    def has_prices(self, product: str, deployment: str, edition: str, billing: str) -> bool:
        return self.book.has_key((product, deployment, edition, billing, self.currency))


def _billing(view: _View) -> Alternative | None:
    cloud = [
        (i, line, row)
        for i, line, row in view.lines()
        if line.deployment == "cloud" and not (line.is_app and line.billing is None)
    ]
    monthly = any((row.billing if row else line.billing) == "monthly" for _, line, row in cloud)
    target = "annual" if monthly else "monthly"
    changed: dict[int, Edit] = {}
    for i, line, row in cloud:
        current = row.billing if row else (line.billing or "annual")
        edition = (row.edition if row else line.edition) or ""
        if (
            current == target
            or (line.action or "new") not in ("new", "renew")
            or not view.has_prices(line.product, "cloud", edition, target)
        ):
            continue
        changed[i] = _to_billing(target, line)
    if not changed:
        return None
    return target, f"{target.capitalize()} billing", changed


def _to_billing(target: str, line: ProductLine) -> Edit:
    def edit(raw: dict[str, Any]) -> None:
        raw["billing"] = target
        if target == "monthly":
            raw.pop("months", None)  # a monthly line prices one cycle (R-TIER-2)
        else:
            _drop_additions(raw, line)
            if "months" in raw:  # a monthly cycle's `months: 1` is no annual term (R-TERM-1)
                raw["months"] = 12

    return edit


def _drop_additions(raw: dict[str, Any], line: ProductLine) -> None:
    """A tier is bought whole (R-TIER-1): the peak that additions reach becomes the count."""
    if raw.pop("additions", None) is not None and line.users is not None:
        raw["users"] = peak_count(line.users, line.additions)


def _term(view: _View) -> Alternative | None:
    termed = []
    for i, line, row in view.lines():
        if row is None or row.billing != "annual":
            continue
        if line.is_app:
            if line.months is not None:  # otherwise it follows its parent (R-LIM-4)
                termed.append((i, line))
            continue
        action = line.action or "new"
        mode = line.mode or ("prorate" if line.deployment == "cloud" else "new_term")
        if (action in ("new", "renew") and line.coterm_with is None) or (
            action == "upgrade" and mode == "new_term"
        ):
            termed.append((i, line))
    if not termed:
        return None
    target = 12 if all(line.months == 24 for _, line in termed) else 24
    changed = {i: _set("months", target) for i, line in termed if (line.months or 12) != target}
    return (f"{target}_months", f"{target} months", changed) if changed else None


def _set(field: str, value: object) -> Edit:
    def edit(raw: dict[str, Any]) -> None:
        raw[field] = value

    return edit


def _deployment(view: _View) -> Alternative | None:
    lines = list(view.lines())
    to_cloud = any(line.deployment == "datacenter" and not line.is_app for _, line, _ in lines)
    target = "cloud" if to_cloud else "datacenter"
    apps: dict[int, list[tuple[int, ProductLine]]] = {}
    for i, line, _row in lines:
        if line.is_app and line.parent is not None:
            apps.setdefault(line.parent, []).append((i, line))
    changed: dict[int, Edit] = {}
    for i, line, _row in lines:
        if line.is_app or line.deployment == target:
            continue
        edition = _edition_on(view, line.product, target)
        if edition is None or not all(
            any(k[4] == view.currency for k in view.book.options(app.product, target))
            for _, app in apps.get(i, ())
        ):
            continue
        changed[i] = _moved(target, edition, line)
        for j, app in apps.get(i, ()):
            changed[j] = _moved(target, None, app)
    if not changed:
        return None
    return target, "Cloud" if target == "cloud" else "Data Center", dict(sorted(changed.items()))


def _edition_on(view: _View, product: str, deployment: str) -> str | None:
    """The edition a product is bought in on `deployment`: Data Center has none (""); on
    cloud Standard, else the first paid edition with annual prices. None: not sold there."""
    if deployment == "datacenter":
        return "" if view.has_prices(product, deployment, "", "annual") else None
    editions = ("standard", "premium", "enterprise")
    return next((e for e in editions if view.has_prices(product, deployment, e, "annual")), None)


def _moved(target: str, edition: str | None, line: ProductLine) -> Edit:
    """A line (edition given) or an app line (None: it follows its parent) moved to
    `target` as a new purchase; a renewal's new licence starts when the old one ends."""

    def edit(raw: dict[str, Any]) -> None:
        if raw.get("action") == "renew" and raw.get("current_end_date"):
            raw["start_date"] = raw["current_end_date"]
        if raw.get("billing") == "monthly":
            raw.pop("months", None)
        _drop_additions(raw, line)
        for field in _LICENCE_FIELDS:
            raw.pop(field, None)
        raw["deployment"] = target
        raw.pop("billing", None)
        raw.pop("edition", None)
        if edition:
            raw["edition"] = edition
            raw["billing"] = "annual"

    return edit


def _next_tier(view: _View) -> Alternative | None:
    changed: dict[int, Edit] = {}
    for i, line, row in view.lines():
        if row is None or row.billing != "annual" or line.users is None:
            continue
        if not isinstance(row.tier, int):  # the unlimited tier has none above it
            continue
        schedule = view.book.schedule(
            (row.product, row.deployment or "", row.edition or "", "annual", view.currency),
            view.on,
        )
        # The next sized tier; an unlimited one has no size to quote.
        tiers = schedule.rows if schedule else ()
        above = [t.tier_max for t in tiers if t.tier_max and t.tier_max > row.tier]
        if above:
            changed[i] = _set("users", above[0])
    return ("next_tier", "Next tier up", changed) if changed else None


def _scenario(
    key: str,
    label: str,
    data: dict[str, Any],
    changed: tuple[int, ...],
    priced: PricedQuote,
    book: PriceBook,
    rules: RuleTables,
) -> Scenario:
    products = [row for row in priced.lines if row.kind == "product"]
    users = max(
        (row.units for row in products if row.units and not row.product.startswith("app:")),
        default=None,
    )
    months = max(
        (
            _months(row.period_start, row.period_end)
            for row in products
            if row.period_start and row.period_end
        ),
        default=None,
    )
    per_user_month = (
        round_money(priced.total / users / months, rules.places(priced.currency))
        if users and months
        else None
    )
    return Scenario(
        key, label, data, changed, priced, users, per_user_month, _headroom(priced, book)
    )


def _months(start: date, end: date) -> Decimal:
    """A period's length in months: whole months when it is one, else days × 12 / 365."""
    whole = full_months_between(start, end)
    if add_months(start, whole) == end:
        return Decimal(whole)
    return Decimal(days_between(start, end)) * 12 / 365


def _headroom(priced: PricedQuote, book: PriceBook) -> tuple[Headroom, ...]:
    out = []
    for row in priced.lines:
        if (
            row.kind == "product"
            and row.billing == "annual"
            and isinstance(row.tier, int)
            and row.units is not None
            and row.units < row.tier
        ):
            schedule = book.schedule(
                (row.product, row.deployment or "", row.edition or "", "annual", priced.currency),
                priced.quote_date,
            )
            unit = schedule.rows[0].unit if schedule else "users"
            out.append(Headroom(row.index, row.name, row.tier, row.units, unit))
    return tuple(out)
