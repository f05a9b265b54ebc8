"""Issue 14's lifecycle stories (points 10, 13, 14, 17, 18, 19): revisions, history,
search, the PDF's language, crash recovery and signed-off quotes, driven with clicks and
keys on the real window."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from quotedesk.gui.line_model import USERS
from tests.gui.conftest import sign_off_as, start_quote


def click_cell(qtbot, table, row: int, column: int, double: bool = False) -> None:
    index = table.model().index(row, column)
    click = qtbot.mouseDClick if double else qtbot.mouseClick
    click(table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(index).center())


# 19. Editing a signed-off quote says why it is refused.


def test_typing_into_a_signed_off_quote_says_why_in_status_bar_and_tooltip(qtbot, window):
    start_quote(qtbot, window)
    sign_off_as(qtbot, window, "Ana Souza")
    qtbot.waitUntil(lambda: window.draft.read_only)
    reason = "QD-2026-00001 is signed off and cannot be edited: use Revise to change it."
    table = window.editor.table
    said = []
    window.message_shown.connect(said.append)

    click_cell(qtbot, table, 0, USERS)
    qtbot.keyClick(table, Qt.Key.Key_Down)  # moving about is fine
    assert said == []
    qtbot.keyClicks(table, "5")
    assert said == [reason]
    assert window.statusBar().currentMessage() == reason
    assert window.draft.data["lines"][0]["users"] == 100
    click_cell(qtbot, table, 0, USERS, double=True)
    assert said == [reason] * 2
    assert table.viewport().toolTip() == reason
    # The greyed-out header answers a click the same way.
    name = window.editor.header.customer_name
    qtbot.mouseClick(name, Qt.MouseButton.LeftButton)
    assert said == [reason] * 3
    assert window.editor.header.toolTip() == reason

    window.revise_action.trigger()
    assert table.viewport().toolTip() == ""
    said.clear()
    QApplication.processEvents()
    click_cell(qtbot, table, 0, USERS)
    assert said == []
