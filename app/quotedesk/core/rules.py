"""Rule tables (taxes, fees, discount programs, limits, lifecycle dates, terms) loaded once
from `resources/rules/*.json`. The pricing code reads them; it holds no rates itself.

A user overrides a shipped table with a file of the same name in `user_rules_dir()`."""

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

from quotedesk.core.io.files import MB, DuplicateKey, read_file, unique_keys
from quotedesk.core.io.resources import resources_dir, user_rules_dir
from quotedesk.core.policies import Policies, read_policies
from quotedesk.core.pricing.tax_table import TaxTable, TaxTableError, read_tax_table

MAX_RULE_TABLE_BYTES = MB  # the largest shipped table is 7 KB


class RulesError(ValueError):
    """A rule table is missing or malformed."""


def _rule_table_error(why: str) -> RulesError:
    return RulesError(f"rule table {why}")


class Grant(NamedTuple):
    """One row of a discount program: which lines get how many percent off."""

    products: frozenset[str]
    deployment: str
    pct: Decimal
    editions: frozenset[str] | None = None
    billing: str | None = None
    parent: frozenset[str] | None = None
    parent_not: frozenset[str] | None = None
    tier_above: int | None = None
    otherwise: str | None = None


class Program(NamedTuple):
    key: str
    rule: str
    label: str
    eligibility: str  # message keys (resources/i18n/messages.json), as are note_us and
    grants: tuple[Grant, ...]  # each grant's `otherwise`
    note_us: str | None = None

    @property
    def not_eligible(self) -> str:
        """The message key of a line no grant of the program matches."""
        return f"{self.rule}.not_eligible"


class Limit(NamedTuple):
    rule: str
    products: frozenset[str]
    deployment: str
    max: int
    editions: frozenset[str] | None = None

    @property
    def message(self) -> str:
        return f"{self.rule}.max"


class Fee(NamedTuple):
    country: str
    rule: str
    pct: Decimal
    not_on_or_before: date
    eligible: tuple[tuple[str, frozenset[str]], ...]  # (deployment, products incl. "app")


class TermText(NamedTuple):
    code: str
    deployment: str | None
    billing: str | None
    editions: frozenset[str] | None
    app: bool


class RuleTables(NamedTuple):
    core_products: frozenset[str]
    peak_billing_products: frozenset[str]
    improved_billing_products: frozenset[str]
    improved_billing_editions: frozenset[str]
    usd_only: tuple[tuple[str, str | None], ...]
    not_sold: dict[str, str]
    server_message: str
    limits: tuple[Limit, ...]
    programs: dict[str, Program]
    fees: dict[str, Fee]
    taxes: TaxTable
    dc_no_new_customers_from: date
    dc_no_sales_from: date
    dc_end_of_life: date
    minor_units: dict[str, int]
    quote_currency_country: dict[str, str | None]
    terms: tuple[TermText, ...]
    policies: Policies
    # The oldest "_reviewed" date of the tables read (a user's file without one counts from
    # when it was last written), and the files that replaced shipped ones.
    reviewed: date
    overridden: tuple[Path, ...] = ()

    def places(self, currency: str) -> int:
        return self.minor_units.get(currency, 2)


_cache: dict[tuple[Path, Path | None], RuleTables] = {}


def load_rules(folder: Path | None = None) -> RuleTables:
    """Read the rule tables once per folder (they are immutable afterwards). Without a
    folder: the shipped tables, each replaced by the user's file of the same name."""
    overrides = None
    if folder is None:
        folder = resources_dir() / "rules"
        overrides = user_rules_dir()
    key = (folder, overrides)
    if key not in _cache:
        _cache[key] = _Reader(folder, overrides).build()
    return _cache[key]


