"""Team mode in the main window, on a laptop that joined a team: the team's status in the
status bar (online or not, last sync, changes waiting, numbers left, conflicts, the age
of the shared data), a Team menu (Sync now, Conflicts), the Owner column of the quote
list, and a sync in the background every minute while the window is open.

A single-user window never loads this module, nor psycopg with it (main_window checks
the membership first). Each sync is a `quotedesk team sync --json` process of its own, on
its own connection to the store: the window stays as quick to edit in while the server
is slow or away, and while the sync works through what it pulls."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QEvent, QObject, QProcess, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMenu, QMessageBox

from quotedesk.logs import log
from quotedesk.operations.changes import OpChanges
from quotedesk.team import sync as team_sync
from quotedesk.team.server import TeamError, Unreachable

if TYPE_CHECKING:
    from quotedesk.gui.conflicts_view import ConflictsView
    from quotedesk.gui.context import WindowContext
    from quotedesk.gui.main_menu import MainMenu
    from quotedesk.gui.quote_list import QuoteListPanel

    class TeamHost(WindowContext, Protocol):
        """The context, and the parts of the window team mode adds to: its menu bar and
        quote list; the open quote's unsaved state, which a sync that numbers it keeps."""

        @property
        def menu(self) -> MainMenu: ...
        @property
        def quotes(self) -> QuoteListPanel: ...
        @property
        def dirty(self) -> bool: ...
        def autosave(self) -> None: ...


AUTO_SYNC_MS = 60_000  # a round with the server every minute while the window is open
FIRST_SYNC_MS = 2_000  # and one soon after start-up, once the window is drawn
AGES_MS = 30_000  # "5 min ago" moves on


def sync_command(db_path: Path) -> tuple[str, list[str]]:
    """The program and arguments of one sync round: `quotedesk team sync --json` on the
    window's store, which finds the password as the command does (keyring or password
    file). A process of its own, not a thread: the sync's Python work would take turns
    with the window's on the one interpreter lock, and edits would repaint at half speed
    while it runs; at a low priority (`--background`): on a busy machine the window gets
    the CPU first. A bundle has no `python -m`: its console program `quotedesk` is next to
    the window's program (Qt starts it without a console window when the window has none)."""
    args = ["team", "sync", "--json", "--background", "--db", str(db_path)]
    if getattr(sys, "frozen", False):
        name = "quotedesk.exe" if sys.platform == "win32" else "quotedesk"
        return str(Path(sys.executable).with_name(name)), args
    return sys.executable, ["-m", "quotedesk", *args]


def sync_result(process: QProcess) -> object:
    """What a finished sync process did: the SyncReport, or the error that stopped it, as
    the command tells it (exit 1 refused, 2 the server unreachable or the input bad, each
    with one line on stderr)."""
    said = bytes(process.readAllStandardError().data()).decode("utf-8", "replace").strip()
    code = process.exitCode()
    if process.exitStatus() == QProcess.ExitStatus.NormalExit and code == 0:
        try:
            printed = bytes(process.readAllStandardOutput().data())
            return team_sync.SyncReport.from_dict(json.loads(printed))
        except (ValueError, KeyError, TypeError) as exc:
            log.error("team sync printed no report: %s", exc)
            return exc
    if code in (1, 2) and said.startswith("quotedesk ") and "\n" not in said:
        reason = said.partition(": ")[2]  # after "quotedesk team sync: "
        return Unreachable(reason) if code == 2 else TeamError(reason)
    log.error("team sync ended with exit code %s: %s", code, said)
    return RuntimeError(said.splitlines()[-1] if said else f"exit code {code}")


