"""Being a good desktop citizen: Help → About and Open log folder, the warning
about an old price book or old rule tables, bundled fonts, and the system's language."""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel

from quotedesk.gui.about import STALE_AFTER_DAYS, AboutDialog, app_version
from quotedesk.gui.app import register_fonts, system_language
from quotedesk.logs import log_file


@pytest.mark.parametrize(
    ("preferred", "language"),
    [
        (["pt-PT", "en-GB"], "pt-BR"),
        (["de-DE", "ja-JP", "en-US"], "ja"),
        (["zh-Hans-CN"], "zh-CN"),
        (["zh-Hant-TW", "en-GB"], "en"),  # no Traditional Chinese texts: the next one
        (["de-DE", "fr-FR"], "en"),
    ],
)
def test_window_starts_in_the_first_system_language_it_speaks(preferred, language):
    assert system_language(preferred) == language


def test_help_menu_has_about_and_open_log_folder(window):
    (help_menu,) = [m for m in window.menuBar().actions() if m.text() == "&Help"]
    assert [a.text() for a in help_menu.menu().actions()] == [
        "&About Quote Desk…",
        "Open &log folder",
    ]


def test_about_names_version_licences_and_the_paths_of_data_and_logs(window, qtbot):
    dialog = AboutDialog(window)
    qtbot.addWidget(dialog)
    shown = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert f"Quote Desk {app_version()}" in shown
    assert app_version() != "unknown"
    assert "MIT" in shown and "LGPL 3.0" in shown
    assert str(log_file()) in shown
    assert "quotes.db" in shown or "QUOTEDESK_DB" in shown
    notices = dialog.notices.toPlainText()
    assert notices.startswith("MIT License")
    assert "GNU Lesser General Public License" in notices  # Qt's, in THIRD-PARTY-NOTICES


def test_recent_price_book_and_rules_show_no_warning(window):
    # The test book's newest prices are from 2026-02-17, the rules reviewed 2026-11-23,
    # and the window's today is 2026-11-23.
    assert window.menu.data_age_warning.isHidden()


def test_price_book_older_than_a_year_is_warned_about_in_the_status_bar(window):
    window.today = window.book.versions[-1] + timedelta(days=STALE_AFTER_DAYS + 1)
    window.price_book_changed.emit()
    assert not window.menu.data_age_warning.isHidden()
    assert window.menu.data_age_warning.text() == "Price book prices are from Feb 17, 2026"


def test_rules_older_than_a_year_are_warned_about_too(window):
    window.today = window.rules.reviewed + timedelta(days=STALE_AFTER_DAYS + 400)
    window.price_book_changed.emit()
    assert window.menu.data_age_warning.text() == (
        "Price book prices are from Feb 17, 2026; Rule tables were reviewed on Nov 23, 2026"
    )


WQY = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")  # fonts-wqy-microhei (./dev)


def test_fonts_in_the_resources_folder_are_registered_with_qt(tmp_path, monkeypatch, qapp):
    (tmp_path / "fonts").mkdir()
    monkeypatch.setenv("QUOTEDESK_RESOURCES", str(tmp_path))
    assert register_fonts() == []  # an empty folder: nothing, and no error
    shutil.copy(WQY, tmp_path / "fonts" / WQY.name)
    (tmp_path / "fonts" / "README.txt").write_text("not a font")
    assert "WenQuanYi Micro Hei" in register_fonts()
