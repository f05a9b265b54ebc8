"""Where the data files (rule tables, sample price book, fonts) live.

They are package data (`quotedesk/resources/`), so a wheel, an editable install and a
PyInstaller bundle find them the same way; `QUOTEDESK_RESOURCES` points elsewhere.
"""

from __future__ import annotations

import json
import os
import sys
from functools import cache
from pathlib import Path


def resources_dir() -> Path:
    override = os.environ.get("QUOTEDESK_RESOURCES")
    if override:
        return Path(override)
    return _package_resources()


@cache
def _package_resources() -> Path:
    # A package installed as files (wheel, editable, PyInstaller) is read beside this
    # module: importing importlib.resources (with tempfile, shutil and zipfile) would
    # double `quotedesk price`'s start-up. Only a package that is not a folder on disk
    # (a zip import) goes through importlib.resources.
    beside = Path(__file__).resolve().parents[2] / "resources"  # quotedesk/core/io/ -> quotedesk/
    if beside.is_dir():
        return beside
    from importlib.resources import files  # slow to import: only for a zip import

    packaged = files("quotedesk") / "resources"
    if not isinstance(packaged, Path):
        raise RuntimeError(
            "Quote Desk's resources are inside an archive; install the package as files "
            "or set QUOTEDESK_RESOURCES"
        )
    return packaged


def user_rules_dir() -> Path:
    """The folder whose *.json replace the shipped rule tables of the same name:
    `QUOTEDESK_RULES`, else `quotedesk/rules` in the user config dir as
    platformdirs.user_config_path names it (a test checks they agree; importing
    platformdirs would cost `quotedesk price` a quarter of its start-up)."""
    override = os.environ.get("QUOTEDESK_RULES")
    if override:
        return Path(override)
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_CONFIG_HOME", "").strip() or Path.home() / ".config")
    return base / "quotedesk" / "rules"


def sample_price_book_path() -> Path:
    return resources_dir() / "pricebooks" / "sample.csv"


@cache
def translations(catalog: str, language: str) -> dict[str, str]:
    """English text -> its translation from resources/i18n/<catalog>.json ("pdf", "gui");
    empty for English or a language the catalog does not have."""
    path = resources_dir() / "i18n" / f"{catalog}.json"
    texts: dict[str, str] = json.loads(path.read_text(encoding="utf-8")).get(language, {})
    return texts
