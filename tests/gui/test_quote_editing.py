"""User stories for the quote editor: build a quote line by line, read the totals,
fix problems from the warnings panel, undo and redo."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QWidget

from quotedesk.gui.line_model import (
    BILLING,
    DISCOUNT,
    EDITION,
    MONTHS,
    PRODUCT,
    USERS,
    ChoicesRole,
)
from quotedesk.gui.typed_fields import NumberField
from tests.gui.conftest import JIRA_ANNUAL

W = TypeVar("W", bound=QWidget)


def set_line(window, row: int, **fields) -> None:
    """Edit a line the way the table's editors do: one model setData per cell."""
    model = window.editor.table.model()
    columns = {"product": PRODUCT, "edition": EDITION, "billing": BILLING, "users": USERS,
               "months": MONTHS, "discount_pct": DISCOUNT}  # fmt: skip
    for key, value in fields.items():
        assert model.setData(model.index(row, columns[key]), value)


def click_add_line(qtbot, window) -> int:
    editor = window.editor
    qtbot.mouseClick(editor.buttons[editor.add_line_action], Qt.MouseButton.LeftButton)
    return editor.current_line()


def open_cell_editor(window, row: int, column: int, kind: type[W]) -> W:
    """Start editing a cell of the line table as a double-click would; its editor widget."""
    table = window.editor.table
    index = table.model().index(row, column)
    table.setCurrentIndex(index)
    table.edit(index)
    return table.viewport().findChild(kind)


def totals_shown(window) -> dict[str, str]:
    return dict(window.editor.totals.rows)


def test_building_a_quote_line_by_line_shows_hand_worked_totals(qtbot, window, model_tester):
    editor = window.editor
    model_tester(editor.table.model())
    qtbot.keyClicks(editor.header.customer_name, "ACME Ltda")
    editor.header.country.setCurrentIndex(editor.header.country.findData("BR"))

    row = click_add_line(qtbot, window)
    assert row == 0
    set_line(window, row, product="jira", edition="standard", billing="annual", users=100)
    # 100 users is exactly the 100-user tier: 8,000.00 for 12 months (R-TIER-1).
    assert totals_shown(window)["Total"] == "$8,000.00"
    assert editor.table.model().index(0, USERS).data() == "100"

    row = click_add_line(qtbot, window)
    set_line(window, row, product="confluence", edition="standard", billing="annual", users=50)
    assert totals_shown(window) == {
        "Subtotal": "$12,000.00",  # 8,000 + Confluence's 100-user tier 4,000
        "Net": "$12,000.00",
        "Total": "$12,000.00",
    }

    qtbot.keyClicks(editor.header.partner_discount, "10")
    shown = totals_shown(window)
    assert shown["Partner discount"] == "-$1,200.00"
    assert shown["Total"] == "$10,800.00"
    assert window.draft.data["customer"] == {"name": "ACME Ltda", "country": "BR"}


def test_users_edited_through_the_table_cell_moves_the_line_to_the_next_tier(qtbot, window):
    window.draft.add_line(dict(JIRA_ANNUAL, users=100, months=12))
    field = open_cell_editor(window, 0, USERS, NumberField)
    field.selectAll()
    qtbot.keyClicks(field, "150")
    qtbot.keyClick(field, Qt.Key.Key_Return)  # the view commits the editor queued
    qtbot.waitUntil(lambda: window.draft.data["lines"][0]["users"] == 150)
    assert totals_shown(window)["Total"] == "$14,600.00"  # the 200-user tier


def test_pickers_only_offer_what_the_price_book_has_for_the_product(window):
    window.draft.add_line({"product": "jira", "deployment": "cloud", "users": 10})
    model = window.editor.table.model()
    editions = [value for value, _ in model.index(0, EDITION).data(ChoicesRole)]
    assert editions == ["free", "standard", "premium"]  # no Enterprise row in the test book
    set_line(window, 0, product="crowd")  # Data Center only
    line = window.draft.data["lines"][0]
    assert line["deployment"] == "datacenter" and "edition" not in line and "billing" not in line
    assert not model.flags(model.index(0, EDITION)) & Qt.ItemFlag.ItemIsEditable


def test_product_picker_commits_on_choice(qtbot, window):
    window.draft.add_line(dict(JIRA_ANNUAL, users=10, months=12))
    combo = open_cell_editor(window, 0, PRODUCT, QComboBox)
    labels = [combo.itemText(i) for i in range(combo.count())]
    assert "Confluence" in labels and "Jira" in labels
    combo.setCurrentIndex(combo.findData("confluence"))
    combo.activated.emit(combo.currentIndex())
    assert window.draft.data["lines"][0]["product"] == "confluence"


