"""Shared set-up for the pricing tests: a small price book with round numbers so every
expected amount can be worked out by hand (tests/fixtures/test_book.csv)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from quotedesk.core import PricedQuote, load_price_book, load_rules, parse_quote, price

FIXTURES = Path(__file__).parents[1] / "fixtures"
TODAY = date(2026, 11, 23)


@pytest.fixture
def user_rules(tmp_path, monkeypatch):
    """An empty QUOTEDESK_RULES folder: a rule table written there replaces the shipped one."""
    folder = tmp_path / "rules"
    folder.mkdir()
    monkeypatch.setenv("QUOTEDESK_RULES", str(folder))
    return folder


@pytest.fixture(scope="session")
def book():
    return load_price_book(FIXTURES / "test_book.csv")


@pytest.fixture(scope="session")
def rules():
    return load_rules()


@pytest.fixture
def priced(book, rules):
    """Price a quote given as a dict (a quote file), quote date 2026-11-20 unless set."""

    def run(lines: list[dict[str, Any]], today: date = TODAY, **fields: Any) -> PricedQuote:
        data = {
            "schema": 1,
            "quote_date": "2026-11-20",
            "customer": {"name": "Test", "country": "BR"},
            **fields,
            "lines": lines,
        }
        return price(parse_quote(data), book, rules, today)

    return run


def codes(problems) -> list[str]:
    return [p.code for p in problems]


def amounts(priced_quote: PricedQuote, field: str = "list_price") -> list[Decimal]:
    return [getattr(line, field) for line in priced_quote.lines]


JIRA_CLOUD = {"product": "jira", "deployment": "cloud", "edition": "standard", "billing": "annual"}
JIRA_MONTHLY = {
    "product": "jira",
    "deployment": "cloud",
    "edition": "standard",
    "billing": "monthly",
}
JIRA_DC = {"product": "jira", "deployment": "datacenter"}
