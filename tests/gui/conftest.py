"""A main window over a real SQLite file, settings and recovery file in tmp_path, priced
with the round-number test book (tests/fixtures/test_book.csv, see tests/core/conftest.py)."""

from __future__ import annotations

import contextlib
import gc
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QAbstractItemModel, Qt, QTimer
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QFileDialog

from quotedesk import cli
from quotedesk.core import load_price_book
from quotedesk.gui.main_window import MainWindow
from quotedesk.gui.quote_list import RevisionRole
from quotedesk.gui.recovery import RecoveryFile
from quotedesk.gui.settings import Settings
from quotedesk.gui.sign_off_dialog import SignOffDialog
from quotedesk.gui.translation import install_translations
from quotedesk.store import open_store

FIXTURES = Path(__file__).parents[1] / "fixtures"
TODAY = date(2026, 11, 23)
JIRA_ANNUAL = {"product": "jira", "deployment": "cloud", "edition": "standard", "billing": "annual"}


@pytest.fixture(autouse=True)
def _collect_in_this_thread_only():
    """As the app does (gui/app.py): no cycle collection set off in a background job's
    thread, where it would destroy a test's dropped Qt objects and crash; this thread
    collects after each test."""
    enabled = gc.isenabled()
    gc.disable()
    yield
    if enabled:
        gc.enable()
    gc.collect()


@pytest.fixture
def test_book():
    return load_price_book(FIXTURES / "test_book.csv")


@pytest.fixture
def make_window(qtbot, tmp_path, test_book) -> Iterator[Callable[..., MainWindow]]:
    """Windows sharing one database, settings file and recovery file (a restart is a
    second window)."""
    stores = []

    def make(language: str = "en", price_book=test_book) -> MainWindow:
        store = open_store(tmp_path / "quotes.db")
        stores.append(store)
        if not store.profile().company:  # sign-off needs a seller
            store.save_profile(replace(store.profile(), company="Atlas Revenda Ltda"))
        window = MainWindow(
            store,
            Settings(tmp_path / "settings.ini"),
            RecoveryFile(tmp_path / "state" / "recovery.json"),
            language=language,
            price_book=price_book,
            today=TODAY,
        )
        # Closing must not stop at the "save the new quote?" question.
        qtbot.addWidget(window, before_close_func=lambda w: setattr(w, "dirty", False))
        window.show()
        qtbot.waitExposed(window)
        return window

    yield make
    for store in stores:
        store.close()


@pytest.fixture
def ja(make_window):
    """A window in Japanese, its Qt translations installed for the test only."""
    app = QApplication.instance()
    translators = install_translations(app, "ja")
    yield make_window("ja")
    for translator in translators:
        app.removeTranslator(translator)
    install_translations(app, "en")


@pytest.fixture
def window(make_window) -> MainWindow:
    window = make_window()
    window.new_quote()
    return window


@pytest.fixture
def model_tester(qtlog) -> Iterator[Callable[[QAbstractItemModel], None]]:
    """Keep Qt's QAbstractItemModelTester on a model for the whole test; anything it
    finds wrong is a Qt warning, and any such warning fails the test."""
    testers = []

    def watch(model: QAbstractItemModel) -> None:
        testers.append(
            QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Warning)
        )

    yield watch
    failures = [r.message for r in qtlog.records if "FAIL" in r.message]
    assert failures == []


def when_dialog_opens(act: Callable[[QDialog], None]) -> None:
    """Run `act` on the next modal dialog once it is shown (exec() blocks the test)."""

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QDialog):
            act(dialog)
        else:
            QTimer.singleShot(10, poll)

    QTimer.singleShot(0, poll)


def pick_file(
    path: Path, then: Callable[[QDialog], None] | None = None
) -> Callable[[QDialog], None]:
    """For when_dialog_opens: answer a file dialog with `path`, and the dialog it leads to
    with `then`."""

    def act(dialog: QDialog) -> None:
        assert isinstance(dialog, QFileDialog)
        dialog.selectFile(str(path))
        if then is not None:
            when_dialog_opens(then)
        dialog.accept()

    return act


def start_quote(qtbot, window, users: int = 100, **line) -> None:
    qtbot.keyClicks(window.editor.header.customer_name, "ACME Ltda")
    window.editor.header.country.setCurrentIndex(window.editor.header.country.findData("BR"))
    window.draft.add_line(dict(JIRA_ANNUAL, users=users, months=12, **line))


def sign_off_as(qtbot, window, by: str, approver: str = "") -> None:
    def fill(dialog) -> None:
        assert isinstance(dialog, SignOffDialog)
        qtbot.keyClicks(dialog.signed_by, by)
        if approver:
            qtbot.keyClicks(dialog.approver, approver)
        ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
        if ok.isEnabled():
            qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
        else:
            dialog.reject()

    when_dialog_opens(fill)
    window.menu.sign_off_action.trigger()


def listed_total(window: MainWindow, key: str) -> str:
    """The total the quote list shows for the revision `key` ("QD-2026-00001-R2")."""
    proxy = window.quotes.proxy
    for row in range(proxy.rowCount()):
        if proxy.index(row, 0).data(RevisionRole) == key:
            return str(proxy.index(row, 2).data())
    raise AssertionError(f"{key} is not in the quote list")


def quotes_show(db: Path, key: str) -> dict:
    """What `quotedesk quotes show KEY --db DB` prints, run through the command line's own
    code in this process (a subprocess per check would be slow)."""
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    with contextlib.redirect_stdout(out):
        assert cli.main(["quotes", "show", key, "--db", str(db)]) == 0
    return json.loads(out.buffer.getvalue())


def sign_with_file(then: Callable[[QDialog], None]) -> Callable[[QDialog], None]:
    """For when_dialog_opens: choose "Certificate file" in Export signed PDF's first
    dialog, and answer the file dialog it leads to with `then`."""

    def act(dialog: QDialog) -> None:
        from quotedesk.gui.signing_dialog import SigningKeyDialog

        assert isinstance(dialog, SigningKeyDialog)
        dialog.file_choice.setChecked(True)
        when_dialog_opens(then)
        dialog.accept()

    return act
