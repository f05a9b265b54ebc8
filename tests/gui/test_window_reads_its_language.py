"""A translated window shows no English sentence: a quote with warnings,
the Renewals view's bad licence rows and a price book's bad rows read in Japanese, numbers
inside messages are written the reader's way, and counts are real plurals."""

from __future__ import annotations

import re
from functools import partial

import pytest

from quotedesk.core import parse_price_book
from quotedesk.core.problems import Message
from quotedesk.core.scenarios import Headroom
from quotedesk.gui.price_book_import import CheckResult, FailedRowsDialog
from quotedesk.i18n import Formatter
from tests.gui.conftest import FIXTURES, JIRA_ANNUAL
from tests.gui.test_problem_messages import UPGRADE, shown
from tests.gui.test_renewals_view import import_in_renewals_view

# An English word of three letters or more that is not a code, a field name or a value
# the user typed (those stay as written).
ENGLISH = re.compile(r"\b(?:line|the|not|is|and|of|bad|rows?|nothing|imported|duplicate)\b")


def test_a_ja_window_shows_a_quote_with_warnings_without_an_english_word(ja):
    ja.open_data(UPGRADE)
    texts = shown(ja)
    assert "R-TERM-1 — 期間は 12～24 か月です（7 か月は不可）（2 行目）" in texts
    for text in texts:
        assert not ENGLISH.search(text.split(" — ", 1)[1]), text


def test_a_ja_renewals_view_lists_bad_licence_rows_in_japanese(qtbot, ja, tmp_path):
    rows = (FIXTURES / "licences.csv").read_text().splitlines()
    rows[2] = rows[2].replace("2026-12-20", "20/12/2026")
    rows[3] = rows[3].replace(",100,", ",lots,")
    rows.append(rows[1])
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(rows) + "\n")
    assert import_in_renewals_view(qtbot, ja, bad) == [
        "bad.csv：何も取り込んでいません。誤りのある行：3 行:\n"
        "3 行目：end_date '20/12/2026' は日付（YYYY-MM-DD）ではありません\n"
        "4 行目：users 'lots' は 1〜10,000,000 の整数ではありません\n"
        "8 行目：2 行目と重複しています（SEN-1000001 jira）"
    ]


def test_a_ja_price_book_import_lists_its_bad_rows_in_japanese(qtbot, ja):
    data = (
        b"product,name,deployment,edition,billing,unit,tier_max,price_kind,currency,price,"
        b"effective_from\n"
        b"jira,Jira,cloud,standard,annual,users,10,flat,USD,1000.00,2025-01-01\n"
        b"jira,Jira,cloud,standard,annual,users,100,flat,USD,lots,2025-01-01\n"
        b"jira,Jira,server,,annual,users,500,flat,USD,100.00,2025-01-01\n"
        b"jira,Jira,cloud,standard,annual,users,10,flat,USD,1000.00,2025-01-01\n"
    )
    _, errors = parse_price_book(data, "book.csv")
    dialog = FailedRowsDialog(CheckResult(FIXTURES / "book.csv", data, tuple(errors)), ja.formatter)
    qtbot.addWidget(dialog)
    assert [dialog.rows.item(i).text() for i in range(dialog.rows.count())] == [
        "3 行目: price 'lots' は 10 進数ではありません",
        "4 行目: deployment 'server' は cloud でも datacenter でもありません",
        "5 行目: 2 行目と重複しています（product、deployment、edition、billing、currency、"
        "tier_max、effective_from が同じ）",
    ]
    # The same rows in English, as the command line and the store say them.
    assert [str(e) for e in errors] == [
        "line 3: price 'lots' is not a decimal number",
        "line 4: deployment 'server' is not cloud or datacenter",
        "line 5: duplicate of line 2 (same product, deployment, edition, billing, currency, "
        "tier_max and effective_from)",
    ]


def test_a_pt_BR_window_writes_numbers_inside_messages_the_pt_BR_way(make_window):
    window = make_window("pt-BR")
    window.open_data({**UPGRADE, "lines": [dict(JIRA_ANNUAL, users=60000)]})
    assert "R-LIM-2 — Jira Cloud Standard permite no máximo 50.000 por site, não 60.000 " \
        "(linha 1)" in shown(window)  # fmt: skip


def test_numbers_inside_messages_are_grouped_in_english_and_per_language_elsewhere():
    said = Message("R-LIM-2.max", {"name": "Jira", "max": 50000, "peak": 60000})
    assert said.text() == "Jira allows at most 50,000 per site, not 60,000"
    pt = Formatter("pt-BR")
    assert (
        said.text("pt-BR", pt.message_value) == "Jira permite no máximo 50.000 por site, não 60.000"
    )
    # The PDF and the window pass the same formatter, with the quote's currency.
    override = Message(
        "R-PRICE-OVERRIDE.applied", {"price": "7500.00", "book_price": "8000.00", "reason": "x"}
    )
    assert "US$\xa07.500,00" in override.text("pt-BR", partial(pt.message_value, currency="USD"))


def test_tier_headroom_says_one_more_user_and_many_more_users():
    assert Headroom(0, "Jira", 100, 99, "users").message == (
        "tier 100: up to 1 more user at no extra cost"
    )
    assert Headroom(0, "Jira", 1000, 501, "agents").message == (
        "tier 1,000: up to 499 more agents at no extra cost"
    )


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "line 1: tier 100, up to 1 more user at no extra cost"),
        ("pt-BR", "linha 1: faixa 100, até mais 1 usuário sem custo adicional"),
        ("ja", "1 行目: 階層 100、追加費用なしであと 1 ユーザーまで"),
    ],
)
def test_compare_view_headroom_reads_as_a_real_plural(qtbot, make_window, language, expected):
    window = make_window(language)
    window.open_data({**UPGRADE, "lines": [dict(JIRA_ANNUAL, users=99)]})
    window.menu.compare_action.trigger()
    model = window.menu.compare_dialog.model
    assert model.headroom(model.scenarios[0]) == [expected]
