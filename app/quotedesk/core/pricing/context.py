"""What every pricing step shares: the quote, its dates and currency, the tables, the log."""

from datetime import date
from decimal import Decimal
from typing import NamedTuple

from quotedesk.core.money import round_money
from quotedesk.core.price_book import PriceBook
from quotedesk.core.problems import ProblemLog
from quotedesk.core.quotes.model import Quote
from quotedesk.core.rules import RuleTables


class PricingContext(NamedTuple):
    quote: Quote
    book: PriceBook
    rules: RuleTables
    quote_date: date
    start_date: date
    currency: str
    places: int
    log: ProblemLog

    def round(self, amount: Decimal) -> Decimal:
        return round_money(amount, self.places)
