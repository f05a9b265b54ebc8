"""Every window and dialog fits the screen it opens on with its buttons and the quote's
total in view; dialogs show their titles; the line table's pickers show their choices."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QApplication, QComboBox, QStyle, QStyleOptionComboBox

from quotedesk.gui.line_model import BILLING, DEPLOYMENT
from quotedesk.gui.sign_off_dialog import SignOffDialog
from quotedesk.gui.translation import install_translations
from tests.gui.conftest import JIRA_ANNUAL

ROOT = Path(__file__).parents[2]
WINDOWS = {
    "main", "history", "sign-off", "profile", "parties", "about", "compare", "renewals",
    "failed-rows", "first-run", "pdf-preview", "unsaved-quote",
}  # fmt: skip


def open_every_window(tmp_path: Path, screen: tuple[int, int], scale: int) -> list[dict]:
    """tests/gui/every_window.py in a Qt started on one `screen` (pixels) at `scale`."""
    config = tmp_path / "screen.json"
    width, height = screen
    config.write_text(
        json.dumps({"screens": [{"name": "laptop", "width": width, "height": height}]})
    )
    env = dict(
        os.environ,
        QT_QPA_PLATFORM=f"offscreen:configfile={config}",
        QT_SCALE_FACTOR=str(scale),
        HOME=str(tmp_path),  # the About box's folders and the log stay in tmp_path
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_STATE_HOME=str(tmp_path / "state"),
        XDG_DATA_HOME=str(tmp_path / "data"),
    )
    languages = ("en", "ja", "pt-BR")
    done = subprocess.run(
        [sys.executable, "-m", "tests.gui.every_window", str(tmp_path), *languages],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    shown = json.loads(done.stdout)
    assert {w["name"] for w in shown} == {
        f"{lang}-{name}" for lang in languages for name in WINDOWS
    }
    return shown


def assert_each_fits(shown: list[dict], available: list[int]) -> None:
    for window in shown:
        assert window["available"] == available, window["name"]
        frame = QRect(*window["frame"])
        assert QRect(*available).contains(frame), (window["name"], window["frame"])
        hidden = {name: seen for name, seen in window["widgets"].items() if seen != {
            "visible": True, "inside": True}}  # fmt: skip
        assert window["widgets"] and not hidden, (window["name"], hidden)


def test_every_window_fits_a_1024x640_screen_with_its_buttons_and_total_in_view(tmp_path):
    shown = open_every_window(tmp_path, (1024, 640), scale=1)
    assert_each_fits(shown, [0, 0, 1024, 640])
    # The line table gets the height the problems pane does not need: 7 rows, not 3½.
    assert all(w["table_rows"] >= 6 for w in shown if w["name"].endswith("-main"))


def test_every_window_fits_a_1920x1080_screen_at_200_percent(tmp_path):
    shown = open_every_window(tmp_path, (1920, 1080), scale=2)
    assert_each_fits(shown, [0, 0, 960, 540])  # the screen in Qt's (scaled) pixels


def test_a_window_left_partly_off_screen_reopens_inside_it(qtbot, make_window):
    window = make_window()
    screen = window.screen().availableGeometry()
    window.move(screen.right() - 200, screen.bottom() - 100)  # mostly beyond the corner
    window.close()
    reopened = make_window()
    assert screen.contains(reopened.frameGeometry())


def test_first_start_opens_no_larger_than_the_screen(qtbot, make_window):
    window = make_window()
    assert window.settings.geometry is None
    # 1280×800 is the size asked for; the test platform's screen is smaller.
    assert window.screen().availableGeometry().contains(window.frameGeometry())


def test_a_dialog_is_wide_enough_for_its_title(qtbot, window):
    dialog = SignOffDialog("QD-2026-00001-R12", lambda by, approver: [], [], 0, window)
    qtbot.addWidget(dialog)
    title_font = QFont(QApplication.font())
    title_font.setBold(True)
    title = QFontMetrics(title_font).horizontalAdvance("Sign off QD-2026-00001-R12")
    # The window manager's buttons and icon take up to 180 pixels beside the title.
    assert dialog.width() >= title + 180


@pytest.mark.parametrize("language", ["en", "ja", "pt-BR"])
@pytest.mark.parametrize("column", [BILLING, DEPLOYMENT])
def test_a_picker_in_the_line_table_shows_its_longest_choice_whole(
    qtbot, make_window, language, column
):
    app = QApplication.instance()
    translators = install_translations(app, language)
    try:
        window = make_window(language=language)
        window.new_quote()
        window.draft.add_line(dict(JIRA_ANNUAL, users=100, months=12))
        table = window.editor.table
        table.edit(table.model().index(0, column))
        combo = table.viewport().findChild(QComboBox)
        assert combo is not None and combo.isVisible()
        option = QStyleOptionComboBox()
        combo.initStyleOption(option)
        field = combo.style().subControlRect(
            QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, combo
        )
        widest = max(
            combo.fontMetrics().horizontalAdvance(combo.itemText(i)) for i in range(combo.count())
        )
        assert field.width() >= widest, [combo.itemText(i) for i in range(combo.count())]
        assert QRect(0, 0, table.viewport().width(), table.viewport().height()).contains(
            combo.geometry()
        )
    finally:
        for translator in translators:
            app.removeTranslator(translator)
        install_translations(app, "en")
