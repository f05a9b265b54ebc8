"""Crash recovery: the quote being edited, written on every edit, removed once saved.

A crash or power cut between two autosaves loses nothing: the next start offers the
file back. It lives in the user state directory, apart from the quote database.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import platformdirs


def default_recovery_path() -> Path:
    return Path(platformdirs.user_state_dir("quotedesk", appauthor=False)) / "recovery.json"


class RecoveryFile:
    def __init__(self, path: Path) -> None:
        self.path = path

    def write(self, quote_file: dict[str, Any], number: str | None) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_suffix(".tmp")
        partial.write_text(
            json.dumps({"number": number, "quote": quote_file}, ensure_ascii=False),
            encoding="utf-8",
        )
        os.replace(partial, self.path)  # never a half-written recovery file

    def read(self) -> tuple[dict[str, Any], str | None] | None:
        """The quote left behind and its stored number, or None when there is none (an
        unreadable file counts as none: it is what a crash mid-write would leave)."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or not isinstance(data.get("quote"), dict):
            return None
        number = data.get("number")
        return data["quote"], number if isinstance(number, str) else None

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)
