"""The main window's price-book actions: import a CSV (checked in a worker thread) and
choose the book new quotes are priced with."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QInputDialog, QMessageBox

from quotedesk.operations.price_books import choose_price_book, import_price_book

if TYPE_CHECKING:
    from quotedesk.gui.context import WindowContext
    from quotedesk.gui.price_book_import import CheckResult, FailedRowsDialog


class PriceBookActions(QObject):
    def __init__(self, context: WindowContext) -> None:
        super().__init__(context.widget())
        self.context = context
        self.failed_rows: FailedRowsDialog | None = None

    def import_price_book_dialog(self) -> None:
        path = self.context.ask_file(self.tr("Import price book"), self.tr("Price book (*.csv)"))
        if path:
            self.import_price_book(path)

    def import_price_book(self, path: Path) -> None:
        """Check the CSV in a worker thread; import and activate it when every row passes."""
        from quotedesk.gui.price_book_import import price_book_check  # with the store: late

        self.context.start_job(
            "import", partial(price_book_check, path), self.tr("Checking {0}…").format(path.name),
            self._finish_import, busy=self.tr("A price book is already being imported."),
        )  # fmt: skip

    def _finish_import(self, result: CheckResult) -> None:
        if result.cancelled:
            self.context.show_status(self.tr("Price book import cancelled"), 5000)
        elif result.fatal:
            self.context.tell(result.fatal, QMessageBox.Icon.Warning)
        elif result.errors:
            from quotedesk.gui.price_book_import import FailedRowsDialog  # loaded by the check

            self.failed_rows = FailedRowsDialog(
                result, self.context.formatter, self.context.widget()
            )
            self.failed_rows.setWindowModality(Qt.WindowModality.WindowModal)
            self.context.announce(self.failed_rows.windowTitle())
            self.failed_rows.open()
        else:
            from quotedesk.gui.price_book_import import ask_to_reprice  # loaded by the check

            imported = import_price_book(self.context.store, result.data, str(result.path))
            version, created = imported.version, imported.created
            reprice = ask_to_reprice(
                self.context.widget(), self.context.draft, imported.book, result.path.name
            )
            self.context.refresh(imported.changes, reprice_open_quote=reprice)
            self.context.show_status(
                self.context.formatter.plural(
                    "ui.price_book_imported", version.row_count, file=result.path.name
                )
                if created
                else self.tr("Price book {0} was already imported: now in use").format(
                    result.path.name
                ),
                8000,
            )

    def choose_price_book(self) -> None:
        versions = self.context.store.price_books()
        items = [self.tr("Illustrative sample price book")] + [
            f"{v.label.split(' sha256:')[0]} — {self.context.formatter.day(v.imported_at.date())}"
            for v in versions
        ]
        active = self.context.store.active_price_book()
        current = active.sha256 if active is not None else None
        index = next((i + 1 for i, v in enumerate(versions) if v.sha256 == current), 0)
        item, ok = QInputDialog.getItem(
            self.context.widget(), self.tr("Price book"), self.tr("Price quotes with:"), items,
            index, False,
        )  # fmt: skip
        if not ok:
            return
        chosen = items.index(item)
        self.use_price_book(versions[chosen - 1].id if chosen else None)

    def use_price_book(self, version_id: int | None, reprice_open_quote: bool = True) -> None:
        """Price new quotes (and, unless told not to, the open one) with a kept version;
        None: the sample. `quotedesk import` and `quotes add` price with it too."""
        _, changes = choose_price_book(self.context.store, version_id)
        self.context.refresh(changes, reprice_open_quote=reprice_open_quote)
