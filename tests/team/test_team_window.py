"""Team mode in the window, over the session's real PostgreSQL and real widgets: the team
status in the status bar, Sync now (F5) and the sync in the background, the Owner column,
the Conflicts view (Ctrl+Shift+K), and the server down said plainly with nothing lost."""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QProcess, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from quotedesk.core import load_price_book
from quotedesk.gui import team_status
from quotedesk.gui.main_window import MainWindow
from quotedesk.gui.quote_list import NumberRole
from quotedesk.gui.recovery import RecoveryFile
from quotedesk.gui.settings import Settings
from quotedesk.gui.team_status import TeamMode, team_mode
from quotedesk.store import open_store
from quotedesk.team.sync import SyncReport
from tests.gui.conftest import start_quote

from .test_sync import (
    FIXTURES,
    YEAR,
    Laptop,
    laptops,  # noqa: F401 (the fixture `joined` builds on)
)

pytestmark = pytest.mark.usefixtures("qapp")
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def joined(request, monkeypatch) -> Callable[[str, str], Laptop]:
    """join(login, name): a laptop of `login` joined to the team, as in the sync tests.
    Windows wait for Sync now unless a test brings their first sync in the background
    forward."""
    join: Callable[[str, str], Laptop] = request.getfixturevalue("laptops")
    monkeypatch.setattr(team_status, "FIRST_SYNC_MS", 3_600_000)
    return join


@pytest.fixture
def open_window(qtbot) -> Iterator[Callable[[Path], MainWindow]]:
    stores = []

    def make(db: Path) -> MainWindow:
        store = open_store(db)
        stores.append(store)
        window = MainWindow(
            store, Settings(db.with_suffix(".ini")), RecoveryFile(db.with_suffix(".json")),
            price_book=load_price_book(FIXTURES / "test_book.csv"), today=date(2026, 11, 23),
        )  # fmt: skip
        qtbot.addWidget(window, before_close_func=lambda w: setattr(w, "dirty", False))
        window.show()
        qtbot.waitExposed(window)
        return window

    yield make
    for store in stores:
        store.close()


def _mode(window: MainWindow) -> TeamMode:
    mode = team_mode(window)
    assert mode is not None
    return mode


def _status(window: MainWindow) -> list[str]:
    return _mode(window).label.text().replace("●", "").replace("○", "").strip().split("  ·  ")


def _sync_now(qtbot, window: MainWindow) -> object:
    """Press F5 and wait until the window has shown the sync's result."""
    _activate(qtbot, window)
    with qtbot.waitSignal(_mode(window).finished, timeout=60_000) as done:
        QTest.keyClick(window, Qt.Key.Key_F5)
    return done.args[0]


def _activate(qtbot, window: QWidget) -> None:
    window.activateWindow()  # keys go to the active window's shortcuts
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def _back_to_the_view(qtbot, window: MainWindow, view: QWidget) -> None:
    """From the window, where an opened version is shown, to the view again: Ctrl+Shift+K."""
    _activate(qtbot, window)
    QTest.keyClick(window, Qt.Key.Key_K, CTRL_SHIFT)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is view)


def _listed(window: MainWindow) -> dict[str, str]:
    """Quote number -> the Owner column, for the quotes the list shows."""
    model = window.quotes.proxy
    assert model.headerData(3, Qt.Orientation.Horizontal) == "Owner"
    return {
        model.index(row, 0).data(NumberRole): model.index(row, 3).data()
        for row in range(model.rowCount())
    }


def _server(team, sql: str) -> list[tuple]:
    with team.db.connect() as conn:
        return conn.execute(sql).fetchall()


def test_a_single_user_window_has_no_team_status_menu_nor_owner_column(tmp_path, open_window):
    window = open_window(tmp_path / "alone.db")
    assert team_mode(window) is None
    menus = [action.text() for action in window.menuBar().actions()]
    assert menus == ["&File", "&Edit", "&Quote", "&Settings", "&Help"]
    assert window.quotes.proxy.columnCount() == 3


def test_the_status_counts_what_was_made_offline_and_the_list_names_the_owner(
    joined, open_window, qtbot
):
    ana = joined("ana", "office")
    ana.sync()  # hands this laptop numbers 1 to 20
    made = [ana.add(f"Customer {n}") for n in range(3)]

    window = open_window(ana.path)
    assert _status(window) == [
        "Not synced yet",  # this window has not tried the server
        "Last sync: just now",
        "Changes waiting: 3",
        "Numbers left: 17",  # 20 reserved, 3 used
        "Shared data: just now",
    ]
    assert _listed(window) == dict.fromkeys(made, "ana")
    menus = [action.text() for action in window.menuBar().actions()]
    assert menus == ["&File", "&Edit", "&Quote", "&Settings", "&Team", "&Help"]

    # a quote made in the window: one more change waiting, one number fewer
    window.new_quote()
    start_quote(qtbot, window)
    window.save()
    assert window.draft.stored.number == f"QD-{YEAR}-00004"
    assert _status(window)[2:4] == ["Changes waiting: 4", "Numbers left: 16"]
    assert "ana (Sales rep) on " in _mode(window).label.toolTip()


