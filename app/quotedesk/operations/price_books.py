"""Price books: which one prices new quotes, importing one, choosing the active one. The
choice lives in the store only, so the window and every command price with the same."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from quotedesk.core import PriceBook, load_price_book
from quotedesk.core.io.resources import sample_price_book_path
from quotedesk.operations.changes import OpChanges

if TYPE_CHECKING:
    from quotedesk.store import PriceBookVersion, QuoteStore


def price_book_for(path: str | Path | None, store: QuoteStore | None = None) -> PriceBook:
    """The price book to price with: `path` (the `--catalog` file), else the store's
    active price book (the one chosen in the window or by the last import), else the
    illustrative sample. Raises PriceBookError for an unreadable `path`."""
    if path:
        return load_price_book(Path(path))
    active = store.active_price_book() if store is not None else None
    return active or load_price_book(sample_price_book_path())


class ImportedPriceBook(NamedTuple):
    version: PriceBookVersion
    book: PriceBook
    created: bool  # False: the same file was imported before
    changes: OpChanges


def import_price_book(store: QuoteStore, data: bytes, source: str) -> ImportedPriceBook:
    """Keep a price-book CSV as a new version (the same file twice is kept once) and make
    it the active book. Raises StoreError, every bad row listed, importing nothing."""
    version, created = store.import_price_book(data, source)
    store.set_active_price_book(version.id)
    return ImportedPriceBook(
        version, store.price_book(version.id), created, OpChanges(price_books=True)
    )


def choose_price_book(store: QuoteStore, version_id: int | None) -> tuple[PriceBook, OpChanges]:
    """Make a kept version (None: the sample) the book new quotes are priced with."""
    store.set_active_price_book(version_id)
    return price_book_for(None, store), OpChanges(price_books=True)
