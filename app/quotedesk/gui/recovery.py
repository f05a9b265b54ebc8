"""Crash recovery: the quote being edited, written on every edit, removed once saved.

A crash or power cut between two autosaves loses nothing: the next start offers the
file back. It lives in the user state directory, apart from the quote database.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import platformdirs
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QMessageBox, QWidget

from quotedesk.core.io.files import read_at_most
from quotedesk.core.quotes.model import MAX_QUOTE_FILE_BYTES, quote_json, read_quote_json


def default_recovery_path() -> Path:
    return Path(platformdirs.user_state_dir("quotedesk", appauthor=False)) / "recovery.json"


class RecoveryFile:
    def __init__(self, path: Path) -> None:
        self.path = path

    def write(self, quote_file: dict[str, Any], number: str | None) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_suffix(".tmp")
        # quote_json: a number kept as its own text (R-Q-5) comes back as that number.
        partial.write_text(quote_json({"number": number, "quote": quote_file}), encoding="utf-8")
        os.replace(partial, self.path)  # never a half-written recovery file

    def read(self) -> tuple[dict[str, Any], str | None] | None:
        """The quote left behind and its stored number, or None when there is none (an
        unreadable file counts as none: it is what a crash mid-write would leave)."""
        try:
            text = read_at_most(self.path, MAX_QUOTE_FILE_BYTES, "a quote file").decode()
            data = read_quote_json(text)
        except (OSError, ValueError):  # TooLarge and UnicodeDecodeError too
            return None
        if not isinstance(data, dict) or not isinstance(data.get("quote"), dict):
            return None
        number = data.get("number")
        return data["quote"], number if isinstance(number, str) else None

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)


def quote_name(window: QWidget, quote_file: dict[str, Any], number: str | None) -> str:
    """The quote left behind as a person knows it: its number and customer."""
    customer = quote_file.get("customer")
    name = customer.get("name") if isinstance(customer, dict) else None
    name = name.strip() if isinstance(name, str) else ""
    if number and name:
        return window.tr("{0} for {1}").format(number, name)
    if number:
        return number
    if name:
        return window.tr("the unsaved new quote for {0}").format(name)
    return window.tr("an unsaved new quote")


def ask_to_recover(
    window: QWidget, quote_file: dict[str, Any], number: str | None, answer: Callable[[bool], None]
) -> QMessageBox | None:
    """Ask over the shown window (window-modal, not before it is drawn) whether to recover
    the quote; `answer(True)` when the user says yes, `answer(False)` otherwise."""
    if not window.isVisible():
        QTimer.singleShot(50, lambda: ask_to_recover(window, quote_file, number, answer))
        return None
    box = QMessageBox(
        QMessageBox.Icon.Question,
        window.tr("Recover quote"),
        window.tr("Quote Desk was closed before the last changes to {0} were saved. "
            "Recover them?").format(quote_name(window, quote_file, number)),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        window,
    )  # fmt: skip
    box.setDefaultButton(QMessageBox.StandardButton.Yes)
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.finished.connect(lambda result: answer(result == QMessageBox.StandardButton.Yes))
    box.open()
    return box
