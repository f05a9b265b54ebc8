"""The quote editor: header fields, the line table, the selected line's details, the
warnings/errors panel and the live totals."""

from __future__ import annotations

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from quotedesk.gui.line_delegate import LineDelegate
from quotedesk.gui.line_details import LineDetails
from quotedesk.gui.line_model import PRODUCT
from quotedesk.gui.open_quote import OpenQuote
from quotedesk.gui.problems_panel import ProblemsPanel
from quotedesk.gui.quote_header import QuoteHeader
from quotedesk.gui.totals_panel import TotalsPanel


class _LineTable(QTableView):
    """A click on a cell of the selected line opens its editor at once. Qt waits a
    double-click interval first and drops the keys typed meanwhile (typing "250" right
    after the click gave "50"); nothing here needs a double click to tell apart."""

    def edit(  # type: ignore[override]  # also the one-argument slot edit(index)
        self,
        index: QModelIndex | QPersistentModelIndex,
        trigger: QAbstractItemView.EditTrigger | None = None,
        event: QEvent | None = None,
    ) -> bool:
        if trigger is None:  # the slot, which answers nothing
            super().edit(index)
            return False
        if trigger == QAbstractItemView.EditTrigger.SelectedClicked:
            trigger = QAbstractItemView.EditTrigger.EditKeyPressed  # now, as F2 does
        return super().edit(index, trigger, event)  # type: ignore[arg-type]  # Qt's may be null


