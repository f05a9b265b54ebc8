"""Shared set-up for the store tests: real SQLite files in tmp_path, quotes priced by the
real core with the round-number test price book (tests/fixtures/test_book.csv)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from quotedesk.core import PriceBook, PricedQuote, Quote, load_price_book, load_rules, parse_quote
from quotedesk.core import price as price_quote
from quotedesk.store import QuoteStore, open_store

FIXTURES = Path(__file__).parents[1] / "fixtures"
TODAY = date(2026, 11, 23)

Priced = tuple[Quote, PricedQuote, PriceBook]


@pytest.fixture(scope="session")
def book() -> PriceBook:
    return load_price_book(FIXTURES / "test_book.csv")


@pytest.fixture(scope="session")
def rules():
    return load_rules()


@pytest.fixture
def make_quote(book, rules) -> Callable[..., Priced]:
    """A priced quote for `customer`; `lines` default to one Jira Cloud Standard line."""

    def make(
        customer: str = "ACME Ltda",
        lines: list[dict[str, Any]] | None = None,
        quote_date: str = "2026-11-20",
        **fields: Any,
    ) -> Priced:
        data = {
            "schema": 1,
            "quote_date": quote_date,
            "customer": {"name": customer, "country": "BR"},
            **fields,
            "lines": lines
            or [
                {
                    "product": "jira",
                    "deployment": "cloud",
                    "edition": "standard",
                    "billing": "annual",
                    "users": 50,
                }
            ],
        }
        quote = parse_quote(data)
        return quote, price_quote(quote, book, rules, TODAY), book

    return make


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "quotes.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[QuoteStore]:
    with open_store(db_path) as opened:
        yield opened


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
