"""The tax-component table (R-TAX-*): every tax of every jurisdiction as data.

`taxes.json` and `us_sales_tax.json` share one form (their `_about` describes it); this
module reads them into `TaxComponent`s and refuses a malformed entry with the file and the
entry's id. `core/pricing/taxes.py` applies the components and knows no country.
"""

from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, NamedTuple

from quotedesk.core.messages import catalog

RateHistory = tuple[tuple[date, Decimal], ...]  # (from, percent), oldest first

LEVELS = ("country", "subdivision", "city")  # also the order tax lines are listed in
TAX_FILES = ("taxes.json", "us_sales_tax.json")


def rate_on(history: RateHistory, on: date) -> Decimal | None:
    """The rate in force on `on`: the newest entry not after it."""
    current = None
    for since, pct in history:
        if since > on:
            break
        current = pct
    return current


class TaxComponent(NamedTuple):
    id: str
    rule: str
    label: str  # text code of its name
    country: str
    subdivisions: frozenset[str] | None  # None: the whole country
    city: str | None  # as the quote shows it; matched case-insensitively
    level: str  # the jurisdiction that levies it, one of LEVELS
    rates: RateHistory
    located_by: str  # "sold_to", or "ship_to" (the end customer's, when given)
    estimated: bool
    exempt_if: frozenset[str]  # any of these customer exemptions
    exempt_reason: str | None  # text code
    tax_id: str | None  # offline check scheme: a valid ID exempts
    tax_id_reason: str | None  # text code, with {kind} and {number}
    deployments: frozenset[str] | None  # None: every taxable line
    admin_fee: bool  # the administration fee is in its base (R-FEE-2)
    products_from: tuple[tuple[str, date], ...]  # products taxed only from a date
    instead_of: frozenset[str]  # rule ids whose base loses the lines this one taxes


class SubdivisionNeeded(NamedTuple):
    """Problem codes when a country's taxes need the customer's subdivision."""

    missing: str | None
    unknown: str | None


class TaxTable(NamedTuple):
    components: tuple[TaxComponent, ...]
    subdivision_needed: dict[str, SubdivisionNeeded]
    local_quote_currencies: frozenset[str]  # R-TAX-LOCAL

    @property
    def exemptions(self) -> frozenset[str]:
        """Every customer exemption some component honours."""
        return frozenset().union(*(c.exempt_if for c in self.components))

    def tax_id_scheme(self, country: str) -> str | None:
        return next((c.tax_id for c in self.components if c.country == country and c.tax_id), None)


class TaxTableError(ValueError):
    """A malformed tax table; the message names the file and the entry."""


_FIELDS = set(TaxComponent._fields) - {"deployments", "admin_fee", "products_from"}
_FIELDS |= {"applies_to", "_about"}


def read_tax_table(
    read: Callable[[str], tuple[Path, dict[str, Any]]], policies: dict[str, Any]
) -> TaxTable:
    """`read(name)` gives a rule table's path and content (the user's file or the shipped one)."""
    components: list[TaxComponent] = []
    needed: dict[str, SubdivisionNeeded] = {}
    for name in TAX_FILES:
        path, table = read(name)
        for where, entry in _entries(path, table):
            components.append(_component(where, entry))
        for country, codes in _field(path, table, "subdivision_needed", dict, {}).items():
            try:
                missing, unknown = (_optional_code(codes.get(k)) for k in ("missing", "unknown"))
            except (AttributeError, ValueError) as exc:
                raise TaxTableError(
                    f"rule table {path}, subdivision_needed.{country}: {exc}"
                ) from None
            needed[country] = SubdivisionNeeded(missing, unknown)
    ids = [c.id for c in components]
    if len(set(ids)) != len(ids):
        twice = sorted({i for i in ids if ids.count(i) > 1})
        raise TaxTableError(f"tax tables {', '.join(TAX_FILES)}: component id {twice[0]} twice")
    local = policies.get("R-TAX-LOCAL", {}).get("quote_currencies", ["USD"])
    order = sorted(components, key=lambda c: LEVELS.index(c.level))  # stable: file order
    return TaxTable(tuple(order), needed, frozenset(local))


def _field(path: Path, table: dict[str, Any], key: str, kind: type, default: Any) -> Any:
    value = table.get(key, default)
    if not isinstance(value, kind):
        raise TaxTableError(f"rule table {path}: {key} is not a JSON {kind.__name__}")
    return value


