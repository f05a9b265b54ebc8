"""The quote store: quotes and their revisions, the reseller profile, price-book versions.

Each revision keeps the quote file, the priced result and the price book it was priced
with exactly as saved, so re-opening it never re-prices it. Signed-off revisions are
frozen by triggers (schema.py); the checks here only give the user a clearer message.
"""

from __future__ import annotations

import functools
import json
import re
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

from quotedesk.core.price_book import PriceBook
from quotedesk.core.priced import PricedQuote
from quotedesk.core.problems import Refused
from quotedesk.core.quotes.lifecycle import EXPIRING, SET_BY_HAND, Status
from quotedesk.core.quotes.model import Quote, read_quote_json
from quotedesk.core.quotes.number import PROVISIONAL_YEAR, Numbered, QuoteNumber, quote_label
from quotedesk.core.quotes.signoff import sign_off_refusals
from quotedesk.core.quotes.validity import expired_sql, status_on, still_valid_sql
from quotedesk.core.records import ResellerProfile, StoredRevision
from quotedesk.store import (
    approvals,
    licences,
    price_books,
    profiles,
    rows,
    signed_exports,
    team,
    transfer,
)
from quotedesk.store.database import (
    DEFAULT_TIMEOUT,
    backup_database,
    connect,
    default_db_path,
    translate_errors,
    wrap,
    write_transaction,
)
from quotedesk.store.errors import NotFound, StoreError
from quotedesk.store.price_books import PriceBookDiff, PriceBookVersion
from quotedesk.store.signed_exports import SignedExport

if TYPE_CHECKING:
    from sqlite_utils import Database

ORDERS = {
    "updated": "updated_at DESC, id DESC",
    "number": "year DESC, seq DESC",
    "date": "quote_date DESC, id DESC",
    "customer": "customer COLLATE NOCASE, updated_at DESC",
    "total": "total_minor DESC, id DESC",
}
STATUSES = tuple(Status)  # what a list may be filtered by, "expired" included


@dataclass(frozen=True, slots=True)
class QuoteSummary(Numbered):
    """One row of the quote list: the latest revision of a quote."""

    number: str
    revision: int
    status: Status  # expired for signed-off/sent past valid_until
    customer: str
    currency: str
    total: Decimal
    quote_date: date
    updated_at: datetime
    products: str  # product names as shown, comma-separated
    valid_until: date
    latest: bool = True  # False for an earlier revision (list_revisions)


# A last check of sign-off's: the draft, the book it was priced with, the profile.
Confirm = Callable[[StoredRevision, PriceBook | None, ResellerProfile], None]
P = ParamSpec("P")
R = TypeVar("R")


def _guarded(
    method: Callable[Concatenate[QuoteStore, P], R],
) -> Callable[Concatenate[QuoteStore, P], R]:
    """SQLite errors leave the store as StoreErrors with a message for the user."""

    def wrapper(self: QuoteStore, /, *args: P.args, **kwargs: P.kwargs) -> R:
        with translate_errors(self.path):
            return method(self, *args, **kwargs)

    functools.update_wrapper(wrapper, method)
    return wrapper


