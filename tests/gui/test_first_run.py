"""The first start asks who the reseller is: sign-off needs a seller."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from quotedesk.gui.first_run import FirstRunAssistant, offer_first_run
from quotedesk.gui.main_window import MainWindow
from quotedesk.gui.recovery import RecoveryFile
from quotedesk.gui.settings import Settings
from quotedesk.store import open_store
from tests.gui.conftest import TODAY


def _fresh_window(qtbot, tmp_path, test_book) -> MainWindow:
    store = open_store(tmp_path / "quotes.db")
    window = MainWindow(
        store,
        Settings(tmp_path / "settings.ini"),
        RecoveryFile(tmp_path / "recovery.json"),
        price_book=test_book,
        today=TODAY,
    )
    qtbot.addWidget(window, before_close_func=lambda w: setattr(w, "dirty", False))
    window.show()
    qtbot.waitExposed(window)
    return window


def test_first_start_asks_for_the_seller_and_saves_the_profile_with_keys_only(
    qtbot, tmp_path, test_book
):
    window = _fresh_window(qtbot, tmp_path, test_book)
    assistant = offer_first_run(window)
    assert isinstance(assistant, FirstRunAssistant)
    qtbot.waitExposed(assistant)
    assert assistant.parent() is window  # over the main window, not before it
    next_button = assistant.button(QWizard.WizardButton.NextButton)
    assert not next_button.isEnabled()  # a seller name is required

    assistant.activateWindow()
    assistant.fields.company.setFocus()
    assert assistant.focusWidget() is assistant.fields.company
    qtbot.keyClicks(assistant.focusWidget(), "Atlas Revenda Ltda")
    qtbot.keyClick(assistant.focusWidget(), Qt.Key.Key_Tab)
    qtbot.keyClicks(assistant.focusWidget(), "Rua Augusta 100")
    qtbot.keyClick(assistant.focusWidget(), Qt.Key.Key_Tab)
    qtbot.keyClicks(assistant.focusWidget(), "12.345.678/0001-95")
    assert next_button.isEnabled()
    qtbot.keyClick(assistant.focusWidget(), Qt.Key.Key_Return)  # Next is the default button

    assert assistant.currentId() == 1
    assistant.fields.validity.setFocus()
    qtbot.keyClick(assistant.fields.validity, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(assistant.fields.validity, "45")
    assistant.fields.partner_discount.setFocus()
    assistant.fields.partner_discount.selectAll()
    qtbot.keyClicks(assistant.fields.partner_discount, "5")
    qtbot.keyClick(assistant.focusWidget(), Qt.Key.Key_Return)  # now Finish

    profile = window.store.profile()
    assert profile.company == "Atlas Revenda Ltda"
    assert profile.address == "Rua Augusta 100"
    assert profile.tax_id == "12.345.678/0001-95"
    assert profile.validity_days == 45
    assert profile.partner_discount_pct == Decimal("5")
    window.store.close()


def test_a_profile_with_a_seller_is_not_asked_again(qtbot, tmp_path, test_book):
    window = _fresh_window(qtbot, tmp_path, test_book)
    assistant = offer_first_run(window)
    assistant.fields.company.setText("Atlas Revenda Ltda")
    assistant.accept()
    assert offer_first_run(window) is None
    window.store.close()


def test_cancelling_the_assistant_saves_nothing(qtbot, tmp_path, test_book):
    window = _fresh_window(qtbot, tmp_path, test_book)
    assistant = offer_first_run(window)
    assistant.fields.company.setText("Half typed")
    qtbot.keyClick(assistant, Qt.Key.Key_Escape)
    assert window.store.profile().company == ""
    window.store.close()


def test_the_assistant_lists_languages_by_name_and_saves_the_code(qtbot, tmp_path, test_book):
    window = _fresh_window(qtbot, tmp_path, test_book)
    assistant = offer_first_run(window)
    qtbot.keyClicks(assistant.fields.company, "Atlas Revenda Ltda")
    qtbot.keyClick(assistant.fields.company, Qt.Key.Key_Return)
    language = assistant.fields.language
    names = [language.itemText(i) for i in range(language.count())]
    assert names == ["English", "Português (Brasil)", "中文（简体）", "日本語"]
    language.setFocus()
    qtbot.keyClick(language, Qt.Key.Key_End)  # the last: 日本語
    qtbot.keyClick(language, Qt.Key.Key_Return)
    assert window.store.profile().default_language == "ja"
    window.store.close()
