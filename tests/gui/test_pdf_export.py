"""User stories for PDFs from the app: preview the quote before sending it, export
several stored quotes at once in the background, cancel, and failures named per quote."""

from __future__ import annotations

import io

from pypdf import PdfReader
from PySide6.QtCore import QItemSelectionModel, QSize, Qt
from PySide6.QtGui import QColor
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QMessageBox

from quotedesk.gui.pdf_export import batch_export
from quotedesk.gui.quote_list import NumberRole
from tests.gui.conftest import (
    JIRA_ANNUAL,
    TODAY,
    pick_file,
    sign_off_as,
    sign_with_file,
    start_quote,
    when_dialog_opens,
)


def pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def save_quotes(qtbot, window, customers: list[str]) -> list[str]:
    """One saved draft per customer (Jira Standard, 100 users: $8,000.00 each)."""
    numbers = []
    for customer in customers:
        window.new_quote()
        qtbot.keyClicks(window.editor.header.customer_name, customer)
        window.draft.add_line(dict(JIRA_ANNUAL, users=100, months=12))
        numbers.append(window.save().number)
    return numbers


def select_rows(window, numbers: list[str]) -> None:
    table, proxy = window.quotes.table, window.quotes.proxy
    table.clearSelection()
    for row in range(proxy.rowCount()):
        index = proxy.index(row, 0)
        if index.data(NumberRole) in numbers:
            table.selectionModel().select(
                index,
                QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
            )


def test_preview_shows_the_draft_quote_as_the_pdf_and_saves_the_same_bytes(qtbot, window, tmp_path):
    start_quote(qtbot, window)
    preview = window.pdf_actions.preview_pdf()
    qtbot.waitUntil(lambda: preview.document.status() == QPdfDocument.Status.Ready)
    assert preview.windowTitle() == "Preview — new quote"
    assert preview.document.pageCount() == len(PdfReader(io.BytesIO(preview.data)).pages) == 1
    assert preview.page_label.text() == "Page 1 of 1"
    text = pdf_text(preview.data)
    assert "DRAFT" in text  # not signed off: watermarked
    assert "ACME Ltda" in text and "8,000.00" in text

    # QtPdf really draws the page: the A4 image has dark (text) pixels on white.
    image = preview.document.render(0, QSize(595, 842))
    dark = sum(
        1
        for y in range(0, 842, 4)
        for x in range(0, 595, 4)
        if QColor(image.pixel(x, y)).lightness() < 128
    )
    assert dark > 100

    # "Save PDF…" asks where, then writes exactly the bytes that were looked at.
    out = tmp_path / "previewed.pdf"
    when_dialog_opens(pick_file(out))
    qtbot.mouseClick(preview.save_button, Qt.MouseButton.LeftButton)
    assert out.read_bytes() == preview.data


def test_preview_zoom_and_fit_width(qtbot, window):
    start_quote(qtbot, window)
    preview = window.pdf_actions.preview_pdf()
    preview.zoom(2.0)
    assert preview.view.zoomMode() == preview.view.ZoomMode.Custom
    assert preview.view.zoomFactor() == 2.0
    preview.fit_width()
    assert preview.view.zoomMode() == preview.view.ZoomMode.FitToWidth
    preview.findChild(QDialogButtonBox).rejected.emit()
    qtbot.waitUntil(lambda: window.pdf_actions.preview is None)


def test_preview_of_a_signed_off_quote_has_no_watermark(qtbot, window):
    start_quote(qtbot, window)
    sign_off_as(qtbot, window, "Ana Souza")
    qtbot.waitUntil(lambda: window.draft.read_only)
    preview = window.pdf_actions.preview_pdf()
    assert preview.windowTitle() == "Preview — QD-2026-00001"
    text = pdf_text(preview.data)
    assert "DRAFT" not in text
    assert "QD-2026-00001" in text


def test_selected_quotes_export_in_the_background_one_pdf_each(qtbot, window, tmp_path):
    numbers = save_quotes(qtbot, window, ["Alpha Ltd", "Beta GmbH", "Gamma SA"])
    assert numbers == ["QD-2026-00001", "QD-2026-00002", "QD-2026-00003"]
    window.quotes.reload()
    select_rows(window, ["QD-2026-00001", "QD-2026-00003"])
    assert [q.number for q in window.quotes.selected()] == ["QD-2026-00003", "QD-2026-00001"]

    folder = tmp_path / "out"
    folder.mkdir()
    with qtbot.waitSignal(window.message_shown, timeout=20_000) as shown:
        window.pdf_actions.export_quotes(["QD-2026-00001", "QD-2026-00003"], folder)
    assert shown.args == [f"2 of 2 PDFs written to {folder}."]
    assert sorted(p.name for p in folder.iterdir()) == ["QD-2026-00001.pdf", "QD-2026-00003.pdf"]
    first = pdf_text((folder / "QD-2026-00001.pdf").read_bytes())
    assert "Alpha Ltd" in first and "8,000.00" in first and "DRAFT" in first
    assert "Gamma SA" in pdf_text((folder / "QD-2026-00003.pdf").read_bytes())


