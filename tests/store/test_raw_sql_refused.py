"""R-Q-2 against any SQLite session. The app makes the file and closes it; each attack then
runs through a plain sqlite3 connection that has set no PRAGMA, as the sqlite3 shell would:
recursive_triggers is off, so a REPLACE deletes the row it collides with without firing
DELETE triggers. The database must refuse, and the app must find the quote as it was."""

from __future__ import annotations

import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest

from quotedesk.store import open_store

from .conftest import TODAY

SIGNED = "QD-2026-00001"  # ACME Ltda, USD 8000.00 (50 users in the 100-user tier), signed off
DRAFT = "QD-2026-00002"  # Draft Co, a draft
S_ID = f"(SELECT id FROM quotes WHERE number = '{SIGNED}')"
D_ID = f"(SELECT id FROM quotes WHERE number = '{DRAFT}')"
S_REV_ID = f"(SELECT id FROM revisions WHERE quote_id = {S_ID})"

QUOTE_COLUMNS = (
    "id", "number", "prefix", "year", "seq", "created_at", "revision", "status", "customer",
    "currency", "total_minor", "minor_digits", "quote_date", "valid_until", "products",
    "notes", "updated_at",
)  # fmt: skip
REVISION_COLUMNS = (
    "id", "quote_id", "revision", "status", "quote_file", "priced", "price_book",
    "price_book_sha256", "created_at", "updated_at", "signed_off_by", "signed_off_at",
    "approver",
)  # fmt: skip


def _copy(table: str, columns: tuple[str, ...], where: str, verb: str, **changed: str) -> str:
    """`verb` INTO `table` a copy of the row `where` picks, with some columns `changed`."""
    values = ", ".join(changed.get(c, c) for c in columns)
    return f"{verb} INTO {table} ({', '.join(columns)}) SELECT {values} FROM {table} WHERE {where}"


def _quote_copy(verb: str = "INSERT OR REPLACE", **changed: str) -> str:
    return _copy("quotes", QUOTE_COLUMNS, f"number = '{SIGNED}'", verb, **changed)


def _revision_copy(verb: str = "INSERT OR REPLACE", **changed: str) -> str:
    return _copy("revisions", REVISION_COLUMNS, f"quote_id = {S_ID}", verb, **changed)


FROZEN = "R-Q-2: a signed-off quote cannot be changed; revise it"
NUMBER = "R-Q-2: a quote keeps its id and number"
STATUS = "R-Q-2: a quote has the status of its latest revision"
QUOTE_REPLACED = "R-Q-2: a signed-off quote cannot be replaced"
QUOTE_DELETED = "R-Q-2: a quote with a signed-off revision cannot be deleted"
REVISION_FROZEN = "R-Q-2: a signed-off revision cannot be changed; revise it"
REVISION_KEY = "R-Q-2: a revision keeps its quote and number"
REVISION_REPLACED = "R-Q-2: a signed-off revision cannot be replaced"
BOOK_KEPT = "a price-book version is never overwritten; import a new one"


def _on_signed(assignment: str, table: str = "quotes") -> str:
    where = f"number = '{SIGNED}'" if table == "quotes" else f"quote_id = {S_ID}"
    return f"UPDATE {table} SET {assignment} WHERE {where}"


# One change per column of the signed-off quotes row and revision row.
LIST_COLUMNS = {
    "customer": "'EVIL CORP'",
    "currency": "'EUR'",
    "total_minor": "100",
    "minor_digits": "0",
    "quote_date": "'2020-01-01'",
    "valid_until": "'2099-12-31'",
    "products": "'Nothing'",
    "notes": "'forged'",
}
KEY_COLUMNS = {
    "id": "99",
    "rowid": "99",  # "UPDATE OF id" triggers do not fire for the rowid alias
    "number": "'QD-2026-09999'",
    "prefix": "'XX'",
    "year": "2001",
    "seq": "9999",
    "created_at": "'2020-01-01'",
}
REVISION_CONTENT = {
    "quote_file": "json_set(quote_file, '$.customer.name', 'EVIL CORP')",
    "priced": "json_set(priced, '$.total', '1.00')",
    "price_book": "'other.csv'",
    "price_book_sha256": "'x'",
    "created_at": "'2020-01-01'",
    "updated_at": "'2020-01-01'",
    "signed_off_by": "'Mallory'",
    "signed_off_at": "'2020-01-01'",
    "approver": "'Mallory'",
}
REVISION_KEYS = {"id": "99", "rowid": "99", "quote_id": D_ID, "revision": "2"}

