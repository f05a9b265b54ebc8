"""The PDF's fixed texts in four languages, and numbers, money and dates through Babel."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from functools import cache

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal

from quotedesk.core.resources import resources_dir

# Quote language -> Babel locale.
LOCALES = {"en": "en_US", "pt-BR": "pt_BR", "zh-CN": "zh_CN", "ja": "ja_JP"}


@cache
def _catalog() -> dict[str, dict[str, str]]:
    data = json.loads((resources_dir() / "i18n" / "pdf.json").read_text(encoding="utf-8"))
    return {lang: texts for lang, texts in data.items() if not lang.startswith("_")}


class Texts:
    def __init__(self, lang: str) -> None:
        if lang not in LOCALES:
            raise ValueError(f"language {lang!r} is not one of {', '.join(LOCALES)}")
        self.lang = lang
        self.locale = LOCALES[lang]
        self._texts = _catalog().get(lang, {})

    def __call__(self, text: str, **values: object) -> str:
        """The translation of an English text (the English when there is none)."""
        translated = self._texts.get(text, text)
        return translated.format(**values) if values else translated

    def money(self, amount: str | Decimal, currency: str) -> str:
        return format_currency(Decimal(amount), currency, locale=self.locale)

    def percent(self, pct: str | Decimal) -> str:
        return format_decimal(Decimal(pct), format="#,##0.###", locale=self.locale) + "%"

    def number(self, value: int) -> str:
        return format_decimal(value, locale=self.locale)

    def date(self, iso: str | date | None) -> str:
        if not iso:
            return ""
        value = iso if isinstance(iso, date) else date.fromisoformat(iso)
        return format_date(value, format="medium", locale=self.locale)
