"""Pure pricing core: standard library and python-stdnum only (no Qt, SQLite or PDF).

Values are immutable `typing.NamedTuple`s rather than frozen dataclasses: they are built
several times faster, and `dataclasses` (with `inspect`) alone costs a `quotedesk price`
run more time than pricing a 200-line quote (bench/price.py).
"""

from quotedesk.core.price_book import PriceBook, PriceBookError, load_price_book, parse_price_book
from quotedesk.core.priced import PricedQuote
from quotedesk.core.pricing import price
from quotedesk.core.problems import Problem
from quotedesk.core.quotes.model import (
    Quote,
    QuoteFileError,
    load_quote_file,
    parse_quote,
    parse_quote_text,
)
from quotedesk.core.rules import RuleTables, load_rules

__all__ = [
    "PriceBook",
    "PriceBookError",
    "PricedQuote",
    "Problem",
    "Quote",
    "QuoteFileError",
    "RuleTables",
    "load_price_book",
    "load_quote_file",
    "load_rules",
    "parse_price_book",
    "parse_quote",
    "parse_quote_text",
    "price",
]
