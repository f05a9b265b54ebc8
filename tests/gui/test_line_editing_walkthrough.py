"""A user's walk through the line table, with keys and clicks: apps removed with their
line, scenarios shown at once, the term that goes with the billing, new lines that are
no apps, keys typed right after a click, number and date fields that say what they
refuse. Prices from the round-number test book (tests/fixtures/test_book.csv); the
customer is Brazilian, so no tax: total = net."""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QToolButton

from quotedesk.gui.compare_view import DIFFERENCE, SCENARIO, TOTAL
from quotedesk.gui.line_model import BILLING, MONTHS, NET, PRODUCT, USERS
from tests.gui.conftest import JIRA_ANNUAL
from tests.gui.test_desk_stories import type_into_cell

CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
CONFLUENCE_ANNUAL = {
    "product": "confluence", "deployment": "cloud", "edition": "standard", "billing": "annual",
}  # fmt: skip
TIMESHEETS = {"product": "app:com.example.timesheets", "deployment": "cloud"}
MACROS = {"product": "app:com.example.macros", "deployment": "cloud"}


def quote(*lines: dict) -> dict:
    return {
        "schema": 1,
        "quote_date": "2026-11-23",
        "currency": "USD",
        "customer": {"name": "ACME Ltda", "country": "BR"},
        "lines": list(lines),
    }


# Jira 100 users: tier 100, 8,000.00; Confluence 50 users: tier 100, 4,000.00; Timesheets
# follows Jira's 100 users: 1,000.00; Macros follows Confluence's 50: tier 100, 2,000.00.
JIRA_CONFLUENCE_APPS = quote(
    dict(JIRA_ANNUAL, users=100, months=12),
    dict(CONFLUENCE_ANNUAL, users=50, months=12),
    dict(TIMESHEETS, parent=0),
    dict(MACROS, parent=1),
)


def cells(window, column: int) -> list[str]:
    model = window.editor.table.model()
    return [model.index(row, column).data() for row in range(model.rowCount())]


def total(window) -> str:
    return dict(window.editor.totals.rows)["Total"]


def pick_in_cell(qtbot, window, row: int, column: int, letter: str) -> None:
    """Go to a picker cell with the arrow keys and type a letter: the picker opens with
    it, chooses the first name starting with it and closes."""
    table = window.editor.table
    table.setFocus()
    table.setCurrentIndex(table.model().index(row, 0))
    for _ in range(column):
        qtbot.keyClick(table, Qt.Key.Key_Right)
    qtbot.keyClicks(table, letter)
    QApplication.processEvents()


def press_in_window(qtbot, window, key: Qt.Key, modifiers=CTRL) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, key, modifiers)


# 1. An app goes with its line; the other apps stay with theirs.


def test_deleting_a_parent_line_deletes_its_apps_and_one_undo_restores_them(
    qtbot, window, model_tester
):
    window.open_data(JIRA_CONFLUENCE_APPS)
    model_tester(window.editor.table.model())
    assert total(window) == "$15,000.00"  # 8,000 + 4,000 + 1,000 + 2,000
    table = window.editor.table
    assert window.editor.current_line() == 0  # Jira, selected on opening
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Delete)

    # Timesheets went with Jira; Macros is line 2 now and still Confluence's app.
    assert window.draft.data["lines"] == [
        dict(CONFLUENCE_ANNUAL, users=50, months=12),
        dict(MACROS, parent=0),
    ]
    assert cells(window, PRODUCT) == ["Confluence", "Macros for Confluence"]
    assert cells(window, NET) == ["$4,000.00", "$2,000.00"]
    assert total(window) == "$6,000.00"
    assert window.draft.view["errors"] == []
    assert window.undo_group.undoText() == "Remove line 1 and its apps"

    press_in_window(qtbot, window, Qt.Key.Key_Z)  # one step brings both back, in place
    assert window.draft.data == JIRA_CONFLUENCE_APPS
    assert cells(window, PRODUCT) == ["Jira", "Confluence", "Timesheets", "Macros for Confluence"]
    assert cells(window, NET) == ["$8,000.00", "$4,000.00", "$1,000.00", "$2,000.00"]
    assert total(window) == "$15,000.00"