ATTACKS = [
    pytest.param(
        _on_signed("customer = 'EVIL CORP', total_minor = 100"), FROZEN, id="forged-list-row"
    ),
    *(pytest.param(_on_signed(f"{c} = {v}"), FROZEN, id=c) for c, v in LIST_COLUMNS.items()),
    *(pytest.param(_on_signed(f"{c} = {v}"), NUMBER, id=c) for c, v in KEY_COLUMNS.items()),
    pytest.param(_on_signed("status = 'draft'"), STATUS, id="status-back-to-draft"),
    pytest.param(_on_signed("status = 'accepted'"), STATUS, id="status-not-its-revisions"),
    pytest.param(_on_signed("revision = 2, status = 'draft'"), STATUS, id="point-at-no-revision"),
    # A REPLACE colliding with the signed-off row's unique keys would delete it unseen.
    pytest.param(
        f"UPDATE OR REPLACE quotes SET number = '{SIGNED}' WHERE number = '{DRAFT}'",
        NUMBER,
        id="update-or-replace-number",
    ),
    *(
        pytest.param(
            f"UPDATE OR REPLACE quotes SET {key} = {S_ID} WHERE number = '{DRAFT}'",
            NUMBER,
            id=f"update-or-replace-{key}",
        )
        for key in ("id", "rowid", "oid")
    ),
    pytest.param(
        f"UPDATE OR REPLACE quotes SET seq = 1 WHERE number = '{DRAFT}'",
        NUMBER,
        id="update-or-replace-prefix-year-seq",
    ),
    pytest.param(_quote_copy(customer="'EVIL CORP'"), QUOTE_REPLACED, id="replace-same-id"),
    pytest.param(
        _quote_copy("REPLACE", id="NULL", customer="'EVIL CORP'"),
        QUOTE_REPLACED,
        id="replace-same-number",
    ),
    pytest.param(
        _quote_copy(id="NULL", number="'QD-2026-09999'"),
        QUOTE_REPLACED,
        id="replace-same-prefix-year-seq",
    ),
    pytest.param(
        _quote_copy("INSERT", id="NULL") + " ON CONFLICT (number) DO UPDATE SET customer = 'EVIL'",
        QUOTE_REPLACED,
        id="upsert-quote",
    ),
    pytest.param(f"DELETE FROM quotes WHERE number = '{SIGNED}'", QUOTE_DELETED, id="delete"),
    # The same family on the revision.
    *(
        pytest.param(_on_signed(f"{c} = {v}", "revisions"), REVISION_FROZEN, id=f"revision-{c}")
        for c, v in REVISION_CONTENT.items()
    ),
    *(
        pytest.param(_on_signed(f"{c} = {v}", "revisions"), REVISION_KEY, id=f"revision-{c}")
        for c, v in REVISION_KEYS.items()
    ),
    pytest.param(
        _on_signed("status = 'draft'", "revisions"),
        "R-Q-2: a status only moves forward: draft, signed_off, sent, accepted",
        id="revision-status-back-to-draft",
    ),
    *(
        pytest.param(
            f"UPDATE OR REPLACE revisions SET {key} = {S_REV_ID} WHERE quote_id = {D_ID}",
            REVISION_KEY,
            id=f"update-or-replace-revision-{key}",
        )
        for key in ("id", "rowid")
    ),
    pytest.param(
        f"UPDATE OR REPLACE revisions SET quote_id = {S_ID} WHERE quote_id = {D_ID}",
        REVISION_KEY,
        id="update-or-replace-revision-quote-id",
    ),
    pytest.param(
        _revision_copy(status="'draft'", signed_off_by="NULL", signed_off_at="NULL"),
        REVISION_REPLACED,
        id="replace-revision-same-id",
    ),
    pytest.param(
        _revision_copy(id="NULL", priced="json_set(priced, '$.total', '1.00')"),
        REVISION_REPLACED,
        id="replace-revision-same-quote-and-revision",
    ),
    pytest.param(
        _revision_copy("INSERT", id="NULL")
        + " ON CONFLICT (quote_id, revision) DO UPDATE SET approver = 'Mallory'",
        REVISION_REPLACED,
        id="upsert-revision",
    ),
    pytest.param(
        f"DELETE FROM revisions WHERE quote_id = {S_ID}",
        "R-Q-2: a signed-off revision cannot be deleted",
        id="delete-revision",
    ),
    # The copy of the price book the signed-off revision was priced with.
    pytest.param("UPDATE price_books SET csv = x'00'", BOOK_KEPT, id="book-update"),
    pytest.param(
        "INSERT OR REPLACE INTO price_books (sha256, source, label, imported_at, row_count, csv) "
        "SELECT sha256, source, label, imported_at, row_count, x'00' FROM price_books",
        BOOK_KEPT,
        id="book-replace",
    ),
    pytest.param(
        "DELETE FROM price_books",
        "R-Q-2: a price book a signed-off revision was priced with cannot be deleted",
        id="book-delete",
    ),
]


