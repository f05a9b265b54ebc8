"""What the store keeps and the PDF prints, as plain values shared by store, pdf and gui.

A stored revision carries the quote file and the priced result exactly as they were
when it was saved: re-opening or printing it never re-prices it, so what a customer was
sent stays what it was even after the price book or the rules change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from quotedesk.core.priced import PricedTotals, priced_totals
from quotedesk.core.quotes.lifecycle import Status
from quotedesk.core.quotes.model import Quote, parse_quote
from quotedesk.core.quotes.number import Numbered


@dataclass(frozen=True, slots=True)
class ResellerProfile:
    company: str = ""
    address: str = ""  # several lines, as printed on the quote
    tax_id: str = ""
    email: str = ""
    logo_path: str = ""
    partner_discount_pct: Decimal = Decimal(0)
    # Sign-off of a manual discount above this percentage needs an approver's name.
    approval_threshold_pct: Decimal = Decimal(15)
    number_prefix: str = "QD"
    default_currency: str = "USD"
    default_language: str = "en"
    validity_days: int = 30
    # RFC 3161 timestamp authority for signed exports (http or https); "" signs without one.
    timestamp_url: str = ""


def web_address(text: str) -> bool:
    """An http:// or https:// address with a host, as a timestamp authority has."""
    parts = urlsplit(text)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


@dataclass(frozen=True, slots=True)
class StoredRevision(Numbered):
    number: str  # e.g. "QD-2026-00042"
    revision: int  # 1, 2, ...
    status: Status
    quote_file: dict[str, Any]  # the quote file (schema 1) as saved
    priced: dict[str, Any]  # the priced output (`PricedQuote.to_dict`) as saved
    price_book: str  # label of the price book it was priced with
    price_book_sha256: str
    created_at: datetime
    signed_off_by: str | None = None
    signed_off_at: datetime | None = None
    approver: str | None = None

    @property
    def editable(self) -> bool:
        return self.status.editable

    def quote(self) -> Quote:
        return parse_quote(self.quote_file, self.label)

    @property
    def totals(self) -> PricedTotals:
        """The saved priced document's amounts as typed values (never re-priced)."""
        return priced_totals(self.priced)