def test_deleting_a_line_above_an_app_keeps_the_app_on_its_own_parent(qtbot, window, model_tester):
    # Confluence, Jira, Timesheets (Jira's app): removing Confluence moves Jira to line 1.
    data = quote(
        dict(CONFLUENCE_ANNUAL, users=50, months=12),
        dict(JIRA_ANNUAL, users=100, months=12),
        dict(TIMESHEETS, parent=1),
    )
    window.open_data(data)
    model_tester(window.editor.table.model())
    table = window.editor.table
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Delete)  # line 1, Confluence
    assert window.draft.data["lines"] == [
        dict(JIRA_ANNUAL, users=100, months=12),
        dict(TIMESHEETS, parent=0),
    ]
    assert total(window) == "$9,000.00"  # 8,000 + Timesheets on Jira's 100 users, 1,000
    assert window.undo_group.undoText() == "Remove line 1"
    press_in_window(qtbot, window, Qt.Key.Key_Z)
    assert window.draft.data == data


def test_adding_a_line_above_an_app_keeps_the_app_on_its_own_parent(window):
    window.open_data(quote(dict(JIRA_ANNUAL, users=100, months=12), dict(TIMESHEETS, parent=0)))
    window.draft.add_line(dict(CONFLUENCE_ANNUAL, users=50, months=12), row=0)
    assert window.draft.data["lines"][1:] == [
        dict(JIRA_ANNUAL, users=100, months=12),
        dict(TIMESHEETS, parent=1),
    ]
    assert total(window) == "$13,000.00"  # 4,000 + 8,000 + 1,000


# 2. A chosen scenario is in the table at once, and so is its undo and redo.


def test_use_this_scenario_shows_the_new_users_at_once_and_after_undo_and_redo(
    qtbot, window, model_tester
):
    window.open_data(quote(dict(JIRA_ANNUAL, users=90, months=12)))
    model_tester(window.editor.table.model())
    qtbot.keyClick(window, Qt.Key.Key_M, CTRL_SHIFT)
    dialog = window.menu.compare_dialog
    for _ in range(4):  # as quoted, monthly, 24 months, Data Center, next tier up
        qtbot.keyClick(dialog.table, Qt.Key.Key_Down)
    assert dialog.chosen().key == "next_tier"
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    # 90 users are in tier 100; the next tier is 200 users: 14,600.00.
    assert cells(window, USERS) == ["200"]
    assert cells(window, NET) == ["$14,600.00"]
    press_in_window(qtbot, window, Qt.Key.Key_Z)
    assert cells(window, USERS) == ["90"]
    assert cells(window, NET) == ["$8,000.00"]
    press_in_window(qtbot, window, Qt.Key.Key_Y)
    assert cells(window, USERS) == ["200"]
    assert total(window) == "$14,600.00"
    # An edit after it changes that line only, from what the table shows.
    type_into_cell(qtbot, window, 0, MONTHS, "24")
    assert window.draft.data["lines"] == [dict(JIRA_ANNUAL, users=200, months=24)]
    assert cells(window, USERS) == ["200"]


# 3. A scenario that cannot be priced whole shows no saving.


def compare_rows(qtbot, window) -> dict[str, tuple[str, str]]:
    """Quote › Compare scenarios (Ctrl+Shift+M): each scenario's total and difference."""
    qtbot.keyClick(window, Qt.Key.Key_M, CTRL_SHIFT)
    model = window.menu.compare_dialog.model
    return {
        model.index(row, SCENARIO).data(): (
            model.index(row, TOTAL).data(),
            model.index(row, DIFFERENCE).data(),
        )
        for row in range(model.rowCount())
    }


