"""The customer notes a PDF prints ("Please note") read in the PDF's language, with dates
written the way that language writes them (a pt-BR PDF once printed "the quote
expired on …" in English)."""

from __future__ import annotations

from quotedesk.pdf import render_quote_pdf
from tests.pdf.conftest import pdf_text


def test_R_Q_3_expired_note_on_a_pt_BR_pdf_is_portuguese(document):
    # Quote date 2026-10-01 + 30 days = valid until 2026-10-31; priced on 2026-11-23.
    text = " ".join(pdf_text(render_quote_pdf(document(quote_date="2026-10-01"), "pt-BR")))
    text = " ".join(text.replace("\xa0", " ").split())
    assert "A cotação venceu em 31 de out. de 2026 (validade de 30 dias)." in text
    assert "expired" not in text


def test_R_Q_3_expired_note_on_a_ja_pdf_is_japanese(document):
    text = "".join(pdf_text(render_quote_pdf(document(quote_date="2026-10-01"), "ja")))
    text = "".join(text.split())
    assert "この見積は2026/10/31に有効期限が切れました（有効期間30日）。" in text