def test_ctrl_click_selects_several_quotes_without_opening_them(qtbot, window):
    save_quotes(qtbot, window, ["Alpha Ltd", "Beta GmbH"])
    window.quotes.reload()
    table, proxy = window.quotes.table, window.quotes.proxy
    open_before = window.draft.stored.number  # the last saved, QD-2026-00002
    other = next(
        row for row in range(proxy.rowCount())
        if proxy.index(row, 0).data(NumberRole) != open_before
    )  # fmt: skip
    qtbot.mouseClick(
        table.viewport(),
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.ControlModifier,
        table.visualRect(proxy.index(other, 0)).center(),
    )
    assert window.draft.stored.number == open_before
    assert sorted(q.number for q in window.quotes.selected()) == [
        "QD-2026-00001",
        "QD-2026-00002",
    ]
    # A right-click on them offers to export them.
    assert table.contextMenuPolicy() == Qt.ContextMenuPolicy.ActionsContextMenu
    assert window.menu.export_selected_action in table.actions()


def test_cancelled_batch_export_stops_between_quotes_and_keeps_finished_files(
    qtbot, window, tmp_path
):
    numbers = save_quotes(qtbot, window, ["Alpha Ltd", "Beta GmbH", "Gamma SA"])
    work = batch_export(window.store.path, numbers, tmp_path, "en", TODAY)
    progress: list[int] = []
    # Cancel pressed once the first quote is reported done.
    result = work(progress.append, lambda: bool(progress))
    assert result.cancelled
    assert result.written == (tmp_path / "QD-2026-00001.pdf",)
    assert sorted(p.name for p in tmp_path.glob("*.pdf")) == ["QD-2026-00001.pdf"]
    assert not list(tmp_path.glob(".*.tmp"))  # no half-written file left behind


def test_batch_export_names_each_quote_it_could_not_write(qtbot, window, tmp_path):
    save_quotes(qtbot, window, ["Alpha Ltd"])
    missing = tmp_path / "no-such-folder"
    with qtbot.waitSignal(window.message_shown, timeout=20_000) as shown:
        window.pdf_actions.export_quotes(["QD-2026-00001", "QD-2026-00099"], missing)
    assert shown.args[0].splitlines() == [
        f"0 of 2 PDFs written to {missing}.",
        "",
        "Not exported:",
        f"QD-2026-00001: cannot write in {missing} (No such file or directory)",
        f"QD-2026-00099: no quote QD-2026-00099 in {window.store.path}",
    ]


def test_export_selected_asks_for_a_folder_and_before_replacing_files(qtbot, window, tmp_path):
    save_quotes(qtbot, window, ["Alpha Ltd", "Beta GmbH"])
    window.quotes.reload()
    select_rows(window, ["QD-2026-00001", "QD-2026-00002"])
    (tmp_path / "QD-2026-00002.pdf").write_bytes(b"an older export")
    questions = []

    def keep_old_files(box) -> None:
        questions.append(box.text())
        box.button(QMessageBox.StandardButton.No).click()

    when_dialog_opens(pick_file(tmp_path, then=keep_old_files))
    window.menu.export_selected_action.trigger()
    assert questions == ["The folder already has QD-2026-00002.pdf. Replace?"]
    assert (tmp_path / "QD-2026-00002.pdf").read_bytes() == b"an older export"
    assert not (tmp_path / "QD-2026-00001.pdf").exists()  # nothing was started


def test_export_selected_with_nothing_selected_says_how_to_select(qtbot, window):
    messages = []
    window.message_shown.connect(messages.append)
    window.quotes.table.clearSelection()
    window.menu.export_selected_action.trigger()
    assert messages == [
        "Select the quotes to export in the list first (Ctrl+click or Shift+click selects several)."
    ]


