"""All quotes as one JSON document (export_json / import_json), for moving a store to
another machine or keeping a readable copy. Amounts stay decimal strings throughout. A
quote's remembered customer language (migration 5) travels as its optional
"customer_language", so version 1 documents without it still import."""

from __future__ import annotations

import json
from decimal import InvalidOperation
from typing import TYPE_CHECKING, Any

from quotedesk.core.messages import LANGUAGES
from quotedesk.core.quotes.lifecycle import Status
from quotedesk.core.quotes.model import read_quote_json
from quotedesk.core.quotes.number import QuoteNumber
from quotedesk.store import price_books, profiles, rows
from quotedesk.store.errors import StoreError

if TYPE_CHECKING:
    from sqlite_utils import Database

FORMAT = "quotedesk-quotes"
VERSION = 1
REVISION_FIELDS = (
    "revision",
    "status",
    "quote_file",
    "priced",
    "price_book",
    "price_book_sha256",
    "created_at",
    "updated_at",
    "signed_off_by",
    "signed_off_at",
    "approver",
)


def export_all(db: Database) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": rows.now(),
        "profile": dict(db.execute("SELECT key, value FROM settings").fetchall()),
        "price_books": [
            {"sha256": r[0], "source": r[1], "imported_at": r[2], "csv": r[3].decode("utf-8")}
            for r in db.execute(
                "SELECT sha256, source, imported_at, csv FROM price_books ORDER BY id"
            )
        ],
        "quotes": [
            _export_quote(db, quote_id, number, created_at)
            for quote_id, number, created_at in db.execute(
                "SELECT id, number, created_at FROM quotes ORDER BY id"
            ).fetchall()
        ],
    }


def _export_quote(db: Database, quote_id: int, number: str, created_at: str) -> dict[str, Any]:
    revisions = []
    for row in db.query(
        f"SELECT {', '.join(REVISION_FIELDS)} FROM revisions WHERE quote_id = ? ORDER BY revision",
        [quote_id],
    ):
        row["quote_file"] = read_quote_json(row["quote_file"])
        row["priced"] = json.loads(row["priced"])
        revisions.append(row)
    exported: dict[str, Any] = {"number": number, "created_at": created_at}
    language = db.execute(
        "SELECT language FROM customer_languages WHERE quote_id = ?", [quote_id]
    ).fetchone()
    if language:
        exported["customer_language"] = language[0]
    return {**exported, "revisions": revisions}


def import_all(db: Database, data: Any) -> int:
    """Add what `data` holds; call inside a write transaction (all or nothing)."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise StoreError(f'not a Quote Desk export (expected "format": "{FORMAT}")')
    if data.get("version") != VERSION:
        raise StoreError(f"export version {data.get('version')!r} is not supported ({VERSION})")
    try:
        for book in data.get("price_books", []):
            version, _ = price_books.import_version(db, book["csv"].encode(), book["source"])
            if version.sha256 != book["sha256"]:
                raise StoreError(f"price book {book['source']} does not match its sha256")
        if not db.execute("SELECT 1 FROM settings").fetchone() and data.get("profile"):
            profiles.save(db, profiles.from_settings(data["profile"]))
    except (KeyError, TypeError, ValueError, AttributeError, InvalidOperation) as exc:
        raise StoreError(f"the export's price books or profile are invalid ({exc!r})") from None
    added = 0
    for index, quote in enumerate(data.get("quotes", [])):
        try:
            added += _import_quote(db, quote)
        except (KeyError, TypeError, ValueError, AttributeError, ArithmeticError) as exc:
            name = quote.get("number") if isinstance(quote, dict) else None
            raise StoreError(
                f"quote {name or f'#{index + 1}'} in the export is invalid ({exc!r}); "
                "nothing imported"
            ) from None
    return added


def _import_quote(db: Database, quote: dict[str, Any]) -> int:
    number = quote["number"]
    parsed = QuoteNumber.parse(number) if isinstance(number, str) else None
    if parsed is None or parsed.revision is not None:
        raise ValueError(f"{number!r} is not a quote number")
    prefix, year, seq = parsed.parts
    revisions = quote["revisions"]
    if not revisions or [r["revision"] for r in revisions] != list(range(1, len(revisions) + 1)):
        raise ValueError("revisions are not numbered 1, 2, ...")
    if any(r["status"] == Status.DRAFT for r in revisions[:-1]):
        raise ValueError("only the latest revision may be a draft")
    language = quote.get("customer_language")
    if language is not None and language not in LANGUAGES:
        raise ValueError(f"customer_language {language!r} is not one of {', '.join(LANGUAGES)}")
    existing = db.execute("SELECT id, created_at FROM quotes WHERE number = ?", [number]).fetchone()
    if existing:
        # The language is a preference, not content: the one remembered here wins.
        here = _export_quote(db, existing[0], number, existing[1])
        here.pop("customer_language", None)
        if here != {k: v for k, v in quote.items() if k != "customer_language"}:
            raise StoreError(f"{number} already exists here with other content; nothing imported")
        _remember_language(db, existing[0], language)
        return 0
    latest = revisions[-1]
    quote_id = rows.insert_quote(
        db,
        number,
        prefix,
        year,
        seq,
        latest,
        created_at=quote["created_at"],
        updated_at=latest["updated_at"],
        revision=latest["revision"],
        status=latest["status"],
    )
    for r in revisions:
        rows.insert_revision(
            db,
            quote_id,
            r["revision"],
            r["status"],
            r,
            created_at=r["created_at"],
            updated_at=r["updated_at"],
            signed_off_by=r["signed_off_by"],
            signed_off_at=r["signed_off_at"],
            approver=r["approver"],
        )
    _remember_language(db, quote_id, language)
    return 1


def _remember_language(db: Database, quote_id: int, language: str | None) -> None:
    if language is not None:
        db.execute(
            "INSERT INTO customer_languages (quote_id, language) VALUES (?, ?) "
            "ON CONFLICT (quote_id) DO NOTHING",
            [quote_id, language],
        )
