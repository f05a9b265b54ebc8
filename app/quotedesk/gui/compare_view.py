"""Scenarios side by side for the open quote: annual or monthly billing,
12 or 24 months, cloud or Data Center, the next tier up, each priced by the same core
(`core.scenarios.compare`). Choosing one makes it the quote in one undoable step."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from quotedesk.core.messages import catalog
from quotedesk.core.scenarios import Scenario
from quotedesk.gui.draft import QuoteDraft
from quotedesk.gui.open_quote import OpenQuote
from quotedesk.gui.problems_panel import shown_value
from quotedesk.gui.screen_fit import fit_to_screen
from quotedesk.operations.quotes import compare_scenarios

if TYPE_CHECKING:
    from quotedesk.gui.context import WindowContext

_Index = QModelIndex | QPersistentModelIndex
SCENARIO, CHANGED, TOTAL, DIFFERENCE, PER_USER, WARNINGS, HEADROOM = range(7)


class ScenarioModel(QAbstractTableModel):
    """One row per scenario, from an immutable snapshot (the tuple `compare` returns)."""

    def __init__(self, draft: OpenQuote, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.draft = draft
        self.scenarios: tuple[Scenario, ...] = ()
        self.titles = (
            self.tr("Scenario"), self.tr("Lines changed"), self.tr("Total"),
            self.tr("Difference"), self.tr("Per user / month"), self.tr("Warnings"),
            self.tr("Tier headroom"),
        )  # fmt: skip

    def set_scenarios(self, scenarios: tuple[Scenario, ...]) -> None:
        self.beginResetModel()
        self.scenarios = scenarios
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.scenarios)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.titles)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.titles[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        scenario = self.scenarios[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column in (TOTAL, DIFFERENCE, PER_USER):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return None
        if role == Qt.ItemDataRole.ToolTipRole and column in (WARNINGS, HEADROOM):
            return self.details(scenario)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return self._text(scenario, column)

    def _text(self, scenario: Scenario, column: int) -> str:
        priced, money = scenario.priced, self.draft.formatter.money
        if column == SCENARIO:
            return self.label(scenario.key)
        if column == CHANGED:
            return ", ".join(str(i + 1) for i in scenario.changed_lines) or "—"
        if column == TOTAL:
            total = money(priced.total, priced.currency)
            # Its lines in error are not in it: no price of the scenario.
            return total if scenario.complete else self.tr("{0} (incomplete)").format(total)
        if column == DIFFERENCE:
            difference = scenario.difference(self.scenarios[0])
            if scenario is self.scenarios[0] or difference is None:
                return "—"
            text = money(difference, priced.currency)
            return f"+{text}" if difference > 0 else text
        if column == PER_USER:
            amount = scenario.per_user_month
            return "—" if amount is None else money(amount, priced.currency)
        if column == WARNINGS:
            codes = [p.code for p in (*priced.errors, *priced.warnings)]
            return ", ".join(dict.fromkeys(codes)) or "—"
        return "; ".join(self.headroom(scenario)) or "—"

    def label(self, key: str) -> str:
        labels = {
            "as_quoted": self.tr("As quoted"),
            "annual": self.tr("Annual billing"),
            "monthly": self.tr("Monthly billing"),
            "12_months": self.tr("12 months"),
            "24_months": self.tr("24 months"),
            "cloud": self.tr("Cloud"),
            "datacenter": self.tr("Data Center"),
            "next_tier": self.tr("Next tier up"),
        }
        return labels.get(key, key)

    def headroom(self, scenario: Scenario) -> list[str]:
        """ "tier 100: up to 49 more users at no extra cost", per line (from 1, R-Q-6)."""
        fmt = self.draft.formatter
        out = []
        for h in scenario.headroom:
            more = h.tier - h.units
            unit = f"compare.unit.{h.unit}"
            word = fmt.plural(unit, more) if f"{unit}.other" in catalog() else h.unit
            out.append(
                fmt.text("compare.headroom", line=h.line + 1, tier=h.tier, more=more, unit=word)
            )
        return out

    def details(self, scenario: Scenario) -> str:
        """Every problem and the headroom of a scenario, lines counted from 1."""
        priced, fmt = scenario.priced, self.draft.formatter
        out = []
        for problem in (*priced.errors, *priced.warnings):
            kind = self.tr("Error") if problem in priced.errors else self.tr("Warning")
            where = "" if problem.line is None else self.tr(" line {0}").format(problem.line + 1)
            text = problem.text(fmt.language, shown_value(fmt, priced.currency))
            out.append(f"{kind} {problem.code}{where}: {text}")
        return "\n".join([*out, *self.headroom(scenario)])


class CompareDialog(QDialog):
    def __init__(self, draft: OpenQuote, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.draft = draft
        self.setWindowTitle(self.tr("Compare scenarios"))
        self.model = ScenarioModel(draft, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(HEADROOM, QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(lambda _: self.use_chosen())  # Return or double-click
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.use_button = QPushButton(self.tr("&Use this scenario"))
        self.use_button.setDefault(True)
        self.use_button.clicked.connect(self.use_chosen)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.use_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail)
        layout.addWidget(buttons)

        self.model.set_scenarios(
            compare_scenarios(draft.data, draft.book, draft.rules, draft.today, draft.profile)
        )
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_chosen())
        self.table.selectRow(0)
        self.table.setFocus()
        self._show_chosen()
        fit_to_screen(self, QSize(960, 360))

    def chosen(self) -> Scenario | None:
        row = self.table.currentIndex().row()
        scenarios = self.model.scenarios
        return scenarios[row] if 0 <= row < len(scenarios) else None

    def select(self, key: str) -> None:
        keys = [s.key for s in self.model.scenarios]
        self.table.selectRow(keys.index(key))

    def _show_chosen(self) -> None:
        scenario = self.chosen()
        self.detail.setText(self.model.details(scenario) if scenario else "")
        self.use_button.setEnabled(
            scenario is not None and scenario.key != "as_quoted" and not self.draft.read_only
        )

    def use_chosen(self) -> None:
        """Make the chosen scenario the quote (one undo step) and close."""
        scenario = self.chosen()
        if (
            scenario is None
            or scenario.key == "as_quoted"
            or not isinstance(self.draft, QuoteDraft)
        ):
            return  # a signed-off revision is not changed
        label = self.model.label(scenario.key)
        self.draft.undo_stack.push(_UseScenario(self.draft, scenario.quote, label))
        self.accept()


class _UseScenario(QUndoCommand):
    """The whole quote file replaced by a scenario's; the line table shows it at once."""

    def __init__(self, draft: QuoteDraft, data: dict[str, Any], label: str) -> None:
        super().__init__(draft.tr("Use scenario: {0}").format(label))
        self.draft = draft
        self.old, self.new = copy.deepcopy(draft.data), copy.deepcopy(data)

    def redo(self) -> None:
        self.draft._put_data(self.new)

    def undo(self) -> None:
        self.draft._put_data(self.old)


def open_compare_dialog(context: WindowContext) -> CompareDialog | None:
    """Quote › Compare scenarios… for the quote being edited."""
    if context.draft is None:
        return None
    dialog = CompareDialog(context.draft, context.widget())
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog
