"""Pickers searched by typing: accents and case folded as the quote list's search folds
them, and one Enter takes the name the list shows."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from quotedesk.gui.line_model import PRODUCT
from quotedesk.i18n import folded
from tests.gui.conftest import JIRA_ANNUAL


def press(qtbot, key: Qt.Key) -> None:
    """A key where a person's key goes: the open completer list, else the focused field."""
    qtbot.keyClick(QApplication.activePopupWidget() or QApplication.focusWidget(), key)


def listed(combo) -> list[str]:
    """The names the combo box's completer list shows for what was typed."""
    shown = combo.completer().completionModel()
    return [shown.index(row, 0).data() for row in range(shown.rowCount())]


def test_folding_drops_case_and_latin_accents_but_not_japanese_voicing_marks():
    assert folded("São Paulo") == "sao paulo"
    assert folded("ÉTATS-UNIS") == "etats-unis"
    assert folded("Straße") == "strasse"
    assert folded("ガス") != folded("カス")  # ga and ka are two letters


def test_state_picker_finds_sao_paulo_typed_without_its_accent(qtbot, window):
    header = window.editor.header
    header.country.setCurrentIndex(header.country.findData("BR"))
    header.fill_subdivisions()
    field = header.subdivision.lineEdit()
    qtbot.mouseClick(field, Qt.MouseButton.LeftButton)
    field.selectAll()
    qtbot.keyClicks(field, "Sao")
    assert listed(header.subdivision) == ["São Paulo (SP)"]
    press(qtbot, Qt.Key.Key_Return)
    assert window.draft.data["customer"]["subdivision"] == "SP"
    assert header.subdivision.currentText() == "São Paulo (SP)"


def test_country_picker_finds_a_name_by_a_part_typed_without_its_accent(qtbot, window):
    country = window.editor.header.country
    qtbot.mouseClick(country.lineEdit(), Qt.MouseButton.LeftButton)
    country.lineEdit().selectAll()
    qtbot.keyClicks(country.lineEdit(), "reun")
    assert listed(country) == ["Réunion (RE)"]
    press(qtbot, Qt.Key.Key_Tab)
    assert window.draft.data["customer"]["country"] == "RE"


def start_product_edit(qtbot, window, typed: str) -> QWidget:
    """Start editing line 1's product with a key and type the rest, as a person does."""
    table = window.editor.table
    cell = table.model().index(0, PRODUCT)
    qtbot.mouseClick(
        table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(cell).center()
    )
    table.setFocus()
    qtbot.keyClicks(table, typed[0])  # any key starts the editor, which gets the key too
    editor = next(w for w in table.viewport().findChildren(QWidget) if w.isVisible())
    for key in typed[1:]:
        qtbot.keyClicks(QApplication.activePopupWidget() or editor, key)
    return editor


def test_one_enter_in_the_product_list_takes_the_first_name_found(qtbot, window):
    window.draft.add_line(dict(JIRA_ANNUAL, users=10, months=12))
    editor = start_product_edit(qtbot, window, "conf")
    assert listed(editor) == ["Confluence", "Macros for Confluence"]
    press(qtbot, Qt.Key.Key_Return)
    QApplication.processEvents()  # the delegate closes the editor queued
    assert window.draft.data["lines"][0]["product"] == "confluence"
    assert QApplication.focusWidget() is window.editor.table  # the editor closed
    assert window.draft.undo_stack.count() == 2  # the line added, its product changed once


def test_one_enter_in_the_product_list_takes_the_name_chosen_with_the_arrows(qtbot, window):
    window.draft.add_line(dict(JIRA_ANNUAL, users=10, months=12))
    editor = start_product_edit(qtbot, window, "conf")
    press(qtbot, Qt.Key.Key_Down)  # Confluence
    press(qtbot, Qt.Key.Key_Down)  # Macros for Confluence
    press(qtbot, Qt.Key.Key_Return)
    QApplication.processEvents()
    assert not editor.isVisible()
    assert window.draft.data["lines"][0]["product"] == "app:com.example.macros"
