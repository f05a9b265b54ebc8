"""A file that is not a healthy Quote Desk database is refused with a clear message and
left byte-for-byte as it was."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from quotedesk.store import StoreError, default_db_path, open_store

from .conftest import sha256_of


def _refused(path: Path, match: str) -> None:
    before = sha256_of(path)
    with pytest.raises(StoreError, match=match):
        open_store(path)
    assert sha256_of(path) == before
    assert not path.with_name(path.name + "-wal").exists()


def test_random_bytes_are_refused_and_left_unchanged(db_path):
    db_path.write_bytes(os.urandom(8192))
    _refused(db_path, "not a quote database")


def test_text_file_is_refused_and_left_unchanged(db_path):
    db_path.write_text("Dear customer,\nplease find our quote attached.\n")
    _refused(db_path, "not an SQLite file")


def test_truncated_database_is_refused_and_left_unchanged(db_path, make_quote):
    with open_store(db_path) as store:
        for n in range(40):
            store.add_quote(*make_quote(f"Customer {n}", notes="x" * 2000))
    size = db_path.stat().st_size
    with db_path.open("r+b") as f:
        f.truncate(size // 2)
    _refused(db_path, r"damaged or not a quote database \(database disk image is malformed\)")


def test_database_with_damaged_pages_is_refused_and_left_unchanged(db_path, make_quote):
    with open_store(db_path) as store:
        store.add_quote(*make_quote())
    data = bytearray(db_path.read_bytes())
    data[100:4096] = os.urandom(3996)  # the schema page, after the header
    db_path.write_bytes(bytes(data))
    _refused(db_path, "damaged or not a quote database")


def test_another_programs_sqlite_file_is_refused_and_left_unchanged(db_path):
    with sqlite3.connect(db_path) as raw:
        raw.execute("CREATE TABLE contacts (name TEXT)")
        raw.execute("INSERT INTO contacts VALUES ('Ana')")
    raw.close()
    _refused(db_path, r"belongs to another program \(tables: contacts\)")


def test_directory_is_refused(tmp_path):
    with pytest.raises(StoreError, match="is a directory"):
        open_store(tmp_path)


def test_empty_file_becomes_a_new_database(db_path, make_quote):
    db_path.write_bytes(b"")
    with open_store(db_path) as store:
        assert store.add_quote(*make_quote()).number.startswith("QD-")


def test_missing_folders_are_created(tmp_path, make_quote):
    with open_store(tmp_path / "a" / "b" / "quotes.db") as store:
        assert store.count_quotes() == 0


def test_default_path_is_quotedesk_db_or_the_user_data_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("QUOTEDESK_DB", str(tmp_path / "env.db"))
    assert default_db_path() == tmp_path / "env.db"
    monkeypatch.delenv("QUOTEDESK_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert default_db_path() == tmp_path / "data" / "quotedesk" / "quotes.db"
    monkeypatch.setenv("QUOTEDESK_DB", str(tmp_path / "env.db"))
    with open_store() as store:
        assert store.path == tmp_path / "env.db"
