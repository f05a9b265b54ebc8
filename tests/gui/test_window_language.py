"""The window in Japanese words a JPY Data Center quote's payment terms and totals in
Japanese, names states by pycountry's translations, and the reseller
profile lists languages by their own names."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from quotedesk.gui.renewals_view import RenewalsView
from quotedesk.gui.translation import install_translations
from quotedesk.store.licences import LicenceRegister
from tests.gui.conftest import FIXTURES, start_quote, when_dialog_opens

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


# One date format per language, Babel's medium one (the PDF's too).
NOV_23 = {"en": "Nov 23, 2026", "pt-BR": "23 de nov. de 2026", "zh-CN": "2026年11月23日",
          "ja": "2026/11/23"}  # fmt: skip
DEC_1 = {"en": "Dec 1, 2026", "pt-BR": "1 de dez. de 2026", "zh-CN": "2026年12月1日",
         "ja": "2026/12/01"}  # fmt: skip
DEC_10 = {"en": "Dec 10, 2026", "pt-BR": "10 de dez. de 2026", "zh-CN": "2026年12月10日",
          "ja": "2026/12/10"}  # fmt: skip


@pytest.mark.parametrize("language", list(NOV_23))
def test_every_date_the_window_shows_is_written_one_way_per_language(qtbot, make_window, language):
    window = make_window(language=language)
    window.new_quote()
    start_quote(qtbot, window)
    window.save()
    header = window.editor.header
    assert (header.quote_date.text(), header.start_date.text()) == (NOV_23[language],) * 2
    tip = window.quotes.model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith(f"QD-2026-00001 · {NOV_23[language]}")

    window.store.sign_off("QD-2026-00001", "Ana Souza")
    window.open_stored("QD-2026-00001")
    window.revise()
    window.draft.set_field(("start_date",), "2026-12-01")
    window.save()
    history = window.show_history()
    assert history.diff(*history.revisions) == [("Start date", NOV_23[language], DEC_1[language])]
    history.close()

    register = LicenceRegister(window.store)
    register.import_csv((FIXTURES / "licences.csv").read_bytes(), "licences.csv", window.book)
    window.menu.renewals_action.trigger()
    view = window.findChild(RenewalsView)
    assert view.model.index(0, 0).data() == DEC_10[language]  # the Jira site, 2026-12-10
    view.close()
