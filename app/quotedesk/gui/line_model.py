"""The quote's lines as a table: one row per line of the quote file.

The rows are the quote file's line dicts owned by the draft; the amount columns come
from the priced result (a quote line's own row plus its credit and addition rows).
Edits go back through the draft as undoable commands, never straight into the dicts.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from quotedesk.core.renewals import was_price

if TYPE_CHECKING:
    from quotedesk.gui.draft import QuoteDraft

ChoicesRole = Qt.ItemDataRole.UserRole + 1  # [(value, label), ...] for a picker cell
RangeRole = Qt.ItemDataRole.UserRole + 2  # (minimum, maximum) for a number cell


class Column(NamedTuple):
    key: str  # the quote-file field the column edits ("" for amounts)
    title: str


COLUMNS = (
    Column("product", "Product"),
    Column("deployment", "Deployment"),
    Column("edition", "Edition"),
    Column("billing", "Billing"),
    Column("users", "Users"),
    Column("months", "Term"),
    Column("action", "Action"),
    Column("discount_pct", "Disc. %"),
    Column("", "List price"),
    Column("", "Net"),
)
PRODUCT, DEPLOYMENT, EDITION, BILLING, USERS, MONTHS, ACTION, DISCOUNT, LIST, NET = range(10)
AMOUNT_COLUMNS = (LIST, NET)
# A custom line edits its description in the product column and its quantity under users.
CUSTOM_KEYS = {PRODUCT: "custom", USERS: "quantity", DISCOUNT: "discount_pct"}
_Index = QModelIndex | QPersistentModelIndex
_ANSWERED_ROLES = frozenset(
    int(role)
    for role in (
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.EditRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.TextAlignmentRole,
        Qt.ItemDataRole.ForegroundRole,
        ChoicesRole,
        RangeRole,
    )
)


class LineTableModel(QAbstractTableModel):
    def __init__(self, draft: QuoteDraft) -> None:
        super().__init__(draft)
        self._draft = draft
        self._amounts: dict[int, tuple[Decimal, Decimal]] = {}
        self._problem_lines: dict[int, str] = {}

    @property
    def _lines(self) -> list[Any]:
        return self._draft.data["lines"]

    # Qt model interface

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            if role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(COLUMNS):
                return self.tr(COLUMNS[section].title)
            if role == Qt.ItemDataRole.TextAlignmentRole and section in AMOUNT_COLUMNS:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        elif role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1)  # people count lines from 1 (R-Q-6)
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self._draft.read_only or self.key_at(index.row(), index.column()) is None:
            return base
        return base | Qt.ItemFlag.ItemIsEditable

    def key_at(self, row: int, column: int) -> str | None:
        """The quote-file field a cell edits, None when it is not editable."""
        line = self._lines[row]
        if not isinstance(line, dict):
            return None
        if "custom" in line:
            return CUSTOM_KEYS.get(column)
        key = COLUMNS[column].key
        if not key:
            return None
        if line.get("deployment") == "datacenter" and column in (EDITION, BILLING):
            return None  # Data Center has one edition and is always a term subscription
        return key

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Views ask every cell for a dozen roles on each paint; most get nothing, fast.
        if role not in _ANSWERED_ROLES or not index.isValid():
            return None
        row, column = index.row(), index.column()
        line = self._lines[row]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column in AMOUNT_COLUMNS or column in (USERS, MONTHS, DISCOUNT):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return None
        if role == Qt.ItemDataRole.ForegroundRole and row in self._problem_lines:
            if column == PRODUCT:
                return QBrush(QColor("#b3261e" if self._problem_lines[row] else "#8a5300"))
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            if column in AMOUNT_COLUMNS:
                return self._draft.basis_of(row)
            role = Qt.ItemDataRole.DisplayRole  # a cell too narrow for its text shows it whole
        if not isinstance(line, dict):
            return (
                self.tr("(unreadable line)")
                if column == PRODUCT and role in (Qt.ItemDataRole.DisplayRole,)
                else None
            )
        if role == ChoicesRole:
            key = self.key_at(row, column)
            return self._draft.choices(row, key) if key else []
        if role == RangeRole:
            return (1, 36) if column == MONTHS else (0, 1_000_000)
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return None
        if column in AMOUNT_COLUMNS:
            if role == Qt.ItemDataRole.EditRole:
                return None
            amounts = self._amounts.get(row)
            if amounts is None:
                return ""
            money = self._draft.formatter.money
            text = money(amounts[column - LIST], self._draft.currency)
            was = was_price({"lines": self._lines}, row) if column == LIST else None
            if was is not None:  # a renewal whose price changed since the last period
                return self.tr("{0} (was {1})").format(text, money(was, self._draft.currency))
            return text
        key = self.key_at(row, column) or COLUMNS[column].key
        if "custom" in line:
            key = CUSTOM_KEYS.get(column, "")
        value = line.get(key) if key else None
        if role == Qt.ItemDataRole.EditRole:
            return value
        return self._draft.display_value(row, key, value)

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        key = self.key_at(index.row(), index.column())
        if key is None:
            return False
        return self._draft.set_line(index.row(), key, value)

    # Called by the draft's undo commands

    def line_changed(self, row: int) -> None:
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def insert_line(self, row: int, line: Any) -> None:
        self.beginInsertRows(QModelIndex(), row, row)
        self._lines.insert(row, line)
        self.endInsertRows()

    def remove_line(self, row: int) -> Any:
        self.beginRemoveRows(QModelIndex(), row, row)
        line = self._lines.pop(row)
        self.endRemoveRows()
        return line

    def set_priced(self, priced: dict[str, Any]) -> None:
        """Take the amounts and problem markers of a new priced result and repaint them."""
        amounts: dict[int, tuple[Decimal, Decimal]] = {}
        for priced_line in priced["lines"]:
            gross, net = amounts.get(priced_line["index"], (Decimal(0), Decimal(0)))
            amounts[priced_line["index"]] = (
                gross + Decimal(priced_line["list_price"]),
                net + Decimal(priced_line["net"]),
            )
        problems: dict[int, str] = {}
        for problem in priced["warnings"]:
            if problem.get("line") is not None:
                problems[problem["line"]] = ""
        for problem in priced["errors"]:
            if problem.get("line") is not None:
                problems[problem["line"]] = "error"
        old_amounts, old_problems = self._amounts, self._problem_lines
        self._amounts, self._problem_lines = amounts, problems
        # Repaint only the cells whose amount or problem marker changed: most edits
        # change one line, and a view repaints the whole span of a dataChanged range.
        for row in range(len(self._lines)):
            if amounts.get(row) != old_amounts.get(row):
                self.dataChanged.emit(self.index(row, LIST), self.index(row, NET))
            if problems.get(row) != old_problems.get(row):
                self.dataChanged.emit(self.index(row, PRODUCT), self.index(row, PRODUCT))
