"""The PDF's fixed texts (headings, column titles) in four languages; numbers, money, dates
and coded texts come from the shared `quotedesk.i18n.Formatter`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from quotedesk.core.io.resources import translations
from quotedesk.i18n import Formatter


class Texts(Formatter):
    """Formats for one document, and its fixed texts by their English wording."""

    def __init__(self, lang: str) -> None:
        super().__init__(lang)
        self.lang = lang
        self._texts = translations("pdf", lang)

    def __call__(self, text: str, **values: object) -> str:
        """The translation of an English text (the English when there is none)."""
        translated = self._texts.get(text, text)
        return translated.format(**values) if values else translated

    def said(self, code: str, params: Mapping[str, Any], english: str) -> str:
        """A priced text (payment method, term) by its code. One priced before texts had
        codes (a stored signed-off revision, R-Q-5; `code` is "") has only its `english`
        text: translated by that text, as it was then."""
        return self.text(code, **params) if code else self(english)
