"""Amounts, percentages and dates for the chosen language, through Babel."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal

LANGUAGES = {"en": "en", "pt-BR": "pt_BR", "zh-CN": "zh_Hans_CN", "ja": "ja"}


class Formatter:
    """Formats for one interface language (en, pt-BR, zh-CN, ja)."""

    def __init__(self, language: str = "en") -> None:
        if language not in LANGUAGES:
            raise ValueError(f"language {language!r} is not one of {', '.join(LANGUAGES)}")
        self.language = language
        self.locale = LANGUAGES[language]

    def money(self, amount: Decimal | str, currency: str) -> str:
        # The core already rounded to the currency's minor unit, which is also the number
        # of digits Babel shows (JPY none, USD two), so nothing is rounded twice.
        return format_currency(Decimal(amount), currency, locale=self.locale)

    def percent(self, pct: Decimal | str) -> str:
        """A percentage given in percent (18 -> 18%)."""
        return format_decimal(Decimal(pct), format="#,##0.###", locale=self.locale) + "%"

    def number(self, value: int | Decimal) -> str:
        return format_decimal(value, locale=self.locale)

    def day(self, value: date | str | None) -> str:
        if value is None or value == "":
            return ""
        if isinstance(value, str):
            value = date.fromisoformat(value)
        return format_date(value, format="medium", locale=self.locale)
