"""Crashes, a second instance and backups: no finished save is ever lost, no file damaged."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from quotedesk.store import DatabaseBusy, StoreError, open_store, restore_backup

from .conftest import sha256_of

# A second Quote Desk: saves quotes in a loop and prints each number once committed.
WRITER = """
import sys
from datetime import date
from pathlib import Path
from quotedesk.core import load_price_book, load_rules, parse_quote, price
from quotedesk.store import open_store

book = load_price_book(Path(sys.argv[2]))
quote = parse_quote({"schema": 1, "quote_date": "2026-11-20", "notes": "n" * 20000,
    "customer": {"name": sys.argv[3], "country": "BR"},
    "lines": [{"product": "jira", "deployment": "cloud", "edition": "standard",
               "billing": "annual", "users": 50}]})
priced = price(quote, book, load_rules(), date(2026, 11, 23))
store = open_store(Path(sys.argv[1]))
for n in range(int(sys.argv[4])):
    number = store.add_quote(quote, priced, book).number
    store.sign_off(number, by="Ana")
    print(number, flush=True)
"""
BOOK = Path(__file__).parents[1] / "fixtures" / "test_book.csv"


def _writer(db_path: Path, customer: str, count: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db_path), str(BOOK), customer, str(count)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_writer_killed_mid_save_leaves_an_intact_file_with_every_finished_save(db_path):
    writer = _writer(db_path, "ACME Ltda", 100_000)
    assert writer.stdout is not None
    reported = [writer.stdout.readline().strip() for _ in range(25)]
    os.kill(writer.pid, signal.SIGKILL)
    reported += writer.stdout.read().split()
    writer.wait()
    assert writer.returncode == -signal.SIGKILL

    with sqlite3.connect(db_path) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        signed = {
            r[0] for r in raw.execute("SELECT number FROM quotes WHERE status = 'signed_off'")
        }
    raw.close()
    assert set(reported) <= signed
    with open_store(db_path) as store:
        assert store.get(reported[-1]).status == "signed_off"
        assert store.count_quotes() >= len(reported)


def test_two_instances_saving_at_once_lose_nothing(db_path):
    open_store(db_path).close()  # both writers find the schema in place
    writers = [_writer(db_path, name, 40) for name in ("Globex", "Initech")]
    outputs = [w.communicate(timeout=120) for w in writers]
    assert [w.returncode for w in writers] == [0, 0], [err for _, err in outputs]
    numbers = [n for out, _ in outputs for n in out.split()]
    assert len(numbers) == len(set(numbers)) == 80
    with open_store(db_path) as store:
        assert store.count_quotes() == 80
        assert store.count_quotes(search="globex") == store.count_quotes(search="initech") == 40


def test_locked_database_gives_a_clear_busy_message(db_path, make_quote):
    open_store(db_path).close()
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another instance in the middle of a save
    try:
        with open_store(db_path, timeout=0.2) as store:
            with pytest.raises(DatabaseBusy, match="database is busy"):
                store.add_quote(*make_quote())
            other.execute("COMMIT")
            assert store.add_quote(*make_quote()).revision == 1
    finally:
        other.close()


def test_backup_is_one_self_contained_healthy_file(store, make_quote, tmp_path):
    numbers = [store.add_quote(*make_quote(f"Customer {n}")).number for n in range(3)]
    store.sign_off(numbers[0], by="Ana")
    out = tmp_path / "backup.db"
    store.backup(out)
    assert not out.with_name("backup.db-wal").exists()
    with sqlite3.connect(out) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert raw.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    with open_store(out) as copy:
        assert sorted(q.number for q in copy.list_quotes()) == numbers
        assert copy.get(numbers[0]).signed_off_by == "Ana"


def test_backup_onto_the_database_itself_or_into_a_missing_folder_is_refused(
    store, db_path, tmp_path
):
    before = sha256_of(db_path)
    with pytest.raises(StoreError, match="is the database itself"):
        store.backup(db_path)
    with pytest.raises(StoreError, match="cannot write the backup"):
        store.backup(tmp_path / "missing" / "backup.db")
    assert sha256_of(db_path) == before


def test_restore_replaces_the_database_and_keeps_the_old_one_as_timestamped_bak(
    db_path, make_quote, tmp_path
):
    with open_store(db_path) as store:
        kept_number = store.add_quote(*make_quote("Before backup")).number
        store.backup(tmp_path / "backup.db")
        later_number = store.add_quote(*make_quote("After backup")).number
    kept = restore_backup(tmp_path / "backup.db", db_path)
    assert kept is not None and re.fullmatch(r"quotes\.db\.\d{8}-\d{6}(-\d+)?\.bak", kept.name)
    with open_store(db_path) as store:
        assert [q.number for q in store.list_quotes()] == [kept_number]
    with open_store(kept) as old:
        assert {q.number for q in old.list_quotes()} == {kept_number, later_number}


def test_restore_validates_the_backup_first_and_touches_nothing_when_it_is_bad(
    db_path, make_quote, tmp_path
):
    with open_store(db_path) as store:
        store.add_quote(*make_quote())
    before = sha256_of(db_path)
    bad = tmp_path / "bad.db"
    bad.write_bytes(os.urandom(4096))
    with pytest.raises(StoreError, match="not a quote database"):
        restore_backup(bad, db_path)
    foreign = tmp_path / "foreign.db"
    with sqlite3.connect(foreign) as raw:
        raw.execute("CREATE TABLE t (x)")
    raw.close()
    with pytest.raises(StoreError, match="another program"):
        restore_backup(foreign, db_path)
    assert sha256_of(db_path) == before
    assert list(db_path.parent.glob("*.bak")) == []


def test_restore_over_a_damaged_database_keeps_the_damaged_file_untouched_as_bak(
    db_path, make_quote, tmp_path
):
    with open_store(db_path) as store:
        number = store.add_quote(*make_quote()).number
        store.backup(tmp_path / "backup.db")
    data = bytearray(db_path.read_bytes())
    data[100:4096] = b"garbage" * 570  # the schema page; the header still names Quote Desk
    db_path.write_bytes(bytes(data))
    damaged = sha256_of(db_path)
    kept = restore_backup(tmp_path / "backup.db", db_path)
    assert kept is not None and sha256_of(kept) == damaged
    with open_store(db_path) as store:
        assert store.get(number).number == number
