"""Where the data files (rule tables, sample price book, fonts) live.

They are package data (`quotedesk/resources/`), so a wheel, an editable install and a
PyInstaller bundle find them the same way; `QUOTEDESK_RESOURCES` points elsewhere.
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path


def resources_dir() -> Path:
    override = os.environ.get("QUOTEDESK_RESOURCES")
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[1] / "resources"


def sample_price_book_path() -> Path:
    return resources_dir() / "pricebooks" / "sample.csv"


@cache
def translations(catalog: str, language: str) -> dict[str, str]:
    """English text -> its translation from resources/i18n/<catalog>.json ("pdf", "gui");
    empty for English or a language the catalog does not have."""
    path = resources_dir() / "i18n" / f"{catalog}.json"
    texts: dict[str, str] = json.loads(path.read_text(encoding="utf-8")).get(language, {})
    return texts
