"""No translated PDF shows an English sentence: payment methods and terms,
notes, line descriptions and state names come in the PDF's language. The quote: JPY without
a USD rate (Net-30 "subject to approval"), a Data Center line with a program discount,
expired, for a customer in Illinois; rendered by ReportLab and read back with pdfplumber."""

from __future__ import annotations

import re
from datetime import date

import pytest

from quotedesk.core import load_rules, parse_quote, price
from quotedesk.pdf import QuoteDocument, render_quote_pdf
from tests.pdf.conftest import PROFILE, pdf_text

QUOTE = {
    "schema": 1,
    "quote_date": "2026-02-20",  # valid 30 days: expired on 2026-03-22
    "start_date": "2026-03-01",
    "currency": "JPY",
    "program": "academic",
    "customer": {"name": "ACME Inc", "country": "US", "subdivision": "IL", "city": "Chicago"},
    "lines": [{"product": "jira", "deployment": "datacenter", "billing": "annual", "users": 800}],
}
# Product and brand names stay as they are (Jira, PayPal, MasterCard…); pt-BR also keeps
# Atlassian's deployment names "Data Center" and "Cloud", as Atlassian's Brazilian pages do.
ENGLISH = [
    "subject to approval", "expired", "from", "Annual", "Net-", "Notes", "Please note",
    "Payment methods", "Credit card", "Bank transfer", "business days", "Trial", "refund",
    "users", "tier", "program", "United States", "validity",
]  # fmt: skip
# "Illinois" is Illinois in Portuguese too.
ENGLISH_PER_LANGUAGE = {lang: ["Data Center", "Cloud", "Illinois"] for lang in ("ja", "zh-CN")}
EXPECTED = {
    "ja": [
        "Chicago, イリノイ, アメリカ合衆国",
        "1 Jira データセンター 800 ユーザー",
        "プログラム 50%: -￥5,475,000",
        "• 30 日後払い（要承認: 見積に米ドルの為替レートがありません）",
        "• データセンターのライセンスはご購入後 30 日以内であれば返金できます。",
        "• この見積は 2026/03/22 に有効期限が切れました（有効期間 30 日）。",
    ],
    "pt-BR": [
        "Chicago, Illinois, Estados",  # the licensee column wraps here
        "Unidos",
        "1 Jira Data Center 800 usuários",
        "• Prazo de 30 dias sujeito a aprovação (a cotação não tem taxa de câmbio para USD)",
        "• A cotação venceu em 22 de mar. de 2026 (validade de 30 dias).",
    ],
    "zh-CN": [
        "Chicago, 伊利诺伊州, 美国",
        "1 Jira 数据中心版 800 用户",
        "• 30 天账期，需经审批（报价单没有美元汇率）",
        "• 本报价单已于 2026年3月22日 过期（有效期 30 天）。",
    ],
}


@pytest.fixture(scope="module")
def document(book) -> QuoteDocument:
    quote = parse_quote(QUOTE)
    priced = price(quote, book, load_rules(), date(2026, 11, 23))
    return QuoteDocument(quote.source, priced.to_dict(), "QD-2026-00042", 1, "draft", PROFILE)


def without_tax_table(text: str) -> str:
    # Tax names ("Sales tax (estimated)") are helper h-tax's codes, not checked here.
    return "\n".join(line for line in text.splitlines() if "US-IL" not in line)


@pytest.mark.parametrize("language", ["ja", "pt-BR", "zh-CN"])
def test_a_translated_pdf_has_no_english_sentence(document, language):
    assert document.priced["warnings"][-1]["key"] == "R-Q-3.expired"
    text = "\n".join(pdf_text(render_quote_pdf(document, language)))
    for expected in EXPECTED[language]:
        assert expected in text, expected
    checked = without_tax_table(text)
    for phrase in ENGLISH + ENGLISH_PER_LANGUAGE.get(language, []):
        whole_word = rf"\b{re.escape(phrase)}" + (r"\b" if phrase[-1].isalpha() else "")
        assert not re.search(whole_word, checked, re.IGNORECASE), phrase


def test_the_english_pdf_says_the_same_in_english(document):
    text = "\n".join(pdf_text(render_quote_pdf(document, "en")))
    assert "Chicago, Illinois, United States" in text
    assert "• Net-30 terms subject to approval (no USD exchange rate on the quote)" in text
    assert "• the quote expired on Mar 22, 2026 (30-day validity)" in text
    assert "1 Jira Data Center 800 users" in text


def test_a_quote_priced_before_texts_had_codes_prints_its_translated_labels(document):
    # A stored signed-off revision keeps its priced JSON as it was (R-Q-5): labels only.
    priced = dict(document.priced)
    priced["payment_methods"] = [
        {"method": "net_30", "label": "Net-30 terms", "rule": "R-PAY-5"},
        {"method": "paypal", "label": "PayPal", "rule": "R-PAY-3"},
    ]
    priced["terms"] = [{"rule": "R-Q-4", "text": "Trial: Data Center 30 days."}]
    message = "the quote expired on 2026-03-22 (30-day validity)"
    priced["warnings"] = [{"code": "R-Q-3", "message": message, "line": None}]
    old = QuoteDocument(document.quote_file, priced, "QD-2026-00042", 1, "draft", PROFILE)
    text = "\n".join(pdf_text(render_quote_pdf(old, "ja")))
    assert "• 30 日後払い\n• PayPal" in text
    assert "• 試用期間：データセンター 30 日間。" in text
    assert "• この見積は 2026/03/22 に有効期限が切れました（有効期間 30 日）。" in text
