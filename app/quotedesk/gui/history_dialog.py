"""Revision history: every revision of a quote with the level of each signed PDF made of
it (which still wait for a timestamp), and what changed between any two of them, side by
side in the window's language (field names in words, lines counted from 1, amounts in the
quote's currency)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from quotedesk.core.records import StoredRevision
from quotedesk.gui.open_quote import DEPLOYMENT_LABELS
from quotedesk.gui.quote_list import STATUS_LABELS
from quotedesk.gui.screen_fit import fit_to_screen
from quotedesk.i18n import Formatter

if TYPE_CHECKING:
    from quotedesk.store import SignedExport

TOTALS = ("subtotal", "discount_total", "net_total", "admin_fee", "tax_total", "total")
MONEY_KEYS = frozenset({"list_price", "unit_price", "paid_amount"})
PERCENT_KEYS = frozenset({"discount_pct", "partner_discount_pct"})
DATE_KEYS = frozenset({"quote_date", "start_date", "current_end_date"})
COUNT_KEYS = frozenset({"users", "months", "from_users", "paid_months", "quantity"})
LINE_KEYS = frozenset({"parent", "coterm_with"})  # a line index: shown counted from 1
# Values shown through their (translated) labels.
WORD_KEYS = frozenset({"edition", "billing", "action", "billing_experience"})
_Index = QModelIndex | QPersistentModelIndex
# (line index or None, field path) -> value
Fields = dict[tuple[int | None, tuple[str, ...]], Any]


def fields_of(quote_file: dict[str, Any]) -> Fields:
    """The quote file's fields one by one: the quote's own, the customer's, and each line's
    (a line that is not an object counts as one field of its own)."""
    out: Fields = {}
    for key, value in quote_file.items():
        if key == "schema":
            continue
        if key == "customer" and isinstance(value, dict):
            out.update({(None, (key, name)): item for name, item in value.items()})
        elif key == "lines" and isinstance(value, list):
            for row, line in enumerate(value):
                if isinstance(line, dict):
                    out.update({(row, (name,)): item for name, item in line.items()})
                else:
                    out[(row, ())] = line
        else:
            out[(None, (key,))] = value
    return out


def changed_fields(left: Fields, right: Fields) -> list[tuple[int | None, tuple[str, ...]]]:
    """The fields whose values differ, quote fields first, then lines in order."""
    changed = [key for key in left.keys() | right.keys() if left.get(key) != right.get(key)]
    return sorted(changed, key=lambda key: (key[0] is not None, key[0] or 0, key[1]))


def _lines(revision: StoredRevision) -> list[Any]:
    lines = revision.quote_file.get("lines")
    return lines if isinstance(lines, list) else []


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
    """All revisions of one quote (Open, Enter or a double-click shows one in the window),
    and a comparison of any two."""

    revision_chosen = Signal(str)  # "QD-2026-00001-R1": a revision to open

    def __init__(
        self,
        revisions: list[StoredRevision],
        fmt: Formatter,
        parent: QWidget | None = None,
        signed: Sequence[SignedExport] = (),
    ) -> None:
        super().__init__(parent)
        self.revisions = revisions
        self.fmt = fmt
        self.names = self._field_names()
        self.setWindowTitle(self.tr("History of {0}").format(revisions[0].number))

        self.list = QTableWidget(len(revisions), 5)
        self.list.setHorizontalHeaderLabels(
            [self.tr("Quote"), self.tr("Status"), self.tr("Signed off by"), self.tr("Total"),
             self.tr("Signed PDFs")]
        )  # fmt: skip
        levels = self._level_names()
        for row, revision in enumerate(reversed(revisions)):  # the latest first
            exports = [e for e in signed if e.revision == revision.revision]
            cells = (
                revision.label,
                self.tr(STATUS_LABELS.get(revision.status, revision.status)),
                revision.signed_off_by or "",
                fmt.money(revision.totals.total, revision.totals.currency),
                "; ".join(levels.get(e.level, e.level) for e in exports),
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                if column == 3:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                if column == 4:  # where each signed PDF was written
                    item.setToolTip("\n".join(f"{e.level}: {e.path}" for e in exports))
                self.list.setItem(row, column, item)
        self.list.verticalHeader().hide()
        self.list.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.list.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.list.setMaximumHeight(
            self.list.horizontalHeader().sizeHint().height()
            + self.list.verticalHeader().length()
            + 2 * self.list.frameWidth()
        )
        self.list.selectRow(0)
        self.list.activated.connect(lambda index: self.open_revision(index.row()))

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
        self.open_button = buttons.addButton(
            self.tr("Open"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.open_button.clicked.connect(lambda: self.open_revision(self.list.currentRow()))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list)
        layout.addLayout(pickers)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.left.currentIndexChanged.connect(self.compare)
        self.right.currentIndexChanged.connect(self.compare)
        self.compare()
        fit_to_screen(self, QSize(820, 560))

    def _level_names(self) -> dict[str, str]:
        """Each PAdES level as the list says it: whether it still waits for something."""
        return {
            "B-B": self.tr("B-B, waiting for a timestamp"),
            "B-T": self.tr("B-T, timestamped"),
            "B-LT": self.tr("B-LT, timestamped, with validation data"),
            "B-LTA": self.tr("B-LTA, long-term"),
        }

    def open_revision(self, row: int) -> None:
        if 0 <= row < len(self.revisions):
            revision = self.revisions[len(self.revisions) - 1 - row]
            self.revision_chosen.emit(revision.key)
            self.accept()

    def _describe(self, revision: StoredRevision) -> str:
        status = self.tr(STATUS_LABELS.get(revision.status, revision.status))
        who = f", {revision.signed_off_by}" if revision.signed_off_by else ""
        return f"{revision.label} — {status}{who} — {self.fmt.day(revision.created_at.date())}"

    def compare(self) -> None:
        a = self.revisions[self.left.currentIndex()]
        b = self.revisions[self.right.currentIndex()]
        rows = self.diff(a, b)
        self.model.set_diff(rows, a.label, b.label)
        self.summary.setText(
            self.fmt.plural("ui.differences", len(rows)) if rows else self.tr("No differences")
        )
        self.table.resizeRowsToContents()

    def diff(self, a: StoredRevision, b: StoredRevision) -> list[tuple[str, str, str]]:
        """(field, value in a, value in b) as a person reads them, for every quote field,
        line field or total that differs."""
        left, right = fields_of(a.quote_file), fields_of(b.quote_file)
        common = min(len(_lines(a)), len(_lines(b)))
        rows: list[tuple[str, str, str]] = []
        whole_lines: set[int] = set()
        for key in changed_fields(left, right):
            row = key[0]
            if row is None or row < common:
                rows.append(
                    (self._field_label(*key), self._value(a, key, left), self._value(b, key, right))
                )
            elif row not in whole_lines:  # a line only one of them has: one row, by its name
                whole_lines.add(row)
                label = self.tr("Line {0}").format(row + 1)
                rows.append((label, self._line_name(a, row), self._line_name(b, row)))
        totals = {
            "subtotal": self.tr("Subtotal"), "discount_total": self.tr("Discounts"),
            "net_total": self.tr("Net"), "admin_fee": self.tr("Admin fee"),
            "tax_total": self.tr("Tax"), "total": self.tr("Total"),
        }  # fmt: skip
        for name in TOTALS:
            before, after = a.priced.get(name), b.priced.get(name)
            if before != after:
                taken_off = name == "discount_total"  # shown as the totals panel shows it
                rows.append(
                    (
                        totals[name],
                        self._money(a, before, taken_off),
                        self._money(b, after, taken_off),
                    )
                )
        return rows

    def _field_label(self, row: int | None, path: tuple[str, ...]) -> str:
        name = self.names.get(path) or " ".join(path).replace("_", " ")
        if row is None:
            return name
        if not path:
            return self.tr("Line {0}").format(row + 1)
        return self.tr("Line {0}: {1}").format(row + 1, name)

    def _value(
        self, revision: StoredRevision, key: tuple[int | None, tuple[str, ...]], fields: Fields
    ) -> str:
        if key not in fields:
            return ""
        value = fields[key]
        row, path = key
        name = path[-1] if path else ""
        if value is None or (isinstance(value, (dict, list)) and not value):
            return ""
        try:
            if isinstance(value, bool):
                return self.tr("Yes") if value else self.tr("No")
            if name in MONEY_KEYS:
                return self._money(revision, value)
            if name in PERCENT_KEYS:
                return self.fmt.percent(Decimal(str(value)))
            if name in DATE_KEYS:
                return self.fmt.day(str(value))
            if name in COUNT_KEYS and isinstance(value, int):
                return self.fmt.number(value)
            if name in LINE_KEYS and isinstance(value, int):
                return self.tr("line {0}").format(value + 1)
        except (ArithmeticError, InvalidOperation, ValueError, TypeError):
            return str(value)  # as given: the quote file is kept as the user wrote it
        if name == "product":
            return self._product_name(revision, row, value)
        if name == "deployment":
            return self.tr(DEPLOYMENT_LABELS.get(str(value), str(value)))
        if name in WORD_KEYS:
            return self.tr(str(value).capitalize())
        if name == "program":
            return self.tr(str(value).replace("_", " ").capitalize())
        if name == "mode":
            return self.tr(str(value).replace("_", " "))
        if isinstance(value, dict):
            return ", ".join(str(item) for item in value.values() if item not in (None, ""))
        if isinstance(value, list):
            return ", ".join(str(item) for item in value)
        return str(value)

    def _money(self, revision: StoredRevision, amount: Any, taken_off: bool = False) -> str:
        """An amount in the revision's currency; one `taken_off` the total, negative."""
        if amount is None:
            return ""
        try:
            value = Decimal(str(amount))
            return self.fmt.money(
                -value if taken_off and value else value, revision.priced["currency"]
            )
        except (ArithmeticError, ValueError, KeyError):
            return str(amount)

    def _line_name(self, revision: StoredRevision, row: int) -> str:
        lines = _lines(revision)
        if row >= len(lines):
            return ""
        line = lines[row]
        if not isinstance(line, dict):
            return str(line)
        if "custom" in line:
            return str(line["custom"])
        return self._product_name(revision, row, line.get("product"))

    @staticmethod
    def _product_name(revision: StoredRevision, row: int | None, product: Any) -> str:
        """The product as the revision's priced lines name it ("Jira Cloud Standard")."""
        for line in revision.priced.get("lines", ()):
            if line.get("index") == row and line.get("kind") == "product" and line.get("name"):
                return str(line["name"])
        return str(product)

    def _field_names(self) -> dict[tuple[str, ...], str]:
        """Quote-file fields as the window labels them (the path's last key for a line's)."""
        return {
            ("quote_date",): self.tr("Quote date"), ("start_date",): self.tr("Start date"),
            ("currency",): self.tr("Currency"),
            ("billing_experience",): self.tr("Billing experience"),
            ("program",): self.tr("Program"),
            ("partner_discount_pct",): self.tr("Partner discount"),
            ("local_currency",): self.tr("Local currency"),
            ("exchange_rate",): self.tr("Exchange rate"), ("po_number",): self.tr("PO number"),
            ("notes",): self.tr("Notes"),
            ("customer", "name"): self.tr("Customer name"),
            ("customer", "country"): self.tr("Country"),
            ("customer", "subdivision"): self.tr("State/province"),
            ("customer", "ship_to_subdivision"): self.tr("Ship-to state/province"),
            ("customer", "city"): self.tr("City"), ("customer", "tax_id"): self.tr("Tax ID"),
            ("customer", "exemptions"): self.tr("Exemptions"),
            ("customer", "address"): self.tr("Address"),
            ("customer", "technical_contact"): self.tr("Technical contact"),
            ("customer", "billing_contact"): self.tr("Billing contact"),
            ("product",): self.tr("Product"), ("deployment",): self.tr("Deployment"),
            ("edition",): self.tr("Edition"), ("billing",): self.tr("Billing"),
            ("users",): self.tr("Users"), ("months",): self.tr("Term"),
            ("action",): self.tr("Action"), ("from_users",): self.tr("From users"),
            ("current_end_date",): self.tr("Licence ends"), ("mode",): self.tr("Upgrade mode"),
            ("coterm_with",): self.tr("Co-term with"), ("parent",): self.tr("App of line"),
            ("paid_amount",): self.tr("Amount paid"), ("paid_months",): self.tr("Months paid"),
            ("migrating_from",): self.tr("Migrating from"), ("additions",): self.tr("Additions"),
            ("list_price",): self.tr("List price"),
            ("override_reason",): self.tr("Override reason"),
            ("discount_pct",): self.tr("Discount"), ("dual_licensing",): self.tr("Dual licensing"),
            ("sen",): self.tr("SEN"), ("site_url",): self.tr("Site URL"),
            ("custom",): self.tr("Description"), ("quantity",): self.tr("Quantity"),
            ("unit_price",): self.tr("Unit price"), ("taxable",): self.tr("Taxable"),
        }  # fmt: skip
