"""Shared set-up for the PDF tests: quotes priced by the real core with the round-number
test price book, rendered by ReportLab and read back with pypdf / pdfplumber."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pdfplumber
import pytest

from quotedesk.core import load_price_book, load_rules, parse_quote, price
from quotedesk.core.records import ResellerProfile
from quotedesk.pdf import QuoteDocument

FIXTURES = Path(__file__).parents[1] / "fixtures"
JIRA_100 = {
    "product": "jira",
    "deployment": "cloud",
    "edition": "standard",
    "billing": "annual",
    "users": 100,
    "months": 12,
}
PROFILE = ResellerProfile(
    company="Nordlicht Partners Ltda",
    address="Av. Paulista 1000\nSão Paulo",
    tax_id="12.345.678/0001-95",
)


@pytest.fixture(scope="session")
def book():
    return load_price_book(FIXTURES / "test_book.csv")


@pytest.fixture
def document(book) -> Callable[..., QuoteDocument]:
    """A priced quote as a QuoteDocument; by default Jira Cloud Standard, 100 users,
    10% partner discount: 8,000.00 list, 800.00 off, 7,200.00 net (test book prices)."""

    def make(
        lines: list[dict[str, Any]] | None = None,
        status: str = "signed_off",
        customer: dict[str, Any] | None = None,
        **fields: Any,
    ) -> QuoteDocument:
        data = {
            "schema": 1,
            "quote_date": "2026-11-20",
            "start_date": "2026-12-01",
            "customer": customer or {"name": "ACME Ltda", "country": "BR"},
            "partner_discount_pct": "10",
            **fields,
            "lines": lines or [JIRA_100],
        }
        quote = parse_quote(data)
        priced = price(quote, book, load_rules(), date(2026, 11, 23))
        return QuoteDocument(quote.source, priced.to_dict(), "QD-2026-00042", 2, status, PROFILE)

    return make


def pdf_text(data: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]
