"""Reading a command's quote file and price book, for every command that prices."""

from __future__ import annotations

from pathlib import Path

from quotedesk.cli import UsageError
from quotedesk.core import (
    PriceBook,
    PriceBookError,
    Quote,
    QuoteFileError,
    load_price_book,
    load_quote_file,
)
from quotedesk.core.resources import sample_price_book_path
from quotedesk.core.rules import RulesError, RuleTables, load_rules


def load_inputs(quote: str, catalog: str | None) -> tuple[Quote, PriceBook, RuleTables]:
    """The quote file, the price book (default: the illustrative sample) and the rule
    tables; anything unreadable is a UsageError (exit 2, one line)."""
    try:
        return (
            load_quote_file(Path(quote)),
            load_price_book(Path(catalog) if catalog else sample_price_book_path()),
            load_rules(),
        )
    except (QuoteFileError, PriceBookError, RulesError) as exc:
        raise UsageError(str(exc)) from None