def test_R_TERM_1_annual_billing_of_a_one_month_line_is_priced_for_12_months(qtbot, window):
    confluence_monthly = dict(CONFLUENCE_ANNUAL, billing="monthly", users=40, months=1)
    window.open_data(quote(confluence_monthly))
    rows = compare_rows(qtbot, window)
    # As quoted: 10 × 5.00 + 30 × 4.00 = 170.00 a month; annual: tier 100, 4,000.00.
    assert rows["As quoted"] == ("$170.00", "—")
    assert rows["Annual billing"] == ("$4,000.00", "+$3,830.00")
    annual = window.menu.compare_dialog.model.scenarios[1]
    assert annual.quote["lines"][0]["months"] == 12 and annual.priced.errors == ()


def test_a_scenario_with_a_line_in_error_is_incomplete_and_shows_no_saving(qtbot, window):
    # Macros has annual prices only: moved to monthly with its parent, it is not priced.
    window.open_data(quote(dict(CONFLUENCE_ANNUAL, users=50, months=12), dict(MACROS, parent=0)))
    rows = compare_rows(qtbot, window)
    assert rows["As quoted"] == ("$6,000.00", "—")  # 4,000 + 2,000
    # Confluence alone, 10 × 5.00 + 40 × 4.00 = 210.00: not a saving of 5,790.00.
    assert rows["Monthly billing"] == ("$210.00 (incomplete)", "—")
    assert rows["24 months"] == ("$12,000.00", "+$6,000.00")


# 4. The bar names the lines the totals leave out, and only those.


def test_a_line_priced_despite_its_error_is_in_the_total_and_not_named_left_out(qtbot, window):
    # A quote file with a 150% discount on line 1 (kept as given, R-Q-5): the core prices
    # the line at list price without the discount, and says so as an error.
    window.open_data(
        quote(dict(JIRA_ANNUAL, users=100, months=12, discount_pct="150"),
              dict(CONFLUENCE_ANNUAL, users=50, months=12))
    )  # fmt: skip
    totals = window.editor.totals
    assert [(e["code"], e["line"]) for e in window.draft.view["errors"]] == [("R-INPUT", 0)]
    assert dict(totals.rows) == {
        "Subtotal": "$12,000.00",  # 8,000 + 4,000: both lines are in it
        "Net": "$12,000.00",
        "Total": "$12,000.00",
    }
    assert totals.total_label.text() == "Total"
    assert not totals.incomplete.isVisible()

    type_into_cell(qtbot, window, 1, MONTHS, "7")  # R-TERM-1: line 2 cannot be priced
    assert dict(totals.rows)["Subtotal"] == "$8,000.00"
    assert totals.total_amount.text() == "$8,000.00"
    assert totals.total_label.text() == "Total (incomplete)"
    assert totals.incomplete.text() == "Not in the total: line 2 (Confluence)"


# 5. Keys typed right after a click reach the cell.


def test_typing_right_after_clicking_a_cell_of_the_selected_line_keeps_every_key(qtbot, window):
    window.open_data(quote(dict(JIRA_ANNUAL, users=100, months=12)))
    table = window.editor.table
    assert window.editor.current_line() == 0  # the line is selected already
    users = table.model().index(0, USERS)
    qtbot.mouseClick(
        table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(users).center()
    )
    qtbot.keyClicks(QApplication.focusWidget(), "250")  # at once, no pause after the click
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    QApplication.processEvents()  # the delegate commits and closes the editor queued
    assert window.draft.data["lines"][0]["users"] == 250
    assert total(window) == "$36,500.00"  # the 500-user tier


# 6. The term goes with the billing.


def test_switching_a_line_to_monthly_drops_the_term_and_back_to_annual_sets_12(qtbot, window):
    window.open_data(quote(dict(JIRA_ANNUAL, users=100, months=12)))
    pick_in_cell(qtbot, window, 0, BILLING, "M")
    line = window.draft.data["lines"][0]
    assert line["billing"] == "monthly" and "months" not in line  # one cycle (R-TIER-2)
    assert window.draft.view["errors"] == []
    assert cells(window, MONTHS) == [""]
    assert total(window) == "$710.00"  # 10 × 8.00 + 90 × 7.00, one month
    pick_in_cell(qtbot, window, 0, BILLING, "A")
    assert window.draft.data["lines"][0] == dict(JIRA_ANNUAL, users=100, months=12)
    assert cells(window, MONTHS) == ["12"]
    assert total(window) == "$8,000.00"


