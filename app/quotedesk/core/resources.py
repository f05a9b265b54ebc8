"""Where the data files (rule tables, sample price book, fonts) live.

`QUOTEDESK_RESOURCES` points elsewhere, e.g. for a packaged build; by default it is the
`resources/` folder of the source tree the package was installed from (editable install).
"""

from __future__ import annotations

import os
from pathlib import Path


def resources_dir() -> Path:
    override = os.environ.get("QUOTEDESK_RESOURCES")
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[3] / "resources"


def sample_price_book_path() -> Path:
    return resources_dir() / "pricebooks" / "sample.csv"
