"""Importing a price book while a quote is open asks before re-pricing
it and shows its totals before → after; a semicolon-separated book from Excel imports."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.gui.conftest import (
    FIXTURES,
    JIRA_ANNUAL,
    listed_total,
    pick_file,
    quotes_show,
    start_quote,
    when_dialog_opens,
)

# The test book with Jira Cloud Standard's 100-user tier at 9,000.00 instead of 8,000.00.
DEARER = (
    (FIXTURES / "test_book.csv")
    .read_text(encoding="utf-8")
    .replace(
        "jira,Jira,cloud,standard,annual,users,100,flat,USD,8000.00,",
        "jira,Jira,cloud,standard,annual,users,100,flat,USD,9000.00,",
    )
)


def import_with_keys(qtbot, window, path, button):
    """Ctrl+I, choose `path` in the file dialog, answer the re-price question with `button`;
    returns the question's text."""
    asked = []

    def answer(box):
        assert isinstance(box, QMessageBox)
        asked.append(box.text())
        qtbot.mouseClick(box.button(button), Qt.MouseButton.LeftButton)

    when_dialog_opens(pick_file(path, then=answer))
    with qtbot.waitSignal(window.price_book_changed, timeout=10_000):
        qtbot.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    return asked


def test_reprice_after_import_asks_first_with_old_and_new_totals(qtbot, window, tmp_path):
    window.draft.add_line(dict(JIRA_ANNUAL, users=100, months=12))
    assert window.editor.totals.rows[-1] == ("Total", "$8,000.00")
    path = tmp_path / "dearer.csv"
    path.write_text(DEARER, encoding="utf-8")

    asked = import_with_keys(qtbot, window, path, QMessageBox.StandardButton.No)
    assert asked == [
        "Price the open quote with dearer.csv?\n\n"
        "Subtotal: $8,000.00 → $9,000.00\n"
        "Net: $8,000.00 → $9,000.00\n"
        "Total: $8,000.00 → $9,000.00"
    ]
    assert window.editor.totals.rows[-1] == ("Total", "$8,000.00")  # kept its prices
    assert window.book_label.text() == "test_book.csv"
    assert window.book.source.endswith("dearer.csv")  # new quotes use the new book

    window.new_quote()
    window.draft.add_line(dict(JIRA_ANNUAL, users=100, months=12))
    assert window.editor.totals.rows[-1] == ("Total", "$9,000.00")


def test_yes_reprices_the_open_quote_with_the_imported_book(qtbot, window, tmp_path):
    window.draft.add_line(dict(JIRA_ANNUAL, users=100, months=12))
    # Excel in pt-BR: semicolons, decimal commas, a BOM.
    semicolon = "\ufeff" + DEARER.replace(",", ";").replace("9000.00", "9.000,00")
    path = tmp_path / "excel.csv"
    path.write_text(semicolon, encoding="utf-8")

    asked = import_with_keys(qtbot, window, path, QMessageBox.StandardButton.Yes)
    assert asked[0].endswith("Total: $8,000.00 → $9,000.00")
    assert window.editor.totals.rows[-1] == ("Total", "$9,000.00")
    assert window.book_label.text() == "excel.csv"


def test_R_DISC_PARTNER_the_reprice_question_prices_with_the_profile(qtbot, window, tmp_path):
    # The profile's 10% partner discount: 8,000.00 - 800.00 = 7,200.00 now, and with the
    # dearer book 9,000.00 - 900.00 = 8,100.00; the subtotal is before discounts.
    window.store.save_profile(replace(window.store.profile(), partner_discount_pct=Decimal(10)))
    window.new_quote()
    window.draft.add_line(dict(JIRA_ANNUAL, users=100, months=12))
    assert window.editor.totals.rows[-1] == ("Total", "$7,200.00")
    path = tmp_path / "dearer.csv"
    path.write_text(DEARER, encoding="utf-8")

    asked = import_with_keys(qtbot, window, path, QMessageBox.StandardButton.Yes)
    assert asked == [
        "Price the open quote with dearer.csv?\n\n"
        "Subtotal: $8,000.00 → $9,000.00\n"
        "Net: $7,200.00 → $8,100.00\n"
        "Total: $7,200.00 → $8,100.00"
    ]
    assert window.editor.totals.rows[-1] == ("Total", "$8,100.00")


def test_repricing_a_saved_quote_with_the_new_book_marks_it_modified_and_saving_lists_it(
    qtbot, window, tmp_path
):
    """The re-priced quote was shown as saved: the list and `quotes show` kept 8,000.00
    while the editor said 9,000.00, and closing the window kept the old prices."""
    start_quote(qtbot, window)  # ACME Ltda, 100 users of Jira Cloud Standard: 8,000.00
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    key = window.draft.stored.key
    assert listed_total(window, key) == "$8,000.00"
    assert not window.windowTitle().startswith("*")
    path = tmp_path / "dearer.csv"
    path.write_text(DEARER, encoding="utf-8")

    import_with_keys(qtbot, window, path, QMessageBox.StandardButton.Yes)
    assert window.editor.totals.total_amount.text() == "$9,000.00"
    assert window.windowTitle() == "*QD-2026-00001 — draft — Quote Desk"
    assert window.save_label.text() == "Unsaved changes"
    assert window.menu.save_action.isEnabled()
    assert listed_total(window, key) == "$8,000.00"  # not saved yet

    window.activateWindow()  # back from the question
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert window.windowTitle() == "QD-2026-00001 — draft — Quote Desk"
    assert listed_total(window, key) == "$9,000.00"
    shown = quotes_show(window.store.path, key)
    assert (shown["total"], shown["price_book"].split()[0]) == ("9000.00", "dearer.csv")


def test_a_saved_quote_opens_at_its_stored_total_with_the_book_it_was_saved_with(
    qtbot, window, tmp_path
):
    """A quote opened after another book was chosen (its re-price answered No) was priced
    with that book: the editor said 9,000.00, the list and `quotes show` 8,000.00."""
    start_quote(qtbot, window)  # ACME Ltda, 100 users of Jira Cloud Standard: 8,000.00
    window.menu.save_action.trigger()
    key = window.draft.stored.key
    path = tmp_path / "dearer.csv"
    path.write_text(DEARER, encoding="utf-8")
    import_with_keys(qtbot, window, path, QMessageBox.StandardButton.No)

    window.menu.new_action.trigger()
    table = window.quotes.table
    index = table.model().index(0, 0)
    qtbot.mouseClick(
        table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(index).center()
    )
    assert window.draft.stored.key == key
    assert window.editor.totals.total_amount.text() == "$8,000.00"
    assert listed_total(window, key) == "$8,000.00"
    assert quotes_show(window.store.path, key)["total"] == "8000.00"
    assert window.book_label.text() == "test_book.csv"  # the open quote's, not the new one
    assert not window.windowTitle().startswith("*")

    window.draft.set_line(0, "users", 50)  # edits keep to its book's 100-user tier
    assert window.editor.totals.total_amount.text() == "$8,000.00"
    assert window.windowTitle().startswith("*")