class QuoteStore:
    """One open quote database; use one per thread (an SQLite connection is not shared)."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path

    @functools.cached_property
    def db(self) -> Database:
        """sqlite-utils over the same connection, made on first use: reads go straight to
        `conn`, so opening the window does not import sqlite-utils."""
        return wrap(self.conn)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> QuoteStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # Quotes and revisions

    @_guarded
    def add_quote(
        self, quote: Quote, priced: PricedQuote, book: PriceBook, *, today: date | None = None
    ) -> StoredRevision:
        """Save a new quote as draft revision 1 under the next number of the year (in team
        mode: of this laptop's number block, or a provisional label when it is empty)."""
        content = rows.content(quote, priced, book)
        prefix = self.profile().number_prefix
        year = (today or date.today()).year
        now = rows.now()
        with write_transaction(self.db):
            price_books.keep(self.db, book)
            numbered = team.take_number(self.conn, prefix, year)
            if numbered is not None:
                number, prefix, year, seq = numbered
            else:
                seq = self.conn.execute(
                    "SELECT coalesce(max(seq), 0) + 1 FROM quotes WHERE prefix = ? AND year = ?",
                    [prefix, year],
                ).fetchone()[0]
                number = QuoteNumber.first(prefix, year, seq).number
            quote_id = rows.insert_quote(
                self.db, number, prefix, year, seq, content, created_at=now, updated_at=now
            )
            rows.insert_revision(
                self.db, quote_id, 1, Status.DRAFT, content, created_at=now, updated_at=now
            )
        return self.get(number, 1)

    @_guarded
    def save_draft(
        self, number: str, quote: Quote, priced: PricedQuote, book: PriceBook
    ) -> StoredRevision:
        """Overwrite the latest revision while it is a draft (R-Q-2)."""
        content = rows.content(quote, priced, book)
        now = rows.now()
        with write_transaction(self.db):
            latest = self._latest(number)
            if latest["status"] != Status.DRAFT:
                raise Refused(
                    f"{_label(latest)} is signed off and cannot be edited; "
                    "revise it to make a new draft",
                    "R-Q-2",
                )
            price_books.keep(self.db, book)
            self.conn.execute(
                "UPDATE revisions SET quote_file = :quote_file, priced = :priced, "
                "price_book = :price_book, price_book_sha256 = :price_book_sha256, "
                "updated_at = :now WHERE id = :id",
                {**rows.revision_content(content), "now": now, "id": latest["id"]},
            )
            rows.update_summary(
                self.db, latest["quote_id"], latest["revision"], Status.DRAFT, now, content
            )
        return self.get(latest["number"])

    @_guarded
    def sign_off(
        self,
        number: str,
        by: str,
        approver: str | None = None,
        *,
        require_seller: bool = False,
        confirm: Confirm | None = None,
    ) -> StoredRevision:
        """Freeze the latest draft. Refused for every reason sign_off_refusals gives: an
        empty quote, pricing errors, a manual discount above the profile's approval
        threshold without another person approving it (in team mode: without a manager's
        approval of this very draft on the server, whose login is the approver), and
        (`require_seller`, the window) a profile without a company name; then by `confirm`,
        given the draft, the price book it was priced with (None when this database lacks
        it) and the profile, inside the transaction, so nothing changes between its check
        and the freeze."""
        by, approver = by.strip(), (approver or "").strip() or None
        profile = self.profile()
        with write_transaction(self.db):
            latest = self._latest(number)
            label = _label(latest)
            if latest["status"] != Status.DRAFT:
                raise Refused(f"{label} is already signed off", "R-Q-2")
            if latest["year"] == PROVISIONAL_YEAR:
                raise Refused(
                    f"{label} has a provisional label: it is signed off once a team sync has "
                    "given it a number",
                    "R-TEAM-2",
                )
            priced = json.loads(latest["priced"])
            if team.membership(self) is not None:
                approver = approvals.team_approver(
                    self, latest, json.loads(latest["quote_file"]),
                    profile.approval_threshold_pct, approver,
                )  # fmt: skip
            refusals = sign_off_refusals(
                json.loads(latest["quote_file"]), priced,
                seller=profile.company if require_seller else None,
                threshold=profile.approval_threshold_pct, by=by, approver=approver,
            )  # fmt: skip
            if refusals:
                first = refusals[0]
                raise Refused(f"{label} cannot be signed off: {first.message}", first.code)
            if confirm is not None:
                book = price_books.by_sha256(self.db, latest["price_book_sha256"])
                confirm(_stored_revision(latest, date.today()), book, profile)
            now = rows.now()
            quote_file = json.loads(latest["quote_file"])
            # The list's columns from what is signed off, not as a raw UPDATE of the draft
            # may have left them: from here on the database freezes them (schema.py).
            rows.update_summary(
                self.db, latest["quote_id"], latest["revision"], Status.DRAFT, now,
                {"quote_file": quote_file, "priced": priced},
            )  # fmt: skip
            self.conn.execute(
                "UPDATE revisions SET status = ?, signed_off_by = ?, "
                "signed_off_at = ?, approver = ? WHERE id = ?",
                [Status.SIGNED_OFF, by, now, approver, latest["id"]],
            )
            licences.record_sale(self.db, latest["number"], quote_file, priced)
            self.conn.execute(
                "UPDATE quotes SET status = ?, updated_at = ? WHERE id = ?",
                [Status.SIGNED_OFF, now, latest["quote_id"]],
            )
        return self.get(latest["number"])

    @_guarded
    def revise(self, number: str) -> StoredRevision:
        """Copy the latest (signed-off) revision to a new draft revision N+1 (R-Q-2)."""
        now = rows.now()
        with write_transaction(self.db):
            latest = self._latest(number)
            if latest["status"] == Status.DRAFT:
                raise Refused(
                    f"{_label(latest)} is still a draft: edit it instead of revising", "R-Q-2"
                )
            revision = latest["revision"] + 1
            self.conn.execute(
                "INSERT INTO revisions (quote_id, revision, status, quote_file, priced, "
                "price_book, price_book_sha256, created_at, updated_at) "
                "SELECT quote_id, ?, ?, quote_file, priced, price_book, "
                "price_book_sha256, ?, ? FROM revisions WHERE id = ?",
                [revision, Status.DRAFT, now, now, latest["id"]],
            )
            self.conn.execute(
                "UPDATE quotes SET revision = ?, status = ?, updated_at = ? WHERE id = ?",
                [revision, Status.DRAFT, now, latest["quote_id"]],
            )
        return self.get(latest["number"], revision)

    @_guarded
    def set_status(self, number: str, status: str) -> StoredRevision:
        """Record that the latest signed-off revision was sent to / accepted by the customer."""
        if status not in SET_BY_HAND:
            raise StoreError(
                f"status {status!r} cannot be set by hand (only {', '.join(SET_BY_HAND)})"
            )
        now = rows.now()
        with write_transaction(self.db):
            latest = self._latest(number)
            if latest["status"] == Status.DRAFT:
                raise Refused(
                    f"{_label(latest)} is a draft: sign it off before it is {status}", "R-Q-2"
                )
            # The trigger refuses moving backwards (accepted -> sent) with its own message.
            self.conn.execute(
                "UPDATE revisions SET status = ? WHERE id = ?", [status, latest["id"]]
            )
            self.conn.execute(
                "UPDATE quotes SET status = ?, updated_at = ? WHERE id = ?",
                [status, now, latest["quote_id"]],
            )
        return self.get(latest["number"])

    @_guarded
    def get(
        self, number: str, rev: int | None = None, *, today: date | None = None
    ) -> StoredRevision:
        """A revision (the latest by default); `number` may carry a -R suffix. Its status
        is "expired" when it is signed off or sent and `today` is past its validity."""
        base, rev = _split_number(number, rev)
        rows = list(
            self.db.query(
                "SELECT r.*, q.number FROM quotes q JOIN revisions r ON r.quote_id = q.id "
                "WHERE q.number = ? AND r.revision = coalesce(?, q.revision)",
                [base, rev],
            )
        )
        if not rows:
            what = base if rev is None else f"{base} revision {rev}"
            raise NotFound(f"no quote {what} in {self.path}")
        return _stored_revision(rows[0], today or date.today())

    @_guarded
    def revisions(self, number: str, *, today: date | None = None) -> list[StoredRevision]:
        base, _ = _split_number(number, None)
        rows = self.db.query(
            "SELECT r.*, q.number FROM quotes q JOIN revisions r ON r.quote_id = q.id "
            "WHERE q.number = ? ORDER BY r.revision",
            [base],
        )
        found = [_stored_revision(row, today or date.today()) for row in rows]
        if not found:
            raise NotFound(f"no quote {base} in {self.path}")
        return found

    @_guarded
    def list_quotes(
        self,
        search: str | None = None,
        status: str | None = None,
        customer: str | None = None,
        date_from: date | None = None,
        date_to: date | None = None,
        limit: int = 50,
        offset: int = 0,
        order_by: str = "updated",
        *,
        today: date | None = None,
    ) -> list[QuoteSummary]:
        """The latest revision of each matching quote, one page at a time."""
        if order_by not in ORDERS:
            raise StoreError(f"cannot order by {order_by!r} (use {', '.join(ORDERS)})")
        if limit < 0 or offset < 0:
            raise StoreError("limit and offset must not be negative")
        today = today or date.today()
        where, params = _filters(search, status, customer, date_from, date_to, today)
        rows = self.conn.execute(
            f"SELECT number, revision, CASE WHEN {expired_sql()} THEN '{Status.EXPIRED}' "
            f"ELSE status END, {', '.join(SUMMARY_COLUMNS)} "
            f"FROM quotes {where} ORDER BY {ORDERS[order_by]} LIMIT :limit OFFSET :offset",
            {**params, "limit": limit, "offset": offset},
        ).fetchall()
        return [_summary(r[0], r[1], r[2], r[3:11]) for r in rows]

    @_guarded
    def list_revisions(
        self,
        search: str | None = None,
        status: str | None = None,
        limit: int = 50,
        *,
        today: date | None = None,
    ) -> list[QuoteSummary]:
        """Every revision of the quotes `search` finds, newest quote first and each quote's
        latest revision before its earlier ones; `status` is that of each revision, so a
        revision signed off before its quote was revised is found as signed off."""
        if status and status not in STATUSES:
            raise StoreError(f"unknown status {status!r} (one of {', '.join(STATUSES)})")
        today = today or date.today()
        where, params = _filters(search, None, None, None, None, today)
        until = (
            "iif(r.revision = q.revision, q.valid_until, json_extract(r.priced, '$.valid_until'))"
        )
        shown = (
            f"CASE WHEN {expired_sql('r.status', until)} THEN '{Status.EXPIRED}' ELSE r.status END"
        )
        revisions = self.conn.execute(
            f"SELECT q.number, r.revision, {shown} AS shown, q.revision, "
            + "".join(f"q.{column}, " for column in SUMMARY_COLUMNS)
            # An earlier revision's summary comes from its JSON; the latest's is at hand.
            + "iif(r.revision = q.revision, NULL, r.quote_file), "
            "iif(r.revision = q.revision, NULL, r.priced), r.updated_at "
            "FROM quotes q JOIN revisions r ON r.quote_id = q.id "
            # Without a filter the rows come in the order of quotes_by_updated and only
            # each quote's revisions are sorted: the first page costs no full sort.
            + (f"WHERE q.id IN (SELECT id FROM quotes {where}) " if where else "WHERE 1 ")
            + ("AND shown = :status " if status else "")
            + "ORDER BY q.updated_at DESC, q.id DESC, r.revision DESC LIMIT :limit",
            {**params, "status": status, "limit": limit},
        ).fetchall()
        found = []
        for r in revisions:
            latest = r[1] == r[3]
            if latest:  # its summary is in the quotes row
                columns = r[4:12]
            else:
                content = {"quote_file": read_quote_json(r[12]), "priced": json.loads(r[13])}
                summary = rows.summary(content)
                columns = [r[14] if c == "updated_at" else summary[c] for c in SUMMARY_COLUMNS]
            found.append(_summary(r[0], r[1], r[2], columns, latest=latest))
        return found

    @_guarded
    def count_quotes(
        self,
        search: str | None = None,
        status: str | None = None,
        customer: str | None = None,
        date_from: date | None = None,
        date_to: date | None = None,
        *,
        today: date | None = None,
    ) -> int:
        where, params = _filters(
            search, status, customer, date_from, date_to, today or date.today()
        )
        return int(self.conn.execute(f"SELECT count(*) FROM quotes {where}", params).fetchone()[0])

    # The customer's language: the PDF language proposed for the quote's next export

    @_guarded
    def customer_language(self, number: str) -> str | None:
        base, _ = _split_number(number, None)
        row = self.conn.execute(
            "SELECT c.language FROM customer_languages c JOIN quotes q ON q.id = c.quote_id "
            "WHERE q.number = ?",
            [base],
        ).fetchone()
        return row[0] if row else None

    @_guarded
    def set_customer_language(self, number: str, language: str) -> None:
        base, _ = _split_number(number, None)
        with write_transaction(self.db):
            found = self.conn.execute("SELECT id FROM quotes WHERE number = ?", [base]).fetchone()
            if found is None:
                raise NotFound(f"no quote {base} in {self.path}")
            self.conn.execute(
                "INSERT INTO customer_languages (quote_id, language) VALUES (?, ?) "
                "ON CONFLICT (quote_id) DO UPDATE SET language = excluded.language",
                [found[0], language],
            )

    # Signed exports and their PAdES level

    @_guarded
    def record_signed_export(self, number: str, revision: int, path: Path, level: str) -> None:
        """Remember that this revision was exported signed to `path`, at `level`."""
        with write_transaction(self.db):
            signed_exports.record(self.conn, number, revision, path, level)

    @_guarded
    def set_signed_level(self, path: Path, level: str) -> bool:
        """The level of the signed export at `path` now; False when none was made there."""
        with write_transaction(self.db):
            return signed_exports.set_level(self.conn, path, level)

    @_guarded
    def signed_exports(
        self, number: str | None = None, *, waiting: bool = False
    ) -> list[SignedExport]:
        """Every signed export, or `number`'s; with `waiting`, those below B-LTA."""
        base = None if number is None else _split_number(number, None)[0]
        return signed_exports.listed(self.conn, number=base, waiting=waiting)

    # Reseller profile

    @_guarded
    def profile(self) -> ResellerProfile:
        return profiles.load(self.conn)

    @_guarded
    def save_profile(self, profile: ResellerProfile) -> None:
        with write_transaction(self.db):
            profiles.save(self.db, profile)

    # Price books

    @_guarded
    def import_price_book(self, data: bytes, source: str) -> tuple[PriceBookVersion, bool]:
        """Keep a price book as a new version; the same file twice is a no-op (created False)."""
        with write_transaction(self.db):
            return price_books.import_version(self.db, data, source)

    @_guarded
    def price_books(self) -> list[PriceBookVersion]:
        return price_books.versions(self.db)

    @_guarded
    def price_book(self, version_id: int) -> PriceBook:
        return price_books.load(self.db, version_id)

    @_guarded
    def price_book_by_sha256(self, sha256: str) -> PriceBook | None:
        """A book a quote was priced with (every one is kept); None when this database
        does not have it."""
        return price_books.by_sha256(self.db, sha256)

    @_guarded
    def active_price_book(self) -> PriceBook | None:
        """The book new quotes are priced with, as chosen in the window; None: the sample."""
        return price_books.active(self.conn)

    @_guarded
    def set_active_price_book(self, version_id: int | None) -> None:
        with write_transaction(self.db):
            price_books.set_active(self.db, version_id)

    @_guarded
    def diff_price_books(self, a_id: int, b_id: int) -> PriceBookDiff:
        return price_books.diff(self.price_book(a_id), self.price_book(b_id))

    # Whole-store operations

    @_guarded
    def export_json(self) -> dict[str, Any]:
        return transfer.export_all(self.db)

    @_guarded
    def import_json(self, data: dict[str, Any]) -> int:
        """Add the quotes of an export_json() document; returns how many were new. A number
        already here with other content refuses the whole import."""
        with write_transaction(self.db):
            return transfer.import_all(self.db, data)

    @_guarded
    def backup(self, out_path: Path, *, replace: bool = False) -> None:
        backup_database(self.db, Path(out_path), replace=replace)

    # Rows

    def _latest(self, number: str) -> dict[str, Any]:
        base, rev = _split_number(number, None)
        rows = list(
            self.db.query(
                "SELECT r.*, q.number, q.year FROM quotes q JOIN revisions r ON r.quote_id = q.id "
                "WHERE q.number = ? AND r.revision = q.revision",
                [base],
            )
        )
        if not rows:
            raise NotFound(f"no quote {base} in {self.path}")
        if rev is not None and rev != rows[0]["revision"]:
            raise Refused(
                f"{number} is not the latest revision of {base} and cannot change", "R-Q-2"
            )
        return rows[0]


def open_store(path: str | Path | None = None, *, timeout: float = DEFAULT_TIMEOUT) -> QuoteStore:
    """Open the quote database (default: `default_db_path()`, also for a `--db` left
    empty), creating or upgrading it. A corrupt, foreign or newer-version file raises
    StoreError and is left untouched."""
    path = Path(path) if path else default_db_path()
    return QuoteStore(connect(path, timeout), path)


def _stored_revision(row: dict[str, Any], today: date) -> StoredRevision:
    priced = json.loads(row["priced"])
    return StoredRevision(
        number=row["number"],
        revision=row["revision"],
        status=status_on(Status(row["status"]), priced["valid_until"], today),
        quote_file=read_quote_json(row["quote_file"]),
        priced=priced,
        price_book=row["price_book"],
        price_book_sha256=row["price_book_sha256"],
        created_at=datetime.fromisoformat(row["created_at"]),
        signed_off_by=row["signed_off_by"],
        signed_off_at=_datetime(row["signed_off_at"]),
        approver=row["approver"],
    )


# The quotes table's columns a list row is made of, in the order _summary takes them.
SUMMARY_COLUMNS = (
    "customer",
    "currency",
    "total_minor",
    "minor_digits",
    "quote_date",
    "updated_at",
    "products",
    "valid_until",
)


def _summary(
    number: str, revision: int, status: str, columns: Sequence[Any], *, latest: bool = True
) -> QuoteSummary:
    """A list row from the SUMMARY_COLUMNS values, as the quotes table stores them."""
    customer, currency, total_minor, digits, quote_date, updated_at, products, until = columns
    return QuoteSummary(
        number=number,
        revision=revision,
        status=Status(status),
        customer=customer,
        currency=currency,
        total=Decimal(total_minor).scaleb(-digits),
        quote_date=date.fromisoformat(quote_date),
        updated_at=datetime.fromisoformat(updated_at),
        products=products,
        valid_until=date.fromisoformat(until),
        latest=latest,
    )


def _datetime(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def _label(row: dict[str, Any]) -> str:
    return quote_label(row["number"], row["revision"])


def _split_number(number: str, rev: int | None) -> tuple[str, int | None]:
    """ "QD-2026-00042-R2" -> ("QD-2026-00042", 2); a rev given both ways must agree."""
    parsed = QuoteNumber.parse(number.strip())
    if parsed is None:
        raise NotFound(f"{number!r} is not a quote number (like QD-2026-00042 or QD-2026-00042-R2)")
    suffix = parsed.revision
    for asked in (suffix, rev):
        if asked is not None and not 1 <= asked < 2**63:  # beyond SQLite's INTEGER
            raise NotFound(f"no quote {parsed.number} revision {asked}")
    if suffix is not None and rev is not None and suffix != rev:
        raise StoreError(f"{number} names revision {suffix}, but revision {rev} was asked for")
    return parsed.number, rev if rev is not None else suffix


# A phrase in double quotes (its closing quote may be left off), or a word.
SEARCH_TERM = re.compile(r'"([^"]*)"?|(\w+)')


def _search_clauses(search: str) -> tuple[list[str], dict[str, str]]:
    """User text as FTS5 queries: every word must match, as the start of a word ("acm"
    finds ACME, accents folded) or, from three letters on, anywhere inside one ("ller"
    finds Müller). A phrase in double quotes ("Customer 007") must match as a phrase:
    its whole words side by side in one field (accents and case folded), not each word
    anywhere. Quoting each word or phrase keeps the rest of FTS5's syntax (AND, NEAR,
    *) out of the user's hands."""
    clauses, params = [], {}
    for i, term in enumerate(SEARCH_TERM.finditer(search)):
        phrase, word = term.group(1), term.group(2)
        if phrase is not None:
            words = re.findall(r"\w+", phrase)
            if words:  # "" or quoted punctuation finds nothing to look for
                params[f"phrase{i}"] = '"' + " ".join(words) + '"'
                clauses.append(
                    f"id IN (SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH :phrase{i})"
                )
            continue
        params[f"word{i}"] = f'"{word}"*'
        clause = f"id IN (SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH :word{i})"
        if len(word) >= 3:  # a trigram index finds nothing shorter
            params[f"part{i}"] = f'"{word}"'
            clause += (
                f" OR id IN (SELECT rowid FROM quotes_trigram WHERE quotes_trigram MATCH :part{i})"
            )
        clauses.append(f"({clause})")
    return clauses, params


def _filters(
    search: str | None,
    status: str | None,
    customer: str | None,
    date_from: date | None,
    date_to: date | None,
    today: date,
) -> tuple[str, dict[str, Any]]:
    clauses: list[str] = []
    params: dict[str, Any] = {"today": today.isoformat()}
    if search:
        words, queries = _search_clauses(search)
        clauses += words
        params.update(queries)
    if status:
        if status not in STATUSES:
            raise StoreError(f"unknown status {status!r} (one of {', '.join(STATUSES)})")
        if status == Status.EXPIRED:
            clauses.append(expired_sql())
        elif status in EXPIRING:
            clauses.append(f"status = :status AND {still_valid_sql()}")
        else:
            clauses.append("status = :status")
        params["status"] = status
    if customer:
        clauses.append("customer = :customer COLLATE NOCASE")
        params["customer"] = customer
    if date_from:
        clauses.append("quote_date >= :date_from")
        params["date_from"] = date_from.isoformat()
    if date_to:
        clauses.append("quote_date <= :date_to")
        params["date_to"] = date_to.isoformat()
    return ("WHERE " + " AND ".join(clauses) if clauses else ""), params
