"""The window's side of R-TEAM-5, over real PostgreSQL and real widgets: a rep's
*Request approval* on a held-back draft, a manager's Approvals inbox (approve, reject
with a comment, keyboard-reachable), the rep's sign-off taking the manager's login as
approver, and a clear message when the server cannot be reached."""

from __future__ import annotations

import json
import socket
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

from quotedesk.gui.approvals_view import ApprovalsView
from quotedesk.gui.main_window import MainWindow
from quotedesk.gui.recovery import RecoveryFile
from quotedesk.gui.settings import Settings
from quotedesk.store import open_store
from quotedesk.store import team as local_team
from tests.gui.conftest import JIRA_ANNUAL, sign_off_as

from .conftest import PASSWORDS, quotedesk

pytestmark = pytest.mark.usefixtures("qapp")
# Jira Cloud Standard, annual, 30% off by hand: above the default 15% threshold.
HELD_BACK = dict(JIRA_ANNUAL, users=50, months=12, discount_pct="30")


def _join(team, login: str, folder: Path) -> Path:
    """A laptop's store joined to the team as `login` (password file: no keyring)."""
    folder.mkdir()
    secret = folder / "password.txt"
    secret.write_text(PASSWORDS[login] + "\n")
    db = folder / "quotes.db"
    env = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring", "QUOTEDESK_DB": str(db)}
    done = quotedesk("team", "join", team.db.url(login), "--user", login,
                     "--password-file", secret, env=env)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return db


@pytest.fixture
def open_window(qtbot, tmp_path):
    stores = []

    def make(db: Path) -> MainWindow:
        store = open_store(db)
        stores.append(store)
        store.save_profile(replace(store.profile(), company="Atlas Revenda Ltda"))
        window = MainWindow(
            store, Settings(db.parent / "settings.ini"),
            RecoveryFile(db.parent / "recovery.json"), today=date(2026, 11, 23),
        )  # fmt: skip
        qtbot.addWidget(window, before_close_func=lambda w: setattr(w, "dirty", False))
        window.show()
        qtbot.waitExposed(window)
        return window

    yield make
    for store in stores:
        store.close()


def _quote(qtbot, window: MainWindow) -> None:
    window.new_quote()
    qtbot.keyClicks(window.editor.header.customer_name, "ACME Ltda")
    window.editor.header.country.setCurrentIndex(window.editor.header.country.findData("BR"))
    window.draft.add_line(HELD_BACK)


def _request(qtbot, window: MainWindow) -> str:
    with qtbot.waitSignal(window.statusBar().messageChanged, timeout=30_000,
                          check_params_cb=lambda text: "requested" in text) as said:  # fmt: skip
        window.menu.request_approval_action.trigger()
    return said.args[0]


@pytest.fixture
def ana_and_max(team, tmp_path):
    """ana's and max's stores; ana's has synced once, so it holds the numbers 1 to 20."""
    ana, max_ = _join(team, "ana", tmp_path / "ana"), _join(team, "max", tmp_path / "max")
    synced = quotedesk("team", "sync", "--db", ana)
    assert synced.returncode == 0, synced.stderr
    return ana, max_


def test_a_rep_requests_approval_and_signs_off_with_the_managers_login(
    qtbot, team, ana_and_max, open_window
):
    ana_db, max_db = ana_and_max
    window = open_window(ana_db)
    assert window.menu.request_approval_action.isVisible()
    assert window.menu.request_approval_action.shortcut() == QKeySequence("Ctrl+Shift+A")
    team_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Team")
    assert [a.text() for a in team_menu.actions()] == [
        "&Sync now", "&Conflicts…", "", "Request &approval", "Appro&vals…",
    ]  # fmt: skip
    quote_menu = window.menu.quote_menu.actions()
    assert window.menu.request_approval_action not in quote_menu
    _quote(qtbot, window)
    assert _request(qtbot, window) == "Approval of QD-2026-00001 requested"
    done = quotedesk("approvals", "approve", "QD-2026-00001", "--db", max_db)
    assert done.returncode == 0, done.stderr

    view = window.findChild(ApprovalsView) or None
    assert view is None
    window.menu.approvals_action.trigger()  # a rep's view: their requests, with decisions
    view = window.findChild(ApprovalsView)
    qtbot.waitUntil(lambda: view.table.rowCount() == 1 and "Approved by max" in
                    view.table.item(0, 6).text(), timeout=30_000)  # fmt: skip
    assert not view.approve_button.isVisible()  # a rep decides nothing
    view.close()
    sign_off_as(qtbot, window, "Ana Lima")  # no approver typed: the server's is used
    qtbot.waitUntil(lambda: window.draft.stored.status == "signed_off", timeout=10_000)
    assert window.draft.stored.approver == "max"


