"""The story that once lost a saved quote: the window imports licences and makes renewal
quotes in background jobs, a terminal backs the database up meanwhile, the window saves a
new quote, and after a restart the quote is there."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from contextlib import closing

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from quotedesk.gui.renewals_view import RenewalsView
from quotedesk.store import open_store
from tests.store.test_shared_file import deleted_database_files

from .conftest import FIXTURES, pick_file, when_dialog_opens


def test_quote_saved_after_jobs_and_a_terminal_backup_is_there_after_a_restart(
    qtbot, make_window, tmp_path
):
    window = make_window()
    db = window.store.path
    window.menu.renewals_action.trigger()
    view = window.findChild(RenewalsView)
    when_dialog_opens(pick_file(FIXTURES / "licences.csv"))
    qtbot.mouseClick(view.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.model.total > 0)
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.mouseClick(view.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.draft is not None and window.draft.stored is not None)
    view.close()

    backup = subprocess.run(
        [sys.executable, "-m", "quotedesk", "backup", str(tmp_path / "b.db")],
        env={**os.environ, "QUOTEDESK_DB": str(db)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert backup.returncode == 0, backup.stderr

    window.activateWindow()  # closing the Renewals view leaves no window active
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    customer = window.editor.header.customer_name
    customer.setFocus()
    qtbot.keyClick(customer, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(customer, "Saved After Backup")
    qtbot.keyClick(customer, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert window.windowTitle().startswith("QD-2026-00002")
    assert deleted_database_files(db) == []  # the save went into the live WAL
    window.close()
    window.store.close()

    with open_store(db) as restarted:
        assert restarted.list_quotes()[0].customer == "Saved After Backup"
    with closing(sqlite3.connect(db)) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]


def test_a_window_store_does_not_read_the_database_file_itself(make_window):
    """Opening stores beside the window's leaves none of its descriptors pointing at a
    deleted WAL (what happened when the store read the header with open())."""
    window = make_window()
    db = window.store.path
    for _ in range(3):
        open_store(db).close()
    subprocess.run(
        [sys.executable, "-m", "quotedesk", "quotes", "list"],
        env={**os.environ, "QUOTEDESK_DB": str(db)},
        capture_output=True,
        check=True,
        timeout=120,
    )
    assert deleted_database_files(db) == []