# 7. A product line is never an app of another line.


def test_add_line_after_an_app_starts_from_the_product_line_without_a_parent(qtbot, window):
    window.open_data(quote(dict(CONFLUENCE_ANNUAL, users=50, months=12), dict(MACROS, parent=0)))
    editor = window.editor
    qtbot.mouseClick(editor.buttons[editor.add_line_action], Qt.MouseButton.LeftButton)
    assert window.draft.data["lines"][2] == dict(CONFLUENCE_ANNUAL, users=50, months=12)
    assert total(window) == "$10,000.00"  # 4,000 + 2,000 + 4,000


def test_an_app_line_changed_to_a_product_drops_its_parent_and_keeps_its_users(qtbot, window):
    window.open_data(quote(dict(CONFLUENCE_ANNUAL, users=50, months=12), dict(MACROS, parent=0)))
    type_into_cell(qtbot, window, 1, PRODUCT, "Jira")
    line = window.draft.data["lines"][1]
    assert line["product"] == "jira" and "parent" not in line
    assert line["users"] == 50  # the count it followed
    assert cells(window, USERS) == ["50", "50"]
    assert window.draft.view["errors"] == []
    assert total(window) == "$12,000.00"  # 4,000 + Jira tier 100, 8,000


# 8. Number fields keep what was typed, and say what they refuse.


def status(window) -> str:
    return window.statusBar().currentMessage()


def test_a_partner_discount_over_100_is_kept_as_typed_and_said_not_cut_to_15(qtbot, window):
    window.open_data(quote(dict(JIRA_ANNUAL, users=100, months=12)))
    field = window.editor.header.partner_discount
    qtbot.mouseClick(field, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(field, "150")
    assert field.text() == "150"
    assert status(window) == "150 is not a percentage from 0 to 100"
    # In the quote as typed: its R-INPUT error stands until it is fixed.
    assert window.draft.data["partner_discount_pct"] == "150"
    assert [e["code"] for e in window.draft.view["errors"]] == ["R-INPUT"]
    qtbot.keyClick(field, Qt.Key.Key_Backspace)
    qtbot.keyClick(field, Qt.Key.Key_Backspace)
    qtbot.keyClicks(field, "2,5")  # "12,5": either decimal mark
    assert window.draft.data["partner_discount_pct"] == "12.5"
    assert status(window) == ""
    assert total(window) == "$7,000.00"  # 8,000.00 less 12.5%, 1,000.00


def type_into_open_cell(qtbot, window, row: int, column: int, text: str):
    """Go to a cell of a selected line, type, press Enter: the cell's editor if it is
    still open (it refused the text), else None."""
    table = window.editor.table
    QApplication.processEvents()  # a person does not click within a ms of Escape
    window.editor.select_line(row)
    index = table.model().index(row, column)
    qtbot.mouseClick(
        table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(index).center()
    )
    editor = QApplication.focusWidget()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()
    return editor if table.indexWidget(index) is editor else None


def test_users_up_to_the_licence_csv_limit_are_taken_beyond_it_refused(qtbot, window):
    window.open_data(quote(dict(JIRA_ANNUAL, users=100, months=12)))
    assert type_into_open_cell(qtbot, window, 0, USERS, "10,000,000") is None
    assert window.draft.data["lines"][0]["users"] == 10_000_000  # as the licence CSV allows

    editor = type_into_open_cell(qtbot, window, 0, USERS, "10,000,001")
    assert editor is not None and editor.text() == "10,000,001"  # Enter refused it
    assert status(window) == "10,000,001 is not a whole number from 0 to 10,000,000"
    assert window.draft.data["lines"][0]["users"] == 10_000_000
    qtbot.keyClick(editor, Qt.Key.Key_Escape)

    editor = type_into_open_cell(qtbot, window, 0, USERS, "-5")
    assert editor is not None and editor.text() == "-5"
    assert status(window) == "-5 is not a whole number from 0 to 10,000,000"
    editor.selectAll()
    qtbot.keyClicks(editor, "5")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()
    assert window.draft.data["lines"][0]["users"] == 5
    assert status(window) == ""
    assert total(window) == "$1,000.00"  # the 10-user tier


def test_R_TERM_1_a_term_of_150_months_is_kept_and_the_rule_says_why(qtbot, window):
    window.open_data(quote(dict(JIRA_ANNUAL, users=100, months=12)))
    assert type_into_open_cell(qtbot, window, 0, MONTHS, "150") is None
    assert window.draft.data["lines"][0]["months"] == 150  # not 15
    problems = window.editor.problems
    texts = [problems.item(i).text() for i in range(problems.count())]
    assert "R-TERM-1 — a term runs 12 to 24 months, not 150 (line 1)" in texts


# 9. Dates typed as YYYY-MM-DD are taken; one that does not exist is said.


def test_an_iso_date_typed_in_the_header_is_taken_and_shown_as_the_window_shows_dates(
    qtbot, window
):
    window.open_data(quote(dict(JIRA_ANNUAL, users=100, months=12)))
    field = window.editor.header.quote_date
    assert field.text() == "Nov 23, 2026"
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, "2027-01-15")
    assert window.draft.data["quote_date"] == "2027-01-15"
    assert status(window) == ""  # nothing said while the date was being typed
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert field.text() == "Jan 15, 2027"
    assert window.editor.header.start_date.text() == "Jan 15, 2027"  # it starts that day


