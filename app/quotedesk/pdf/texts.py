"""The PDF's fixed texts in four languages, and numbers, money and dates through Babel."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal

from quotedesk.core.resources import translations

# Quote language -> Babel locale.
LOCALES = {"en": "en_US", "pt-BR": "pt_BR", "zh-CN": "zh_CN", "ja": "ja_JP"}


class Texts:
    """Formats for one document. A quote repeats the same dates, tiers and often amounts
    on many lines, so each distinct value is formatted once (Babel is the slow part of a
    200-line PDF)."""

    def __init__(self, lang: str) -> None:
        if lang not in LOCALES:
            raise ValueError(f"language {lang!r} is not one of {', '.join(LOCALES)}")
        self.lang = lang
        self.locale = LOCALES[lang]
        self._babel = Locale.parse(self.locale)
        self._texts = translations("pdf", lang)
        self._formatted: dict[tuple[object, ...], str] = {}

    def __call__(self, text: str, **values: object) -> str:
        """The translation of an English text (the English when there is none)."""
        translated = self._texts.get(text, text)
        return translated.format(**values) if values else translated

    def money(self, amount: str | Decimal, currency: str) -> str:
        key = ("money", amount, currency)
        if key not in self._formatted:
            self._formatted[key] = format_currency(Decimal(amount), currency, locale=self._babel)
        return self._formatted[key]

    def percent(self, pct: str | Decimal) -> str:
        key = ("percent", pct)
        if key not in self._formatted:
            number = format_decimal(Decimal(pct), format="#,##0.###", locale=self._babel)
            self._formatted[key] = number + "%"
        return self._formatted[key]

    def number(self, value: int) -> str:
        key = ("number", value)
        if key not in self._formatted:
            self._formatted[key] = format_decimal(value, locale=self._babel)
        return self._formatted[key]

    def date(self, iso: str | date | None, length: str = "medium") -> str:
        if not iso:
            return ""
        key = ("date", iso, length)
        if key not in self._formatted:
            value = iso if isinstance(iso, date) else date.fromisoformat(iso)
            self._formatted[key] = format_date(value, format=length, locale=self._babel)
        return self._formatted[key]
