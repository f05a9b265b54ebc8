"""Lifecycle stories: revisions, history,
search, the PDF's language, crash recovery and signed-off quotes, driven with clicks and
keys on the real window."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from quotedesk.core.quotes.model import read_quote_json
from quotedesk.gui.history_dialog import HistoryDialog
from quotedesk.gui.line_model import USERS
from quotedesk.gui.recovery import RecoveryFile
from quotedesk.gui.translation import install_translations
from quotedesk.pdf import verify_pdf
from tests.gui.conftest import (
    JIRA_ANNUAL,
    pick_file,
    sign_off_as,
    sign_with_file,
    start_quote,
    when_dialog_opens,
)
from tests.gui.test_desk_stories import IL_QUOTE, click_toolbar, type_into_cell
from tests.gui.test_pdf_export import pdf_text


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

    window.menu.revise_action.trigger()
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


# 13. History and undo labels speak the user's language.


def revise_with_changes(qtbot, window) -> None:
    """Sign off ACME's 100-user Jira quote, revise it, and change it as a person does."""
    start_quote(qtbot, window)
    sign_off_as(qtbot, window, "Ana Souza")
    qtbot.waitUntil(lambda: window.draft.read_only)
    click_toolbar(qtbot, window, window.menu.revise_action)
    header = window.editor.header
    qtbot.keyClicks(header.partner_discount, "5")
    qtbot.keyClicks(header.po_number, "PO-1")
    type_into_cell(qtbot, window, 0, USERS, "150")
    window.draft.add_line(dict(JIRA_ANNUAL, product="confluence", users=50, months=12))
    window.menu.save_action.trigger()


def history_rows(qtbot, window) -> list[tuple[str, ...]]:
    click_toolbar(qtbot, window, window.menu.history_action)
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, HistoryDialog)
    model = dialog.model
    rows = [tuple(model.index(r, c).data() for c in range(3)) for r in range(model.rowCount())]
    dialog.close()
    return rows


def test_history_and_undo_name_fields_in_words_lines_from_1_and_amounts_in_currency(qtbot, window):
    revise_with_changes(qtbot, window)
    assert window.undo_group.undoText() == "Add line"
    undo_texts = [window.draft.undo_stack.text(i) for i in range(window.draft.undo_stack.count())]
    assert undo_texts == [
        "Change partner discount", "Change PO number", "Change line 1 users", "Add line",
    ]  # fmt: skip
    # 100 users: 8,000; 150 users: 14,600; Confluence 50 users: 4,000 (the test book)
    # 18,600 less 5% partner discount (930) = 17,670.
    assert history_rows(qtbot, window) == [
        ("Partner discount", "", "5%"),
        ("PO number", "", "PO-1"),
        ("Line 1: Users", "100", "150"),
        ("Line 2", "", "Confluence Cloud Standard"),
        ("Subtotal", "$8,000.00", "$18,600.00"),
        ("Discounts", "$0.00", "-$930.00"),  # taken off, as the totals panel shows it
        ("Net", "$8,000.00", "$17,670.00"),
        ("Total", "$8,000.00", "$17,670.00"),
    ]


def test_history_in_japanese(qtbot, make_window):
    app = QApplication.instance()
    translators = install_translations(app, "ja")
    try:
        window = make_window(language="ja")
        window.new_quote()
        revise_with_changes(qtbot, window)
        rows = history_rows(qtbot, window)
    finally:
        for translator in translators:
            app.removeTranslator(translator)
        install_translations(app, "en")
    assert rows[:3] == [
        ("パートナー割引", "", "5%"),
        ("注文番号", "", "PO-1"),
        ("1 行目: ユーザー数", "100", "150"),
    ]
    assert rows[-1] == ("合計", "$8,000.00", "$17,670.00")


# 10. Every revision can be reached: listed, filtered, opened, previewed, exported signed.


def list_texts(window) -> list[tuple[str, str]]:
    proxy = window.quotes.proxy
    return [(proxy.index(r, 0).data(), proxy.index(r, 1).data()) for r in range(proxy.rowCount())]


def choose_status(qtbot, window, typed: str) -> None:
    """Pick a status filter with the keyboard: Ctrl+F, Tab to the filter, then type."""
    window.activateWindow()  # back from the sign-off dialog
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window.quotes.search, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is window.quotes.status
    qtbot.keyClicks(window.quotes.status, typed)


