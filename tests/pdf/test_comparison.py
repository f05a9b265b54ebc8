"""The optional comparison page: the quote's scenarios after the quote, for
information only: the attached quote and its fingerprint do not change."""

from __future__ import annotations

import dataclasses
from datetime import date

from quotedesk.core import load_rules
from quotedesk.core.scenarios import compare
from quotedesk.pdf import render_quote_pdf
from quotedesk.pdf.embedded import read_embedded

from .conftest import pdf_text
from .test_commands import quote_file, quotedesk

JIRA_90 = {
    "product": "jira", "deployment": "cloud", "edition": "standard", "billing": "annual",
    "users": 90, "months": 12,
}  # fmt: skip


def with_scenarios(document, book):
    doc = document([JIRA_90], partner_discount_pct="0")
    scenarios = compare(dict(doc.quote_file), book, load_rules(), date(2026, 11, 23))
    rows = tuple({k: v for k, v in s.to_dict().items() if k != "quote"} for s in scenarios)
    return doc, dataclasses.replace(doc, scenarios=rows)


def test_comparison_page_lists_each_scenario_with_total_per_user_and_notes(document, book):
    _, doc = with_scenarios(document, book)
    pages = pdf_text(render_quote_pdf(doc, "en"))
    last = pages[-1].splitlines()
    # Test book: tier 100 costs $8,000.00 a year; 90 users: 8000 / 90 / 12 = 7.41.
    assert last[:8] == [
        "Alternatives to this quote",
        "For comparison only: priced with the same price book and rules, these alternatives "
        "are not part of this quote.",
        "Scenario Total Per user / month Notes",
        "As quoted $8,000.00 $7.41 line 1: tier 100, up to 10 more users at no extra cost",
        "Monthly billing $640.00 $7.11 —",
        "24 months $16,000.00 $7.41 line 1: tier 100, up to 10 more users at no extra cost",
        "Data Center $36,500.00 $33.80 R-DC-EOL",
        "line 1: tier 500, up to 410 more users at no extra cost",
    ]
    assert last[8] == "Next tier up $14,600.00 $6.08 —"


def test_comparison_page_leaves_the_attached_quote_and_fingerprint_alone(document, book):
    plain, compared = with_scenarios(document, book)
    with_page, without = render_quote_pdf(compared, "en"), render_quote_pdf(plain, "en")
    assert len(pdf_text(with_page)) == len(pdf_text(without)) + 1
    assert read_embedded(with_page) == read_embedded(without)
    assert compared.fingerprint == plain.fingerprint
    assert plain.fingerprint in pdf_text(with_page)[-1]


def test_comparison_page_in_japanese(document, book):
    _, doc = with_scenarios(document, book)
    last = pdf_text(render_quote_pdf(doc, "ja"))[-1]
    assert "この見積の代替案" in last and "月払い $640.00 $7.11 —" in last
    assert "1 行目: 階層 100、追加費用なしであと 10 ユーザーまで" in last


def test_export_compare_adds_the_page_to_a_quote_file_and_refuses_a_stored_number(tmp_path):
    out = tmp_path / "q.pdf"
    run = quotedesk("export", str(quote_file(tmp_path)), "-o", str(out), "--compare")
    assert run.returncode == 0, run.stderr
    assert pdf_text(out.read_bytes())[-1].startswith("Alternatives to this quote")
    stored = quotedesk("export", "QD-2026-00001", "-o", str(out), "--compare",
                       db=tmp_path / "q.db")  # fmt: skip
    assert stored.returncode == 2
    assert stored.stderr.strip().endswith(
        "--compare goes with a quote file: a stored quote prints as saved"
    )


def test_comparison_page_headroom_says_one_more_user_in_pt_BR(document, book):
    doc = document([{**JIRA_90, "users": 99}], partner_discount_pct="0")
    scenarios = compare(dict(doc.quote_file), book, load_rules(), date(2026, 11, 23))
    rows = tuple({k: v for k, v in s.to_dict().items() if k != "quote"} for s in scenarios)
    last = pdf_text(render_quote_pdf(dataclasses.replace(doc, scenarios=rows), "pt-BR"))[-1]
    assert "linha 1: faixa 100, até mais 1 usuário sem custo adicional" in last
