"""Numbered migrations: a file made by any earlier schema upgrades in place, keeps its
data and ends up with exactly the schema of a new file."""

from __future__ import annotations

import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
from sqlite_utils import Database

from quotedesk.store import StoreError, open_store
from quotedesk.store import rows as store_rows
from quotedesk.store.schema import APPLICATION_ID, MIGRATION_NAMES, SCHEMA_VERSION, migrations

from .conftest import sha256_of


def _database_at(path: Path, version: int) -> Database:
    """A file as the Quote Desk with only the first `version` migrations made it."""
    db = Database(path, strict=True)
    db.execute("PRAGMA journal_mode = WAL")
    if version < len(MIGRATION_NAMES):
        migrations().apply(db, stop_before=MIGRATION_NAMES[version])
    else:
        migrations().apply(db)
    return db


def _schema(path: Path) -> set[tuple[str, str]]:
    with sqlite3.connect(path) as raw:
        return set(
            raw.execute(
                "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL "
                "AND name != '_sqlite_migrations'"
            ).fetchall()
        )


@pytest.mark.parametrize("version", range(1, len(MIGRATION_NAMES)))
def test_file_from_every_past_version_upgrades_to_the_current_schema(tmp_path, version):
    _database_at(tmp_path / "old.db", version).close()
    open_store(tmp_path / "old.db").close()
    open_store(tmp_path / "new.db").close()
    assert _schema(tmp_path / "old.db") == _schema(tmp_path / "new.db")
    with sqlite3.connect(tmp_path / "old.db") as raw:
        assert raw.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
        assert raw.execute("PRAGMA application_id").fetchone() == (APPLICATION_ID,)


def test_version_1_file_upgrades_in_place_keeping_its_quotes(tmp_path, make_quote):
    path = tmp_path / "v1.db"
    db = _database_at(path, 1)
    quote, priced, book = make_quote("Umbrella Corp", notes="renewal in March")
    content = store_rows.content(quote, priced, book)
    with db.atomic():
        quote_id = store_rows.insert_quote(
            db, "QD-2025-00007", "QD", 2025, 7, content, created_at="2025-02-01T10:00:00+00:00",
            updated_at="2025-02-01T10:00:00+00:00", status="signed_off",
        )  # fmt: skip
        store_rows.insert_revision(
            db, quote_id, 1, "signed_off", content, created_at="2025-02-01T10:00:00+00:00",
            updated_at="2025-02-01T10:00:00+00:00", signed_off_by="Ana",
            signed_off_at="2025-02-01T11:00:00+00:00",
        )  # fmt: skip
    db.close()

    with open_store(path) as store:
        stored = store.get("QD-2025-00007")
        assert (stored.status, stored.signed_off_by) == ("signed_off", "Ana")
        assert stored.priced == priced.to_dict()
        # version 2 indexed the quotes that were already there
        assert [q.number for q in store.list_quotes(search="umbrella")] == ["QD-2025-00007"]
        assert [q.number for q in store.list_quotes(search="march")] == ["QD-2025-00007"]
        assert store.profile().number_prefix == "QD"
        assert store.add_quote(quote, priced, book).number.startswith("QD-")
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_file_from_a_newer_quote_desk_is_refused_and_left_unchanged(db_path):
    open_store(db_path).close()
    with sqlite3.connect(db_path) as raw:
        raw.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
            "VALUES ('quotedesk', '0003_from_the_future', '2030-01-01')"
        )
    raw.close()
    before = sha256_of(db_path)
    with pytest.raises(StoreError, match=r"newer Quote Desk .*0003_from_the_future"):
        open_store(db_path)
    assert sha256_of(db_path) == before


def test_opening_a_current_file_applies_nothing(db_path):
    open_store(db_path).close()
    with sqlite3.connect(db_path) as raw:
        applied = raw.execute("SELECT name FROM _sqlite_migrations ORDER BY id").fetchall()
    open_store(db_path).close()
    with sqlite3.connect(db_path) as raw:
        again = raw.execute("SELECT name FROM _sqlite_migrations ORDER BY id").fetchall()
    assert applied == again == [(name,) for name in MIGRATION_NAMES]


@pytest.mark.parametrize("version", range(1, 5))
def test_migration_5_indexes_existing_quotes_for_parts_of_words(tmp_path, make_quote, version):
    """A file from any version before 5 keeps its quotes findable by a part of a word
    and gets the customer-language table, empty."""
    path = tmp_path / "old.db"
    db = _database_at(path, version)
    content = store_rows.content(*make_quote("Müller AG", notes="renewal in March"))
    with db.atomic():
        quote_id = store_rows.insert_quote(
            db, "QD-2025-00007", "QD", 2025, 7, content,
            created_at="2025-02-01T10:00:00+00:00", updated_at="2025-02-01T10:00:00+00:00",
        )  # fmt: skip
        store_rows.insert_revision(
            db, quote_id, 1, "draft", content,
            created_at="2025-02-01T10:00:00+00:00", updated_at="2025-02-01T10:00:00+00:00",
        )  # fmt: skip
    db.close()
    with open_store(path) as store:
        for part in ("ller", "Mül", "müller", "newa", "2025-00007"):
            assert [q.number for q in store.list_quotes(search=part)] == ["QD-2025-00007"], part
        assert store.customer_language("QD-2025-00007") is None
        store.set_customer_language("QD-2025-00007", "ja")
        assert store.customer_language("QD-2025-00007") == "ja"


def test_migration_7_gives_a_file_from_version_6_the_raw_sql_guards(tmp_path, make_quote):
    """A version 6 file let a plain sqlite3 session forge a signed-off quote's list row and
    replace it through its rowid; once Quote Desk has opened it, both are refused."""
    path = tmp_path / "v6.db"
    db = _database_at(path, 6)
    stamp = "2025-02-01T10:00:00+00:00"
    with db.atomic():
        for seq, customer, status in ((7, "Umbrella Corp", "signed_off"), (8, "Draft", "draft")):
            content = store_rows.content(*make_quote(customer))
            quote_id = store_rows.insert_quote(
                db, f"QD-2025-0000{seq}", "QD", 2025, seq, content, created_at=stamp,
                updated_at=stamp, status=status,
            )  # fmt: skip
            signed = status == "signed_off"
            store_rows.insert_revision(
                db, quote_id, 1, status, content, created_at=stamp, updated_at=stamp,
                signed_off_by="Ana" if signed else None, signed_off_at=stamp if signed else None,
            )  # fmt: skip
    db.close()
    attacks = (
        "UPDATE quotes SET customer = 'EVIL CORP', total_minor = 100 WHERE seq = 7",
        "UPDATE OR REPLACE quotes SET rowid = (SELECT id FROM quotes WHERE seq = 7) WHERE seq = 8",
    )
    raw = sqlite3.connect(path, isolation_level=None)
    for sql in attacks:
        raw.execute("BEGIN")
        raw.execute(sql)  # the version 6 schema lets it through
        raw.execute("ROLLBACK")
    raw.close()

    open_store(path).close()
    raw = sqlite3.connect(path, isolation_level=None)
    for sql in attacks:
        with pytest.raises(sqlite3.IntegrityError, match=r"^R-Q-2: "):
            raw.execute(sql)
    assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    raw.close()
    with open_store(path) as store:
        [listed] = store.list_quotes(search="umbrella")
        assert (listed.number, listed.status, listed.customer, listed.total) == (
            "QD-2025-00007", "signed_off", "Umbrella Corp", Decimal("8000.00"),
        )  # fmt: skip
        assert store.get("QD-2025-00007").signed_off_by == "Ana"
