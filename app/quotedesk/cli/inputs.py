"""Reading a command's quote file, price book and PDF, for every command that needs them;
anything unreadable is a UsageError (exit 2, one line)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from quotedesk.cli import UsageError
from quotedesk.core import PriceBook, PriceBookError, Quote, QuoteFileError, load_quote_file
from quotedesk.core.io.files import MAX_PASSWORD_BYTES, MAX_PDF_BYTES, read_file
from quotedesk.core.rules import RulesError, RuleTables, load_rules
from quotedesk.operations.price_books import price_book_for

if TYPE_CHECKING:
    from quotedesk.store import QuoteStore


def load_inputs(quote: str, price_book: str | None) -> tuple[Quote, PriceBook, RuleTables]:
    """The quote file, the price book (`--catalog`, else the illustrative sample: these
    commands open no store) and the rule tables."""
    try:
        return (
            load_quote_file(Path(quote)),
            price_book_for(price_book),
            load_rules(),
        )
    except (QuoteFileError, PriceBookError, RulesError) as exc:
        raise UsageError(str(exc)) from None


def load_quote_and_rules(quote: str) -> tuple[Quote, RuleTables]:
    try:
        return load_quote_file(Path(quote)), load_rules()
    except (QuoteFileError, RulesError) as exc:
        raise UsageError(str(exc)) from None


def price_book_from(path: str | None, store: QuoteStore | None = None) -> PriceBook:
    """`--catalog`, else the store's active price book, else the sample."""
    try:
        return price_book_for(path, store)
    except PriceBookError as exc:
        raise UsageError(str(exc)) from None


def read_secret(name: str, kind: str) -> str:
    """The password or PIN a file (`kind`: "a PIN file") holds on its one line."""
    data = read_file(Path(name), MAX_PASSWORD_BYTES, kind, UsageError).rstrip(b"\r\n")
    try:
        return data.decode()
    except UnicodeDecodeError:
        raise UsageError(f"{name}: not UTF-8 text") from None


def read_pdf(path: Path) -> bytes:
    import logging  # not for `quotedesk price`, whose start-up is most of its time

    # pypdf logs what it repairs ("EOF marker not found"); our one-line message says it.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    return read_file(path, MAX_PDF_BYTES, "a quote PDF", UsageError)
