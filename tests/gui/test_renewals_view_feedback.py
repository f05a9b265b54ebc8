"""The Renewals view says what it did and what is chosen: the result of an import in the
view itself, how many licences are selected, the term of a renewal line co-termed with
another, and the focus back where the import started once its error is read."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from quotedesk.gui.line_model import MONTHS
from quotedesk.gui.renewals_view import RenewalsView
from quotedesk.store.licences import LicenceRegister
from tests.gui.conftest import FIXTURES, pick_file, when_dialog_opens
from tests.gui.test_renewals_view import import_in_renewals_view, two_bad_rows


def open_view_with_every_licence(qtbot, window) -> RenewalsView:
    LicenceRegister(window.store).import_csv(
        (FIXTURES / "licences.csv").read_bytes(), "licences.csv", window.book
    )
    window.menu.renewals_action.trigger()
    view = window.findChild(RenewalsView)
    qtbot.waitUntil(view.isActiveWindow)
    view.within.setFocus()
    qtbot.keyClicks(view.within, "All")  # every licence, not only the next 30 days
    return view


def test_the_view_counts_the_licences_selected_among_those_listed(qtbot, make_window):
    window = make_window()
    view = open_view_with_every_licence(qtbot, window)
    assert view.count.text() == "6 licences"
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Home)
    qtbot.keyClick(view.table, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(view.table, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    assert view.count.text() == "3 of 6 selected"
    qtbot.keyClick(view.table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert view.count.text() == "6 of 6 selected"
    qtbot.keyClicks(view.customer, "umbrella")  # the filter leaves one, none selected
    assert view.count.text() == "1 licence"


def test_a_japanese_view_counts_the_selected_licences_in_japanese(qtbot, make_window):
    window = make_window("ja")
    view = open_view_with_every_licence(qtbot, window)
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Home)
    qtbot.keyClick(view.table, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    assert view.count.text() == "6 件中 2 件を選択"


def test_the_import_result_shows_in_the_view_new_then_updated(qtbot, make_window):
    window = make_window()
    window.menu.renewals_action.trigger()
    view = window.findChild(RenewalsView)
    assert not view.outcome.isVisible()
    for _ in range(2):  # the same file again: each licence is already there, and is updated
        when_dialog_opens(pick_file(FIXTURES / "licences.csv"))
        qtbot.mouseClick(view.import_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "licences" not in window._jobs)
        assert view.outcome.isVisible()
        if view.outcome.text() != "Imported 6 licences (6 new, 0 updated)":
            break
    assert view.outcome.text() == "Imported 6 licences (0 new, 6 updated)"


def test_after_the_import_error_is_read_the_focus_is_back_on_the_import_button(
    qtbot, make_window, tmp_path
):
    window = make_window()
    bad = two_bad_rows(tmp_path)
    import_in_renewals_view(qtbot, window, bad)
    view = window.findChild(RenewalsView)
    assert view.outcome.text() == "bad.csv: nothing imported, 2 bad rows"
    box = window.message_box
    assert box.parent() is view  # over the view that started the import
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is box)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)  # OK
    qtbot.waitUntil(lambda: QApplication.focusWidget() is view.import_button)
    assert view.isActiveWindow()
    assert not window.editor.header.customer_name.hasFocus()


def test_a_renewal_line_co_termed_with_another_shows_the_date_its_term_runs_to(qtbot, make_window):
    window = make_window()
    view = open_view_with_every_licence(qtbot, window)
    qtbot.keyClicks(view.customer, "acme")
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.mouseClick(view.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.draft is not None and window.draft.stored is not None)
    lines = window.draft.data["lines"]
    # Data Center: Confluence (ends 2026-12-20) co-terms with Jira (ends 2027-01-15),
    # which renews for 12 months, to 2028-01-15.
    confluence_dc = next(i for i, x in enumerate(lines) if x.get("sen") == "SEN-1000002")
    jira_dc = next(i for i, x in enumerate(lines) if x.get("sen") == "SEN-1000001")
    assert lines[confluence_dc]["coterm_with"] == jira_dc
    model = window.editor.table.model()
    assert model.index(confluence_dc, MONTHS).data() == "co-termed to Jan 15, 2028"
    assert model.index(jira_dc, MONTHS).data() == "12"
    # The anchor's term changed: the co-termed line follows it.
    window.draft.set_line(jira_dc, "months", 18)
    assert model.index(confluence_dc, MONTHS).data() == "co-termed to Jul 15, 2028"
    # 24 months would take it past 24 months from its own start (R-TERM-3): no end, so
    # the line says which line it was to co-term with.
    window.draft.set_line(jira_dc, "months", 24)
    assert model.index(confluence_dc, MONTHS).data() == f"co-termed with line {jira_dc + 1}"