def test_a_date_that_does_not_exist_is_said_and_kept_as_typed(qtbot, window):
    window.open_data(quote(dict(JIRA_ANNUAL, users=100, months=12)))
    field = window.editor.header.start_date
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, "2026-02-30")
    assert status(window) == "2026-02-30 is not a date"
    assert "start_date" not in window.draft.data  # not taken while it is being typed
    qtbot.keyClick(field, Qt.Key.Key_Return)  # leaving it: kept as typed, R-INPUT says why
    assert field.text() == "2026-02-30"
    assert window.draft.data["start_date"] == "2026-02-30"
    assert [e["code"] for e in window.draft.view["errors"]] == ["R-INPUT"]

    field.selectAll()
    qtbot.keyClicks(field, "Feb 1, 2027")  # as the window writes dates, then Return
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert window.draft.data["start_date"] == "2027-02-01"
    assert status(window) == ""
    assert window.draft.view["errors"] == []


def test_a_renewal_end_date_typed_as_iso_in_the_line_details_is_taken(qtbot, window):
    renewal = {"product": "jira", "deployment": "datacenter", "users": 500, "action": "renew",
               "current_end_date": "2027-01-31", "sen": "SEN-12345678"}  # fmt: skip
    window.open_data(quote(renewal))
    editor = window.editor
    editor.tabs.setCurrentWidget(editor.details)
    field = editor.details.current_end_date
    assert field.text() == "Jan 31, 2027"
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, "2027-01-15")
    assert window.draft.data["lines"][0]["current_end_date"] == "2027-01-15"
    field.selectAll()
    qtbot.keyClicks(field, "2027-02-29")  # not a leap year
    assert status(window) == "2027-02-29 is not a date"
    assert window.draft.data["lines"][0]["current_end_date"] == "2027-01-15"


def test_a_date_picked_from_the_calendar_with_the_keyboard_is_taken(qtbot, window):
    window.open_data(quote(dict(JIRA_ANNUAL, users=100, months=12)))
    field = window.editor.header.quote_date
    button = next(
        b for b in field.findChildren(QToolButton) if b.defaultAction() is field.pick_action
    )
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    calendar = field.calendar
    assert calendar is not None and calendar.selectedDate() == QDate(2026, 11, 23)
    qtbot.keyClick(calendar.focusWidget(), Qt.Key.Key_Right)
    qtbot.keyClick(calendar.focusWidget(), Qt.Key.Key_Return)
    assert window.draft.data["quote_date"] == "2026-11-24"
    assert field.text() == "Nov 24, 2026"
