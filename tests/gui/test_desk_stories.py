"""Stories of a new reseller working the window with keys and clicks, as a
person does, checking what the window shows."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialogButtonBox,
    QMessageBox,
    QToolBar,
    QWidget,
)

from quotedesk.gui.line_model import MONTHS, NET, PRODUCT, USERS
from quotedesk.gui.sign_off_dialog import SignOffDialog
from tests.gui.conftest import JIRA_ANNUAL, pick_file, start_quote, when_dialog_opens

IL_QUOTE = {
    "schema": 1,
    "quote_date": "2026-11-23",
    "currency": "USD",
    "customer": {"name": "Müller AG", "country": "US", "subdivision": "IL"},
    "lines": [
        dict(JIRA_ANNUAL, users=100, months=12),
        {"product": "jira", "deployment": "datacenter", "users": 500, "months": 12},
    ],
}
# Every kind of total row at once: program, partner and manual discounts, two Canadian taxes.
MANY_ROWS = {
    "schema": 1,
    "quote_date": "2026-11-23",
    "currency": "USD",
    "program": "academic",
    "partner_discount_pct": "5",
    "customer": {"name": "Université Laval", "country": "CA", "subdivision": "BC"},
    "lines": [
        dict(JIRA_ANNUAL, users=100, months=12, discount_pct="3"),
        {"product": "confluence", "deployment": "cloud", "edition": "standard",
         "billing": "annual", "users": 50, "months": 12},
        {"product": "jira", "deployment": "datacenter", "users": 500, "months": 12},
    ],
}  # fmt: skip


def press(qtbot, key: Qt.Key) -> None:
    """A key where a person's key goes: the open completer list, else the focused field."""
    qtbot.keyClick(QApplication.activePopupWidget() or QApplication.focusWidget(), key)


def click_toolbar(qtbot, window, action) -> None:
    button = window.findChild(QToolBar).widgetForAction(action)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def fully_on_screen(window, widget) -> bool:
    """The widget is shown, inside the window and not clipped by any parent."""
    if not widget.isVisible():
        return False
    inside = widget.visibleRegion().boundingRect()
    top_left = widget.mapTo(window, QPoint(0, 0))
    return inside.size() == widget.size() and window.rect().contains(
        top_left.x() + widget.width() - 1, top_left.y() + widget.height() - 1
    )


def type_into_cell(qtbot, window, row: int, column: int, text: str) -> None:
    """Go to a cell (a click, or arrow keys within the selected row, where a click
    would open the cell's editor), type over it and press Enter, as a person does."""
    table = window.editor.table
    index = table.model().index(row, column)
    if table.currentIndex().row() != row:
        qtbot.mouseClick(
            table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(index).center()
        )
    table.setFocus()
    while table.currentIndex().column() != column:
        key = Qt.Key.Key_Right if table.currentIndex().column() < column else Qt.Key.Key_Left
        qtbot.keyClick(table, key)
    qtbot.keyClicks(table, text[0])  # any key starts the editor, which gets the key too
    editor = next(w for w in table.viewport().findChildren(QWidget) if w.isVisible())
    qtbot.keyClicks(editor, text[1:])
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()  # the delegate commits and closes the editor queued


# 1. The money: the grand total is always on screen.


@pytest.mark.parametrize("language", ["en", "pt-BR", "zh-CN", "ja"])
@pytest.mark.parametrize("size", [(1024, 640), (1280, 800)])
def test_grand_total_is_whole_on_screen_at_small_sizes_in_every_language(
    make_window, language, size
):
    window = make_window(language)
    window.open_data(MANY_ROWS)
    window.resize(*size)
    QApplication.processEvents()
    totals = window.editor.totals
    assert len(totals.rows) >= 7  # subtotal, 3 discounts, net, GST, PST, total
    assert fully_on_screen(window, totals.total_amount)
    assert fully_on_screen(window, totals.total_label)
    assert totals.total_amount.text() == totals.rows[-1][1]


# 2. A line in error does not quietly leave the total.


