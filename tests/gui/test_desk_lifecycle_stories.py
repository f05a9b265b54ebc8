"""Issue 14's lifecycle stories (points 10, 13, 14, 17, 18, 19): revisions, history,
search, the PDF's language, crash recovery and signed-off quotes, driven with clicks and
keys on the real window."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from quotedesk.core.quote import read_quote_json
from quotedesk.gui.line_model import USERS
from quotedesk.gui.recovery import RecoveryFile
from tests.gui.conftest import sign_off_as, start_quote, when_dialog_opens


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


# 18. The crash-recovery prompt names the quote and appears over the main window.


def crash_and_restart(qtbot, make_window, edit) -> tuple[object, list[tuple[str, bool, object]]]:
    """Edit in one window, then start a second one as after a crash; what the recovery
    prompt said, whether the window was on screen then, and the prompt's parent. The
    user answers Yes."""
    first = make_window()
    first.new_quote()
    edit(first)
    second = make_window()
    second.hide()  # as at start: restore_session runs before the window is shown
    seen = []

    def recover(box) -> None:
        seen.append((box.text(), second.isVisible(), box.parentWidget()))
        qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)

    when_dialog_opens(recover)
    second.restore_session()
    second.show()
    qtbot.waitUntil(lambda: bool(seen))
    return second, seen


def test_recovery_prompt_names_the_new_quote_by_customer_over_the_window(qtbot, make_window):
    second, seen = crash_and_restart(qtbot, make_window, lambda w: start_quote(qtbot, w))
    assert seen == [(
        "Quote Desk was closed before the last changes to the unsaved new quote for "
        "ACME Ltda were saved. Recover them?", True, second,
    )]  # fmt: skip
    assert second.draft.data["customer"]["name"] == "ACME Ltda"
    assert second.draft.stored is None


def test_recovery_prompt_names_a_stored_quote_by_number_and_customer(qtbot, make_window):
    def edit(window) -> None:
        start_quote(qtbot, window)
        window.save()
        qtbot.keyClicks(window.editor.header.customer_name, " Filial")

    second, seen = crash_and_restart(qtbot, make_window, edit)
    assert seen[0][0] == (
        "Quote Desk was closed before the last changes to QD-2026-00001 for ACME Ltda Filial "
        "were saved. Recover them?"
    )
    assert second.draft.stored.number == "QD-2026-00001"
    assert second.draft.data["customer"]["name"] == "ACME Ltda Filial"


def test_recovery_file_keeps_a_number_as_written(tmp_path):
    recovery = RecoveryFile(tmp_path / "recovery.json")
    data = read_quote_json('{"schema": 1, "lines": [{"custom": "x", "unit_price": 10.50}]}')
    recovery.write(data, None)
    assert '"unit_price":10.50' in recovery.path.read_text(encoding="utf-8")
    assert recovery.read() == (data, None)
