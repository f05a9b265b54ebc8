"""Amounts, percentages and dates for the chosen language, through Babel."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from babel.numbers import format_currency, format_decimal

LANGUAGES = {"en": "en", "pt-BR": "pt_BR", "zh-CN": "zh_Hans_CN", "ja": "ja"}


class Formatter:
    """Formats for one interface language (en, pt-BR, zh-CN, ja).

    Babel takes about 0.1 ms per value and a re-pricing shows mostly the same values
    again, so each formatted text is remembered.
    """

    def __init__(self, language: str = "en") -> None:
        if language not in LANGUAGES:
            raise ValueError(f"language {language!r} is not one of {', '.join(LANGUAGES)}")
        self.language = language
        self.locale = LANGUAGES[language]
        self._cache: dict[tuple[object, ...], str] = {}

    def _remember(self, key: tuple[object, ...], text: str) -> str:
        if len(self._cache) > 20_000:
            self._cache.clear()
        self._cache[key] = text
        return text

    def money(self, amount: Decimal | str, currency: str) -> str:
        # The core already rounded to the currency's minor unit, which is also the number
        # of digits Babel shows (JPY none, USD two), so nothing is rounded twice.
        key = ("money", amount, currency)
        text = self._cache.get(key)
        if text is None:
            formatted = format_currency(Decimal(amount), currency, locale=self.locale)
            text = self._remember(key, formatted)
        return text

    def percent(self, pct: Decimal | str) -> str:
        """A percentage given in percent (18 -> 18%)."""
        key = ("percent", pct)
        text = self._cache.get(key)
        if text is None:
            formatted = format_decimal(Decimal(pct), format="#,##0.###", locale=self.locale)
            text = self._remember(key, formatted + "%")
        return text

    def number(self, value: int | Decimal) -> str:
        key = ("number", value)
        text = self._cache.get(key)
        if text is None:
            text = self._remember(key, format_decimal(value, locale=self.locale))
        return text

    def day(self, value: date | str | None) -> str:
        if value is None or value == "":
            return ""
        if isinstance(value, str):
            value = date.fromisoformat(value)
        # babel.dates takes 11 ms to import; a draft's first paint shows no Babel dates.
        from babel.dates import format_date

        return format_date(value, format="medium", locale=self.locale)
