"""How a quote file's lines change as a person edits them: the fields each line has, the
values each picker offers, the defaults a line takes when its product, deployment or
billing changes, and the references between lines (an app's `parent`, `coterm_with`)
kept pointing at the same lines when lines are added or removed.

A window edits through these rules (and undoes by keeping the lines before and after);
they work on the quote file's own dicts and lists and never change what they are given.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any, NamedTuple

from quotedesk.core.deployment import CLOUD, DATACENTER, DEPLOYMENTS, fixed_terms
from quotedesk.core.price_book import Key, PriceBook
from quotedesk.core.quotes.model import ACTIONS, EDITIONS

# Whole numbers in the quote file: the editor's text for them becomes an int.
INT_KEYS = frozenset({"users", "months", "quantity", "from_users", "parent", "coterm_with"})
# A new quote's first line when the quote has no product line to copy.
FIRST_PRODUCT, FIRST_USERS, FIRST_MONTHS = "jira", 10, 12
# A line moved to annual billing runs 12 months (R-TERM-1's shortest new term).
ANNUAL_MONTHS = 12
# The fields every product line has (fields_of adds those its deployment, action and
# product call for) and those of a custom line.
PRODUCT_FIELDS = frozenset(
    {"product", "deployment", "users", "months", "action", "discount_pct", "list_price",
     "override_reason"}
)  # fmt: skip
CUSTOM_FIELDS = frozenset({"custom", "quantity", "discount_pct", "unit_price", "taxable"})


def new_quote(today: date, currency: str = "USD") -> dict[str, Any]:
    """An empty quote file dated `today`."""
    return {
        "schema": 1,
        "quote_date": today.isoformat(),
        "start_date": today.isoformat(),
        "currency": currency,
        "customer": {"name": ""},
        "lines": [],
    }


def country_change(customer: Any, code: str | None) -> dict[tuple[str, ...], Any]:
    """The quote fields a new customer country sets (path -> value, None removes it): the
    country, and no more state or province of the former country."""
    changes: dict[tuple[str, ...], Any] = {("customer", "country"): code}
    if (
        isinstance(customer, Mapping)
        and customer.get("subdivision")
        and customer.get("country") != code
    ):
        changes["customer", "subdivision"] = None
    return changes


def is_app(line: Any) -> bool:
    return isinstance(line, Mapping) and str(line.get("product", "")).startswith("app:")


def takes_apps(line: Any) -> bool:
    """A line an app may name as its parent: a product line that is no app itself."""
    return isinstance(line, Mapping) and not str(line.get("product", "app:")).startswith("app:")


def fields_of(line: Any) -> frozenset[str]:
    """The fields a person edits on this line; none for a line that is not an object.
    Data Center fixes edition and billing; the licence a change applies to is named by
    its SEN on Data Center, its site on cloud (R-RESELL-2); only an app names a parent."""
    if not isinstance(line, Mapping):
        return frozenset()
    if "custom" in line:
        return CUSTOM_FIELDS
    deployment = line.get("deployment")
    action = line.get("action") or "new"
    return _product_fields(
        deployment if deployment in DEPLOYMENTS else None,
        action if action in ACTIONS else "",
        is_app(line),
    )


@cache  # the line table asks for every cell it paints
def _product_fields(deployment: str | None, action: str, app: bool) -> frozenset[str]:
    fields = set(PRODUCT_FIELDS)
    if not fixed_terms(deployment):
        fields |= {"edition", "billing"}
    if action in ("upgrade", "downgrade"):
        fields.add("from_users")
    if action != "new":
        fields.add("current_end_date")
    if action == "upgrade":
        fields.add("mode")
    if deployment == DATACENTER:
        fields.add("sen")
    elif deployment == CLOUD:
        fields.add("site_url")
    if app:
        fields.add("parent")
    return frozenset(fields)


def clean_value(key: str, value: Any) -> Any:
    """An editor's value as the quote file spells it: text stripped, whole numbers as
    ints and amounts as decimal strings (never floats), empty as absent (None)."""
    if isinstance(value, str):
        value = value.strip()
        if value == "":
            return None
        if key in INT_KEYS and value.lstrip("-").isdigit():
            return int(value)
        return value
    if isinstance(value, float):
        raise TypeError(f"{key}: a float never enters a quote (got {value!r})")
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (list, tuple)):
        return list(value) or None
    return value


class PriceBookChoices:
    """What a price book sells on a date: the values each picker of a line offers."""

    def __init__(self, book: PriceBook, on: date) -> None:
        self.book, self.on = book, on
        self._asked: dict[tuple[str, ...], tuple[str, ...]] = {}

    def products(self) -> tuple[str, ...]:
        """Every product with a price on the date, by name (the book's, case folded)."""
        if ("product",) not in self._asked:
            every = self.book.keys()
            sold = [k for k in every if self.book.schedule(k, self.on) is not None]
            names = {k[0]: self.book.name_of(k[0]) or k[0] for k in sold}
            self._asked["product",] = tuple(sorted(names, key=lambda p: names[p].casefold()))
        return self._asked["product",]

    def _sold(self, product: str) -> tuple[Key, ...]:
        return tuple(
            k for k in self.book.options(product) if self.book.schedule(k, self.on) is not None
        )

    def deployments(self, product: str) -> tuple[str, ...]:
        question = ("deployment", product)
        if question not in self._asked:
            sold = {k[1] for k in self._sold(product)}
            self._asked[question] = tuple(d for d in DEPLOYMENTS if d in sold)
        return self._asked[question]

    def editions(self, product: str, deployment: str | None) -> tuple[str, ...]:
        question = ("edition", product, deployment or "")
        if question not in self._asked:
            sold = {k[2] for k in self._sold(product) if k[1] == deployment and k[2]}
            self._asked[question] = tuple(e for e in EDITIONS if e in sold)
        return self._asked[question]

    def billings(
        self, product: str, deployment: str | None, edition: str | None
    ) -> tuple[str, ...]:
        question = ("billing", product, deployment or "", edition or "")
        if question not in self._asked:
            sold = {
                k[3] for k in self._sold(product) if k[1] == deployment and k[2] == (edition or "")
            }
            # Annual first: the usual choice, which a line takes when it has none sold.
            self._asked[question] = tuple(b for b in ("annual", "monthly") if b in sold)
        return self._asked[question]

    def values(self, key: str, line: Any) -> tuple[str, ...]:
        """What the picker of `key` offers for `line` (a product line's dict); nothing for a
        field that is typed rather than picked."""
        line = line if isinstance(line, Mapping) else {}
        product = str(line.get("product", ""))
        if key == "product":
            return self.products()
        if key == "deployment":
            return self.deployments(product)
        if key == "edition":
            return self.editions(product, line.get("deployment"))
        if key == "billing":
            return self.billings(product, line.get("deployment"), line.get("edition"))
        if key == "action":
            return ACTIONS
        return ()

    def fit(self, line: dict[str, Any]) -> None:
        """Keep `line`'s pickers on values the book sells for its product (after the
        product or deployment changed): its deployment, else the first sold; Data Center
        with no edition and annual billing; cloud Standard, else the first edition sold,
        and annual, else the billing sold."""
        product = str(line.get("product", ""))
        deployments = self.deployments(product)
        if deployments and line.get("deployment") not in deployments:
            line["deployment"] = deployments[0]
        if fixed_terms(line.get("deployment")):
            line.pop("edition", None)
            line.pop("billing", None)
            return
        line.setdefault("deployment", CLOUD)
        editions = self.editions(product, line["deployment"])
        if not editions:
            return
        if line.get("edition") not in editions:
            line["edition"] = "standard" if "standard" in editions else editions[0]
        billings = self.billings(product, line["deployment"], line["edition"])
        if billings and line.get("billing") not in billings:
            line["billing"] = billings[0]

    def next_line(self, lines: Sequence[Any]) -> dict[str, Any]:
        """The line "Add line" adds: like the last product line that is not an app (an app
        belongs to its line; a new line picks its own), else Jira for 10 users, 12 months
        (the first product the book sells when it sells no Jira)."""
        last = next((line for line in reversed(lines) if takes_apps(line) and line.get("product")),
                    None)  # fmt: skip
        if last is not None:
            line = {k: last[k] for k in ("product", "deployment", "edition", "billing", "users",
                                         "months") if k in last}  # fmt: skip
        else:
            products = self.products()
            first = FIRST_PRODUCT if FIRST_PRODUCT in products or not products else products[0]
            line = {"product": first, "users": FIRST_USERS, "months": FIRST_MONTHS}
        self.fit(line)
        return line


def fit_term(old: Mapping[str, Any], new: dict[str, Any]) -> None:
    """The term that goes with a new billing: monthly prices one month at a time, so its
    `months` goes (R-TIER-2); annual runs 12 months (R-TERM-1), unless the line already
    has a term of more than a month or is an app following its parent's (R-LIM-4)."""
    billing = new.get("billing") or "annual"
    if billing == (old.get("billing") or "annual"):
        return
    if billing == "monthly":
        new.pop("months", None)
    elif new.get("months") == 1 or ("months" not in new and not (is_app(new) and "parent" in new)):
        new["months"] = ANNUAL_MONTHS


def parent_above(lines: Sequence[Any], row: int) -> int | None:
    """The parent a line that becomes an app takes: the nearest line above that may have
    apps (R-LIM-4); None when there is none."""
    return next((i for i in range(row - 1, -1, -1) if takes_apps(lines[i])), None)


def edited_line(
    lines: Sequence[Any], row: int, key: str, value: Any, choices: PriceBookChoices
) -> dict[str, Any]:
    """Line `row` of `lines` with `key` set to `value` (None removes it) and the fields
    that go with it: pickers kept on what the book sells, an app's parent and user count
    (R-LIM-4), the term that goes with the billing."""
    old = lines[row]
    new = dict(old)
    value = clean_value(key, value)
    if value is None:
        new.pop(key, None)
    else:
        new[key] = value
    if key in ("product", "deployment", "edition"):
        choices.fit(new)
    if is_app(new):
        if key == "product" and "parent" not in new:
            parent = parent_above(lines, row)
            if parent is not None:
                new["parent"] = parent
        if "parent" in new:
            new.pop("users", None)  # an app takes its parent's user count (R-LIM-4)
    elif "parent" in new:
        # No longer an app: the line counts the users it followed until now.
        parent = reference(new.pop("parent"), len(lines))
        followed = lines[parent] if parent is not None else None
        users = followed.get("users") if isinstance(followed, Mapping) else None
        if "users" not in new and isinstance(users, int):
            new["users"] = users
    fit_term(old, new)
    return new


class NewLines(NamedTuple):
    """Lines after some were added or removed, and the row each kept line had before
    (`origins`: new row -> old row), so that a view keeps those rows as they are."""

    lines: list[Any]
    origins: dict[int, int]


def with_line(lines: Sequence[Any], line: Any, row: int | None = None) -> NewLines:
    """`line` inserted at `row` (the end by default); the lines after it move down and the
    references to them follow."""
    row = len(lines) if row is None else row
    moved = {i: i + (i >= row) for i in range(len(lines))}
    new_lines = [renumbered(other, moved, len(lines)) for other in lines]
    new_lines.insert(row, renumbered(line, moved, len(lines)))
    return NewLines(new_lines, {new: old for old, new in moved.items()})


def removed_rows(lines: Sequence[Any], row: int) -> frozenset[int]:
    """The rows that go when line `row` is removed: it, and the apps of a product line (an
    app never moves to another line, R-LIM-4)."""
    gone = {row}
    if not is_app(lines[row]):
        gone |= {
            i
            for i, line in enumerate(lines)
            if is_app(line) and reference(line.get("parent"), len(lines)) == row
        }
    return frozenset(gone)


def without_rows(lines: Sequence[Any], gone: frozenset[int]) -> NewLines:
    """`lines` without the rows `gone`; the references to later lines follow them, and a
    reference to a line that went is dropped."""
    kept = [i for i in range(len(lines)) if i not in gone]
    moved = {old: new for new, old in enumerate(kept)}
    return NewLines([renumbered(lines[i], moved, len(lines)) for i in kept], dict(enumerate(kept)))


def reference(value: Any, count: int) -> int | None:
    """A line index naming one of `count` lines; None for anything else (kept as typed)."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < count:
        return value
    return None


def renumbered(line: Any, moved: Mapping[int, int], count: int) -> Any:
    """`line` with its references to other lines (`parent`, `coterm_with`) following those
    lines to their new rows (`moved`: old row -> new row, of the `count` lines there
    were); a reference to a line that is gone is dropped."""
    if not isinstance(line, Mapping):
        return line
    out = dict(line)
    for key in ("parent", "coterm_with"):
        row = reference(out.get(key), count)
        if row is None:
            continue
        if row in moved:
            out[key] = moved[row]
        else:
            del out[key]
    return out
