"""The licence register in the window: import a licence CSV into the Renewals view, narrow the
expiring list with keys, create the renewal quotes in the background, open one, sign it
off and export it, as a person does."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pdfplumber
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from quotedesk.gui.line_model import LIST
from quotedesk.gui.renewals_view import LicenceModel, RenewalsView, licence_import, renewal_run
from quotedesk.gui.translation import install_translations
from quotedesk.store.licences import Filters, LicenceRegister
from tests.gui.conftest import (
    FIXTURES,
    TODAY,
    listed_total,
    pick_file,
    quotes_show,
    sign_off_as,
    when_dialog_opens,
)


def test_import_expiring_list_create_renewal_open_sign_off_export(qtbot, make_window, tmp_path):
    window = make_window()
    window.menu.renewals_action.trigger()
    view = window.findChild(RenewalsView)
    assert view is not None and view.isVisible()

    when_dialog_opens(pick_file(FIXTURES / "licences.csv"))
    qtbot.mouseClick(view.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.model.total > 0)
    # Today is 2026-11-23: within 30 days end the Jira site (12-10) and SEN-1000002 (12-20).
    assert [row[0] for row in view.model.rows] == ["https://acme.atlassian.net", "SEN-1000002"]
    assert view.count.text() == "2 licences"

    view.within.setFocus()
    qtbot.keyClick(view.within, Qt.Key.Key_Down)  # 60 days
    assert view.model.total == 4
    qtbot.keyClicks(view.customer, "acme")
    assert [row[0] for row in view.model.rows] == [
        "https://acme.atlassian.net", "SEN-1000002", "SEN-1000001",
    ]  # fmt: skip
    assert view.model.index(2, 0).data() == "Jan 15, 2027"

    assert not view.create_button.isEnabled()
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.mouseClick(view.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.draft is not None and window.draft.stored is not None)

    stored = window.draft.stored
    assert stored.number == "QD-2026-00001" and stored.status == "draft"
    assert view.outcome.text() == "Made 1 renewal quote: QD-2026-00001"
    lines = stored.quote_file["lines"]
    assert [(x["product"], x.get("sen") or x.get("site_url")) for x in lines] == [
        ("jira", "https://acme.atlassian.net"), ("confluence", "SEN-1000002"),
        ("jira", "SEN-1000001"),
    ]  # fmt: skip
    # Jira Data Center: 36,500.00 in the book in force now, 30,000.00 in its last period.
    shown = window.editor.table.model().index(2, LIST).data()
    assert shown == "$36,500.00 (was $30,000.00)"

    sign_off_as(qtbot, window, "Ana Souza")
    qtbot.waitUntil(lambda: window.draft.stored.status == "signed_off")
    out = tmp_path / "renewal.pdf"
    when_dialog_opens(pick_file(out))
    window.menu.export_action.trigger()
    qtbot.waitUntil(out.exists)
    with pdfplumber.open(out) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    assert "QD-2026-00001" in text and "was $30,000.00" in text
    # Signing off moved the three renewed licences' end dates past the 60-day window.
    register = LicenceRegister(window.store)
    assert register.count(Filters(TODAY, within=60, customer="acme")) == 0


def test_R_DISC_PARTNER_a_renewal_quote_lists_opens_shows_and_signs_off_at_one_total(
    qtbot, make_window
):
    """Renewal quotes were saved without the profile's partner discount: the list said
    $88,958.90, the editor $80,063.01, and sign-off refused the quote (R-Q-5)."""
    window = make_window()
    window.store.save_profile(replace(window.store.profile(), partner_discount_pct=Decimal(10)))
    window.menu.renewals_action.trigger()
    view = window.findChild(RenewalsView)
    when_dialog_opens(pick_file(FIXTURES / "licences.csv"))
    qtbot.mouseClick(view.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.model.total > 0)
    view.within.setCurrentIndex(view.within.findData(None))  # all licences
    qtbot.keyClicks(view.customer, "acme")
    assert view.count.text() == "4 licences"
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.mouseClick(view.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.draft is not None and window.draft.stored is not None)

    # List prices 9,358.90 (Jira cloud co-termed: 8,000.00 × 427 / 365) + 4,000.00 +
    # 39,100.00 + 36,500.00 = 88,958.90; 10% off each line: 935.89 + 400.00 + 3,910.00 +
    # 3,650.00 = 8,895.89; no Brazilian tax: 80,063.01.
    key = window.draft.stored.key
    assert window.editor.totals.total_amount.text() == "$80,063.01"
    assert listed_total(window, key) == "$80,063.01"
    assert quotes_show(window.store.path, key)["total"] == "80063.01"
    assert not window.dirty

    refusals = []
    window.message_shown.connect(refusals.append)
    sign_off_as(qtbot, window, "Ana Souza")
    qtbot.waitUntil(lambda: window.draft.stored.status == "signed_off")
    assert refusals == []
    assert window.editor.totals.total_amount.text() == "$80,063.01"


def test_open_renewals_view_refreshes_after_a_sign_off_in_the_window(qtbot, make_window):
    window = make_window()
    LicenceRegister(window.store).import_csv(
        (FIXTURES / "licences.csv").read_bytes(), "licences.csv", window.book
    )
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(
        window,
        Qt.Key.Key_R,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    view = window.findChild(RenewalsView)
    assert view is not None and view.isVisible()
    view.within.setFocus()
    qtbot.keyClick(view.within, Qt.Key.Key_Down)  # 60 days
    qtbot.keyClicks(view.customer, "acme")
    assert view.count.text() == "3 licences"
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.mouseClick(view.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.draft is not None and window.draft.stored is not None)
    assert view.model.total == 3  # a draft renews nothing yet

    sign_off_as(qtbot, window, "Ana Souza")
    qtbot.waitUntil(lambda: window.draft.stored.status == "signed_off")
    # The view, still open, drops the three renewed licences at once.
    assert (view.model.total, view.count.text()) == (0, "0 licences")


def test_renewals_view_shown_again_lists_licences_imported_while_it_was_closed(qtbot, make_window):
    window = make_window()
    window.menu.renewals_action.trigger()
    view = window.findChild(RenewalsView)
    assert view.count.text() == "0 licences"
    qtbot.keyClick(view.customer, Qt.Key.Key_Escape)
    assert not view.isVisible()
    LicenceRegister(window.store).import_csv(
        (FIXTURES / "licences.csv").read_bytes(), "licences.csv", window.book
    )
    window.menu.renewals_action.trigger()
    assert view.isVisible() and view.count.text() == "2 licences"


def test_licence_csv_import_runs_in_the_background_with_progress(qtbot, make_window):
    window = make_window()
    window.menu.renewals_action.trigger()
    view = window.findChild(RenewalsView)
    when_dialog_opens(pick_file(FIXTURES / "licences.csv"))
    qtbot.mouseClick(view.import_button, Qt.MouseButton.LeftButton)
    job = window._jobs["licences"]  # started, not yet done: the GUI thread is free
    assert job.worker.thread() is not QApplication.instance().thread()
    qtbot.waitUntil(lambda: "licences" not in window._jobs)
    assert view.count.text() == "2 licences"
    assert window.statusBar().currentMessage() == "Imported 6 licences (6 new, 0 updated)"


def test_renewals_view_works_with_keys_only_alt_w_tab_out_of_the_list_alt_c_escape(
    qtbot, make_window
):
    window = make_window()
    LicenceRegister(window.store).import_csv(
        (FIXTURES / "licences.csv").read_bytes(), "licences.csv", window.book
    )
    window.menu.renewals_action.trigger()
    view = window.findChild(RenewalsView)
    qtbot.waitUntil(view.isActiveWindow)
    qtbot.keyClick(view, Qt.Key.Key_W, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is view.within
    for _ in range(4):  # customer, product, deployment: then the list
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is view.table
    qtbot.keyClick(view.table, Qt.Key.Key_Down)
    qtbot.keyClick(view.table, Qt.Key.Key_Up)  # the first licence, selected
    qtbot.keyClick(view.table, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is view.import_button  # not the next cell
    qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: window.draft is not None and window.draft.stored is not None)
    assert window.draft.data["lines"][0]["site_url"] == "https://acme.atlassian.net"
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert not view.isVisible()


def test_renewals_view_columns_hold_japanese_deployments_and_dates_whole(qtbot, make_window):
    app = QApplication.instance()
    translators = install_translations(app, "ja")
    try:
        window = make_window(language="ja")
        LicenceRegister(window.store).import_csv(
            (FIXTURES / "licences.csv").read_bytes(), "licences.csv", window.book
        )
        window.menu.renewals_action.trigger()
        view = window.findChild(RenewalsView)
        view.within.setCurrentIndex(view.within.count() - 1)  # every licence
        metrics = view.table.fontMetrics()
        for row in range(view.model.rowCount()):
            for column in range(view.model.columnCount() - 1):
                text = view.model.index(row, column).data()
                assert metrics.horizontalAdvance(text) < view.table.columnWidth(column), text
        assert view.model.index(1, 3).data() == "データセンター"
    finally:
        for translator in translators:
            app.removeTranslator(translator)
        install_translations(app, "en")


def import_in_renewals_view(qtbot, window, path) -> list[str]:
    """Import a licence CSV with the Renewals view's button; the messages the window shows."""
    window.menu.renewals_action.trigger()
    view = window.findChild(RenewalsView)
    told: list[str] = []
    window.message_shown.connect(told.append)
    when_dialog_opens(pick_file(path))
    qtbot.mouseClick(view.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(told))
    return told


