"""The Renewals view: licences expiring in the next 30/60/90 days with
filters, and *Create renewal quotes* for the selected ones, one draft per customer, made
in the background (operations.renewals.renew, which `quotedesk licences renew` uses too).

The list is a model over pages of rows fetched as the view scrolls (fetchMore), filtered
and sorted in SQL over the end-date index, so 50,000 licences draw as fast as 50."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
)

from quotedesk.core import PriceBook, RuleTables
from quotedesk.core.io.files import MB, TooLarge, read_at_most
from quotedesk.core.price_book import RowError
from quotedesk.core.problems import Refused
from quotedesk.core.quotes.model import EDITIONS
from quotedesk.gui.background import Cancelled, Progress, Work, on_store
from quotedesk.gui.context import give_focus_back
from quotedesk.gui.open_quote import DEPLOYMENT_LABELS
from quotedesk.gui.problems_panel import error_text, shown_value
from quotedesk.gui.screen_fit import fit_to_screen
from quotedesk.i18n import Formatter
from quotedesk.operations.changes import OpChanges
from quotedesk.operations.licences import ImportedLicences, import_licences
from quotedesk.operations.renewals import renew
from quotedesk.store import QuoteStore, StoreError
from quotedesk.store.licences import (
    MAX_CSV_BYTES,
    Filters,
    ImportCancelled,
    LicenceImportError,
    LicenceRegister,
)

if TYPE_CHECKING:
    from quotedesk.gui.context import WindowContext

WINDOWS = (30, 60, 90, None)  # days ahead; None: every licence
PAGE_ROWS = 200
Index = QModelIndex | QPersistentModelIndex


class LicenceModel(QAbstractTableModel):
    """Register rows (COLUMNS order plus id) fetched a page at a time."""

    TITLES = ("End date", "Licence", "Product", "Deployment", "Edition", "Users", "Customer")

    def __init__(
        self,
        register: LicenceRegister,
        names: dict[str, str] | None = None,
        formatter: Formatter | None = None,
    ) -> None:
        super().__init__()
        self.register = register
        self.names = names or {}  # product -> its name in the price book
        self.formatter = formatter or Formatter()
        self.filters: Filters | None = None
        self.total = 0
        self.rows: list[tuple[Any, ...]] = []

    def set_filters(self, filters: Filters) -> None:
        self.beginResetModel()
        self.filters = filters
        self.total = self.register.count(filters)
        self.rows = self.register.rows(filters, PAGE_ROWS) if self.total else []
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.TITLES)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and len(self.rows) < self.total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self.filters is None:
            return
        more = self.register.rows(self.filters, PAGE_ROWS, len(self.rows))
        if more:
            self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(more) - 1)
            self.rows += more
            self.endInsertRows()
        else:  # the register shrank meanwhile
            self.total = len(self.rows)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(self.TITLES[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.UserRole:
            return row[-1]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 5:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        licence, product, deployment, edition, _billing, users, end, customer, country = row[:9]
        return (
            self.formatter.day(end),
            licence or "—",
            self.names.get(product, product),
            self.tr(DEPLOYMENT_LABELS[deployment]),
            self.tr(edition.capitalize()) if edition else "",
            f"{users:,}",
            f"{customer} ({country})",
        )[index.column()]

    def ids(self, rows: list[int]) -> list[int]:
        return [self.rows[r][-1] for r in sorted(rows)]


class RenewalResult(NamedTuple):
    labels: tuple[str, ...]
    cancelled: bool = False
    error: StoreError | Refused | None = None
    changes: OpChanges = OpChanges()


def renewal_run(
    db_path: Path, ids: list[int], book: PriceBook, rules: RuleTables, today: date
) -> Work[RenewalResult]:
    """Makes the renewal quotes; stops between quotes when cancelled."""

    def work(store: QuoteStore, progress: Progress, cancelled: Cancelled) -> RenewalResult:
        def step(done: int, total: int) -> bool:
            progress(done * 100 // max(total, 1))
            return not cancelled()

        licences = LicenceRegister(store).by_ids(ids)
        renewed = renew(store, licences, book, rules, today, step=step)
        labels = tuple(s.label for _, s in renewed.made)
        return RenewalResult(labels, cancelled=cancelled(), changes=renewed.changes)

    return on_store(db_path, work, lambda error: RenewalResult((), error=error))


class ImportResult(NamedTuple):
    imported: ImportedLicences | None = None  # None: cancelled, or refused (error / row_errors)
    error: StoreError | Refused | None = None  # shown in the window's language (error_text)
    row_errors: tuple[RowError, ...] = ()
    source: str = ""  # the file the row errors are in


def licence_import(db_path: Path, path: Path, book: PriceBook) -> Work[ImportResult]:
    """Reads, checks and imports a licence CSV; a cancel rolls the whole import back."""

    def run(progress: Progress, cancelled: Cancelled) -> ImportResult:
        # The file first: one that cannot be read never opens (or creates) the database.
        try:
            data = read_at_most(path, MAX_CSV_BYTES, "a licence file")
        except OSError as exc:
            detail = exc.strerror or str(exc)
            error = StoreError.coded("licence.file.cannot_read", source=path.name, detail=detail)
            return ImportResult(error=error)
        except TooLarge:
            limit = MAX_CSV_BYTES // MB
            error = StoreError.coded("licence.file.too_large", source=path.name, limit=limit)
            return ImportResult(error=error)

        def work(store: QuoteStore, progress: Progress, cancelled: Cancelled) -> ImportResult:
            def step(done: int, total: int) -> bool:
                progress(done * 100 // max(total, 1))
                return not cancelled()

            try:
                return ImportResult(import_licences(store, data, path.name, book, step))
            except LicenceImportError as exc:
                return ImportResult(row_errors=tuple(exc.errors), source=exc.source)
            except ImportCancelled:
                return ImportResult()

        return on_store(db_path, work, lambda e: ImportResult(error=e))(progress, cancelled)

    return run


class RenewalsView(QDialog):
    """A window beside the main one (not modal): filter, select, create."""

    def __init__(self, context: WindowContext) -> None:
        super().__init__(context.widget())
        self.context = context
        self.setWindowTitle(self.tr("Renewals"))
        book = context.book
        names = {row.product: book.name_of(row.product) or row.product for row in book.rows}
        self.model = LicenceModel(LicenceRegister(context.store), names, context.formatter)

        self.within = QComboBox()
        for days in WINDOWS:
            text = self.tr("{0} days").format(days) if days else self.tr("All")
            self.within.addItem(text, days)
        self.customer = QLineEdit()
        self.customer.setPlaceholderText(self.tr("Customer"))
        self.product = QComboBox()
        self.product.addItem(self.tr("All products"), "")
        for product in sorted(names):
            self.product.addItem(names[product], product)
        self.deployment = QComboBox()
        self.deployment.addItem(self.tr("All deployments"), "")
        for key, label in DEPLOYMENT_LABELS.items():
            self.deployment.addItem(self.tr(label), key)
        filters = QHBoxLayout()
        within = QLabel(self.tr("Expiring &within"))
        within.setBuddy(self.within)
        filters.addWidget(within)
        for widget in (self.within, self.customer, self.product, self.deployment):
            filters.addWidget(widget)

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)  # Tab leaves the list for the buttons
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.count = QLabel()  # the licences listed, and how many of them are selected
        self.outcome = QLabel()  # what the last import or renewal run did
        self.outcome.setWordWrap(True)
        self.outcome.hide()
        self.import_button = QPushButton(self.tr("&Import CSV…"))
        self.create_button = QPushButton(self.tr("&Create renewal quotes"))
        self.create_button.setDefault(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.count, 1)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.create_button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.outcome)
        layout.addLayout(buttons)

        self.within.currentIndexChanged.connect(self.refresh)
        self.customer.textChanged.connect(self.refresh)
        self.product.currentIndexChanged.connect(self.refresh)
        self.deployment.currentIndexChanged.connect(self.refresh)
        self.import_button.clicked.connect(lambda: context.run(self.import_dialog))
        self.create_button.clicked.connect(lambda: context.run(self.create_renewals))
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.changes = -1  # the store connection's total_changes when last drawn
        self.refresh()
        self.fit_columns()
        fit_to_screen(self, QSize(900, 520))

    def fit_columns(self) -> None:
        """Each column as wide as its title and the longest text it can hold in this
        language (the Customer column takes the rest): no date, deployment or amount is
        elided, and filtering does not make the columns jump."""
        texts = self.table.fontMetrics()
        titles = self.table.horizontalHeader().fontMetrics()
        samples = (
            [self.model.formatter.day(date(2027, month, 28)) for month in range(1, 13)],
            ["https://your-company.atlassian.net", "SEN-123456789012"],
            list(self.model.names.values()),
            [self.tr(label) for label in DEPLOYMENT_LABELS.values()],
            [self.tr(edition.capitalize()) for edition in EDITIONS],
            ["10,000,000"],
        )
        for column, texts_of_column in enumerate(samples):
            title = (
                titles.horizontalAdvance(
                    self.model.headerData(
                        column, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole
                    )
                )
                + 16
            )
            widest = max((texts.horizontalAdvance(t) for t in texts_of_column), default=0) + 12
            self.table.setColumnWidth(column, max(title, widest))

    def filters(self) -> Filters:
        return Filters(
            self.context.today,
            self.within.currentData(),
            self.customer.text().strip(),
            self.product.currentData(),
            self.deployment.currentData(),
        )

    def refresh(self) -> None:
        self.changes = self.context.store.db.conn.total_changes
        self.model.set_filters(self.filters())
        self._selection_changed()

    def licences_changed(self) -> None:
        """The register changed (an import, a sign-off): drawn again now, or when shown."""
        if self.isVisible():
            self.refresh()
        else:
            self.changes = -1

    def refresh_if_changed(self) -> None:
        """Draw the list again if this window wrote to the database since (a sign-off
        adds or renews licences); not while hidden: showing it again calls this."""
        if self.isVisible() and self.context.store.db.conn.total_changes != self.changes:
            self.refresh()

    def _selection_changed(self) -> None:
        selected = len(self.table.selectionModel().selectedRows())
        self.create_button.setEnabled(selected > 0)
        formatter, total = self.context.formatter, self.model.total
        self.count.setText(
            formatter.plural("ui.licences_selected", selected, total=total)
            if selected
            else formatter.plural("ui.licences", total)
        )

    def _say(self, text: str) -> None:
        """The outcome of an import or a renewal run, kept in the view until the next."""
        self.outcome.setText(text)
        self.outcome.setVisible(bool(text))

    def import_dialog(self) -> None:
        path = self.context.ask_file(self.tr("Import licences"), self.tr("Licence CSV (*.csv)"))
        if path:
            self.import_csv(path)

    def import_csv(self, path: Path) -> None:
        context = self.context
        context.start_job(
            "licences", licence_import(context.store.path, path, context.book),
            self.tr("Importing licences…"), self._imported,
            self.tr("Licences are already being imported."),
        )  # fmt: skip

    def _imported(self, result: ImportResult) -> None:
        context, fmt = self.context, self.context.formatter
        if result.error:
            text = error_text(result.error, fmt)
            self._say(text)
            context.tell(text, over=self.import_button)
        elif result.row_errors:
            errors = result.row_errors
            heading = fmt.plural("licence.nothing_imported", len(errors), file=result.source)
            value = shown_value(fmt)
            shown = "\n".join(e.text(fmt.language, value) for e in errors[:20])
            more = self.tr(" and {0} more").format(len(errors) - 20) if len(errors) > 20 else ""
            self._say(heading)
            context.tell(f"{heading}:\n{shown}{more}", over=self.import_button)
        else:
            if result.imported is None:
                message = self.tr("Import cancelled: nothing changed")
            else:
                imported = result.imported.imported
                context.refresh(result.imported.changes)
                message = fmt.plural(
                    "ui.licences_imported",
                    imported.added + imported.updated,
                    added=imported.added,
                    updated=imported.updated,
                )
            self._say(message)
            context.show_status(message, 8000)
            if self.isVisible():
                give_focus_back(self.import_button)

    def create_renewals(self) -> None:
        rows = [index.row() for index in self.table.selectionModel().selectedRows()]
        if not rows:
            return
        context = self.context
        run = renewal_run(context.store.path, self.model.ids(rows), context.book, context.rules,
                          context.today)  # fmt: skip
        context.start_job(
            "renewals", run, self.tr("Creating renewal quotes…"), self._created,
            self.tr("Renewal quotes are already being created."),
        )  # fmt: skip

    def _created(self, result: RenewalResult) -> None:
        context = self.context
        if result.error:
            text = error_text(result.error, context.formatter)
            self._say(text)
            context.tell(text, over=self.create_button)
            return
        context.refresh(result.changes)
        code = "ui.renewals_stopped" if result.cancelled else "ui.renewals_made"
        labels = ", ".join(result.labels)
        message = context.formatter.plural(code, len(result.labels), labels=labels)
        self._say(message)
        context.show_status(message, 15000)
        if result.labels:
            context.open_stored(result.labels[0])


def show_renewals(context: WindowContext) -> RenewalsView:
    """The window's one Renewals view, made on first use."""
    view = context.widget().findChild(RenewalsView)
    if view is None:
        view = RenewalsView(context)
    view.show()
    view.refresh_if_changed()
    view.raise_()
    view.activateWindow()
    return view