def test_a_revised_quote_lists_each_revision_and_the_signed_off_one_exports_signed(
    qtbot, window, tmp_path, certificate
):
    start_quote(qtbot, window)  # ACME Ltda, 100 users: $8,000.00
    sign_off_as(qtbot, window, "Ana Souza")
    qtbot.waitUntil(lambda: window.draft.read_only)
    click_toolbar(qtbot, window, window.menu.revise_action)
    type_into_cell(qtbot, window, 0, USERS, "150")  # $14,600.00
    window.menu.save_action.trigger()
    assert list_texts(window) == [
        ("QD-2026-00001-R2\nACME Ltda", "Draft"),
        ("   ↳ QD-2026-00001\n      ACME Ltda", "Signed off"),
    ]
    header = window.quotes.table.horizontalHeader()
    section = header.sectionViewportPosition(2) + header.sectionSize(2) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(section, 5))
    # Sorted by total, the earlier revision still sits under its latest.
    assert list_texts(window) == [
        ("QD-2026-00001-R2\nACME Ltda", "Draft"),
        ("   ↳ QD-2026-00001\n      ACME Ltda", "Signed off"),
    ]
    window.quotes.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)

    choose_status(qtbot, window, "Si")
    assert window.quotes.status.currentData() == "signed_off"
    assert list_texts(window) == [("QD-2026-00001\nACME Ltda", "Signed off")]
    assert window.quotes.proxy.index(0, 2).data() == "$8,000.00"
    table = window.quotes.table
    qtbot.mouseClick(
        table.viewport(), Qt.MouseButton.LeftButton,
        pos=table.visualRect(table.model().index(0, 0)).center(),
    )  # fmt: skip
    assert (window.draft.stored.revision, window.draft.read_only) == (1, True)
    assert [q.key for q in window.quotes.selected()] == ["QD-2026-00001-R1"]  # batch export
    assert window.editor.title.text() == "QD-2026-00001 — signed off"
    assert window.editor.totals.rows[-1] == ("Total", "$8,000.00")

    preview = window.pdf_actions.preview_pdf()
    text = pdf_text(preview.data)
    assert "DRAFT" not in text and "8,000.00" in text and "14,600.00" not in text
    preview.reject()

    p12, _ = certificate()
    out = tmp_path / "QD-2026-00001.pdf"

    def type_password(dialog) -> None:
        dialog.setTextValue("secret")
        when_dialog_opens(pick_file(out))
        dialog.accept()

    when_dialog_opens(sign_with_file(pick_file(p12, then=type_password)))
    window.menu.export_signed_action.trigger()
    qtbot.waitUntil(out.exists)
    result = verify_pdf(out.read_bytes())
    assert result.valid
    assert "8,000.00" in pdf_text(out.read_bytes())


def test_history_lists_every_revision_and_opens_the_one_chosen(qtbot, window):
    start_quote(qtbot, window)
    sign_off_as(qtbot, window, "Ana Souza")
    qtbot.waitUntil(lambda: window.draft.read_only)
    click_toolbar(qtbot, window, window.menu.revise_action)
    click_toolbar(qtbot, window, window.menu.history_action)
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, HistoryDialog)
    shown = [
        tuple(dialog.list.item(r, c).text() for c in range(4))
        for r in range(dialog.list.rowCount())
    ]
    assert shown == [
        ("QD-2026-00001-R2", "Draft", "", "$8,000.00"),
        ("QD-2026-00001", "Signed off", "Ana Souza", "$8,000.00"),
    ]
    qtbot.mouseClick(
        dialog.list.viewport(), Qt.MouseButton.LeftButton,
        pos=dialog.list.visualItemRect(dialog.list.item(1, 0)).center(),
    )  # fmt: skip
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    assert (window.draft.stored.label, window.draft.read_only) == ("QD-2026-00001", True)
    # Revise on the earlier revision goes to the draft that already exists.
    click_toolbar(qtbot, window, window.menu.revise_action)
    assert (window.draft.stored.label, window.draft.read_only) == ("QD-2026-00001-R2", False)
    assert window.statusBar().currentMessage() == "QD-2026-00001-R2 is already the draft to change"
    assert [r.revision for r in window.store.revisions("QD-2026-00001")] == [1, 2]


# 14. Search finds parts of words; an empty result says so.