def two_bad_rows(folder: Path) -> Path:
    """The licence fixture with a date not in YYYY-MM-DD (line 3) and a duplicate of
    line 2 (line 8): bad.csv."""
    rows = (FIXTURES / "licences.csv").read_text().splitlines()
    rows[2] = rows[2].replace("2026-12-20", "20/12/2026")
    rows.append(rows[1])
    bad = folder / "bad.csv"
    bad.write_text("\n".join(rows) + "\n")
    return bad


def test_licence_csv_with_bad_rows_lists_each_in_the_window_and_imports_nothing(
    qtbot, make_window, tmp_path
):
    window = make_window()
    bad = two_bad_rows(tmp_path)
    assert import_in_renewals_view(qtbot, window, bad) == [
        "bad.csv: nothing imported, 2 bad rows:\n"
        "line 3: end_date '20/12/2026' is not a date (YYYY-MM-DD)\n"
        "line 8: duplicate of line 2 (SEN-1000001 jira)"
    ]
    assert LicenceRegister(window.store).count(Filters(TODAY)) == 0


def test_cancelled_licence_import_imports_nothing(make_window, tmp_path):
    window = make_window()
    rows = [
        "licence,product,deployment,edition,billing,users,end_date,customer,country,subdivision"
    ]
    rows += [f"SEN-{100000 + i},jira,datacenter,,,500,2027-01-15,C {i},BR," for i in range(1200)]
    path = tmp_path / "many.csv"
    path.write_text("\n".join(rows))
    work = licence_import(window.store.path, path, window.book)
    progress: list[int] = []
    # What the progress dialog's Cancel does, pressed once 500 rows are in.
    result = work(progress.append, lambda: any(progress))
    assert result.imported is None and not result.error and not result.row_errors
    assert LicenceRegister(window.store).count(Filters(TODAY)) == 0


