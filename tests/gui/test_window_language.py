"""The window in Japanese words a JPY Data Center quote's payment terms and totals in
Japanese (issue 12 §2), names states by pycountry's translations, and the reseller
profile lists languages by their own names (issue 14, point 13)."""

from __future__ import annotations

import re

from PySide6.QtWidgets import QApplication

from quotedesk.gui.translation import install_translations
from tests.gui.conftest import when_dialog_opens

JIRA_DC = {"product": "jira", "deployment": "datacenter", "billing": "annual", "users": 800}
ENGLISH = ["subject to approval", "Net-", "Credit card", "business days", "Program", "Total"]


def test_a_japanese_window_words_jpy_payment_terms_and_totals_in_japanese(qtbot, make_window):
    app = QApplication.instance()
    translators = install_translations(app, "ja")
    try:
        window = make_window(language="ja")
        window.new_quote()
        header = window.editor.header
        header.country.setCurrentIndex(header.country.findData("US"))
        header.fill_subdivisions()
        illinois = header.subdivision.findData("IL")
        assert header.subdivision.itemText(illinois) == "イリノイ (IL)"
        header.subdivision.setCurrentIndex(illinois)
        window.draft.set_field(("currency",), "JPY")
        window.draft.set_field(("program",), "academic")
        window.draft.add_line(dict(JIRA_DC, months=12))
        totals = window.editor.totals
        payment = totals.payment.text()
        assert payment.startswith("支払方法: クレジットカード")
        assert payment.endswith("30 日後払い（要承認: 見積に米ドルの為替レートがありません）")
        # Tax names are helper h-tax's; the rest of the breakdown is checked.
        shown = [payment, totals.total_label.text()]
        shown += [label for label, _ in totals.rows if "US-IL" not in label]
        assert totals.rows[1] == ("プログラム割引", "-￥5,475,000")
        for text in shown:
            for phrase in ENGLISH:
                assert not re.search(re.escape(phrase), text, re.IGNORECASE), (phrase, text)
    finally:
        for translator in translators:
            app.removeTranslator(translator)
        install_translations(app, "en")


def test_the_profile_lists_languages_by_name_and_stores_the_code(qtbot, window):
    def choose(dialog) -> None:
        names = [dialog.fields.language.itemText(i) for i in range(dialog.fields.language.count())]
        assert names == ["English", "Português (Brasil)", "中文（简体）", "日本語"]
        dialog.fields.language.setCurrentIndex(names.index("日本語"))
        dialog.accept()

    when_dialog_opens(choose)
    window.menu.profile_action.trigger()
    assert window.store.profile().default_language == "ja"