@pytest.fixture
def before(db_path, make_quote):
    """The file as the app leaves it: SIGNED signed off, DRAFT a draft; closed. Returns
    what the app showed of SIGNED."""
    with open_store(db_path) as store:
        store.add_quote(*make_quote("ACME Ltda"), today=TODAY)
        store.sign_off(SIGNED, by="Ana Lima")
        store.add_quote(*make_quote("Draft Co"), today=TODAY)
        return _shown(store)


def _shown(store):
    listed = [q for q in store.list_quotes(today=TODAY) if q.number == SIGNED]
    return store.get(SIGNED, 1, today=TODAY), listed, store.price_books()


def _raw(path: Path, *statements: str) -> None:
    """Statements through a connection that has run no PRAGMA (autocommit, as the shell)."""
    raw = sqlite3.connect(path, isolation_level=None)
    try:
        for sql in statements:
            raw.execute(sql)
    finally:
        raw.close()


def _assert_signed_off_quote_intact(path: Path, before) -> None:
    with open_store(path) as store:
        revision, listed, books = after = _shown(store)
        assert after == before
        assert (revision.signed_off_by, revision.priced["total"]) == ("Ana Lima", "8000.00")
        assert revision.quote_file["customer"]["name"] == "ACME Ltda"
        [row] = listed
        assert (row.label, row.status, row.customer, row.currency, row.total) == (
            SIGNED, "signed_off", "ACME Ltda", "USD", Decimal("8000.00"),
        )  # fmt: skip
        assert store.get(SIGNED, today=TODAY) == revision  # still the latest
        assert [q.number for q in store.list_quotes(search="acme")] == [SIGNED]
        assert store.list_quotes(search="evil") == []
        assert store.price_book(books[0].id).sha256 == revision.price_book_sha256
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert raw.execute("PRAGMA recursive_triggers").fetchone() == (0,)
    raw.close()


@pytest.mark.parametrize(("sql", "message"), ATTACKS)
def test_raw_sql_cannot_change_replace_or_delete_a_signed_off_quote(before, db_path, sql, message):
    with pytest.raises(sqlite3.IntegrityError) as refused:
        _raw(db_path, sql)
    assert str(refused.value) == message
    _assert_signed_off_quote_intact(db_path, before)


