"""Rows of the quotes and revisions tables, shared by the store and the JSON import."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from quotedesk.core.price_book import PriceBook
from quotedesk.core.priced import PricedQuote
from quotedesk.core.quotes.lifecycle import Status
from quotedesk.core.quotes.model import Quote, quote_json
from quotedesk.store.errors import StoreError

if TYPE_CHECKING:
    from sqlite_utils import Database


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def content(quote: Quote, priced: PricedQuote, book: PriceBook) -> dict[str, Any]:
    """What a revision stores, as JSON-ready documents (amounts are decimal strings)."""
    if priced.price_book != book.label:
        raise StoreError(f"the quote was priced with {priced.price_book}, not with {book.label}")
    return {
        "quote_file": quote.source,  # the file as given, never rebuilt (R-Q-5)
        "priced": priced.to_dict(),
        "price_book": book.label,
        "price_book_sha256": book.sha256,
    }


def revision_content(content: dict[str, Any]) -> dict[str, Any]:
    return {
        "quote_file": quote_json(content["quote_file"]),
        "priced": json.dumps(content["priced"], ensure_ascii=False, separators=(",", ":")),
        "price_book": content["price_book"],
        "price_book_sha256": content["price_book_sha256"],
    }


def summary(content: dict[str, Any]) -> dict[str, Any]:
    """The list columns of a quote, from its quote file and priced result."""
    quote_file, priced = content["quote_file"], content["priced"]
    total = Decimal(priced["total"])
    digits = max(0, -int(total.as_tuple().exponent))
    total_minor = int(total.scaleb(digits))  # exact: money is never stored as REAL
    if not -(2**63) <= total_minor < 2**63:
        raise StoreError(f"a total of {priced['total']} is too large to store")
    names = (line["name"] for line in priced["lines"] if line.get("kind") in ("product", "custom"))
    # The quote file is kept as given, so its customer and notes may be of any JSON type.
    customer = quote_file.get("customer")
    name = customer.get("name") if isinstance(customer, dict) else None
    notes = quote_file.get("notes")
    return {
        "customer": name if isinstance(name, str) else "",
        "currency": priced["currency"],
        "total_minor": total_minor,
        "minor_digits": digits,
        "quote_date": priced["quote_date"],
        "valid_until": priced["valid_until"],
        "products": ", ".join(dict.fromkeys(names)),
        "notes": notes if isinstance(notes, str) else "",
    }


def insert_quote(
    db: Database,
    number: str,
    prefix: str,
    year: int,
    seq: int,
    content: dict[str, Any],
    *,
    created_at: str,
    updated_at: str,
    revision: int = 1,
    status: str = Status.DRAFT,
) -> int:
    cursor = db.execute(
        "INSERT INTO quotes (number, prefix, year, seq, created_at, revision, status, "
        "customer, currency, total_minor, minor_digits, quote_date, valid_until, products, "
        "notes, updated_at) VALUES (:number, :prefix, :year, :seq, :created_at, :revision, "
        ":status, :customer, :currency, :total_minor, :minor_digits, :quote_date, "
        ":valid_until, :products, :notes, :updated_at)",
        {
            **summary(content),
            "number": number,
            "prefix": prefix,
            "year": year,
            "seq": seq,
            "created_at": created_at,
            "updated_at": updated_at,
            "revision": revision,
            "status": status,
        },
    )
    return int(cursor.lastrowid or 0)


def insert_revision(
    db: Database,
    quote_id: int,
    revision: int,
    status: str,
    content: dict[str, Any],
    *,
    created_at: str,
    updated_at: str,
    signed_off_by: str | None = None,
    signed_off_at: str | None = None,
    approver: str | None = None,
) -> None:
    db.execute(
        "INSERT INTO revisions (quote_id, revision, status, quote_file, priced, price_book, "
        "price_book_sha256, created_at, updated_at, signed_off_by, signed_off_at, approver) "
        "VALUES (:quote_id, :revision, :status, :quote_file, :priced, :price_book, "
        ":price_book_sha256, :created_at, :updated_at, :signed_off_by, :signed_off_at, "
        ":approver)",
        {
            **revision_content(content),
            "quote_id": quote_id,
            "revision": revision,
            "status": status,
            "created_at": created_at,
            "updated_at": updated_at,
            "signed_off_by": signed_off_by,
            "signed_off_at": signed_off_at,
            "approver": approver,
        },
    )


def update_summary(
    db: Database, quote_id: int, revision: int, status: str, when: str, content: dict[str, Any]
) -> None:
    db.execute(
        "UPDATE quotes SET revision = :revision, status = :status, customer = :customer, "
        "currency = :currency, total_minor = :total_minor, minor_digits = :minor_digits, "
        "quote_date = :quote_date, valid_until = :valid_until, products = :products, "
        "notes = :notes, updated_at = :when WHERE id = :id",
        {**summary(content), "revision": revision, "status": status, "when": when, "id": quote_id},
    )
