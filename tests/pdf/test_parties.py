"""R-RESELL-2 on the PDF: the end-user licensee with its address and technical contact, the
billing organisation, and the licence each line renews, read back with pdfplumber."""

from __future__ import annotations

import io
import json
from datetime import date

import pdfplumber
import pytest

from quotedesk.core import load_rules, parse_quote, price
from quotedesk.core.records import ResellerProfile
from quotedesk.pdf import PdfError, QuoteDocument, render_quote_pdf

from .conftest import FIXTURES, PROFILE, pdf_text

RENEWAL = json.loads((FIXTURES / "renewal_quote.json").read_text())


def renewal(book, profile: ResellerProfile = PROFILE, **changes) -> QuoteDocument:
    data = {**RENEWAL, **changes}
    quote = parse_quote(data)
    priced = price(quote, book, load_rules(), date(2026, 11, 23), reseller=bool(profile.company))
    return QuoteDocument(quote.source, priced.to_dict(), "QD-2026-00042", 1, "signed_off", profile)


def first_page(doc: QuoteDocument, lang: str = "en") -> str:
    return pdf_text(render_quote_pdf(doc, lang))[0]


def test_R_RESELL_2_licensee_address_and_technical_contact_are_printed(book):
    page = first_page(renewal(book))
    for text in (
        "Licensee (end user)",
        "ACME Ltda",
        "Rua Augusta 1500, 8º andar",
        "Consolação",
        "01304-001 São Paulo - SP",
        "Technical contact",
        "Ana Lima",
        "ana.lima@acme.example",
    ):
        assert text in page, text


def test_R_RESELL_2_billing_organisation_is_the_reseller(book):
    page = first_page(renewal(book))
    lines = page.splitlines()
    heading = next(i for i, line in enumerate(lines) if "Billing organisation" in line)
    # The columns share text lines: the reseller's name is on the line below its heading.
    assert "Nordlicht Partners Ltda" in lines[heading + 1]
    # The customer's billing contact receives the reseller's invoice, not Atlassian's.
    assert "Bruno Costa" not in page


def test_R_RESELL_2_selling_direct_the_customer_is_the_billing_organisation(book):
    page = first_page(renewal(book, ResellerProfile()))
    lines = page.splitlines()
    heading = next(i for i, line in enumerate(lines) if "Billing organisation" in line)
    assert lines[heading + 1].count("ACME Ltda") == 2  # licensee and billing organisation
    assert "Billing contact" in page
    assert "Bruno Costa" in page and "financeiro@acme.example" in page


def product_column(data: bytes) -> str:
    """The text of the line table's Product column: between its heading and Tier's."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0]
        words = {w["text"]: w for w in page.extract_words()}
        box = (words["Product"]["x0"], words["Product"]["top"], words["Tier"]["x0"],
               words["Subtotal"]["top"])  # fmt: skip
        return page.within_bbox(box).extract_text()


def test_R_RESELL_2_each_line_shows_the_licence_it_renews(book):
    column = product_column(render_quote_pdf(renewal(book), "en"))
    assert column.splitlines() == [
        "Product",
        "Jira Data Center",
        "renews SEN-12345678",
        "Timesheets Data Center",  # it renews with its parent's licence: not repeated
        "Confluence Cloud",
        "Standard",
        "renews",
        "acme.atlassian.net",
        "Jira Cloud Standard",
        "upgrades",
        "acme-labs.atlassian.net",
    ]


def test_R_RESELL_2_japanese_quote_prints_the_parties_in_japanese(book):
    page = first_page(renewal(book), "ja")
    assert "ライセンシー（エンドユーザー）" in page
    assert "技術担当者" in page and "請求先組織" in page
    assert "SEN-12345678 を更新" in page


@pytest.mark.parametrize("field", ["address", "technical_contact"])
def test_unprintable_party_text_is_refused_naming_the_field(book, field):
    customer = dict(RENEWAL["customer"])
    customer[field] = (
        "Rua \U0001d11e" if field == "address" else {"name": "Ana \U0001d11e", "email": "a@b.co"}
    )
    with pytest.raises(PdfError, match=f"customer {field}.*cannot print"):
        render_quote_pdf(renewal(book, customer=customer), "en")