def test_every_column_of_a_quote_row_and_revision_row_is_attacked_above(db_path, before):
    """A column added by a later migration must be guarded by a trigger and attacked here.
    updated_at alone stays free on a quote: it is the time of the last change, and marking
    it sent or accepted is one. The statuses and the latest revision are attacked by name."""
    with sqlite3.connect(db_path) as raw:
        columns = {row[1] for row in raw.execute("PRAGMA table_info(quotes)")}
        revision_columns = {row[1] for row in raw.execute("PRAGMA table_info(revisions)")}
    raw.close()
    assert columns == {*LIST_COLUMNS, *KEY_COLUMNS, "revision", "status", "updated_at"} - {"rowid"}
    assert revision_columns == {*REVISION_CONTENT, *REVISION_KEYS, "status"} - {"rowid"}


def test_a_forged_signed_off_revision_cannot_become_the_latest(before, db_path):
    """The database cannot tell a forged sign-off from a real one, so a new revision can be
    added; the quote cannot be pointed at it: it only moves on to a new draft."""
    _raw(db_path, _revision_copy("INSERT", id="NULL", revision="2", approver="'Mallory'"))
    with pytest.raises(sqlite3.IntegrityError) as refused:
        _raw(db_path, _on_signed("revision = 2"))
    assert str(refused.value) == (
        "R-Q-2: a quote only moves on to its next revision, a new draft (revise)"
    )
    _assert_signed_off_quote_intact(db_path, before)


def test_a_revised_quote_cannot_point_back_at_its_signed_off_revision(before, db_path):
    with open_store(db_path) as store:
        store.revise(SIGNED)
    _raw(db_path, _on_signed("customer = 'EVIL CORP'"))  # the latest is a draft now
    with pytest.raises(sqlite3.IntegrityError) as refused:
        _raw(db_path, _on_signed("revision = 1, status = 'signed_off'"))
    assert str(refused.value) == (
        "R-Q-2: a quote only moves on to its next revision, a new draft (revise)"
    )
    with open_store(db_path) as store:
        assert store.get(SIGNED, 1, today=TODAY) == before[0]
        assert [(q.label, q.status) for q in store.list_quotes(search="evil")] == [
            (f"{SIGNED}-R2", "draft")
        ]


def test_sign_off_lists_what_it_signs_not_a_draft_row_edited_by_raw_sql(before, db_path):
    _raw(
        db_path,
        f"UPDATE quotes SET customer = 'EVIL CORP', total_minor = 100 WHERE number = '{DRAFT}'",
    )
    with open_store(db_path) as store:
        store.sign_off(DRAFT, by="Ana Lima")
        [row] = [q for q in store.list_quotes(today=TODAY) if q.number == DRAFT]
        assert (row.status, row.customer, row.total) == (
            "signed_off", "Draft Co", Decimal("8000.00"),
        )  # fmt: skip
        assert store.list_quotes(search="evil") == []


def test_a_draft_stays_editable_and_deletable_through_raw_sql(before, db_path):
    _raw(
        db_path,
        f"UPDATE quotes SET customer = 'Draft Co Ltda', notes = 'call back' "
        f"WHERE number = '{DRAFT}'",
        f"DELETE FROM revisions WHERE quote_id = {D_ID}",
        f"DELETE FROM quotes WHERE number = '{DRAFT}'",
    )
    _assert_signed_off_quote_intact(db_path, before)


def test_the_app_still_sends_accepts_revises_edits_and_signs_off_again(before, db_path, make_quote):
    with open_store(db_path) as store:
        store.set_status(SIGNED, "sent")
        store.set_customer_language(SIGNED, "ja")
        store.set_status(SIGNED, "accepted")
        store.revise(SIGNED)
        workshop = make_quote("ACME Ltda", lines=[{"custom": "Workshop", "unit_price": "1500.50"}])
        store.save_draft(SIGNED, *workshop)
        store.sign_off(SIGNED, by="Rui Costa")
        listed = [
            (q.label, q.status, q.customer, q.total) for q in store.list_revisions(today=TODAY)
        ]
        assert listed[:2] == [
            (f"{SIGNED}-R2", "signed_off", "ACME Ltda", Decimal("1500.50")),
            (SIGNED, "accepted", "ACME Ltda", Decimal("8000.00")),
        ]
        assert store.get(SIGNED, 1, today=TODAY).priced == before[0].priced
        assert store.customer_language(SIGNED) == "ja"