def test_a_line_in_error_marks_the_total_incomplete_and_export_asks_naming_it(
    qtbot, window, tmp_path
):
    window.open_data(dict(IL_QUOTE, customer={"name": "ACME", "country": "BR"}))
    totals = window.editor.totals
    assert totals.total_label.text() == "Total"
    assert not totals.incomplete.isVisible()
    type_into_cell(qtbot, window, 1, MONTHS, "7")  # R-TERM-1: 12 to 24 months
    assert window.draft.data["lines"][1]["months"] == 7
    assert totals.total_label.text() == "Total (incomplete)"
    assert totals.total_amount.text() == "$8,000.00"  # line 2 is left out
    assert totals.incomplete.isVisible()
    assert totals.incomplete.text() == "Not in the total: line 2 (Jira)"

    asked = []
    out = tmp_path / "q.pdf"

    def answer(button):
        def act(box):
            assert isinstance(box, QMessageBox)
            asked.append(box.text())
            qtbot.mouseClick(box.button(button), Qt.MouseButton.LeftButton)

        return act

    when_dialog_opens(answer(QMessageBox.StandardButton.No))
    click_toolbar(qtbot, window, window.menu.export_action)
    assert asked == [
        "Not in the PDF and its total, because of an error: line 2 (Jira). Export without it?"
    ]
    assert not out.exists()

    def yes_then_file(box):
        when_dialog_opens(pick_file(out))
        answer(QMessageBox.StandardButton.Yes)(box)

    when_dialog_opens(yes_then_file)
    click_toolbar(qtbot, window, window.menu.export_action)
    qtbot.waitUntil(out.exists)
    assert out.read_bytes().startswith(b"%PDF")


# 3. A tax line names its rate and its base once.


def test_tax_line_shows_its_rate_and_base_once(window):
    window.open_data(IL_QUOTE)
    rows = dict(window.editor.totals.rows)
    # 8,000 (Jira cloud, 100 users) + 36,500 (Jira Data Center, 500 users) = 44,500;
    # 6.25% of it is 2,781.25.
    assert rows["Sales tax (estimated), US-IL: 6.25% of $44,500.00"] == "$2,781.25"
    assert rows["Total"] == "$47,281.25"
    assert "estimated" not in "".join(rows).replace("(estimated)", "")


# 4. Amount columns are never elided.


def test_amount_and_picker_columns_fit_their_text_as_lines_are_added(qtbot, window):
    editor = window.editor
    window.resize(1024, 640)
    qtbot.mouseClick(editor.buttons[editor.add_line_action], Qt.MouseButton.LeftButton)
    type_into_cell(qtbot, window, 0, USERS, "5000")
    table = editor.table
    model = table.model()
    assert model.index(0, NET).data() == "$730,000.00"  # the 50,000-user tier
    metrics = table.fontMetrics()
    for column in range(1, model.columnCount()):
        text = model.index(0, column).data() or ""
        needed = metrics.horizontalAdvance(text)
        assert table.columnWidth(column) > needed, (column, text)


# 5. The country and state pickers commit what was typed.


@pytest.mark.parametrize(("typed", "code"), [("Hungary", "HU"), ("Austr", "AU")])
def test_country_typed_then_tab_is_what_the_quote_gets(qtbot, window, typed, code):
    country = window.editor.header.country
    qtbot.mouseClick(country.lineEdit(), Qt.MouseButton.LeftButton)
    country.lineEdit().selectAll()
    qtbot.keyClicks(country.lineEdit(), typed)
    press(qtbot, Qt.Key.Key_Tab)
    assert window.draft.data["customer"]["country"] == code
    assert country.currentData() == code
    problems = window.editor.problems
    texts = [problems.item(i).text() for i in range(problems.count())]
    assert not any("country is missing" in text for text in texts)


def test_switching_country_drops_the_former_state(qtbot, window):
    window.open_data(IL_QUOTE)
    country = window.editor.header.country
    qtbot.mouseClick(country.lineEdit(), Qt.MouseButton.LeftButton)
    country.lineEdit().selectAll()
    qtbot.keyClicks(country.lineEdit(), "Canada")
    press(qtbot, Qt.Key.Key_Tab)
    assert window.draft.data["customer"] == {"name": "Müller AG", "country": "CA"}
    assert window.editor.header.subdivision.currentText() == "—"
    window.menu.undo_action.trigger()  # one step back restores both
    assert window.draft.data["customer"]["subdivision"] == "IL"


# 6. Keyboard-only work.


def test_product_picker_filters_by_what_is_typed(qtbot, window):
    window.draft.add_line(dict(JIRA_ANNUAL, users=10, months=12))
    type_into_cell(qtbot, window, 0, PRODUCT, "Conf")
    assert window.draft.data["lines"][0]["product"] == "confluence"
    type_into_cell(qtbot, window, 0, PRODUCT, "service")  # a part of the name
    assert window.draft.data["lines"][0]["product"] == "jsm"


def test_tab_leaves_the_line_table_and_a_date_field_is_one_tab_stop(qtbot, window):
    window.draft.add_line(dict(JIRA_ANNUAL, users=10, months=12))
    table = window.editor.table
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Tab)
    assert not table.hasFocus()

    header = window.editor.header
    header.quote_date.setFocus()
    press(qtbot, Qt.Key.Key_Tab)
    after = QApplication.focusWidget()
    assert after is not None and not header.quote_date.isAncestorOf(after)
    assert after is not header.quote_date