class _Reader:
    """Reads tables from `folder`, or from `overrides` where it has a file of that name,
    keeping the oldest review date and the overriding files."""

    def __init__(self, folder: Path, overrides: Path | None) -> None:
        self.folder, self.overrides = folder, overrides
        self.reviewed: list[date] = []
        self.overridden: list[Path] = []
        self.paths: dict[str, Path] = {}  # each table's name -> the file it was read from

    def __call__(self, folder: Path, name: str) -> dict[str, Any]:
        path = folder / name
        user = self.overrides / name if self.overrides else None
        if user is not None and user.is_file():
            path = user
            self.overridden.append(path)
        self.paths[name] = path
        data = read_file(path, MAX_RULE_TABLE_BYTES, "a rule table", _rule_table_error)
        try:
            table: dict[str, Any] = json.loads(data.decode("utf-8"), object_pairs_hook=unique_keys)
        except UnicodeDecodeError:
            raise RulesError(f"rule table {path}: not UTF-8 text") from None
        except json.JSONDecodeError as exc:
            raise RulesError(f"rule table {path}: broken JSON at line {exc.lineno}") from None
        except DuplicateKey as exc:
            raise RulesError(f"rule table {path}: {exc}") from None
        try:
            self.reviewed.append(
                date.fromisoformat(table["_reviewed"])
                if "_reviewed" in table
                else date.fromtimestamp(path.stat().st_mtime)
            )
        except (TypeError, ValueError):
            raise RulesError(f"rule table {path}: _reviewed is not a YYYY-MM-DD date") from None
        return table

    def build(self) -> "RuleTables":
        tables = _build(self.folder, self)
        return tables._replace(reviewed=min(self.reviewed), overridden=tuple(self.overridden))


def _set(values: list[str] | None) -> frozenset[str] | None:
    return None if values is None else frozenset(values)


def _build(folder: Path, _read: _Reader) -> RuleTables:
    products = _read(folder, "products.json")

    def read_with_path(name: str) -> tuple[Path, dict[str, Any]]:
        table = _read(folder, name)
        return _read.paths[name], table

    policies = _read(folder, "policies.json")
    try:
        taxes = read_tax_table(read_with_path, policies)
    except TaxTableError as exc:
        raise RulesError(str(exc)) from None
    dc = _read(folder, "lifecycle.json")["datacenter"]
    currencies = _read(folder, "currencies.json")
    programs = {
        key: Program(
            key=key,
            rule=p["rule"],
            label=p["label"],
            eligibility=p["eligibility"],
            note_us=p.get("note_us"),
            grants=tuple(
                Grant(
                    products=frozenset(g["products"]),
                    deployment=g["deployment"],
                    pct=Decimal(g["pct"]),
                    editions=_set(g.get("editions")),
                    billing=g.get("billing"),
                    parent=_set(g.get("parent")),
                    parent_not=_set(g.get("parent_not")),
                    tier_above=g.get("tier_above"),
                    otherwise=g.get("otherwise"),
                )
                for g in p["grants"]
            ),
        )
        for key, p in _read(folder, "discounts.json")["programs"].items()
    }
    return RuleTables(
        core_products=frozenset(products["core_products"]),
        peak_billing_products=frozenset(products["peak_billing_products"]),
        improved_billing_products=frozenset(products["improved_billing_products"]),
        improved_billing_editions=frozenset(products["improved_billing_editions"]),
        usd_only=tuple((u["product"], u.get("deployment")) for u in products["usd_only"]),
        not_sold=dict(products["not_sold"]),
        server_message=products["server"],
        limits=tuple(
            Limit(
                lim["rule"],
                frozenset(lim["products"]),
                lim["deployment"],
                lim["max"],
                _set(lim.get("editions")),
            )
            for lim in _read(folder, "limits.json")["limits"]
        ),
        programs=programs,
        fees={
            country: Fee(
                country,
                f["rule"],
                Decimal(f["pct"]),
                date.fromisoformat(f["not_on_or_before"]),
                tuple((e["deployment"], frozenset(e["products"])) for e in f["eligible"]),
            )
            for country, f in _read(folder, "fees.json")["fees"].items()
        },
        taxes=taxes,
        dc_no_new_customers_from=date.fromisoformat(dc["no_new_customers_from"]),
        dc_no_sales_from=date.fromisoformat(dc["no_sales_from"]),
        dc_end_of_life=date.fromisoformat(dc["end_of_life"]),
        minor_units=dict(currencies["minor_units"]),
        quote_currency_country=dict(currencies["quote_currencies"]),
        terms=tuple(
            TermText(
                t["code"],
                t["when"].get("deployment"),
                t["when"].get("billing"),
                _set(t["when"].get("editions")),
                bool(t["when"].get("app")),
            )
            for t in _read(folder, "terms.json")["terms"]
        ),
        policies=read_policies(policies),
        reviewed=date.min,  # load_rules sets it from what was read
    )
