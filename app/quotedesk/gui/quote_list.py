"""The stored quotes: a search box, a status filter and a sortable table listing every
revision, each quote's latest first with its earlier revisions beneath it, whichever
column the list is sorted by."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QHideEvent, QPalette, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from quotedesk.core.quotes.lifecycle import Status
from quotedesk.i18n import Formatter

if TYPE_CHECKING:  # the list gets its rows from the store once it is open
    from quotedesk.core.records import StoredRevision
    from quotedesk.store import QuoteStore, QuoteSummary

NumberRole = Qt.ItemDataRole.UserRole + 2
RevisionRole = Qt.ItemDataRole.UserRole + 3  # the row's very revision, "QD-2026-00001-R1"
STATUS_LABELS = {
    Status.DRAFT: "Draft",
    Status.SIGNED_OFF: "Signed off",
    Status.SENT: "Sent",
    Status.ACCEPTED: "Accepted",
    Status.EXPIRED: "Expired",
}
_Index = QModelIndex | QPersistentModelIndex


class QuoteListModel(QAbstractTableModel):
    """Reset from an immutable snapshot of QuoteSummary rows. In a team the fourth
    column says whose each quote is (`owners`, by quote number)."""

    TITLES = ("Quote", "Status", "Total", "Owner")

    def __init__(self, formatter: Formatter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.formatter = formatter
        self._rows: tuple[QuoteSummary, ...] = ()
        # Each quote's newest revision listed: the row its earlier revisions sit under.
        self._heads: dict[str, QuoteSummary] = {}
        self._sort_keys: dict[int, list[tuple[object, ...]]] = {}  # by column, made once
        self.owners: dict[str, str] | None = None  # None: single-user, no Owner column

    def row(self, index: QModelIndex) -> QuoteSummary:
        return self._rows[index.row()]

    def set_rows(self, rows: list[QuoteSummary], owners: dict[str, str] | None = None) -> None:
        self.beginResetModel()
        self._rows = tuple(rows)
        self.owners = owners
        self._heads, self._sort_keys = {}, {}
        for row in rows:
            head = self._heads.get(row.number)
            if head is None or row.revision > head.revision:
                self._heads[row.number] = row
        self.endResetModel()

    def sort_keys(self, column: int) -> list[tuple[object, ...]]:
        """Where each row sorts by `column`: by its quote's newest revision listed, so a
        quote's rows stay together, then by revision, newest first."""
        keys = self._sort_keys.get(column)
        if keys is None:
            keys = self._sort_keys[column] = []
            for own in self._rows:
                head = self._heads[own.number]
                value: object = (head.number, head.status, head.total, self._owner(head))[column]
                keys.append((value, head.number, -own.revision))
        return keys

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid():
            return 0
        return len(self.TITLES) if self.owners is not None else len(self.TITLES) - 1

    def _owner(self, row: QuoteSummary) -> str:
        return (self.owners or {}).get(row.number, "")

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.TITLES):
            if role == Qt.ItemDataRole.DisplayRole:
                return self.tr(self.TITLES[section])
            if role == Qt.ItemDataRole.TextAlignmentRole and section == 2:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == NumberRole:
            return row.number
        if role == RevisionRole:
            return row.key
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{row.label} · {self.formatter.day(row.quote_date)}\n{row.products}"
        if role == Qt.ItemDataRole.ForegroundRole and not row.latest:
            return QApplication.palette().placeholderText()  # an earlier revision
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column == 0:  # two lines: the list stays readable beside the editor
            if self._heads[row.number] is not row:  # under the quote's newest revision
                return f"   ↳ {row.label}\n      {row.customer or '—'}"
            return f"{row.label}\n{row.customer or '—'}"
        if column == 1:
            return self.tr(STATUS_LABELS.get(row.status, row.status))
        if column == 3:
            return self._owner(row) or "—"  # made before this laptop joined: its own
        return self.formatter.money(row.total, row.currency)


