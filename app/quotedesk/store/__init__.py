"""The local quote store: SQLite through sqlite-utils (no Qt here)."""

from quotedesk.store.database import default_db_path, restore_backup
from quotedesk.store.errors import DatabaseBusy, NotFound, StoreError
from quotedesk.store.price_books import PriceBookDiff, PriceBookVersion, PriceChange
from quotedesk.store.quotes import QuoteStore, QuoteSummary, open_store
from quotedesk.store.signed_exports import SignedExport

__all__ = [
    "DatabaseBusy",
    "NotFound",
    "PriceBookDiff",
    "PriceBookVersion",
    "PriceChange",
    "QuoteStore",
    "QuoteSummary",
    "SignedExport",
    "StoreError",
    "default_db_path",
    "open_store",
    "restore_backup",
]
