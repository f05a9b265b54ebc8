"""Revision history: pick two revisions and see what changed, side by side."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from quotedesk.core.records import StoredRevision
from quotedesk.i18n import Formatter

TOTALS = ("subtotal", "discount_total", "net_total", "admin_fee", "tax_total", "total")
_Index = QModelIndex | QPersistentModelIndex


def flatten(value: Any, prefix: str = "") -> dict[str, str]:
    """`{"customer": {"name": "A"}, "lines": [{"users": 5}]}` ->
    `{"customer.name": "A", "lines[0].users": "5"}`, for a field-by-field comparison."""
    out: dict[str, str] = {}
    if isinstance(value, dict):
        for key, item in value.items():
            out.update(flatten(item, f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(value, list) and prefix == "lines":
        for i, item in enumerate(value):
            out.update(flatten(item, f"line {i}"))
    elif isinstance(value, list):
        out[prefix] = ", ".join(str(v) for v in value)
    else:
        out[prefix] = "" if value is None else str(value)
    return out


def revision_diff(a: StoredRevision, b: StoredRevision) -> list[tuple[str, str, str]]:
    """(field, value in a, value in b) for every quote field, line field or total that
    differs between the two revisions."""
    left, right = flatten(a.quote_file), flatten(b.quote_file)
    left.pop("schema", None)
    right.pop("schema", None)
    rows = [
        (field, left.get(field, ""), right.get(field, ""))
        for field in sorted(set(left) | set(right), key=_field_order)
        if left.get(field, "") != right.get(field, "")
    ]
    for name in TOTALS:
        before, after = str(a.priced.get(name, "")), str(b.priced.get(name, ""))
        if before != after:
            rows.append((f"= {name.replace('_', ' ')}", before, after))
    return rows


def _field_order(field: str) -> tuple[int, int, str]:
    if field.startswith("line "):
        number, _, rest = field[5:].partition(".")
        return (1, int(number), rest)
    return (0, 0, field)


class DiffModel(QAbstractTableModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: tuple[tuple[str, str, str], ...] = ()
        self._titles = ("", "", "")

    def set_diff(self, rows: list[tuple[str, str, str]], a: str, b: str) -> None:
        self.beginResetModel()
        self._rows = tuple(rows)
        self._titles = (self.tr("Field"), a, b)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 3

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < 3
        ):
            return self._titles[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return row[index.column()]
        if role == Qt.ItemDataRole.BackgroundRole and index.column():
            return QBrush(QColor("#fde7e9" if index.column() == 1 else "#e6f4ea"))
        return None


class HistoryDialog(QDialog):
    def __init__(
        self, revisions: list[StoredRevision], fmt: Formatter, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.revisions = revisions
        self.fmt = fmt
        self.setWindowTitle(self.tr("History of {0}").format(revisions[0].number))
        self.resize(760, 480)
        self.left, self.right = QComboBox(), QComboBox()
        for revision in revisions:
            text = self._describe(revision)
            self.left.addItem(text)
            self.right.addItem(text)
        self.left.setCurrentIndex(max(len(revisions) - 2, 0))
        self.right.setCurrentIndex(len(revisions) - 1)
        self.model = DiffModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(True)
        self.summary = QLabel()
        pickers = QHBoxLayout()
        pickers.addWidget(self.left, 1)
        pickers.addWidget(QLabel("→"))
        pickers.addWidget(self.right, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(pickers)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.left.currentIndexChanged.connect(self.compare)
        self.right.currentIndexChanged.connect(self.compare)
        self.compare()

    def _describe(self, revision: StoredRevision) -> str:
        status = revision.status.replace("_", " ")
        who = f", {revision.signed_off_by}" if revision.signed_off_by else ""
        return f"{revision.label} — {status}{who} — {self.fmt.day(revision.created_at.date())}"

    def compare(self) -> None:
        a = self.revisions[self.left.currentIndex()]
        b = self.revisions[self.right.currentIndex()]
        rows = revision_diff(a, b)
        self.model.set_diff(rows, a.label, b.label)
        self.summary.setText(
            self.fmt.plural("ui.differences", len(rows)) if rows else self.tr("No differences")
        )
        self.table.resizeRowsToContents()
