"""R-Q-2 is enforced by triggers in the database: these tests bypass the store and use a
plain sqlite3 connection, as any other tool on the machine could."""

from __future__ import annotations

import sqlite3

import pytest


@pytest.fixture
def signed_off(store, make_quote, db_path):
    """A database with one signed-off quote (revision 1) and its draft revision 2."""
    number = store.add_quote(*make_quote()).number
    store.sign_off(number, by="Ana")
    store.revise(number)
    raw = sqlite3.connect(db_path, isolation_level=None)
    yield raw
    raw.close()


def _refused(raw: sqlite3.Connection, sql: str) -> str:
    with pytest.raises(sqlite3.IntegrityError) as refused:
        raw.execute(sql)
    return str(refused.value)


CONTENT_CHANGES = [
    "quote_file = json_set(quote_file, '$.customer.name', 'Tampered')",
    "priced = json_set(priced, '$.total', '0.01')",
    "price_book = 'other.csv'",
    "price_book_sha256 = 'x'",
    "created_at = '2020-01-01'",
    "updated_at = '2020-01-01'",
    "signed_off_by = 'Mallory'",
    "signed_off_at = '2020-01-01'",
    "approver = 'Mallory'",
]


@pytest.mark.parametrize("assignment", CONTENT_CHANGES)
def test_signed_off_revision_refuses_update_through_raw_sql(signed_off, assignment):
    message = _refused(signed_off, f"UPDATE revisions SET {assignment} WHERE revision = 1")
    assert message == "R-Q-2: a signed-off revision cannot be changed; revise it"


def test_every_column_of_a_revision_is_frozen_or_guarded(signed_off):
    """A column added by a later migration must be added to the trigger (and above)."""
    columns = {row[1] for row in signed_off.execute("PRAGMA table_info(revisions)")}
    frozen = {change.split(" =")[0] for change in CONTENT_CHANGES}
    assert columns == frozen | {"id", "quote_id", "revision", "status"}


def test_signed_off_revision_refuses_delete_through_raw_sql(signed_off):
    message = _refused(signed_off, "DELETE FROM revisions WHERE revision = 1")
    assert message == "R-Q-2: a signed-off revision cannot be deleted"
    assert signed_off.execute("SELECT count(*) FROM revisions").fetchone() == (2,)


def test_quote_with_signed_off_revision_refuses_delete_through_raw_sql(signed_off):
    message = _refused(signed_off, "DELETE FROM quotes")
    assert message == "R-Q-2: a quote with a signed-off revision cannot be deleted"


def test_signed_off_revision_cannot_be_replaced_by_insert_or_replace(signed_off):
    message = _refused(
        signed_off,
        "INSERT OR REPLACE INTO revisions (id, quote_id, revision, status, quote_file, priced, "
        "price_book, price_book_sha256, created_at, updated_at) "
        "SELECT id, quote_id, revision, 'draft', '{}', '{}', 'x', 'x', 'x', 'x' "
        "FROM revisions WHERE revision = 1",
    )
    assert message == "R-Q-2: a signed-off revision cannot be replaced"


def test_revision_keeps_its_number_so_it_cannot_take_a_signed_off_ones_place(signed_off):
    message = _refused(
        signed_off, "UPDATE OR REPLACE revisions SET revision = 1 WHERE revision = 2"
    )
    assert message == "R-Q-2: a revision keeps its quote and number"


def test_signed_off_status_may_advance_to_sent_and_accepted_through_raw_sql(signed_off):
    signed_off.execute("UPDATE revisions SET status = 'sent' WHERE revision = 1")
    signed_off.execute("UPDATE revisions SET status = 'accepted' WHERE revision = 1")
    assert signed_off.execute("SELECT status FROM revisions WHERE revision = 1").fetchone() == (
        "accepted",
    )


@pytest.mark.parametrize("status", ["draft", "expired", "nonsense"])
def test_signed_off_status_cannot_go_back_or_leave_the_list(signed_off, status):
    with pytest.raises(sqlite3.IntegrityError):
        signed_off.execute(f"UPDATE revisions SET status = '{status}' WHERE revision = 1")


def test_status_change_cannot_smuggle_a_content_change(signed_off):
    message = _refused(
        signed_off,
        "UPDATE revisions SET status = 'sent', priced = json_set(priced, '$.total', '1') "
        "WHERE revision = 1",
    )
    assert message.startswith("R-Q-2")


def test_draft_cannot_jump_to_sent_without_sign_off(signed_off):
    message = _refused(signed_off, "UPDATE revisions SET status = 'sent' WHERE revision = 2")
    assert "only moves forward" in message


def test_draft_revision_stays_editable_through_raw_sql(signed_off):
    signed_off.execute(
        "UPDATE revisions SET quote_file = json_set(quote_file, '$.notes', 'call back') "
        "WHERE revision = 2"
    )
    signed_off.execute("DELETE FROM revisions WHERE revision = 2")
    assert signed_off.execute("SELECT count(*) FROM revisions").fetchone() == (1,)


def test_signed_off_row_without_signer_is_refused_by_check_constraint(signed_off):
    with pytest.raises(sqlite3.IntegrityError, match="CHECK constraint"):
        signed_off.execute("UPDATE revisions SET status = 'signed_off' WHERE revision = 2")


def test_price_book_version_is_never_overwritten(store, db_path):
    store.import_price_book(_csv(), "a.csv")
    with sqlite3.connect(db_path) as raw, pytest.raises(sqlite3.IntegrityError, match="never"):
        raw.execute("UPDATE price_books SET csv = x'00'")


def _csv() -> bytes:
    return (
        b"product,name,deployment,edition,billing,unit,tier_max,price_kind,currency,price,"
        b"effective_from\njira,Jira,datacenter,,annual,users,500,flat,USD,100.00,2026-01-01\n"
    )