class TeamMode(QObject):
    """Installs team mode into the window (`install`) and runs its syncs."""

    finished = Signal(object)  # each sync's result, once shown: a SyncReport or the error

    def __init__(self, window: TeamHost) -> None:
        super().__init__(window.widget())
        self.setObjectName("team-mode")
        self.window = window
        self.online: bool | None = None  # None: no sync tried since start-up
        self.problem = ""  # why the last sync did not go through
        self.process: QProcess | None = None  # the sync running
        self.conflicts_view: ConflictsView | None = None

        self.label = QLabel()
        self.label.setObjectName("team-status")
        window.widget().statusBar().insertPermanentWidget(0, self.label)
        self.sync_action = self._action(self.tr("&Sync now"), self.sync_now, "F5")
        self.conflicts_action = self._action(
            self.tr("&Conflicts…"), self.show_conflicts, "Ctrl+Shift+K"
        )
        self.menu = QMenu(self.tr("&Team"), window.menu)
        window.menu.insertMenu(window.menu.actions()[-1], self.menu)  # before Help
        # R-TEAM-5's actions: the main menu makes them (Request approval follows the open
        # quote's state there), the Team menu shows them.
        approvals = (window.menu.request_approval_action, window.menu.approvals_action)
        for act in (self.sync_action, self.conflicts_action, None, *approvals):
            if act is None:
                self.menu.addSeparator()
                continue
            self.menu.addAction(act)
            keys = act.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            act.setToolTip(f"{act.text().replace('&', '').rstrip('…')} ({keys})")

        window.quotes.in_team = True  # the Owner column, from the next reload on
        # Every reload of the list follows a change here (save, sign-off, a sync): the
        # counts of changes waiting and numbers left follow it too.
        window.quotes.model.modelReset.connect(self.refresh)
        self.auto = QTimer(self, interval=AUTO_SYNC_MS)
        self.auto.timeout.connect(self.sync_in_background)
        self.auto.start()
        QTimer.singleShot(FIRST_SYNC_MS, self, self.sync_in_background)
        self.ages = QTimer(self, interval=AGES_MS)
        self.ages.timeout.connect(self.refresh)
        self.ages.start()
        window.widget().installEventFilter(self)
        self.refresh()

    def _action(self, text: str, slot: Callable[[], object], shortcut: str) -> QAction:
        act = QAction(text, self.window.widget())
        act.setShortcut(QKeySequence(shortcut))
        act.triggered.connect(lambda _=False: self.window.run(slot))
        return act

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window.widget() and event.type() == QEvent.Type.Close:
            self.auto.stop()  # the store may close with the window
            self.ages.stop()
            if self.process is not None:
                # What it already sent stays sent and it is sent once (R-TEAM-1); SQLite
                # rolls back what it had not committed: killing it loses nothing.
                process, self.process = self.process, None
                process.kill()
                process.waitForFinished()
                process.deleteLater()
        elif watched is self.window.widget() and event.type() == QEvent.Type.Show:
            self.auto.start()
            self.ages.start()
        return False

    # Syncing

    def sync_now(self) -> None:
        if self.process is not None:
            self.window.show_status(self.tr("A sync is already running."), 4000)
            return
        self._start(asked=True)

    def sync_in_background(self) -> None:
        if self.process is None and self.window.widget().isVisible():
            self._start(asked=False)

    def _start(self, asked: bool) -> None:
        process = self.process = QProcess(self)
        process.finished.connect(lambda *_: self._ended(process, asked))
        process.errorOccurred.connect(lambda error: self._ended(process, asked, error))
        self.label.setText(self.tr("Syncing…"))
        process.start(*sync_command(self.window.store.path))

    def _ended(
        self, process: QProcess, asked: bool, error: QProcess.ProcessError | None = None
    ) -> None:
        if process is not self.process:
            return  # stopped as the window closed: the result is dropped
        if error is not None and error != QProcess.ProcessError.FailedToStart:
            return  # it crashed or its pipes failed: `finished` follows
        self.process = None
        process.deleteLater()
        result = sync_result(process) if error is None else OSError(process.errorString())
        self.window.run(lambda: self._done(result, asked))

    def _done(self, result: object, asked: bool) -> None:
        try:
            self._show_result(result, asked)
        finally:
            self.finished.emit(result)

    def _show_result(self, result: object, asked: bool) -> None:
        window = self.window
        if isinstance(result, team_sync.SyncReport):
            self.online, self.problem = True, ""
            if result.received or result.numbered or result.conflicts:
                self._follow_open_quote(result)
                # the one refresh after a sync (the status follows the list's reload)
                window.refresh(OpChanges(quotes=True))
            else:
                self.refresh()  # a sync that changed nothing here leaves the list as it is
            text = self.tr("Synced: {0} sent, {1} received").format(result.sent, result.received)
            if result.conflicts:
                text += " · " + self.tr("Conflicts: {0}").format(len(result.conflicts))
            window.show_status(text, 6000)
            if self.conflicts_view is not None:
                self.conflicts_view.reload()
            return
        if isinstance(result, Unreachable):
            self.online = False
            self.problem = self.tr(
                "The team server cannot be reached ({0}). Your changes stay on this laptop "
                "and go out at the next sync."
            ).format(result)
        elif isinstance(result, TeamError):
            self.online = True
            self.problem = self.tr("The team server refused the sync: {0}").format(result)
        elif isinstance(result, Exception):
            self.problem = self.tr("The sync stopped: {0}").format(result or type(result).__name__)
        self.refresh()
        if asked:  # a sync in the background that fails only shows in the status
            window.tell(self.problem, QMessageBox.Icon.Warning)

    def _follow_open_quote(self, report: team_sync.SyncReport) -> None:
        """The quote open in the editor as the sync left it: numbered, or changed by the
        server, unless it has edits of its own not saved yet (they go out next time)."""
        window = self.window
        draft = window.draft
        if draft is None or draft.stored is None:
            return
        numbered = dict(report.numbered).get(draft.stored.number)
        if numbered is not None and window.dirty:
            draft.stored = replace(draft.stored, number=numbered)
            window.autosave()  # to the quote under its number
        elif numbered is not None:
            window.open_stored(replace(draft.stored, number=numbered).key)
        elif not window.dirty and window.store.get(draft.stored.key) != draft.stored:
            window.open_stored(draft.stored.key)

    # Status

    def refresh(self) -> None:
        if self.process is not None:
            return  # "Syncing…" until it is done
        status = team_sync.status(self.window.store, self.online)
        now = datetime.now(UTC)
        state = {None: self.tr("Not synced yet"), True: self.tr("Online"),
                 False: self.tr("Offline")}[self.online]  # fmt: skip
        last = self._ago(status.last_sync_at, now)
        ages = list(status.shared_fetched_at.values())
        oldest = None if None in ages else min(when for when in ages if when is not None)
        parts = [
            ("●  " if self.online else "○  ") + state,
            self.tr("Last sync: {0}").format(last),
            self.tr("Changes waiting: {0}").format(status.waiting),
            self.tr("Numbers left: {0}").format(status.numbers_left),
            self.tr("Shared data: {0}").format(self._ago(oldest, now)),
        ]
        if status.conflicts:
            parts.insert(3, self.tr("Conflicts: {0}").format(status.conflicts))
        self.label.setText("  ·  ".join(parts))
        role = {"rep": self.tr("Sales rep"), "manager": self.tr("Manager")}.get(
            status.role, status.role
        )
        # The shared data whose age the status shows (R-TEAM-7), as the window names it.
        shared = {
            "profile": self.tr("Reseller profile"), "price_books": self.tr("Price books"),
            "licences": self.tr("Licence register"),
            "customer_languages": self.tr("Customer languages"),
        }  # fmt: skip
        tip = [self.tr("{0} ({1}) on {2}").format(status.login, role, status.server)]
        if self.problem:
            tip.append(self.problem)
        if status.provisional:
            tip.append(self.tr("Quotes waiting for a number: {0}").format(status.provisional))
        if status.refused:
            tip.append(
                self.tr("Refused by the server, tried again at each sync: {0}").format(
                    status.refused
                )
            )
        for what, when in status.shared_fetched_at.items():
            tip.append(f"{shared.get(what, what)}: {self._ago(when, now)}")
        self.label.setToolTip("\n".join(tip))
        self.label.setStyleSheet("color: #a4262c;" if self.online is False else "")

    def _ago(self, when: datetime | None, now: datetime) -> str:
        if when is None:
            return self.tr("never")
        minutes = max(0, int((now - when).total_seconds() // 60))
        if minutes < 1:
            return self.tr("just now")
        if minutes < 60:
            amount = self.tr("{0} min").format(minutes)
        elif minutes < 48 * 60:
            amount = self.tr("{0} h").format(minutes // 60)
        else:
            amount = self.tr("{0} days").format(minutes // (24 * 60))
        return self.tr("{0} ago").format(amount)

    # Conflicts

    def show_conflicts(self) -> ConflictsView:
        from quotedesk.gui.conflicts_view import ConflictsView

        view = self.conflicts_view
        if view is None:
            view = self.conflicts_view = ConflictsView(self.window)
            view.resolved.connect(self.refresh)
        view.reload()
        view.show()
        view.raise_()
        view.activateWindow()
        return view


def team_mode(window: TeamHost) -> TeamMode | None:
    """The window's team mode; None when this laptop is not in a team."""
    return window.widget().findChild(TeamMode, "team-mode")


def install(window: TeamHost) -> TeamMode:
    return team_mode(window) or TeamMode(window)
