"""Approvals in team mode (R-TEAM-5): *Request approval* on a draft R-DISC-MANUAL holds
back, and the Approvals view: a manager's inbox of the team's requests waiting (approve
or reject with a comment), a rep's own requests with their decisions.

Every call to the team server runs in the background (a job with this laptop's
membership), and what the server answered is kept in the local store
(store.approvals), which the view shows at once, before the server answers, and when
it cannot be reached. psycopg loads with the first call, never in single-user mode."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, Protocol

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from quotedesk.core.problems import Refused
from quotedesk.core.quotes.signoff import discounts_over
from quotedesk.gui.background import Cancelled, Progress, Work, on_store
from quotedesk.gui.context import give_focus_back
from quotedesk.gui.problems_panel import error_text
from quotedesk.gui.screen_fit import fit_to_screen
from quotedesk.store import QuoteStore, StoreError
from quotedesk.store import approvals as cache
from quotedesk.store import team as local_team
from quotedesk.store.approvals import Approval

if TYPE_CHECKING:
    from quotedesk.core.records import StoredRevision
    from quotedesk.gui.context import WindowContext

    class ApprovalsHost(WindowContext, Protocol):
        """The context, and saving the draft before its approval is asked for."""

        def save(self) -> StoredRevision | None: ...


Call = Callable[[QuoteStore], object]  # run with the local store; connects to the server
DISCOUNT, TOTAL, DECISION = 2, 3, 6
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class TeamResult(NamedTuple):
    value: object = None
    error: str = ""  # the server's or the connection's own words (English)
    offline: bool = False
    store_error: StoreError | Refused | None = None


def team_call(db_path: Path, call: Call) -> Work[TeamResult]:
    """One call to the team server as this laptop's member, as a job's work (off the GUI
    thread, on the job's own store)."""

    def work(store: QuoteStore, progress: Progress, cancelled: Cancelled) -> TeamResult:
        from quotedesk.team.server import TeamError, Unreachable  # psycopg: team mode only

        try:
            return TeamResult(call(store))
        except Unreachable as exc:
            return TeamResult(error=str(exc), offline=True)
        except TeamError as exc:
            return TeamResult(error=str(exc))

    return on_store(db_path, work, lambda error: TeamResult(store_error=error))


def in_team(window: WindowContext) -> bool:
    return local_team.membership(window.store) is not None


def failure_text(widget: QWidget, result: TeamResult, window: WindowContext) -> str:
    """What went wrong, led by a sentence in the window's language."""
    if result.store_error is not None:
        return error_text(result.store_error, window.formatter)
    if result.offline:
        lead = widget.tr(
            "The team server cannot be reached: you may be offline. Nothing was changed; "
            "try again once connected."
        )
    else:
        lead = widget.tr("The team server refused:")
    return f"{lead}\n{result.error}"


def request_approval(window: ApprovalsHost) -> None:
    """Ask a manager to approve the draft being edited (saved first), in the background."""
    draft = window.draft
    if draft is None or draft.read_only:
        return
    threshold = window.store.profile().approval_threshold_pct
    if not discounts_over(draft.data, threshold):
        window.tell(
            window.widget().tr("This quote needs no approval: no manual discount is above the "
                      "approval threshold of {0}.").format(window.formatter.percent(threshold))
        )  # fmt: skip
        return
    revision = window.save()
    if revision is None:
        return
    number = revision.number

    def ask(store: QuoteStore) -> object:
        from quotedesk.team.approvals import send_request

        return send_request(store, number)

    def done(result: TeamResult) -> None:
        if result.value is None:
            window.tell(failure_text(window.widget(), result, window))
            return
        text = window.widget().tr("Approval of {0} requested").format(revision.label)
        window.show_status(text, 8000)
        view = window.widget().findChild(ApprovalsView)
        if view is not None and view.isVisible():
            view.show_cached()

    window.start_job(
        "approvals", team_call(window.store.path, ask),
        window.widget().tr("Requesting approval…"), done,
        window.widget().tr("The team server is already being asked."),
    )  # fmt: skip


def show_approvals(window: WindowContext) -> ApprovalsView:
    """The window's one Approvals view, made on first use; it asks the server again."""
    view = window.widget().findChild(ApprovalsView)
    if view is None:
        view = ApprovalsView(window)
    view.show()
    view.refresh()
    view.raise_()
    view.activateWindow()
    return view


class ApprovalsView(QDialog):
    """A window beside the main one (not modal)."""

    def __init__(self, window: WindowContext) -> None:
        super().__init__(window.widget())
        self.window_ = window
        member = local_team.membership(window.store)
        self.manager = member is not None and member.role == "manager"
        self.setWindowTitle(self.tr("Approvals"))
        self.heading = QLabel(
            self.tr("Requests waiting for your decision")
            if self.manager
            else self.tr("Your approval requests and their decisions")
        )
        self.table = QTableWidget(0, 8)
        self.table.setHorizontalHeaderLabels([
            self.tr("Quote"), self.tr("Customer"), self.tr("Manual discount"), self.tr("Total"),
            self.tr("Requested by"), self.tr("Requested"), self.tr("Decision"),
            self.tr("Comment"),
        ])  # fmt: skip
        self.table.setColumnHidden(DECISION, self.manager)  # a manager sees those waiting
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)  # Tab leaves the list for the comment
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.comment = QLineEdit()
        self.comment.setPlaceholderText(self.tr("Needed to reject: say why"))
        comment_label = QLabel(self.tr("&Comment"))
        comment_label.setBuddy(self.comment)
        self.outcome = QLabel()  # the last answer, or why the server was not reached
        self.outcome.setWordWrap(True)
        self.outcome.hide()
        self.approve_button = QPushButton(self.tr("&Approve"))
        self.reject_button = QPushButton(self.tr("Re&ject"))
        self.refresh_button = QPushButton(self.tr("&Refresh"))
        close = QPushButton(self.tr("Close"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.refresh_button)
        buttons.addStretch(1)
        for button in (self.approve_button, self.reject_button, close):
            buttons.addWidget(button)
        comment_row = QHBoxLayout()
        comment_row.addWidget(comment_label)
        comment_row.addWidget(self.comment, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)
        layout.addLayout(comment_row)
        layout.addWidget(self.outcome)
        layout.addLayout(buttons)
        for widget in (comment_label, self.comment, self.approve_button, self.reject_button):
            widget.setVisible(self.manager)

        self.approve_button.clicked.connect(lambda: window.run(lambda: self.decide("approved")))
        self.reject_button.clicked.connect(lambda: window.run(lambda: self.decide("rejected")))
        self.refresh_button.clicked.connect(lambda: window.run(self.refresh))
        close.clicked.connect(self.close)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.shown: list[Approval] = []
        self.show_cached()
        fit_to_screen(self, QSize(860, 420))

    def show_cached(self) -> None:
        """The requests as last seen from the server, kept in the local store."""
        seen = cache.remembered(self.window_.store)
        if self.manager:
            seen = sorted((a for a in seen if a.decision is None), key=lambda a: a.id)
        else:
            login = local_team.membership(self.window_.store)
            seen = [a for a in seen if login is not None and a.owner == login.login]
        self._fill(seen)

    def _fill(self, approvals: list[Approval]) -> None:
        selected = self.selected()
        self.shown = approvals
        self.table.setRowCount(len(approvals))
        for row, a in enumerate(approvals):
            comment = a.request_comment
            if a.decision is None:
                decision = self.tr("Waiting")
            else:
                when = self._when(a.decided_at) if a.decided_at else ""
                decision = (
                    self.tr("Approved by {0}, {1}") if a.decision == "approved"
                    else self.tr("Rejected by {0}, {1}")
                ).format(a.decided_by, when)  # fmt: skip
                if a.decision_comment:
                    decision += f": {a.decision_comment}"
            values = (a.label, a.customer, self._percent(a.discount_pct), self._money(a),
                      a.requested_by, self._when(a.requested_at), decision, comment)  # fmt: skip
            for column, text in enumerate(values):
                item = QTableWidgetItem(text)
                if column in (DISCOUNT, TOTAL):
                    item.setTextAlignment(RIGHT)
                self.table.setItem(row, column, item)
        keep = next((r for r, a in enumerate(approvals) if selected and a.id == selected.id), 0)
        if approvals:
            self.table.selectRow(keep)
        self._selection_changed()

    def _percent(self, pct: str) -> str:
        return self.window_.formatter.percent(pct) if pct else ""

    def _money(self, a: Approval) -> str:
        return self.window_.formatter.money(a.total, a.currency) if a.total else ""

    def _when(self, moment: datetime) -> str:
        local = moment.astimezone()
        return f"{self.window_.formatter.day(local.date())} {local:%H:%M}"

    def selected(self) -> Approval | None:
        rows = self.table.selectionModel().selectedRows()
        return self.shown[rows[0].row()] if rows and rows[0].row() < len(self.shown) else None

    def _selection_changed(self) -> None:
        waiting = self.selected() is not None and self.manager
        self.approve_button.setEnabled(waiting)
        self.reject_button.setEnabled(waiting)

    def _say(self, text: str) -> None:
        self.outcome.setText(text)
        self.outcome.setVisible(bool(text))

    def refresh(self) -> None:
        """Ask the server for the requests (and keep its answer in the local store)."""

        def listed(store: QuoteStore) -> object:
            from quotedesk.team.approvals import fetch_requests

            return fetch_requests(store)

        self._ask(listed, self.tr("Asking the team server…"), self.refresh_button)

    def decide(self, decision: str) -> None:
        chosen = self.selected()
        if chosen is None or not self.manager:
            return
        comment = self.comment.text().strip()
        if decision == "rejected" and not comment:
            self.window_.tell(self.tr("A rejection needs a comment saying why."), over=self.comment)
            return
        number = chosen.number

        def decided(store: QuoteStore) -> object:
            from quotedesk.team.approvals import send_decision

            return send_decision(store, number, decision, comment)

        button = self.approve_button if decision == "approved" else self.reject_button
        self._ask(decided, self.tr("Sending the decision…"), button)

    def _ask(self, call: Call, label: str, over: QWidget) -> None:
        def done(result: TeamResult) -> None:
            if result.value is None:
                text = failure_text(self, result, self.window_)
                self._say(text)
                if self.isVisible():
                    self.window_.tell(text, over=over)
                return
            if isinstance(result.value, Approval):
                said = (self.tr("Approved {0}") if result.value.decision == "approved"
                        else self.tr("Rejected {0}"))  # fmt: skip
                self._say(said.format(result.value.label))
                self.comment.clear()
            else:
                self._say("")
            self.show_cached()
            if self.isVisible():
                give_focus_back(self.table)

        self.window_.start_job(
            "approvals", team_call(self.window_.store.path, call), label, done,
            self.tr("The team server is already being asked."),
        )  # fmt: skip