def _entries(path: Path, table: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Each component with its group's shared fields, and how a message names it."""
    for g, group in enumerate(_field(path, table, "groups", list, None)):
        if not isinstance(group, dict) or not isinstance(group.get("components"), list):
            raise TaxTableError(f"rule table {path}: groups[{g}] has no components list")
        shared = group.get("shared", {})
        for c, entry in enumerate(group["components"]):
            where = f"rule table {path}, groups[{g}].components[{c}]"
            if not isinstance(entry, dict):
                raise TaxTableError(f"{where}: not a JSON object")
            if "id" in entry:
                where += f" ({entry['id']})"
            yield where, {**shared, **entry}


def _component(where: str, e: dict[str, Any]) -> TaxComponent:
    unknown = set(e) - _FIELDS
    if unknown:
        raise TaxTableError(f"{where}: unknown field {sorted(unknown)[0]}")
    try:
        applies = e.get("applies_to", {})
        subdivisions = e.get("subdivisions")
        city = e.get("city")
        level = e.get("level") or ("city" if city else "subdivision" if subdivisions else "country")
        component = TaxComponent(
            id=_text(e["id"]),
            rule=_text(e["rule"]),
            label=_code(e["label"]),
            country=_text(e["country"]),
            subdivisions=None if subdivisions is None else frozenset(map(_text, subdivisions)),
            city=None if city is None else _text(city),
            level=_one_of(level, LEVELS),
            rates=_history(e["rates"]),
            located_by=_one_of(e.get("located_by", "sold_to"), ("sold_to", "ship_to")),
            estimated=_bool(e.get("estimated", False)),
            exempt_if=frozenset(map(_text, e.get("exempt_if", []))),
            exempt_reason=_optional_code(e.get("exempt_reason")),
            tax_id=_optional(e.get("tax_id"), ("eu", "in")),
            tax_id_reason=_optional_code(e.get("tax_id_reason")),
            deployments=None
            if "deployments" not in applies
            else frozenset(map(_text, applies["deployments"])),
            admin_fee=_bool(applies.get("admin_fee", "deployments" not in applies)),
            products_from=tuple(
                (_text(p), date.fromisoformat(d))
                for p, d in applies.get("products_from", {}).items()
            ),
            instead_of=frozenset(map(_text, e.get("instead_of", []))),
        )
    except KeyError as exc:
        raise TaxTableError(f"{where}: {exc.args[0]} is missing") from None
    except (TypeError, ValueError, InvalidOperation, AttributeError) as exc:
        raise TaxTableError(f"{where}: {exc}") from None
    if component.exempt_if and not component.exempt_reason:
        raise TaxTableError(f"{where}: exempt_if needs an exempt_reason")
    if component.tax_id and not component.tax_id_reason:
        raise TaxTableError(f"{where}: tax_id needs a tax_id_reason")
    if component.level == "subdivision" and component.subdivisions is None:
        raise TaxTableError(f"{where}: level subdivision needs subdivisions")
    if component.tax_id and f"{component.rule}.tax_id_invalid" not in catalog():
        raise TaxTableError(f"{where}: no text {component.rule}.tax_id_invalid for a bad tax ID")
    return component


def _text(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{value!r} is not a text")
    return value.strip()


def _bool(value: object) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"{value!r} is not true or false")
    return value


def _one_of(value: object, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise ValueError(f"{value!r} is not one of {', '.join(allowed)}")
    return str(value)


def _optional(value: object, allowed: tuple[str, ...]) -> str | None:
    return None if value is None else _one_of(value, allowed)


def _code(value: object) -> str:
    if value not in catalog():
        raise ValueError(f"{value!r} is not a text code of messages.json")
    return str(value)


def _optional_code(value: object) -> str | None:
    return None if value is None else _code(value)


def _history(pairs: object) -> RateHistory:
    if not isinstance(pairs, list) or not pairs:
        raise ValueError("rates is not a list of [from date, percent]")
    history = []
    for pair in pairs:
        if not isinstance(pair, list) or len(pair) != 2 or not isinstance(pair[1], str):
            raise ValueError(f"rate {pair!r} is not [from date, percent text]")
        try:
            pct = Decimal(pair[1])
        except InvalidOperation:
            pct = Decimal("NaN")
        if not pct.is_finite() or pct < 0:
            raise ValueError(f"rate {pair[1]!r} is not a percentage")
        history.append((date.fromisoformat(pair[0]), pct))
    return tuple(sorted(history))