class QuoteEditor(QWidget):
    # Why the text of a number or date field is no value ("" once it is one): the window
    # says it where it says every refusal.
    field_problem = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.draft: OpenQuote | None = None
        self.title = QLabel()
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.title.setFont(font)
        self.banner = QLabel()
        self.banner.setStyleSheet(
            "background: #fff4ce; color: #5c4400; padding: 6px; border: 1px solid #e0c36a;"
        )
        self.banner.setWordWrap(True)
        self.banner.hide()
        self.header = QuoteHeader()

        self.table = _LineTable()
        delegate = LineDelegate(self.table)
        delegate.problem.connect(self.field_problem)
        self.table.setItemDelegate(delegate)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setTabKeyNavigation(False)  # Tab moves on to the next field, as elsewhere
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.SelectedClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)

        self.add_line_action = QAction(self.tr("Add line"), self)
        self.add_line_action.setShortcut(QKeySequence("Ctrl+Shift+N"))
        self.add_line_action.triggered.connect(self.add_line)
        self.add_custom_action = QAction(self.tr("Add custom line"), self)
        self.add_custom_action.triggered.connect(self.add_custom_line)
        self.remove_line_action = QAction(self.tr("Remove line"), self)
        self.remove_line_action.setShortcut(QKeySequence.StandardKey.Delete)
        # Only while the table itself has focus: Delete in a text field deletes text.
        self.remove_line_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.remove_line_action.triggered.connect(self.remove_line)
        self.table.addAction(self.remove_line_action)
        self.addAction(self.add_line_action)

        buttons = QHBoxLayout()
        self.buttons: dict[QAction, QPushButton] = {}
        for action in (self.add_line_action, self.add_custom_action, self.remove_line_action):
            button = QPushButton(action.text())
            keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            button.setToolTip(f"{action.text()} ({keys})" if keys else action.text())
            button.clicked.connect(action.trigger)
            buttons.addWidget(button)
            self.buttons[action] = button
        buttons.addStretch(1)

        self.header.problem.connect(self.field_problem)
        self.details = LineDetails()
        self.details.problem.connect(self.field_problem)
        self.problems = ProblemsPanel()
        self.problems.line_chosen.connect(self.select_line)
        self.details.setFlat(True)
        self.totals = TotalsPanel()
        self.totals.setMinimumWidth(280)

        # The details scroll on a short screen, so the line table keeps its rows.
        details_page = QScrollArea()
        details_page.setWidget(self.details)
        details_page.setWidgetResizable(True)
        details_page.setFrameShape(QFrame.Shape.NoFrame)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.problems, "")
        self.tabs.addTab(details_page, self.tr("Line details"))
        self.tabs.setDocumentMode(True)
        lines_box = QWidget()
        lines_layout = QVBoxLayout(lines_box)
        lines_layout.setContentsMargins(0, 0, 0, 0)
        lines_layout.addLayout(buttons)
        lines_layout.addWidget(self.table, 1)
        lower = QWidget()
        lower_layout = QHBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.tabs, 3)
        lower_layout.addWidget(self.totals, 2)
        body = QSplitter(Qt.Orientation.Vertical)
        body.addWidget(lines_box)
        body.addWidget(lower)
        body.setStretchFactor(0, 3)
        body.setStretchFactor(1, 1)
        body.setCollapsible(0, False)
        body.setCollapsible(1, False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.title)
        layout.addWidget(self.banner)
        layout.addWidget(self.header)
        layout.addWidget(body, 1)
        layout.addWidget(self.totals.footer)  # never squeezed: the total is always seen

    def set_draft(self, draft: OpenQuote, title: str) -> None:
        if self.draft is not None:
            self.draft.repriced.disconnect(self._repriced)
            self.draft.edited.disconnect(self._edited)
        self.draft = draft
        self.title.setText(title)
        self.table.setModel(draft.lines)
        header = self.table.horizontalHeader()
        header.setMinimumSectionSize(44)
        # Columns follow their contents as lines come and go, so amounts and pickers are
        # never elided; measuring the rows on screen plus 30 keeps a re-pricing cheap.
        header.setResizeContentsPrecision(30)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(PRODUCT, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(
            lambda current, _: self.details.show_line(self.draft, current.row())
        )
        draft.repriced.connect(self._repriced)
        draft.edited.connect(self._edited)
        self.header.set_draft(draft)
        self.details.show_line(draft, -1)
        self._repriced()
        self._show_read_only()
        if draft.data["lines"]:
            self.select_line(0)

    def _repriced(self) -> None:
        assert self.draft is not None
        self.totals.show_priced(
            self.draft.view,
            self.draft.priced_lines,
            self.draft.formatter,
            self.draft.lines_left_out(),
        )
        self.problems.show_problems(self.draft.view, self.draft.formatter)
        view = self.draft.view
        self.tabs.setTabText(
            0,
            self.tr("Errors {0} · Warnings {1}").format(len(view["errors"]), len(view["warnings"])),
        )

    def _edited(self) -> None:
        assert self.draft is not None
        self.header.refresh()
        self.details.show_line(self.draft, self.current_line())

    def _show_read_only(self) -> None:
        draft = self.draft
        assert draft is not None
        stored = draft.stored
        if draft.read_only and stored is not None:
            when = draft.formatter.day(stored.signed_off_at.date()) if stored.signed_off_at else ""
            self.banner.setText(
                self.tr("Signed off by {0} on {1} — Revise to change").format(
                    stored.signed_off_by or "?", when
                )
            )
        self.banner.setVisible(draft.read_only)
        for action, button in self.buttons.items():
            action.setEnabled(not draft.read_only)
            button.setEnabled(not draft.read_only)
        self.header.set_read_only(draft.read_only)

    def current_line(self) -> int:
        index = self.table.currentIndex()
        return index.row() if index.isValid() else -1

    def select_line(self, row: int) -> None:
        """Select a line (e.g. from the problems list) and show its details."""
        model = self.table.model()
        if model is None or not 0 <= row < model.rowCount():
            return
        index = model.index(row, PRODUCT)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)
        self.details.show_line(self.draft, row)

    def add_line(self) -> None:
        if self.draft is not None:
            row = self.draft.add_line()
            if row >= 0:
                self.select_line(row)
                self.table.setFocus()

    def add_custom_line(self) -> None:
        if self.draft is not None:
            row = self.draft.add_custom_line()
            if row >= 0:
                self.select_line(row)

    def remove_line(self) -> None:
        if self.draft is not None:
            row = self.current_line()
            if self.draft.remove_line(row):
                self.select_line(min(row, self.draft.lines.rowCount() - 1))
