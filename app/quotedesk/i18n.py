"""Texts, numbers, money, dates, plurals and place names in one of `LANGUAGES`, through
Babel and pycountry's gettext catalogs: the one wrapper the window and the PDF share.

The core stays free of Babel: it hands out codes with parameters (`core.messages`), and
this module turns them into a person's language.
"""

from __future__ import annotations

import gettext
import importlib.util
import json
import re
import unicodedata
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.numbers import format_currency, format_decimal

from quotedesk.core.messages import LANGUAGES, catalog, text
from quotedesk.core.problems import is_line

# Quote Desk language -> Babel locale.
BABEL_LOCALES = {"en": "en_US", "pt-BR": "pt_BR", "zh-CN": "zh_Hans_CN", "ja": "ja_JP"}
assert tuple(BABEL_LOCALES) == LANGUAGES

# Each language by its own name, as a language menu lists them.
LANGUAGE_NAMES = {
    "en": "English",
    "pt-BR": "Português (Brasil)",
    "zh-CN": "中文（简体）",
    "ja": "日本語",
}

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
DECIMAL = re.compile(r"-?\d+(\.\d+)?")
# Message parameters that are money, and percentages the priced JSON holds as text.
AMOUNTS = frozenset({"price", "book_price"})
NUMBERS = frozenset({"pct", "threshold"})
# A price-book row may name its deployment ("Jira Data Center"): that word is translated.
DEPLOYMENT_WORDS = {"cloud": "Cloud", "datacenter": "Data Center"}


class Formatter:
    """Formats for one language (en, pt-BR, zh-CN, ja).

    Babel formats each value anew, and a quote repeats the same dates, tiers and amounts
    on many lines, so each formatted value is remembered.
    """

    def __init__(self, language: str = "en") -> None:
        if language not in BABEL_LOCALES:
            raise ValueError(f"language {language!r} is not one of {', '.join(LANGUAGES)}")
        self.language = language
        self.locale = BABEL_LOCALES[language]
        self.babel = Locale.parse(self.locale)
        self._cache: dict[tuple[object, ...], str] = {}

    def _remember(self, key: tuple[object, ...], value: str) -> str:
        if len(self._cache) > 20_000:
            self._cache.clear()
        self._cache[key] = value
        return value

    def money(self, amount: Decimal | str, currency: str) -> str:
        # The core already rounded to the currency's minor unit, which is also the number
        # of digits Babel shows (JPY none, USD two), so nothing is rounded twice.
        key = ("money", amount, currency)
        value = self._cache.get(key)
        if value is None:
            value = self._remember(
                key, format_currency(Decimal(amount), currency, locale=self.babel)
            )
        return value

    def percent(self, pct: Decimal | str) -> str:
        """A percentage given in percent (18 -> 18%)."""
        key = ("percent", pct)
        value = self._cache.get(key)
        if value is None:
            number = format_decimal(Decimal(pct), format="#,##0.###", locale=self.babel)
            value = self._remember(key, number + "%")
        return value

    def number(self, value: int | Decimal) -> str:
        key = ("number", value)
        formatted = self._cache.get(key)
        if formatted is None:
            formatted = self._remember(key, format_decimal(value, locale=self.babel))
        return formatted

    def day(self, value: date | str | None, length: str = "medium") -> str:
        if value is None or value == "":
            return ""
        key = ("date", value, length)
        formatted = self._cache.get(key)
        if formatted is None:
            # babel.dates is slow to import, and a draft's first paint shows no dates.
            from babel.dates import format_date

            day = value if isinstance(value, date) else date.fromisoformat(value)
            formatted = self._remember(key, format_date(day, format=length, locale=self.babel))
        return formatted

    def day_pattern(self, length: str = "medium") -> str:
        """The CLDR pattern `day` writes dates with ("MMM d, y"), for a date field that
        must show them alike."""
        return str(self.babel.date_formats[length].pattern)

    def text(self, code: str, /, **params: object) -> str:
        """The catalog text of `code`, its dates and numbers written the language's way."""
        return text(code, self.language, **{k: self._param(v) for k, v in params.items()})

    def plural(self, code: str, count: int, /, **params: object) -> str:
        """The text of `code` for `count` things: `code.one`, `code.other`… by the
        language's CLDR plural rules ({count} is the number, written the language's way)."""
        form = f"{code}.{self.babel.plural_form(count)}"
        return self.text(form if form in catalog() else f"{code}.other", count=count, **params)

    def message_value(self, name: str, param: object, currency: str | None = None) -> object:
        """A core message's parameter as a person reads it here (`Message.text(value=...)`):
        lines counted from 1 (R-Q-6), money, dates and numbers written the language's way."""
        if is_line(name):
            return param + 1 if isinstance(param, int) and name != "line_no" else param
        if name == "value":  # the user's own value, as given
            return param
        if name in AMOUNTS and currency and isinstance(param, str):
            return self.money(param, currency)
        if isinstance(param, str) and name in NUMBERS and DECIMAL.fullmatch(param):
            return self.number(Decimal(param))  # a Decimal as the priced JSON holds it
        try:
            return self._param(param)
        except ValueError:  # a user's text that only looks like a date
            return param

    def _param(self, value: object) -> object:
        if isinstance(value, date) or (isinstance(value, str) and ISO_DATE.fullmatch(value)):
            return self.day(value)
        if isinstance(value, int | Decimal) and not isinstance(value, bool):
            return self.number(value)
        return value

    def coded(self, item: Mapping[str, Any], fallback: str) -> str:
        """A priced item (payment method, term) by its `code` and `params`; an item priced
        before texts had codes has only its English `fallback` field."""
        if item.get("code") in catalog():
            return self.text(item["code"], **(item.get("params") or {}))
        return str(item.get(fallback, ""))

    def country(self, code: str) -> str:
        return str(self.babel.territories.get(code, code))

    def subdivision(self, country: str, code: str) -> str:
        """A state or province (``IL`` or ``US-IL``) by its name in this language."""
        short = code.removeprefix(f"{country}-")
        names = dict(subdivisions(country, self.language))
        return names.get(short, code)

    def line_description(self, line: Mapping[str, Any]) -> str:
        """What a priced line is, in words: product, deployment and edition, and for a
        credit or peak-user row what it credits or adds. Product names stay as the price
        book writes them; a custom line is described by the user."""
        kind = line.get("kind", "product")
        if kind == "custom" or not line.get("deployment"):
            return str(line["name"])
        described = self._product(line)
        if kind == "upgrade_credit":
            return self.text("line.upgrade_credit", description=described)
        if kind == "migration_credit":
            return self.text("line.migration_credit", date=line.get("period_end") or "")
        if kind == "peak_addition":
            new, added = int(line["tier"]), int(line["units"])
            return self.text(
                "line.peak_addition",
                description=described,
                before=new - added,
                after=new,
                date=line.get("period_start") or "",
            )
        return described

    def _product(self, line: Mapping[str, Any]) -> str:
        deployment = line["deployment"]
        product = line.get("product_name") or line["name"]
        word = DEPLOYMENT_WORDS.get(deployment, "")
        product = product.removesuffix(f" {word}") if word else product
        where = self.text(f"line.deployment.{deployment}")
        edition = line.get("edition")
        if edition and f"line.edition.{edition}" in catalog():
            return self.text(
                "line.product_edition",
                product=product,
                deployment=where,
                edition=self.text(f"line.edition.{edition}"),
            )
        return self.text("line.product", product=product, deployment=where)


