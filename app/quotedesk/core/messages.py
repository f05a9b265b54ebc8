"""Texts the core hands to people, by code: rule messages, tax labels, payment terms, notes.

The core emits a code and its parameters; each front end shows the text in its language.
`resources/i18n/messages.json` maps ``code -> {language: text}`` with ``str.format``
placeholders. A code starts with the rule id it belongs to (``R-TIER-1.additions``), so one
grep for a rule id finds its data, its code and its texts.
"""

from __future__ import annotations

import json
from functools import cache

from quotedesk.core.io.resources import resources_dir

# The languages Quote Desk speaks, in the order menus list them.
LANGUAGES = ("en", "pt-BR", "zh-CN", "ja")


@cache
def catalog() -> dict[str, dict[str, str]]:
    path = resources_dir() / "i18n" / "messages.json"
    texts: dict[str, dict[str, str]] = json.loads(path.read_text(encoding="utf-8"))
    return texts


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """ "1 quote", "2 quotes": English messages (command line, store errors) use real
    plurals; a translated text counts with its catalog's plural forms instead."""
    return f"{count:,} {noun if count == 1 else plural or noun + 's'}"


def text(code: str, language: str = "en", /, **params: object) -> str:
    """The text of `code` in `language` (English when that language lacks it)."""
    entry = catalog()[code]
    return entry.get(language, entry["en"]).format(**params)
