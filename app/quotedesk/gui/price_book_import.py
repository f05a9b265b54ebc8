"""Price-book import: the CSV is checked off the GUI thread, with progress and cancel;
rows that fail are listed with their reasons and nothing is imported until all pass."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QVBoxLayout,
    QWidget,
)

from quotedesk.core import PriceBookError, parse_price_book
from quotedesk.core.catalog import MAX_PRICE_BOOK_BYTES, RowError
from quotedesk.gui.background import Worker
from quotedesk.i18n import Formatter

CHUNK_ROWS = 2000


class CheckResult(NamedTuple):
    path: Path
    data: bytes
    errors: tuple[RowError, ...] = ()
    fatal: str | None = None  # the file cannot be a price book at all
    cancelled: bool = False


class PriceBookCheck(Worker):
    """Reads and checks a price-book CSV in chunks so that progress can be shown and a
    cancel is honoured between chunks. Touches no database: the SQLite connection belongs
    to the GUI thread, which does the final import."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path

    def work(self) -> CheckResult:
        path = self.path
        try:
            size = path.stat().st_size
            if size > MAX_PRICE_BOOK_BYTES:
                return CheckResult(
                    path, b"",
                    fatal=f"{path.name}: {size / 1_048_576:.0f} MB is too large for a price "
                    f"book (limit {MAX_PRICE_BOOK_BYTES // 1_048_576} MB)",
                )  # fmt: skip
            data = path.read_bytes()
        except OSError as exc:
            return CheckResult(path, b"", fatal=f"{path.name}: cannot read ({exc.strerror})")
        try:
            lines = data.decode("utf-8-sig").splitlines(keepends=True)
        except UnicodeDecodeError:
            return CheckResult(path, data, fatal=f"{path.name}: not UTF-8 text")
        if not lines:
            return CheckResult(path, data, fatal=f"{path.name}: the file is empty")
        header, body = lines[0], lines[1:]
        errors: list[RowError] = []
        for start in range(0, max(len(body), 1), CHUNK_ROWS):
            if self.cancelled:
                return CheckResult(path, data, cancelled=True)
            chunk = (header + "".join(body[start : start + CHUNK_ROWS])).encode()
            try:
                _, chunk_errors = parse_price_book(chunk, path.name)
            except PriceBookError as exc:
                if start == 0 and "no price rows" not in str(exc):
                    return CheckResult(path, data, fatal=str(exc))
                continue  # a chunk of blank lines
            # Line numbers in the chunk count from its own header: shift them back.
            errors += [RowError(e.line + start, e.message) for e in chunk_errors]
            self.progress.emit(min(100, (start + CHUNK_ROWS) * 100 // max(len(body), 1)))
        return CheckResult(path, data, tuple(errors))


class FailedRowsDialog(QDialog):
    def __init__(self, result: CheckResult, fmt: Formatter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Price book not imported"))
        self.resize(640, 400)
        count = len(result.errors)
        summary = QLabel(fmt.plural("ui.rows_unreadable", count, file=result.path.name))
        summary.setWordWrap(True)
        self.rows = QListWidget()
        self.rows.addItems([self.tr("Line {0}: {1}").format(e.line, e.message)
                            for e in result.errors])  # fmt: skip
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(self.rows, 1)
        layout.addWidget(buttons)