def folded(text: str) -> str:
    """`text` as a search compares it: case and Latin accents folded ("São" is "sao"), as
    the quote list's search folds them in SQLite (unicode61 remove_diacritics). Only the
    Latin combining accents go: a Japanese voicing mark (ガ) is part of the letter."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not "\u0300" <= c <= "\u036f").casefold()


# CLDR (through Babel) names countries in every language; its territory list adds
# groupings and special regions that are not ISO 3166-1 countries.
NOT_COUNTRIES = frozenset(
    {"AC", "CP", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "XK", "ZZ"}
)


@cache
def countries(language: str) -> list[tuple[str, str]]:
    """Every country as (ISO 3166-1 code, name in `language`), sorted by name."""
    names = Locale.parse(BABEL_LOCALES[language]).territories
    found = [(code, name) for code, name in names.items()
             if len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES]  # fmt: skip
    return sorted(found, key=lambda c: c[1].casefold())


@cache
def _pycountry_dir() -> Path:
    # pycountry's data files without importing it: importing it builds its whole index.
    spec = importlib.util.find_spec("pycountry")
    assert spec is not None and spec.submodule_search_locations
    return Path(spec.submodule_search_locations[0])


@cache
def _english_subdivisions() -> dict[str, list[tuple[str, str]]]:
    entries = json.loads((_pycountry_dir() / "databases" / "iso3166-2.json").read_bytes())
    out: dict[str, list[tuple[str, str]]] = {}
    for entry in entries["3166-2"]:
        if not entry.get("parent"):  # top level only: states and provinces
            country, short = entry["code"].split("-", 1)
            out.setdefault(country, []).append((short, entry["name"]))
    return out


@cache
def subdivisions(country: str, language: str) -> list[tuple[str, str]]:
    """A country's states and provinces as (short code, name in `language`), sorted by
    name; the names come from pycountry's gettext catalog of ISO 3166-2."""
    names = gettext.translation(
        "iso3166-2",
        _pycountry_dir() / "locales",
        languages=[language.replace("-", "_")],
        fallback=True,
    )
    found = [
        (short, names.gettext(name)) for short, name in _english_subdivisions().get(country, [])
    ]
    return sorted(found, key=lambda entry: entry[1].casefold())