class _QuotesSorted(QSortFilterProxyModel):
    """Sorts by the column chosen, either way, keeping each quote's earlier revisions
    right under its newest (Qt sorts descending by asking lessThan the other way round,
    so within a quote the order is turned back)."""

    def __init__(self, model: QuoteListModel) -> None:
        super().__init__(model)
        self.setSourceModel(model)
        self._model = model

    def lessThan(self, left: _Index, right: _Index) -> bool:
        keys = self._model.sort_keys(left.column())
        a, b = keys[left.row()], keys[right.row()]
        if a[1] == b[1] and self.sortOrder() == Qt.SortOrder.DescendingOrder:
            return b < a  # one quote's rows: newest first either way
        return a < b


class QuoteListPanel(QWidget):
    quote_chosen = Signal(str)
    PAGE = 500

    def __init__(self, formatter: Formatter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store: QuoteStore | None = None
        self.in_team = False  # the Owner column, once team mode shows it
        self.current: str | None = None  # the revision open in the editor ("…-R1")
        self.search = QLineEdit(placeholderText=self.tr("Search quotes (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.status = QComboBox()
        self.status.addItem(self.tr("All"), "")
        for value, label in STATUS_LABELS.items():
            self.status.addItem(self.tr(label), value)
        self.model = QuoteListModel(formatter, self)
        self.proxy = _QuotesSorted(self.model)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # Several rows can be selected for a batch export; a plain click opens a quote.
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.activated.connect(self._chosen)
        self.table.clicked.connect(self._chosen)

        self.empty = QLabel(self.tr("No quotes match"))
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.empty.hide()

        filters = QHBoxLayout()
        filters.addWidget(self.search, 1)
        filters.addWidget(self.status)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 0, 6)
        layout.addLayout(filters)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)

        # Searching as one types, without a query per keystroke.
        self._search_timer = QTimer(self, singleShot=True, interval=200)
        self._search_pending = False
        self._search_timer.timeout.connect(self.reload)
        self.search.textChanged.connect(self._search_timer.start)
        self.status.currentIndexChanged.connect(self.reload)

    def hideEvent(self, event: QHideEvent) -> None:
        # A search still waiting runs when the list is shown again, not against a store
        # that may be closed by then (the window closing).
        if self._search_timer.isActive():
            self._search_timer.stop()
            self._search_pending = True
        super().hideEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._search_pending:
            self._search_pending = False
            self.reload()

    def set_store(self, store: QuoteStore) -> None:
        self.store = store
        self.reload()

    def reload(self) -> None:
        if self.store is None:
            return
        search = self.search.text().strip() or None
        status = self.status.currentData() or None
        rows = self.store.list_revisions(search, status, limit=self.PAGE)
        if self.in_team:
            from quotedesk.store.team import owners

            self.model.set_rows(rows, owners(self.store))
        else:
            self.model.set_rows(rows)
        self.empty.setVisible(not rows and bool(search or status))
        self.mark(self.current)

    def selected(self) -> list[QuoteSummary]:
        """The selected quotes, in the order the list shows them."""
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [self.model.row(self.proxy.mapToSource(self.proxy.index(row, 0))) for row in rows]

    def mark(self, shown: StoredRevision | str | None) -> None:
        """Select the row of the revision open in the editor (none for a new quote),
        keeping a selection of several rows that includes it."""
        if shown is not None and not isinstance(shown, str):
            shown = shown.key
        self.current = shown
        if shown is not None and shown in {q.key for q in self.selected()}:
            return
        self.table.clearSelection()
        if shown is None:
            return
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if self.proxy.data(index, RevisionRole) == shown:
                self.table.selectRow(row)
                self.table.scrollTo(index)
                return

    def _chosen(self, index: QModelIndex) -> None:
        if QApplication.keyboardModifiers() & (
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
        ):
            return  # extending the selection, not opening a quote
        number = index.data(RevisionRole)
        if number:
            self.quote_chosen.emit(number)
