"""Price-book import: the CSV is checked off the GUI thread, with progress and cancel;
rows that fail are listed with their reasons and nothing is imported until all pass."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from quotedesk.core import PriceBook, PriceBookError, parse_price_book, parse_quote
from quotedesk.core.io.files import TooLarge, read_at_most
from quotedesk.core.price_book import MAX_PRICE_BOOK_BYTES, RowError
from quotedesk.gui.background import Cancelled, Progress
from quotedesk.gui.problems_panel import shown_value
from quotedesk.gui.screen_fit import fit_to_screen
from quotedesk.i18n import Formatter
from quotedesk.operations.quotes import price_quote

if TYPE_CHECKING:
    from quotedesk.gui.open_quote import OpenQuote


class CheckResult(NamedTuple):
    path: Path
    data: bytes
    errors: tuple[RowError, ...] = ()
    fatal: str | None = None  # the file cannot be a price book at all
    cancelled: bool = False


class _Cancelled(Exception):
    pass


def price_book_check(path: Path, progress: Progress, cancelled: Cancelled) -> CheckResult:
    """Reads and checks a price-book CSV (a job's work), showing progress and honouring a
    cancel every few thousand rows. Touches no database: the GUI thread, whose store it
    is, does the final import."""
    try:
        data = read_at_most(path, MAX_PRICE_BOOK_BYTES, "a price book")
    except OSError as exc:
        return CheckResult(path, b"", fatal=f"{path.name}: cannot read ({exc.strerror})")
    except TooLarge as exc:
        return CheckResult(path, b"", fatal=f"{path.name}: {exc}")
    if not data.strip():
        return CheckResult(path, data, fatal=f"{path.name}: the file is empty")

    def step(percent: int) -> None:
        if cancelled():
            raise _Cancelled
        progress(percent)

    try:
        _, errors = parse_price_book(data, path.name, step)
    except _Cancelled:
        return CheckResult(path, data, cancelled=True)
    except PriceBookError as exc:
        return CheckResult(path, data, fatal=str(exc))
    return CheckResult(path, data, tuple(errors))


class FailedRowsDialog(QDialog):
    def __init__(self, result: CheckResult, fmt: Formatter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Price book not imported"))
        count = len(result.errors)
        summary = QLabel(fmt.plural("ui.rows_unreadable", count, file=result.path.name))
        summary.setWordWrap(True)
        self.rows = QListWidget()
        value = shown_value(fmt)
        line = self.tr("Line {0}: {1}")
        self.rows.addItems(
            [line.format(e.line, e.reason.text(fmt.language, value)) for e in result.errors]
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(self.rows, 1)
        layout.addWidget(buttons)
        fit_to_screen(self, QSize(640, 400))


def ask_to_reprice(parent: QWidget, draft: OpenQuote | None, book: PriceBook, name: str) -> bool:
    """Whether the open quote is to be priced with the imported `book`: asked, with its
    totals before → after, when that changes them; a signed-off quote keeps its prices."""
    if draft is None or draft.read_only:
        return False
    quote = parse_quote(draft.data, "quote")
    new = price_quote(quote, book, draft.rules, draft.today, draft.profile).to_dict()
    old = draft.view
    fields = (
        (parent.tr("Subtotal"), "subtotal"),
        (parent.tr("Net"), "net_total"),
        (parent.tr("Total"), "total"),
    )
    if all(old.get(key) == new[key] for _, key in fields):
        return True  # nothing a person sees changes
    money = draft.formatter.money
    changes = "\n".join(
        f"{label}: {money(old[key], old['currency'])} → {money(new[key], new['currency'])}"
        for label, key in fields
    )
    answer = QMessageBox.question(
        parent,
        parent.tr("Re-price the open quote?"),
        parent.tr("Price the open quote with {0}?").format(name) + "\n\n" + changes,
    )
    return answer == QMessageBox.StandardButton.Yes
