"""Export dialogs start in the folder of the last export, remembered across restarts,
and the signed PDF is proposed under a name of its own beside the plain one."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog

from tests.gui.conftest import (
    pick_file,
    sign_off_as,
    sign_with_file,
    start_quote,
    when_dialog_opens,
)
from tests.gui.test_pdf_export import save_quotes, select_rows


def save_as(path: Path, seen: list[tuple[str, str]], then=None):
    """For when_dialog_opens: note the folder and name the save dialog proposes, then
    answer it with `path`."""

    def act(dialog) -> None:
        assert isinstance(dialog, QFileDialog)
        proposed = dialog.selectedFiles()[0]
        seen.append((dialog.directory().absolutePath(), Path(proposed).name))
        pick_file(path, then)(dialog)

    return act


def test_the_next_export_starts_in_the_folder_of_the_last_even_after_a_restart(
    qtbot, make_window, tmp_path
):
    window = make_window()
    window.new_quote()
    start_quote(qtbot, window)
    window.save()
    first, second = tmp_path / "sent" / "acme", tmp_path / "sent" / "other"
    first.mkdir(parents=True)
    second.mkdir()
    seen: list[tuple[str, str]] = []
    when_dialog_opens(save_as(first / "QD-2026-00001.pdf", seen))
    window.menu.export_action.trigger()
    assert (first / "QD-2026-00001.pdf").exists()
    assert seen[0][1] == "QD-2026-00001.pdf"
    # The first time: the documents folder (else home), not where the app was started.
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    assert seen[0][0] == (documents if Path(documents).is_dir() else str(Path.home()))

    when_dialog_opens(save_as(second / "again.pdf", seen))
    window.menu.export_action.trigger()
    assert seen[1] == (str(first), "QD-2026-00001.pdf")

    window.close()
    restarted = make_window()  # the same settings file
    restarted.open_stored("QD-2026-00001")
    when_dialog_opens(save_as(second / "third.pdf", seen))
    restarted.menu.export_action.trigger()
    assert seen[2] == (str(second), "QD-2026-00001.pdf")


def test_the_signed_export_proposes_a_name_apart_from_the_plain_pdf(
    qtbot, window, tmp_path, certificate
):
    start_quote(qtbot, window)
    sign_off_as(qtbot, window, "Ana Souza")
    qtbot.waitUntil(lambda: window.draft.read_only)
    plain = tmp_path / "QD-2026-00001.pdf"
    seen: list[tuple[str, str]] = []
    when_dialog_opens(save_as(plain, seen))
    window.menu.export_action.trigger()
    p12, _ = certificate()

    def type_password(dialog) -> None:
        dialog.setTextValue("secret")
        when_dialog_opens(save_as(tmp_path / "QD-2026-00001-signed.pdf", seen))
        dialog.accept()

    when_dialog_opens(sign_with_file(pick_file(p12, then=type_password)))
    window.menu.export_signed_action.trigger()
    assert seen[1] == (str(tmp_path), "QD-2026-00001-signed.pdf")
    assert plain.exists() and (tmp_path / "QD-2026-00001-signed.pdf").exists()


def test_the_batch_export_asks_for_a_folder_starting_at_the_last_one(qtbot, window, tmp_path):
    save_quotes(qtbot, window, ["Alpha Ltd"])
    window.quotes.reload()
    select_rows(window, ["QD-2026-00001"])
    batch = tmp_path / "batch"
    batch.mkdir()
    when_dialog_opens(pick_file(batch))
    window.menu.export_selected_action.trigger()
    qtbot.waitUntil(lambda: (batch / "QD-2026-00001.pdf").exists())
    qtbot.waitUntil(lambda: "export" not in window._jobs)
    started: list[str] = []

    def note_folder(dialog) -> None:
        started.append(dialog.directory().absolutePath())
        dialog.reject()

    when_dialog_opens(note_folder)
    window.menu.export_selected_action.trigger()
    assert started == [str(batch)]