def test_search_box_finds_part_of_a_name_and_says_when_nothing_matches(qtbot, window):
    window.open_data(IL_QUOTE)  # Müller AG (QTest types ASCII only)
    window.menu.save_action.trigger()
    panel = window.quotes
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is panel.search
    qtbot.keyClicks(panel.search, "ller")
    qtbot.waitUntil(lambda: list_texts(window) == [("QD-2026-00001\nMüller AG", "Draft")])
    assert not panel.empty.isVisible()
    qtbot.keyClicks(panel.search, "x")
    qtbot.waitUntil(lambda: list_texts(window) == [])
    assert panel.empty.isVisible() and panel.empty.text() == "No quotes match"
    qtbot.keyClick(panel.search, Qt.Key.Key_Backspace)
    qtbot.keyClick(panel.search, Qt.Key.Key_Backspace)
    qtbot.keyClick(panel.search, Qt.Key.Key_Backspace)  # "ll"
    # under three letters only the start of a word matches, and no word starts so
    qtbot.waitUntil(lambda: panel.search.text() == "ll" and not panel._search_timer.isActive())
    assert list_texts(window) == [] and panel.empty.isVisible()
    panel.search.selectAll()
    qtbot.keyClicks(panel.search, "mu")  # the start of a word, accents folded
    qtbot.waitUntil(lambda: len(list_texts(window)) == 1)


# 17. The PDF language is chosen per export, and the quote remembers the customer's.


def test_pdf_language_is_chosen_per_export_and_remembered_for_the_customer(qtbot, window, tmp_path):
    start_quote(qtbot, window)
    window.menu.save_action.trigger()
    picker = window.pdf_language
    assert picker.combo.currentText() == "English"  # the window's language at first
    picker.combo.setFocus()
    qtbot.keyClick(picker.combo, Qt.Key.Key_End)  # the last of en, pt-BR, zh-CN, ja
    assert picker.combo.currentText() == "日本語"

    out = tmp_path / "ja.pdf"
    when_dialog_opens(pick_file(out))
    click_toolbar(qtbot, window, window.menu.export_action)
    qtbot.waitUntil(out.exists)
    text = pdf_text(out.read_bytes())
    assert "見積書" in text and "ACME Ltda" in text
    assert window.menu.export_action.text() == "&Export PDF…"  # the window stays English
    assert window.store.customer_language("QD-2026-00001") == "ja"

    click_toolbar(qtbot, window, window.menu.new_action)
    assert picker.combo.currentText() == "English"  # a new customer: the window's
    window.quotes.reload()
    table = window.quotes.table
    qtbot.mouseClick(
        table.viewport(), Qt.MouseButton.LeftButton,
        pos=table.visualRect(table.model().index(0, 0)).center(),
    )  # fmt: skip
    assert window.draft.stored.number == "QD-2026-00001"
    assert picker.combo.currentText() == "日本語"  # the next export starts from it
    preview = window.pdf_actions.preview_pdf()
    assert "見積書" in pdf_text(preview.data)
    preview.reject()


def test_batch_export_writes_each_quote_in_its_customer_language(qtbot, window, tmp_path):
    start_quote(qtbot, window)
    window.menu.save_action.trigger()
    picker = window.pdf_language
    picker.combo.setFocus()
    qtbot.keyClick(picker.combo, Qt.Key.Key_End)  # 日本語
    when_dialog_opens(pick_file(tmp_path / "first.pdf"))
    click_toolbar(qtbot, window, window.menu.export_action)
    qtbot.waitUntil((tmp_path / "first.pdf").exists)
    click_toolbar(qtbot, window, window.menu.new_action)
    qtbot.keyClicks(window.editor.header.customer_name, "Nordlicht GmbH")
    window.draft.add_line(dict(JIRA_ANNUAL, users=10, months=12))
    window.menu.save_action.trigger()

    folder = tmp_path / "out"
    folder.mkdir()
    with qtbot.waitSignal(window.message_shown, timeout=20_000):
        window.pdf_actions.export_quotes(["QD-2026-00001", "QD-2026-00002"], folder)
    assert "見積書" in pdf_text((folder / "QD-2026-00001.pdf").read_bytes())
    second = pdf_text((folder / "QD-2026-00002.pdf").read_bytes())
    assert "Nordlicht GmbH" in second and "見積書" not in second  # the window's English