def test_ctrl_n_starts_at_the_customer_and_ctrl_y_redoes(qtbot, window):
    header = window.editor.header
    window.menu.find_action.trigger()  # focus in the search box
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is header.customer_name
    qtbot.keyClicks(header.customer_name, "ACME")
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.draft.data["customer"]["name"] == ""
    qtbot.keyClick(window, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert window.draft.data["customer"]["name"] == "ACME"


# 7. Sensible defaults.


def test_add_line_offers_jira_then_the_last_product_used(qtbot, window):
    editor = window.editor
    add = editor.buttons[editor.add_line_action]
    qtbot.mouseClick(add, Qt.MouseButton.LeftButton)
    assert window.draft.data["lines"][0] == dict(JIRA_ANNUAL, users=10, months=12)
    type_into_cell(qtbot, window, 0, PRODUCT, "Confl")
    type_into_cell(qtbot, window, 0, USERS, "50")
    qtbot.mouseClick(add, Qt.MouseButton.LeftButton)
    assert window.draft.data["lines"][1]["product"] == "confluence"
    assert window.draft.data["lines"][1]["users"] == 50


def test_an_app_line_takes_its_parent_user_count(qtbot, window):
    window.draft.add_line({"product": "confluence", "deployment": "cloud",
                           "edition": "standard", "billing": "annual", "users": 50,
                           "months": 12})  # fmt: skip
    qtbot.mouseClick(
        window.editor.buttons[window.editor.add_line_action], Qt.MouseButton.LeftButton
    )
    type_into_cell(qtbot, window, 1, PRODUCT, "Macros")
    line = window.draft.data["lines"][1]
    assert line["product"] == "app:com.example.macros"
    assert line["parent"] == 0 and "users" not in line  # follows line 1's 50 users
    assert window.draft.view["errors"] == []
    assert window.editor.table.model().index(1, USERS).data() in ("50", "")


# 8. Lines are numbered from 1 wherever a person looks (R-Q-6).


def test_window_and_warnings_count_lines_from_1(qtbot, window):
    window.open_data(IL_QUOTE)
    type_into_cell(qtbot, window, 1, MONTHS, "7")
    table = window.editor.table
    model = table.model()
    assert [model.headerData(r, Qt.Orientation.Vertical) for r in range(2)] == ["1", "2"]
    problems = window.editor.problems
    texts = [problems.item(i).text() for i in range(problems.count())]
    assert "R-TERM-1 — a term runs 12 to 24 months, not 7 (line 2)" in texts
    assert window.draft.view["errors"][0]["line"] == 1  # the JSON keeps 0-based indexes
    assert window.undo_group.undoText() == "Change line 2 term"


# 9. Sign-off validates inside the dialog; 12. an empty quote cannot be signed off;
# 11. nor one whose reseller profile names no seller.


def test_sign_off_dialog_refuses_the_signer_as_approver_while_typing(qtbot, window):
    start_quote(qtbot, window, discount_pct="20")
    seen = {}

    def fill(dialog) -> None:
        assert isinstance(dialog, SignOffDialog)
        ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
        qtbot.keyClicks(dialog.signed_by, "Ana Souza")
        qtbot.keyClicks(dialog.approver, "ana souza")
        seen["same"] = (ok.isEnabled(), dialog.problem.text())
        dialog.approver.clear()
        qtbot.keyClicks(dialog.approver, "Bruno Lima")
        seen["other"] = (ok.isEnabled(), dialog.problem.isVisible())
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    when_dialog_opens(fill)
    click_toolbar(qtbot, window, window.menu.sign_off_action)
    assert seen["same"] == (
        False,
        "the approver of a discount above 15% must be someone other than the person signing off",
    )
    assert seen["other"] == (True, False)
    qtbot.waitUntil(lambda: window.draft.read_only)
    assert window.draft.stored.approver == "Bruno Lima"


def sign_off_messages(qtbot, window) -> list[str]:
    """Click Sign off on the toolbar; what the window said."""
    messages: list[str] = []
    window.message_shown.connect(messages.append)
    click_toolbar(qtbot, window, window.menu.sign_off_action)
    return messages


def test_an_empty_quote_is_not_offered_for_sign_off_nor_saved(qtbot, window):
    assert sign_off_messages(qtbot, window) == [
        "This quote cannot be signed off yet:\n• the quote has no lines\n"
        "• the quote names no customer"
    ]
    assert window.draft.stored is None
    assert window.store.list_quotes() == []


def test_sign_off_needs_the_seller_named_in_the_reseller_profile(qtbot, window):
    window.store.save_profile(replace(window.store.profile(), company=""))
    start_quote(qtbot, window)
    assert sign_off_messages(qtbot, window) == [
        "This quote cannot be signed off yet:\n• the reseller profile has no company name "
        "to print as the seller\nSet your company name in Settings → Reseller profile."
    ]
    assert not window.draft.read_only
