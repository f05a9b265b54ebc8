"""The shared text catalog and the one Babel wrapper (quotedesk.i18n): every coded text
exists in every language with the same placeholders, plurals follow each language's CLDR
rules, and lines, states and provinces are described in the reader's language."""

from __future__ import annotations

import re
import string

import pytest

from quotedesk.core import load_price_book, load_rules, parse_quote, price
from quotedesk.core.messages import LANGUAGES, catalog
from quotedesk.i18n import LANGUAGE_NAMES, Formatter, subdivisions
from tests.core.conftest import FIXTURES, JIRA_MONTHLY, TODAY


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_every_code_has_a_text_in_every_language_with_the_same_placeholders():
    for code, texts in catalog().items():
        assert sorted(texts) == sorted(LANGUAGES), code
        for language in LANGUAGES:
            assert texts[language].strip(), (code, language)
            assert placeholders(texts[language]) == placeholders(texts["en"]), (code, language)


def test_plural_codes_have_the_forms_every_language_needs():
    # English and Portuguese tell one from other; zh-CN and ja read the "other" form.
    stems = {code.rsplit(".", 1)[0] for code in catalog() if code.endswith((".one", ".other"))}
    for stem in stems:
        assert {f"{stem}.one", f"{stem}.other"} <= catalog().keys(), stem


@pytest.mark.parametrize(
    ("language", "count", "expected"),
    [
        ("en", 1, "1 user"),
        ("en", 0, "0 users"),
        ("en", 1500, "1,500 users"),
        ("pt-BR", 0, "0 usuário"),  # CLDR: 0 and 1 are singular in Portuguese
        ("pt-BR", 2, "2 usuários"),
        ("pt-BR", 1_000_000, "1.000.000 usuários"),  # CLDR "many" reads the "other" text
        ("ja", 1, "1 ユーザー"),
        ("zh-CN", 3, "3 用户"),
    ],
)
def test_plurals_follow_the_language_rules(language, count, expected):
    assert Formatter(language).plural("line.users", count) == expected


def test_languages_are_listed_once_by_their_own_names():
    assert tuple(LANGUAGE_NAMES) == LANGUAGES == ("en", "pt-BR", "zh-CN", "ja")
    assert list(LANGUAGE_NAMES.values()) == [
        "English",
        "Português (Brasil)",
        "中文（简体）",
        "日本語",
    ]


def test_states_and_provinces_come_from_pycountry_translations():
    assert dict(subdivisions("US", "ja"))["IL"] == "イリノイ"
    assert dict(subdivisions("US", "zh-CN"))["CA"] == "加利福尼亚州"
    assert dict(subdivisions("CA", "ja"))["ON"] == "オンタリオ"
    assert dict(subdivisions("US", "en"))["IL"] == "Illinois"
    assert Formatter("ja").subdivision("US", "US-IL") == "イリノイ"
    assert Formatter("ja").subdivision("US", "ZZ") == "ZZ"  # unknown: the code as given


def test_a_peak_addition_and_a_migration_credit_are_described_in_the_language():
    line = {**JIRA_MONTHLY, "users": 40, "additions": [{"date": "2026-12-10", "users": 5}]}
    quote = parse_quote(
        {"schema": 1, "quote_date": "2026-11-20", "start_date": "2026-12-01", "lines": [line]}
    )
    book = load_price_book(FIXTURES / "test_book.csv")
    lines = price(quote, book, load_rules(), TODAY).to_dict()["lines"]
    ja, pt = Formatter("ja"), Formatter("pt-BR")
    assert ja.line_description(lines[0]) == "Jira クラウド Standard"
    assert ja.line_description(lines[1]) == (
        "ピークユーザー追加: Jira クラウド Standard、2026/12/10 から 40 → 45 ユーザー"
    )
    assert pt.line_description(lines[1]) == (
        "Acréscimo de pico de usuários: Jira Cloud Standard, 40 → 45 usuários a partir de "
        "10 de dez. de 2026"
    )
    assert Formatter("en").line_description(lines[1]) == (
        "Peak-user addition: Jira Cloud Standard, 40 → 45 users from Dec 10, 2026"
    )
    credit = {**lines[0], "kind": "migration_credit", "period_end": "2027-03-01"}
    assert (
        Formatter("zh-CN").line_description(credit)
        == "迁移抵扣：截至 2027年3月1日 未使用的数据中心版订阅"
    )


def test_a_row_named_for_its_deployment_is_not_named_twice():
    line = {"kind": "product", "name": "Jira Data Center", "product_name": "Jira Data Center",
            "deployment": "datacenter", "edition": None}  # fmt: skip
    assert Formatter("ja").line_description(line) == "Jira データセンター"
    assert Formatter("en").line_description(line) == "Jira Data Center"


def test_dates_and_numbers_in_a_coded_text_are_written_the_language_way():
    assert Formatter("pt-BR").text("R-Q-3.expired", date="2026-03-22", days=30) == (
        "A cotação venceu em 22 de mar. de 2026 (validade de 30 dias)."
    )
    assert re.fullmatch(r"ACH（5～7 営業日）", Formatter("ja").text("R-PAY-3.ach", low=5, high=7))


def test_window_messages_count_in_real_plurals():
    en, pt = Formatter("en"), Formatter("pt-BR")
    assert en.plural("ui.differences", 1) == "1 difference"
    assert (
        en.plural("ui.price_book_imported", 1, file="b.csv") == "Price book b.csv imported (1 row)"
    )
    assert pt.plural("ui.export_quotes_to", 3) == "Exportar 3 cotações em PDF para"
    assert (
        en.plural("ui.pdfs_written", 1, written=0, folder="/tmp") == "0 of 1 PDF written to /tmp."
    )
