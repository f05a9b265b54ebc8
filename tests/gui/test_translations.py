"""The window speaks the quote's language: every text the app passes to tr() has a
pt-BR, zh-CN and ja translation that keeps its placeholders, and nothing is left over."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication

import quotedesk.gui
from quotedesk.core.io.resources import translations
from quotedesk.core.quotes.model import (
    ACTIONS,
    BILLING_EXPERIENCES,
    BILLINGS,
    EDITIONS,
    MODES,
    PROGRAMS,
)
from quotedesk.gui.line_model import BILLING, COLUMNS
from quotedesk.gui.main_menu import toolbar_text
from quotedesk.gui.open_quote import DEPLOYMENT_LABELS, FIELD_NAMES
from quotedesk.gui.quote_list import STATUS_LABELS, QuoteListModel
from quotedesk.gui.renewals_view import LicenceModel
from quotedesk.gui.totals_panel import DISCOUNT_NAMES
from quotedesk.gui.translation import gui_texts, install_translations
from tests.gui.conftest import JIRA_ANNUAL, when_dialog_opens

LANGUAGES = ("pt-BR", "zh-CN", "ja")


def texts_given_to_tr() -> set[str]:
    """The literal texts of every tr() call, and the labels tr() gets through variables."""
    found = set()
    for path in Path(quotedesk.gui.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "tr"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                found.add(node.args[0].value)
    found |= set(DEPLOYMENT_LABELS.values()) | set(STATUS_LABELS.values())
    found |= set(DISCOUNT_NAMES.values()) | set(QuoteListModel.TITLES)
    found |= set(FIELD_NAMES.values()) | set(LicenceModel.TITLES)
    found |= {column.title for column in COLUMNS}
    found |= {value.capitalize() for value in (*EDITIONS, *BILLINGS, *ACTIONS)}
    found |= {b.capitalize() for b in BILLING_EXPERIENCES}
    found |= {p.replace("_", " ").capitalize() for p in PROGRAMS}
    found |= {m.replace("_", " ") for m in MODES}
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_window_text_is_translated_and_keeps_its_placeholders(language):
    sources, texts = texts_given_to_tr(), gui_texts(language)
    own = translations("gui", language)
    assert sorted(sources - texts.keys()) == []  # untranslated
    assert sorted(own.keys() - sources) == []  # no longer used by the app
    for source, translated in own.items():
        assert sorted(re.findall(r"\{\d\}", translated)) == sorted(re.findall(r"\{\d\}", source)), (
            source
        )
        assert translated.strip(), source


def test_toolbar_buttons_drop_mnemonics_and_ellipses():
    assert toolbar_text("&Export PDF…") == "Export PDF"
    assert toolbar_text("PDF を書き出す(&E)…") == "PDF を書き出す"
    assert toolbar_text("Apr&ovar…") == "Aprovar"


def test_a_japanese_window_has_japanese_menus_toolbar_and_totals(qtbot, make_window):
    app = QApplication.instance()
    translators = install_translations(app, "ja")
    try:
        window = make_window(language="ja")
        window.new_quote()
        window.draft.add_line(dict(JIRA_ANNUAL, users=100, months=12))
        menus = [action.text() for action in window.menuBar().actions()]
        assert menus == ["ファイル(&F)", "編集(&E)", "見積(&Q)", "設定(&S)", "ヘルプ(&H)"]
        assert window.menu.export_action.iconText() == "PDF を書き出す"
        assert window.editor.title.text() == "新規見積（未保存）"
        assert window.editor.totals.rows[-1] == ("合計", "$8,000.00")
        # Payment methods are worded as the PDF words them.
        methods = window.editor.totals.payment.text().removeprefix("支払方法: ").split(", ")
        assert methods == [
            "クレジットカード（MasterCard、Visa、American Express。Discover は不可）",
            "PayPal",
            "銀行振込（7～14 営業日）",
            "小切手（7～14 営業日）",
            "ACH（5～7 営業日）",
            "14 日後払い（与信審査なし）",
        ]
        model = window.editor.table.model()
        assert model.index(0, BILLING).data() == "年払い"
        assert model.headerData(BILLING, Qt.Orientation.Horizontal) == "請求"
    finally:
        for translator in translators:
            app.removeTranslator(translator)
        install_translations(app, "en")  # Qt's own texts and the default locale back


UNSAVED_QUOTE_BUTTONS = {
    "en": {"&Save", "&Discard", "&Cancel"},
    "pt-BR": {"&Salvar", "&Descartar", "&Cancelar"},
    "zh-CN": {"保存(&S)", "放弃(&D)", "取消(&C)"},
    "ja": {"保存(&S)", "破棄(&D)", "キャンセル(&C)"},
}


@pytest.mark.parametrize("language", list(UNSAVED_QUOTE_BUTTONS))
def test_each_button_of_the_unsaved_quote_question_has_its_own_key(qtbot, make_window, language):
    app = QApplication.instance()
    translators = install_translations(app, language)
    try:
        box = make_window(language=language).unsaved_quote_box()
        texts = {button.text() for button in box.buttons()}
    finally:
        for translator in translators:
            app.removeTranslator(translator)
        install_translations(app, "en")
    assert texts == UNSAVED_QUOTE_BUTTONS[language]
    assert {QKeySequence.mnemonic(text).toString() for text in texts} == {
        "Alt+S", "Alt+D", "Alt+C",
    }  # fmt: skip


def test_alt_d_closes_without_saving_the_new_quote(qtbot, window):
    window.draft.add_line(dict(JIRA_ANNUAL, users=100, months=12))
    assert window.dirty and window.recovery.read() is not None

    def discard(box) -> None:
        qtbot.waitUntil(lambda: QApplication.activeWindow() is box)  # keys go to the box
        qtbot.keyClick(box, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)
        try:  # the mnemonic clicks a moment later, as a click shows
            qtbot.waitUntil(lambda: not box.isVisible())
        finally:
            if box.isVisible():  # a key that did nothing must not leave the test waiting
                box.reject()

    when_dialog_opens(discard)
    window.close()
    assert not window.isVisible()
    assert window.store.count_quotes() == 0 and window.recovery.read() is None
