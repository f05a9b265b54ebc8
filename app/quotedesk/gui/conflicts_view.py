"""The Conflicts view (R-TEAM-6): each draft revision kept on top of the one that reached
the team's server first, with where it came from. The person opens it and the version it
was an edit of, keeps what is right in the latest draft, and marks the quote resolved;
nothing is deleted."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from quotedesk.core.quotes.number import quote_label, revision_key
from quotedesk.store.team import membership
from quotedesk.team import sync as team_sync

if TYPE_CHECKING:
    from quotedesk.gui.context import WindowContext


class ConflictsView(QDialog):
    resolved = Signal(str)  # the quote number whose conflicts were resolved

    def __init__(self, window: WindowContext) -> None:
        super().__init__(window.widget())
        self.window_ = window
        self.conflicts: list[team_sync.Conflict] = []
        self.setWindowTitle(self.tr("Conflicts"))
        intro = QLabel(
            self.tr(
                "A draft changed in two places before either was synced keeps both "
                "versions: the one that reached the server first, and the other as a new "
                "revision on top of it. Open both, keep what is right in the latest draft, "
                "then mark the quote resolved."
            )
        )
        intro.setWordWrap(True)
        titles = [self.tr("Revision"), self.tr("Customer"), self.tr("From"),
                  self.tr("Edit of"), self.tr("Found")]  # fmt: skip
        self.table = QTableWidget(0, len(titles))
        self.table.setHorizontalHeaderLabels(titles)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(lambda _index: self.open_chosen())
        self.empty = QLabel(self.tr("No conflicts"))
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)

        buttons = QDialogButtonBox()
        self.open_button = QPushButton(self.tr("&Open this version"))
        self.theirs_button = QPushButton(self.tr("Open the &version it was an edit of"))
        self.resolve_button = QPushButton(self.tr("&Mark resolved"))
        for button in (self.open_button, self.theirs_button, self.resolve_button):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
            button.setAutoDefault(False)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setText(self.tr("&Close"))
        self.open_button.clicked.connect(self.open_chosen)
        self.theirs_button.clicked.connect(lambda: self.open_chosen(theirs=True))
        self.resolve_button.clicked.connect(lambda: window.run(self.resolve_chosen))
        buttons.rejected.connect(self.close)
        self.table.itemSelectionChanged.connect(self._update_buttons)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addWidget(buttons)
        self.resize(820, 360)

    def reload(self) -> None:
        store = self.window_.store
        member = membership(store)
        here = member.device_id if member else ""
        chosen = self.chosen()
        self.conflicts = team_sync.conflicts(store)
        self.table.setRowCount(len(self.conflicts))
        formatter = self.window_.formatter
        for row, conflict in enumerate(self.conflicts):
            origin = conflict.origin
            device = str(origin.get("device", ""))
            found = datetime.fromisoformat(str(origin["found_at"])).astimezone()
            customer = store.get(revision_key(conflict.number, conflict.revision)).quote_file
            cells = (
                conflict.label,
                str((customer.get("customer") or {}).get("name") or "—"),
                self.tr("{0} on this laptop").format(origin["login"]) if device == here
                else self.tr("{0} on device {1}").format(origin["login"], device[:8]),
                quote_label(conflict.number, int(origin["edit_of"])),
                f"{formatter.day(found.date())} {found:%H:%M}",
            )  # fmt: skip
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.setVisible(bool(self.conflicts))
        self.empty.setVisible(not self.conflicts)
        keep = next((i for i, c in enumerate(self.conflicts) if c == chosen), 0)
        if self.conflicts:
            self.table.selectRow(keep)
            self.table.setFocus()
        self._update_buttons()

    def chosen(self) -> team_sync.Conflict | None:
        rows = self.table.selectionModel().selectedRows() if self.conflicts else []
        return self.conflicts[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        some = self.chosen() is not None
        for button in (self.open_button, self.theirs_button, self.resolve_button):
            button.setEnabled(some)

    def open_chosen(self, theirs: bool = False) -> None:
        conflict = self.chosen()
        if conflict is None:
            return
        revision = int(conflict.origin["edit_of"]) if theirs else conflict.revision
        key = revision_key(conflict.number, revision)
        self.window_.run(lambda: self.window_.open_stored(key))

    def resolve_chosen(self) -> None:
        conflict = self.chosen()
        if conflict is None:
            return
        done = team_sync.resolve(self.window_.store, conflict.number)
        self.window_.show_status(
            self.tr("Resolved {0}; the team sees it at the next sync.").format(
                ", ".join(c.label for c in done)
            ),
            6000,
        )
        self.reload()
        self.resolved.emit(conflict.number)