def test_sync_now_pushes_and_the_managers_list_shows_the_reps_quotes(
    joined, open_window, qtbot, team
):
    ana, max_ = joined("ana", "ana"), joined("max", "max")
    made = [ana.add(f"Customer {n}") for n in range(2)]  # block empty: provisional labels
    assert all(number.startswith("QD-DRAFT-") for number in made)

    window = open_window(ana.path)
    report = _sync_now(qtbot, window)
    assert isinstance(report, SyncReport)
    numbers = [f"QD-{YEAR}-00001", f"QD-{YEAR}-00002"]
    assert report.numbered == list(zip(made, numbers, strict=True))
    assert _server(team, "SELECT number, owner FROM quotedesk.quotes ORDER BY seq") == [
        (numbers[0], "ana"), (numbers[1], "ana")
    ]  # fmt: skip
    assert _status(window)[0] == "Online"
    # numbered: 2 for the quotes and a block of 20 kept
    assert _status(window)[2:4] == ["Changes waiting: 0", "Numbers left: 20"]
    assert _listed(window) == dict.fromkeys(numbers, "ana")  # the list follows the sync
    assert window.statusBar().currentMessage() == "Synced: 2 sent, 0 received"

    manager = open_window(max_.path)
    assert _listed(manager) == {}
    _sync_now(qtbot, manager)
    assert _listed(manager) == dict.fromkeys(numbers, "ana")
    assert "max (Manager) on " in _mode(manager).label.toolTip()


def test_the_window_syncs_in_the_background_soon_after_it_opens(
    joined, open_window, qtbot, team, monkeypatch
):
    ana = joined("ana", "ana")
    made = ana.add("Made on the plane")
    monkeypatch.setattr(team_status, "FIRST_SYNC_MS", 0)
    window = open_window(ana.path)
    with qtbot.waitSignal(_mode(window).finished, timeout=60_000):
        pass
    assert _server(team, "SELECT owner, customer FROM quotedesk.quotes") == [
        ("ana", "Made on the plane")
    ]
    assert made.startswith("QD-DRAFT-")
    assert _listed(window) == {f"QD-{YEAR}-00001": "ana"}


def test_a_conflict_of_two_laptops_is_listed_opened_and_resolved(joined, open_window, qtbot, team):
    office, home = joined("ana", "office"), joined("ana", "home")
    office.sync()
    number = office.add("ACME")
    office.sync()
    home.sync()
    office.edit(number, "ACME, as edited at the office")
    home.edit(number, "ACME, as edited at home")
    office.sync()  # first to reach the server: stays the draft

    window = open_window(home.path)
    report = _sync_now(qtbot, window)
    assert [c.label for c in report.conflicts] == [f"{number}-R2"]
    assert "Conflicts: 1" in _status(window)

    _activate(qtbot, window)
    QTest.keyClick(window, Qt.Key.Key_K, CTRL_SHIFT)
    view = _mode(window).conflicts_view
    assert view is not None and view.isVisible()
    _activate(qtbot, view)
    cells = [view.table.item(0, column).text() for column in range(5)]
    assert cells[:4] == [f"{number}-R2", "ACME, as edited at home", "ana on this laptop", number]
    assert view.table.hasFocus()

    QTest.keyClick(view.table, Qt.Key.Key_Return)  # opens this laptop's version
    assert window.draft.stored.label == f"{number}-R2"
    assert window.draft.data["customer"]["name"] == "ACME, as edited at home"
    _back_to_the_view(qtbot, window, view)
    QTest.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.AltModifier)  # and the server's
    qtbot.waitUntil(lambda: window.draft.stored.label == number)  # a mnemonic clicks soon after
    assert window.draft.data["customer"]["name"] == "ACME, as edited at the office"

    _back_to_the_view(qtbot, window, view)
    QTest.keyClick(view, Qt.Key.Key_M, Qt.KeyboardModifier.AltModifier)  # Mark resolved
    qtbot.waitUntil(lambda: view.table.rowCount() == 0)
    assert view.empty.isVisible()
    assert not any(part.startswith("Conflicts") for part in _status(window))
    _sync_now(qtbot, window)  # the marks go to the server: the office sees none either
    assert _server(team, "SELECT count(*) FROM quotedesk.revisions WHERE conflict IS NOT NULL") \
        == [(0,)]  # fmt: skip
    office.sync()
    assert office.query("SELECT count(*) FROM team_revisions WHERE conflict IS NOT NULL") == [(0,)]


