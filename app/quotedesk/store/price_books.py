"""Price books kept as dated versions, never overwritten, one per file: a quote saved
yesterday names the very version it was priced with."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from quotedesk.core.io.files import MB
from quotedesk.core.io.resources import sample_price_book_path
from quotedesk.core.price_book import (
    MAX_PRICE_BOOK_BYTES,
    PriceBook,
    PriceBookError,
    PriceRow,
    load_price_book,
    parse_price_book,
)
from quotedesk.store.errors import NotFound, StoreError

if TYPE_CHECKING:
    from sqlite_utils import Database

# The settings row naming the book new quotes are priced with (absent: the sample).
ACTIVE = "active_price_book"


@dataclass(frozen=True, slots=True)
class PriceBookVersion:
    id: int
    sha256: str
    source: str  # the file it was imported from
    label: str  # as printed on quotes priced with it
    imported_at: datetime
    row_count: int


@dataclass(frozen=True, slots=True)
class PriceChange:
    before: PriceRow
    after: PriceRow


@dataclass(frozen=True, slots=True)
class PriceBookDiff:
    """Rows of the second book against the first, matched by product, deployment,
    edition, billing, currency, tier and effective date."""

    added: tuple[PriceRow, ...]
    removed: tuple[PriceRow, ...]
    changed: tuple[PriceChange, ...]


def import_version(db: Database, data: bytes, source: str) -> tuple[PriceBookVersion, bool]:
    """Parse and keep `data`; call inside a write transaction."""
    if len(data) > MAX_PRICE_BOOK_BYTES:
        raise StoreError(
            f"{source}: {len(data) / MB:.0f} MB is too large for a price book "
            f"(limit {MAX_PRICE_BOOK_BYTES // MB} MB)"
        )
    try:
        book, errors = parse_price_book(data, source)
    except PriceBookError as exc:
        raise StoreError(str(exc)) from None
    if errors:
        shown = "; ".join(str(e) for e in errors[:10])
        more = f" (and {len(errors) - 10} more)" if len(errors) > 10 else ""
        rows = "bad row" if len(errors) == 1 else "bad rows"
        raise StoreError(f"{source}: nothing imported, {len(errors)} {rows}: {shown}{more}")
    existing = _select(db, "WHERE sha256 = ?", [book.sha256])
    if existing:
        return existing[0], False
    return _insert(db, book), True


def keep(db: Database, book: PriceBook) -> None:
    """Keep the book a revision is priced with, so sign-off can price it again (R-Q-5);
    the bundled sample needs no copy. Call inside a write transaction."""
    if not book.illustrative and not _select(db, "WHERE sha256 = ?", [book.sha256]):
        _insert(db, book)


def by_sha256(db: Database | sqlite3.Connection, sha256: str) -> PriceBook | None:
    """A kept book, or the bundled sample; None when the store never had it."""
    row = db.execute("SELECT csv, source FROM price_books WHERE sha256 = ?", [sha256]).fetchone()
    if row is not None:
        return parse_price_book(row[0], row[1])[0]
    sample = load_price_book(sample_price_book_path())
    return sample if sample.sha256 == sha256 else None


def _insert(db: Database, book: PriceBook) -> PriceBookVersion:
    cursor = db.execute(
        "INSERT INTO price_books (sha256, source, label, imported_at, row_count, csv) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [
            book.sha256,
            book.source,
            book.label,
            datetime.now(UTC).isoformat(timespec="microseconds"),
            len(book.rows),
            book.data,
        ],
    )
    return _select(db, "WHERE id = ?", [cursor.lastrowid])[0]


def active(db: Database | sqlite3.Connection) -> PriceBook | None:
    """The book new quotes are priced with; read through the bare connection, so the
    window choosing its book at start-up does not load sqlite-utils."""
    row = db.execute("SELECT value FROM settings WHERE key = ?", [ACTIVE]).fetchone()
    return None if row is None else by_sha256(db, row[0])


def set_active(db: Database, version_id: int | None) -> None:
    """Remember the book by its sha256 (ids differ between databases); None: the sample.
    Call inside a write transaction."""
    if version_id is None:
        db.execute("DELETE FROM settings WHERE key = ?", [ACTIVE])
        return
    row = db.execute("SELECT sha256 FROM price_books WHERE id = ?", [version_id]).fetchone()
    if row is None:
        raise NotFound(f"no price book version {version_id}")
    db.execute(
        "INSERT INTO settings (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [ACTIVE, row[0]],
    )


def versions(db: Database) -> list[PriceBookVersion]:
    return _select(db, "ORDER BY imported_at, id", [])


def load(db: Database, version_id: int) -> PriceBook:
    row = db.execute("SELECT csv, source FROM price_books WHERE id = ?", [version_id]).fetchone()
    if row is None:
        raise NotFound(f"no price book version {version_id}")
    book, _ = parse_price_book(row[0], row[1])  # validated on import
    return book


def diff(a: PriceBook, b: PriceBook) -> PriceBookDiff:
    old, new = _by_identity(a), _by_identity(b)
    return PriceBookDiff(
        added=tuple(row for key, row in new.items() if key not in old),
        removed=tuple(row for key, row in old.items() if key not in new),
        changed=tuple(
            PriceChange(old[key], row)
            for key, row in new.items()
            if key in old and _terms(old[key]) != _terms(row)
        ),
    )


def _by_identity(book: PriceBook) -> dict[tuple[object, ...], PriceRow]:
    return {(*row.key, row.tier_max, row.effective_from): row for row in book.rows}


def _terms(row: PriceRow) -> tuple[object, ...]:
    return (row.name, row.unit, row.price_kind, row.price)


def _select(db: Database, where: str, params: list[object]) -> list[PriceBookVersion]:
    rows = db.execute(
        f"SELECT id, sha256, source, label, imported_at, row_count FROM price_books {where}",
        params,
    ).fetchall()
    return [
        PriceBookVersion(r[0], r[1], r[2], r[3], datetime.fromisoformat(r[4]), r[5]) for r in rows
    ]
