"""The window shows the core's problems in its own language, from their message keys
values read as that language writes them and lines count from 1."""

from __future__ import annotations

from tests.gui.conftest import JIRA_ANNUAL
from tests.gui.test_desk_stories import sign_off_messages

UPGRADE = {
    "schema": 1,
    "quote_date": "2026-11-23",
    "currency": "USD",
    "customer": {"name": "Yamada KK", "country": "US", "subdivision": "IL"},
    "lines": [
        dict(JIRA_ANNUAL, users=100),
        dict(JIRA_ANNUAL, users=100, months=7),
        {"product": "jira", "deployment": "datacenter", "users": 1000, "action": "upgrade",
         "from_users": 500, "current_end_date": "2027-06-01"},
    ],
}  # fmt: skip


def shown(window) -> list[str]:
    problems = window.editor.problems
    return [problems.item(i).text() for i in range(problems.count())]


def test_a_ja_window_shows_the_japanese_text_of_a_known_warning(make_window):
    window = make_window("ja")
    window.open_data(UPGRADE)
    texts = shown(window)
    # R-UPG-3: the credit is valued at list price on the quote date, written the ja way.
    assert any(
        t.startswith("R-UPG-3 — クレジットは 2026/11/23 時点の 500 ティアの定価で計算しています")
        for t in texts
    ), texts
    assert any(t.startswith("R-TERM-1 — 期間は 12～24 か月です（7 か月は不可）") for t in texts)
    assert not any("the" in t.split(" — ")[-1].split() for t in texts)  # no English left


def test_an_en_window_keeps_the_english_text_and_counts_lines_from_1(make_window):
    window = make_window("en")
    window.open_data(UPGRADE)
    assert "R-TERM-1 — a term runs 12 to 24 months, not 7 (line 2)" in shown(window)


def test_a_ja_window_refuses_sign_off_in_japanese_naming_the_rule(qtbot, make_window):
    window = make_window("ja")
    window.open_data(UPGRADE)
    (message,) = sign_off_messages(qtbot, window)
    # R-Q-2: errors block sign-off; the first (line 2's term) is named with its rule.
    assert message.endswith("\n• R-TERM-1 — 期間は 12～24 か月です（7 か月は不可）")
    assert window.draft.stored is None


def test_amounts_inside_a_warning_read_as_money_in_the_window_language(make_window):
    window = make_window("pt-BR")
    override = dict(JIRA_ANNUAL, users=100, list_price="7500.00", override_reason="acordo")
    window.open_data({**UPGRADE, "lines": [override]})
    texts = [t.replace("\xa0", " ") for t in shown(window)]
    assert (
        "R-PRICE-OVERRIDE — preço de tabela US$ 7.500,00 em vez de US$ 8.000,00: acordo (linha 1)"
        in texts
    ), texts