def test_closing_the_window_during_a_batch_export_stops_it_cleanly(qtbot, window, tmp_path):
    numbers = save_quotes(qtbot, window, ["Alpha Ltd"]) * 40
    window.pdf_actions.export_quotes(numbers, tmp_path)
    job = window._jobs["export"]
    window.close()
    assert job.worker_thread.isFinished()
    assert window._jobs == {}
    assert not list(tmp_path.glob(".*.tmp"))  # stopped between files, never inside one


def test_preview_page_counter_follows_the_scrolling(qtbot, window):
    start_quote(qtbot, window)
    for _ in range(59):
        window.draft.add_line(dict(JIRA_ANNUAL, users=100, months=12))
    preview = window.pdf_actions.preview_pdf()
    qtbot.waitUntil(lambda: preview.document.status() == QPdfDocument.Status.Ready)
    pages = len(PdfReader(io.BytesIO(preview.data)).pages)
    assert pages > 1
    assert preview.page_label.text() == f"Page 1 of {pages}"
    bar = preview.view.verticalScrollBar()
    bar.setValue(bar.maximum())
    qtbot.waitUntil(lambda: preview.page_label.text() == f"Page {pages} of {pages}")


def test_signed_off_quote_exports_as_a_signed_pdf_that_verifies(
    qtbot, window, tmp_path, certificate
):
    from quotedesk.pdf import verify_pdf

    start_quote(qtbot, window)
    assert not window.menu.export_signed_action.isEnabled()  # a draft is never signed
    sign_off_as(qtbot, window, "Ana Souza")
    qtbot.waitUntil(lambda: window.draft.read_only)
    assert window.menu.export_signed_action.isEnabled()
    p12, _ = certificate()
    out = tmp_path / "signed.pdf"

    def type_password(dialog) -> None:
        assert dialog.labelText() == "Password of reseller.p12:"
        dialog.setTextValue("secret")
        when_dialog_opens(pick_file(out))
        dialog.accept()

    when_dialog_opens(sign_with_file(pick_file(p12, then=type_password)))
    window.menu.export_signed_action.trigger()
    result = verify_pdf(out.read_bytes())
    assert result.valid
    assert "Nordlicht Partners" in result.signatures[0].signer
    assert window.settings.certificate == str(p12)  # the next signing starts there


def test_a_wrong_password_is_answered_before_the_save_dialog_and_asked_again(
    qtbot, window, tmp_path, certificate
):
    start_quote(qtbot, window)
    sign_off_as(qtbot, window, "Ana Souza")
    qtbot.waitUntil(lambda: window.draft.read_only)
    p12, _ = certificate()
    out = tmp_path / "signed.pdf"
    asked = []

    def wrong_password(dialog) -> None:
        asked.append(dialog.labelText())
        dialog.setTextValue("secrte")
        when_dialog_opens(right_password)  # the next dialog is the password again
        dialog.accept()

    def right_password(dialog) -> None:
        asked.append(dialog.labelText())
        assert not isinstance(dialog, QFileDialog)  # no file name asked for a bad password
        dialog.setTextValue("secret")
        when_dialog_opens(pick_file(out))
        dialog.accept()

    when_dialog_opens(sign_with_file(pick_file(p12, then=wrong_password)))
    window.menu.export_signed_action.trigger()
    assert asked == [
        "Password of reseller.p12:",
        f"{p12}: wrong password, or not a PKCS#12 (.p12/.pfx) file\n\nPassword of reseller.p12:",
    ]
    assert out.read_bytes().startswith(b"%PDF")


def test_signing_with_a_wrong_password_is_a_message_and_writes_nothing(
    qtbot, window, tmp_path, certificate
):
    start_quote(qtbot, window)
    sign_off_as(qtbot, window, "Ana Souza")
    qtbot.waitUntil(lambda: window.draft.read_only)
    p12, _ = certificate()
    messages = []
    window.message_shown.connect(messages.append)
    window.pdf_actions.export_signed_pdf(tmp_path / "signed.pdf", p12, b"not the password")
    assert messages == [f"{p12}: wrong password, or not a PKCS#12 (.p12/.pfx) file"]
    assert list(tmp_path.glob("*.pdf")) == []


def test_a_second_preview_replaces_the_first(qtbot, window):
    start_quote(qtbot, window)
    first = window.pdf_actions.preview_pdf()
    second = window.pdf_actions.preview_pdf()
    qtbot.waitUntil(lambda: not first.isVisible())
    assert window.pdf_actions.preview is second and second.isVisible()
    second.reject()
    assert window.pdf_actions.preview is None