def test_clicking_an_error_selects_its_line_and_fixing_it_clears_the_error(qtbot, window):
    window.draft.set_field(("customer", "country"), "BR")
    window.draft.add_line(dict(JIRA_ANNUAL, users=10, months=12))
    window.draft.add_line(dict(JIRA_ANNUAL, users=60000, months=12))
    editor = window.editor
    editor.select_line(0)
    problems = editor.problems
    item = next(problems.item(i) for i in range(problems.count())
                if problems.item(i).text().startswith("R-LIM-2"))  # fmt: skip
    assert item.text().endswith("(line 2)")  # people count from 1 (R-Q-6)
    assert "—" in item.text()

    problems.scrollToItem(item)
    qtbot.mouseClick(
        problems.viewport(), Qt.MouseButton.LeftButton, pos=problems.visualItemRect(item).center()
    )
    assert editor.current_line() == 1
    assert editor.details.title() == "Line 2"

    set_line(window, 1, users=500)
    texts = [problems.item(i).text() for i in range(problems.count())]
    assert texts == ["No warnings or errors"]
    assert totals_shown(window)["Total"] == "$37,500.00"  # 1,000 + the 500-user tier 36,500
    assert editor.tabs.tabText(0) == "Errors 0 · Warnings 0"


def test_undo_and_redo_line_add_edit_and_remove(qtbot, window, model_tester):
    draft = window.draft
    editor = window.editor
    model_tester(editor.table.model())  # rows inserted and removed by undo and redo
    click_add_line(qtbot, window)
    set_line(window, 0, product="jira", edition="standard", billing="annual", users=100)
    qtbot.keyClicks(editor.header.customer_name, "Undo Co")
    editor.table.setFocus()
    editor.remove_line_action.trigger()
    assert draft.data["lines"] == []

    window.menu.undo_action.trigger()  # the removal
    assert draft.data["lines"][0]["users"] == 100
    window.menu.undo_action.trigger()  # the whole typed name is one step
    assert editor.header.customer_name.text() == ""
    window.menu.undo_action.trigger()  # users 100 -> back to the line's default
    assert draft.data["lines"][0]["users"] == 10
    window.menu.redo_action.trigger()
    assert draft.data["lines"][0]["users"] == 100
    assert totals_shown(window)["Total"] == "$8,000.00"
    assert window.menu.undo_action.shortcut().toString() == "Ctrl+Z"
    assert window.menu.redo_action.shortcut().toString() == "Ctrl+Shift+Z"


def test_tax_id_is_checked_as_typed_with_the_reason(qtbot, window):
    header = window.editor.header
    header.country.setCurrentIndex(header.country.findData("DE"))
    qtbot.keyClicks(header.tax_id, "DE136695977")
    assert header.tax_id_check.text().startswith("✗ Not a valid EU VAT ID")
    header.tax_id.backspace()
    qtbot.keyClicks(header.tax_id, "6")
    assert header.tax_id_check.text() == "✓ Valid EU VAT ID: DE136695976"


def test_country_picker_fills_subdivisions_and_searches_by_substring(qtbot, window):
    header = window.editor.header
    header.country.setCurrentIndex(header.country.findData("CA"))
    qtbot.waitUntil(lambda: header.subdivision.count() > 10)  # names load after the paint
    codes = [header.subdivision.itemData(i) for i in range(header.subdivision.count())]
    assert "BC" in codes and "QC" in codes
    header.subdivision.setCurrentIndex(header.subdivision.findData("BC"))
    assert window.draft.data["customer"]["subdivision"] == "BC"
    completer = header.country.completer()
    completer.setCompletionPrefix("kingd")
    assert completer.currentCompletion() == "United Kingdom (GB)"
    assert header.country.itemText(header.country.findData("DE")) == "Germany (DE)"


def test_country_names_follow_the_language(make_window):
    window = make_window(language="ja")
    window.new_quote()
    country = window.editor.header.country
    assert country.itemText(country.findData("DE")) == "ドイツ (DE)"


def test_manual_discount_and_custom_line(qtbot, window):
    editor = window.editor
    window.draft.add_line(dict(JIRA_ANNUAL, users=100, months=12))
    set_line(window, 0, discount_pct="20")
    qtbot.mouseClick(editor.buttons[editor.add_custom_action], Qt.MouseButton.LeftButton)
    editor.tabs.setCurrentIndex(1)  # the line details
    editor.details.unit_price.selectAll()
    qtbot.keyClicks(editor.details.unit_price, "500.00")
    shown = totals_shown(window)
    assert shown["Manual discount"] == "-$1,600.00"
    assert shown["Total"] == "$6,900.00"  # 8,000 - 1,600 + 500
    assert editor.table.model().index(0, DISCOUNT).data() == "20%"


def test_amounts_and_dates_follow_the_language(make_window):
    window = make_window(language="ja")
    window.new_quote()
    window.draft.set_field(("currency",), "JPY")
    window.draft.add_line({"product": "jira", "deployment": "datacenter", "users": 1000,
                           "months": 12})  # fmt: skip
    assert totals_shown(window)["Total"] == "￥10,950,000"
    assert window.editor.header.quote_date.text() == "2026/11/23"