def test_the_managers_inbox_approves_and_rejects_with_a_comment(
    qtbot, team, ana_and_max, open_window
):
    ana_db, max_db = ana_and_max
    env = {"QUOTEDESK_DB": str(ana_db)}
    asked = (("ACME Ltda", "30", "3-year deal, strategic"), ("Globex Ltda", "40", "competitor bid"))
    for customer, pct, comment in asked:
        path = ana_db.parent / "quote.json"
        path.write_text(json.dumps({"schema": 1, "quote_date": "2026-11-23",
                                    "customer": {"name": customer, "country": "BR"},
                                    "lines": [dict(HELD_BACK, discount_pct=pct)]}))  # fmt: skip
        added = quotedesk("quotes", "add", path, env=env)
        assert added.returncode == 0, added.stderr
        asked_for = quotedesk("approvals", "request", added.stdout.strip(), "--comment", comment,
                              env=env)  # fmt: skip
        assert asked_for.returncode == 0, asked_for.stderr
    window = open_window(max_db)
    told = []
    window.message_shown.connect(told.append)
    assert window.menu.approvals_action.shortcut() == QKeySequence("Ctrl+Shift+V")
    window.menu.approvals_action.trigger()
    view = window.findChild(ApprovalsView)
    qtbot.waitUntil(lambda: view.table.rowCount() == 2, timeout=30_000)
    assert [view.table.item(r, 0).text() for r in range(2)] == ["QD-2026-00001", "QD-2026-00002"]
    # 50 users of Jira Cloud Standard at the sample book's 3,803.00 a year, 30% and 40% off
    assert [[view.table.item(r, c).text() for c in (1, 2, 3, 4, 7)] for r in range(2)] == [
        ["ACME Ltda", "30%", "$2,662.10", "ana", "3-year deal, strategic"],
        ["Globex Ltda", "40%", "$2,281.80", "ana", "competitor bid"],
    ]
    view.grab().save(str(ana_db.parent.parent / "approvals.png"))

    view.table.selectRow(1)
    qtbot.mouseClick(view.reject_button, Qt.MouseButton.LeftButton)  # no comment yet
    assert told[-1] == "A rejection needs a comment saying why."
    window.message_box.accept()
    qtbot.waitUntil(lambda: view.comment.hasFocus())  # back where the comment is missing
    qtbot.keyClicks(view.comment, "20% at most")
    qtbot.keyClick(view.comment, Qt.Key.Key_J, Qt.KeyboardModifier.AltModifier)  # Re&ject
    qtbot.waitUntil(lambda: view.table.rowCount() == 1, timeout=30_000)
    assert view.outcome.text() == "Rejected QD-2026-00002"
    qtbot.keyClick(view.table, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)  # &Approve
    qtbot.waitUntil(lambda: view.table.rowCount() == 0, timeout=30_000)
    with team.db.connect() as conn:
        decided = conn.execute(
            "SELECT q.number, a.decision, a.decided_by, a.decision_comment "
            "FROM quotedesk.approvals a JOIN quotedesk.quotes q ON q.id = a.quote_id "
            "ORDER BY q.number"
        ).fetchall()
    assert decided == [("QD-2026-00001", "approved", "max", None),
                       ("QD-2026-00002", "rejected", "max", "20% at most")]  # fmt: skip


def test_offline_the_request_says_so_and_changes_nothing(qtbot, team, ana_and_max, open_window):
    ana_db, _ = ana_and_max
    with open_store(ana_db) as store, socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        member = local_team.membership(store)
        offline = f"host=127.0.0.1 port={closed.getsockname()[1]} dbname=team"
        local_team.remember(store, replace(member, server=offline))
        window = open_window(ana_db)
        _quote(qtbot, window)
        with qtbot.waitSignal(window.message_shown, timeout=30_000) as shown:
            window.menu.request_approval_action.trigger()
    assert shown.args[0].startswith(
        "The team server cannot be reached: you may be offline. Nothing was changed"
    )
    assert window.draft.stored.status == "draft"
    with open_store(ana_db) as store:
        assert store.conn.execute("SELECT count(*) FROM approvals").fetchone() == (0,)


def test_a_single_user_window_has_no_approval_actions(tmp_path, open_window):
    window = open_window(tmp_path / "quotes.db")
    assert not window.menu.request_approval_action.isVisible()
    assert not window.menu.approvals_action.isVisible()
