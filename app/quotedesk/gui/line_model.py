"""The quote's lines as a table: one row per line of the quote file.

The rows are read-only snapshots of the lines, handed over by the open quote (a draft,
or a signed-off revision), which owns the lines; the amount columns come from the priced
result (a quote line's own row plus its credit and addition rows). Edits go back to the
open quote: a draft makes them undoable commands, a signed-off revision refuses them. The
model never changes a line itself.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from quotedesk.core.priced import PricedLine, amounts_by_line
from quotedesk.core.quotes.editing import fields_of
from quotedesk.core.quotes.model import MAX_COUNT, MAX_MONTHS
from quotedesk.core.renewals import was_price

if TYPE_CHECKING:
    from quotedesk.i18n import Formatter

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
# A line as the table sees it: a read-only copy of its fields; None for a line in the
# quote file that is not an object (shown as unreadable).
LineSnapshot = Mapping[str, Any] | None


def snapshot(line: Any) -> LineSnapshot:
    return MappingProxyType(copy.deepcopy(line)) if isinstance(line, dict) else None


class LineEditing(Protocol):
    """What the table asks of the open quote (open_quote.OpenQuote)."""

    formatter: Formatter

    @property
    def read_only(self) -> bool: ...

    @property
    def currency(self) -> str: ...

    def choices(self, row: int, key: str) -> list[tuple[str, str]]: ...

    def display_value(self, row: int, key: str, value: Any) -> str: ...

    def basis_of(self, row: int) -> str: ...

    def set_line(self, row: int, key: str, value: Any) -> bool: ...


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
    def __init__(self, quote: LineEditing, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._quote = quote
        self._lines: tuple[LineSnapshot, ...] = ()
        self._amounts: dict[int, tuple[Decimal, Decimal]] = {}
        self._problem_lines: dict[int, str] = {}
        self._ends: dict[int, date] = {}  # where each co-termed line ends: its term

    def line(self, row: int) -> LineSnapshot:
        return self._lines[row]

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
        if self._quote.read_only or self.key_at(index.row(), index.column()) is None:
            return base
        return base | Qt.ItemFlag.ItemIsEditable

    def key_at(self, row: int, column: int) -> str | None:
        """The quote-file field a cell edits, None when it is not editable."""
        line = self._lines[row]
        key = (
            CUSTOM_KEYS.get(column)
            if line is not None and "custom" in line
            else COLUMNS[column].key
        )
        return key if key in fields_of(line) else None

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
                return self._quote.basis_of(row)
            role = Qt.ItemDataRole.DisplayRole  # a cell too narrow for its text shows it whole
        if line is None:
            return (
                self.tr("(unreadable line)")
                if column == PRODUCT and role in (Qt.ItemDataRole.DisplayRole,)
                else None
            )
        if role == ChoicesRole:
            key = self.key_at(row, column)
            return self._quote.choices(row, key) if key else []
        if role == RangeRole:  # what a quote file can hold (the licence CSV's limit too)
            return (1, MAX_MONTHS) if column == MONTHS else (0, MAX_COUNT)
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return None
        if column in AMOUNT_COLUMNS:
            if role == Qt.ItemDataRole.EditRole:
                return None
            amounts = self._amounts.get(row)
            if amounts is None:
                return ""
            money = self._quote.formatter.money
            text = money(amounts[column - LIST], self._quote.currency)
            # was_price reads a quote file's line: this row's, as a dict of its own.
            was = was_price({"lines": [dict(line)]}, 0) if column == LIST else None
            if was is not None:  # a renewal whose price changed since the last period
                return self.tr("{0} (was {1})").format(text, money(was, self._quote.currency))
            return text
        key = self.key_at(row, column) or COLUMNS[column].key
        if "custom" in line:
            key = CUSTOM_KEYS.get(column, "")
        value = line.get(key) if key else None
        if role == Qt.ItemDataRole.EditRole:
            return value
        if column == MONTHS and value is None and isinstance(line.get("coterm_with"), int):
            return self._coterm_text(row, line["coterm_with"])
        return self._quote.display_value(row, key, value)

    def _cotermed(self, row: int) -> bool:
        line = self._lines[row] if 0 <= row < len(self._lines) else None
        return line is not None and isinstance(line.get("coterm_with"), int)

    def _coterm_text(self, row: int, target: int) -> str:
        """The term of a line that ends with another (R-TERM-3): until that line's end,
        or, while that end is unknown (an error), with which line."""
        end = self._ends.get(row)
        if end is None:
            return self.tr("co-termed with line {0}").format(target + 1)
        return self.tr("co-termed to {0}").format(self._quote.formatter.day(end))

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        key = self.key_at(index.row(), index.column())
        if key is None:
            return False
        return self._quote.set_line(index.row(), key, value)

    # Called by the draft after its lines changed

    def set_lines(self, lines: tuple[LineSnapshot, ...]) -> None:
        """Show these lines. A snapshot that is the same object as before is the same
        line: only the rows between the unchanged start and end are inserted, removed or
        repainted, so a view keeps its selection and scroll position."""
        old = self._lines
        start = 0
        while start < min(len(old), len(lines)) and old[start] is lines[start]:
            start += 1
        old_end, new_end = len(old), len(lines)
        while old_end > start and new_end > start and old[old_end - 1] is lines[new_end - 1]:
            old_end, new_end = old_end - 1, new_end - 1
        replaced = min(old_end, new_end) - start
        # Rows are inserted or removed at the end of the span, then the rest of it is
        # repainted: the rows around an insertion or a removal keep their lines through
        # it, as views expect, and no row is beyond the draft's lines.
        if old_end > new_end:
            self.beginRemoveRows(QModelIndex(), new_end, old_end - 1)
            self._lines = (*old[:new_end], *old[old_end:])
            self.endRemoveRows()
        elif new_end > old_end:
            self.beginInsertRows(QModelIndex(), old_end, new_end - 1)
            self._lines = (*old[:old_end], *lines[old_end:])
            self.endInsertRows()
        self._lines = lines
        self._changed(old, start, replaced)

    def _changed(self, old: tuple[LineSnapshot, ...], start: int, count: int) -> None:
        """Repaint the `count` rows from `start` that now hold other lines than `old`."""
        lines = self._lines
        for row in range(start, start + count):
            # Only the cells whose value changed: a view re-measures its columns and
            # repaints the whole span of a dataChanged range.
            for column in _changed_columns(old[row], lines[row]):
                self.dataChanged.emit(self.index(row, column), self.index(row, column))

    def set_priced(self, priced: dict[str, Any], lines: tuple[PricedLine, ...]) -> None:
        """Take the amounts (of `lines`, the priced lines as typed values) and problem
        markers of a new priced result and repaint them."""
        amounts = amounts_by_line(lines)
        problems: dict[int, str] = {}
        for problem in priced["warnings"]:
            if problem.get("line") is not None:
                problems[problem["line"]] = ""
        for problem in priced["errors"]:
            if problem.get("line") is not None:
                problems[problem["line"]] = "error"
        ends = {
            line.index: line.period_end
            for line in lines
            if line.kind == "product" and line.period_end is not None and self._cotermed(line.index)
        }
        old_amounts, old_problems, old_ends = self._amounts, self._problem_lines, self._ends
        self._amounts, self._problem_lines, self._ends = amounts, problems, ends
        # Repaint only the cells whose amount or problem marker changed: most edits
        # change one line, and a view repaints the whole span of a dataChanged range.
        for row in range(len(self._lines)):
            if amounts.get(row) != old_amounts.get(row):
                self.dataChanged.emit(self.index(row, LIST), self.index(row, NET))
            if problems.get(row) != old_problems.get(row):
                self.dataChanged.emit(self.index(row, PRODUCT), self.index(row, PRODUCT))
            if ends.get(row) != old_ends.get(row):
                self.dataChanged.emit(self.index(row, MONTHS), self.index(row, MONTHS))


def _changed_columns(old: LineSnapshot, new: LineSnapshot) -> list[int]:
    """The columns showing a field that differs; all of them when a field no column edits
    changed too (it may still be shown: a renewal's "was" price beside the list price)."""
    everything = list(range(len(COLUMNS)))
    if old is None or new is None or ("custom" in old) != ("custom" in new):
        return everything
    keys = CUSTOM_KEYS if "custom" in new else dict(enumerate(c.key for c in COLUMNS))
    changed = {key for key in old.keys() | new.keys() if old.get(key) != new.get(key)}
    if not changed <= set(keys.values()):
        return everything
    return [column for column, key in keys.items() if key in changed]