def test_the_server_down_shows_offline_with_a_clear_message_and_loses_nothing(
    joined, open_window, qtbot, team, pg_server
):
    ana = joined("ana", "ana")
    ana.sync()
    made = [ana.add(f"Customer {n}") for n in range(2)]
    window = open_window(ana.path)
    before = list(sqlite3.connect(ana.path).iterdump())
    pg_server.stop()
    try:
        result = _sync_now(qtbot, window)
    finally:
        pg_server.start()
    assert type(result).__name__ == "Unreachable"
    said = window.message_box.text()
    assert said.startswith("The team server cannot be reached (cannot connect to the team server")
    assert said.endswith("Your changes stay on this laptop and go out at the next sync.")
    assert _status(window)[0] == "Offline"
    assert _status(window)[2] == "Changes waiting: 2"
    assert said in _mode(window).label.toolTip()
    assert list(sqlite3.connect(ana.path).iterdump()) == before
    assert _listed(window) == dict.fromkeys(made, "ana")
    window.message_box.close()

    assert isinstance(_sync_now(qtbot, window), SyncReport)
    assert _status(window)[0] == "Online"
    assert _status(window)[2] == "Changes waiting: 0"
    assert _server(team, "SELECT number FROM quotedesk.quotes ORDER BY seq") == [
        (made[0],), (made[1],)
    ]  # fmt: skip


def test_the_open_quote_made_without_a_number_takes_its_number_with_its_unsaved_edit(
    joined, open_window, qtbot, team
):
    ana = joined("ana", "plane")  # never synced: no numbers in hand
    window = open_window(ana.path)
    window.new_quote()
    start_quote(qtbot, window)
    provisional = window.save().number
    assert provisional.startswith("QD-DRAFT-")
    window.draft.set_field(("notes",), "Written while the sync ran")  # not saved yet
    assert window.dirty

    _sync_now(qtbot, window)
    number = f"QD-{YEAR}-00001"
    assert window.draft.stored.number == number
    assert window.editor.title.text() == f"{number} — draft"
    assert not window.dirty  # saved under its number
    with open_store(ana.path) as store:
        assert store.get(number).quote_file["notes"] == "Written while the sync ran"
    _sync_now(qtbot, window)
    assert _server(team, "SELECT number, count(*) FROM quotedesk.quotes GROUP BY 1") == [
        (number, 1)
    ]


def test_a_closed_window_neither_syncs_nor_reads_its_store_any_more(joined, open_window):
    window = open_window(joined("ana", "ana").path)
    mode = _mode(window)
    assert mode.auto.isActive() and mode.ages.isActive()
    window.close()  # its store may be closed next
    assert not mode.auto.isActive() and not mode.ages.isActive()


def test_closing_the_window_mid_sync_ends_its_sync_process_and_nothing_goes_twice(
    joined, open_window, qtbot, team
):
    ana = joined("ana", "ana")
    ana.sync()
    made = [ana.add(f"Customer {n}") for n in range(3)]
    window = open_window(ana.path)
    mode = _mode(window)
    shown: list[object] = []
    mode.finished.connect(shown.append)
    mode.sync_now()
    process = mode.process
    assert process is not None
    qtbot.waitUntil(lambda: process.state() == QProcess.ProcessState.Running)
    pid = process.processId()

    window.close()  # wherever the sync was, it ends with the window
    assert mode.process is None
    with pytest.raises(ProcessLookupError):  # gone, and reaped
        os.kill(pid, 0)
    qtbot.wait(200)
    assert shown == []  # the closed window shows no result

    ana.sync()  # what the killed sync sent is not sent again; the rest goes now
    assert _server(team, "SELECT number FROM quotedesk.quotes ORDER BY seq") == [
        (made[0],), (made[1],), (made[2],)
    ]  # fmt: skip


def test_a_bundle_syncs_with_its_console_program_next_to_the_window(tmp_path, monkeypatch):
    """A bundle's window program cannot run `python -m quotedesk`: it runs the bundle's
    `quotedesk` command, which sits in the same folder."""
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "bundle" / "quotedesk-gui"))
    program, args = team_status.sync_command(tmp_path / "quotes.db")
    name = "quotedesk.exe" if sys.platform == "win32" else "quotedesk"
    assert program == str(tmp_path / "bundle" / name)
    assert args == ["team", "sync", "--json", "--background", "--db", str(tmp_path / "quotes.db")]