def test_cancel_stops_between_quotes_keeping_those_made(make_window):
    window = make_window()
    register = LicenceRegister(window.store)
    register.import_csv((FIXTURES / "licences.csv").read_bytes(), "licences.csv", window.book)
    ids = [x.id for x in register.licences(Filters(TODAY))]
    work = renewal_run(window.store.path, ids, window.book, window.rules, TODAY)
    progress: list[int] = []
    # What the progress dialog's Cancel does, pressed once the first quote is made.
    result = work(progress.append, lambda: any(progress))
    assert result.cancelled and result.labels == ("QD-2026-00001",)
    assert window.store.count_quotes() == 1


def test_licence_model_fetches_pages_as_the_view_scrolls(make_window):
    window = make_window()
    rows = [
        "licence,product,deployment,edition,billing,users,end_date,customer,country,subdivision"
    ]
    rows += [
        f"SEN-{100000 + i},jira,datacenter,,,500,2027-{1 + i % 12:02d}-15,Customer {i},BR,"
        for i in range(450)
    ]
    register = LicenceRegister(window.store)
    register.import_csv("\n".join(rows).encode(), "many.csv", window.book)
    model = LicenceModel(register)
    model.set_filters(Filters(TODAY))
    assert (model.total, model.rowCount()) == (450, 200)
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == 450
    ends = [row[6] for row in model.rows]
    assert ends == sorted(ends)
