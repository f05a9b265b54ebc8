"""The window draws its views again from one slot (MainWindow.refresh) that reads what an
operation says it changed (OpChanges), not from each action by hand."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from quotedesk.gui.main_window import MainWindow
from quotedesk.gui.recovery import RecoveryFile
from quotedesk.gui.renewals_view import RenewalsView
from quotedesk.gui.settings import Settings
from quotedesk.operations.changes import OpChanges
from quotedesk.store import open_store
from tests.gui.conftest import FIXTURES, JIRA_ANNUAL, TODAY, listed_total, start_quote


def test_importing_a_licence_csv_refreshes_the_open_renewals_view_through_the_slot(
    qtbot, make_window
):
    window = make_window()
    window.menu.renewals_action.trigger()
    view = window.findChild(RenewalsView)
    assert view.model.total == 0
    with qtbot.waitSignal(window.refreshed, timeout=20_000) as said:
        view.import_csv(FIXTURES / "licences.csv")
    assert said.args == [OpChanges(licences=True)]
    # Today is 2026-11-23: within 30 days end the Jira site (12-10) and SEN-1000002 (12-20).
    assert [row[0] for row in view.model.rows] == ["https://acme.atlassian.net", "SEN-1000002"]
    assert view.count.text() == "2 licences"


def test_a_licence_change_while_the_renewals_view_is_hidden_shows_when_it_opens_again(
    qtbot, make_window
):
    window = make_window()
    window.menu.renewals_action.trigger()
    view = window.findChild(RenewalsView)
    view.hide()
    with qtbot.waitSignal(window.refreshed, timeout=20_000):
        view.import_csv(FIXTURES / "licences.csv")
    assert view.model.total == 0  # hidden: not drawn for nothing
    window.menu.renewals_action.trigger()
    assert view.model.total == 2


def test_R_DISC_PARTNER_saving_the_profile_reprices_the_open_draft_through_the_slot(qtbot, window):
    start_quote(qtbot, window)  # 100 users: the test book's 8,000.00 tier
    assert window.editor.totals.total_text == "$8,000.00"
    profile = replace(window.store.profile(), partner_discount_pct=Decimal(10))
    with qtbot.waitSignal(window.refreshed) as said:
        window.apply_profile(profile)
    assert said.args == [OpChanges(profile=True)]
    # 10% partner discount on 8,000.00: 800.00 off.
    assert window.editor.totals.total_text == "$7,200.00"
    assert window.editor.header.partner_discount.placeholderText() == "10"


def test_a_save_reloads_the_quote_list_through_the_slot(qtbot, window):
    start_quote(qtbot, window)
    with qtbot.waitSignal(window.refreshed) as said:
        revision = window.save()
    assert said.args == [OpChanges(quotes=True, quote=revision.number)]
    # 100 users of the test book's annual Jira Cloud Standard: its 8,000.00 tier.
    assert listed_total(window, revision.key) == "$8,000.00"


def test_choosing_a_price_book_reprices_the_open_draft_through_the_slot(
    qtbot, make_window, test_book
):
    window = make_window(price_book=None)  # the sample book: illustrative prices
    window.new_quote()
    start_quote(qtbot, window)
    version, _ = window.store.import_price_book(test_book.data, "test_book.csv")
    with qtbot.waitSignal(window.refreshed) as said:
        window.price_book_actions.use_price_book(version.id)
    assert said.args == [OpChanges(price_books=True)]
    assert window.book.sha256 == test_book.sha256
    assert window.editor.totals.total_text == "$8,000.00"  # the test book's 100-user tier
    assert not window.sample_label.isVisible()


def test_a_window_drawn_before_its_database_opens_then_prices_with_the_stores_book(
    qtbot, tmp_path, test_book
):
    """The window is drawn with the sample book; once the database is open it prices the
    open quote with the book chosen in the store (nothing of it is kept in the settings)."""
    with open_store(tmp_path / "quotes.db") as store:
        version, _ = store.import_price_book(test_book.data, "test_book.csv")
        store.set_active_price_book(version.id)
    settings = Settings(tmp_path / "settings.ini")
    window = MainWindow(None, settings, RecoveryFile(tmp_path / "recovery.json"), today=TODAY)
    qtbot.addWidget(window, before_close_func=lambda w: setattr(w, "dirty", False))
    window.open_data({"schema": 1, "lines": [dict(JIRA_ANNUAL, users=100, months=12)]})
    assert window.book.illustrative
    store = open_store(tmp_path / "quotes.db")
    try:
        window.attach_store(store)
        assert window.book.sha256 == test_book.sha256
        assert window.draft.view["net_total"] == "8000.00"  # the test book's 100-user tier
    finally:
        store.close()
