"""Files Quote Desk writes (`export -o`, `backup`, `restore`, the database itself): only
regular files, through symlinks, with the right permissions, never over a backup; and a
signed-off quote's number is fixed in the database itself."""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import pytest

from quotedesk.cli import main
from quotedesk.store import open_store

from .conftest import FIXTURES

EXAMPLE = FIXTURES / "spec_example.json"


class Run(NamedTuple):
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def quotedesk(capsys) -> Callable[..., Run]:
    """The command line, run in this process (a subprocess each costs half a second)."""

    def run(*args: str | Path, umask: int = 0o022) -> Run:
        capsys.readouterr()
        old = os.umask(umask)
        try:
            code = main([str(a) for a in args])
        finally:
            os.umask(old)
        out = capsys.readouterr()
        return Run(code, out.out, out.err)

    return run


def one_line_exit_2(run: Run, says: str) -> None:
    assert run.returncode == 2, run.stdout + run.stderr
    assert len(run.stderr.strip().splitlines()) == 1, run.stderr
    assert says in run.stderr and "Traceback" not in run.stderr


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "fifo"
    os.mkfifo(path)
    return path


def test_export_refuses_devices_folders_and_fifos_and_leaves_them_as_they_were(
    quotedesk, tmp_path, fifo
):
    for target in (Path("/dev/null"), Path("/dev/full"), tmp_path, fifo):
        before = target.stat()
        run = quotedesk("export", EXAMPLE, "-o", target)
        one_line_exit_2(run, "not a regular file")
        after = target.stat()
        assert (after.st_mode, after.st_ino) == (before.st_mode, before.st_ino)
    assert [p.name for p in tmp_path.iterdir()] == ["fifo"]  # no temporary file left


def test_export_writes_through_a_symlink_and_follows_the_umask(quotedesk, tmp_path):
    real = tmp_path / "real.pdf"
    real.write_bytes(b"old")
    link = tmp_path / "link.pdf"
    link.symlink_to(real)
    assert quotedesk("export", EXAMPLE, "-o", link).returncode == 0
    assert link.is_symlink() and real.read_bytes().startswith(b"%PDF-")
    assert mode(real) == 0o644

    assert quotedesk("export", EXAMPLE, "-o", tmp_path / "private.pdf", umask=0o077).returncode == 0
    assert mode(tmp_path / "private.pdf") == 0o600


def test_the_database_and_its_wal_are_created_readable_by_their_owner_only(quotedesk, tmp_path):
    db = tmp_path / "quotes.db"
    assert quotedesk("quotes", "add", EXAMPLE, "--db", db).returncode == 0
    with open_store(db) as store:  # open: the -wal and -shm exist now
        store.list_quotes()
        assert {p.name: mode(p) for p in tmp_path.iterdir()} == {
            "quotes.db": 0o600,
            "quotes.db-wal": 0o600,
            "quotes.db-shm": 0o600,
        }
    assert quotedesk("backup", tmp_path / "copy.db", "--db", db).returncode == 0
    assert mode(tmp_path / "copy.db") == 0o600


def test_backup_never_overwrites_a_file_without_force_nor_a_device_ever(quotedesk, tmp_path, fifo):
    db = tmp_path / "quotes.db"
    quotedesk("quotes", "add", EXAMPLE, "--db", db)
    precious = tmp_path / "precious.txt"
    precious.write_text("my notes")
    one_line_exit_2(quotedesk("backup", precious, "--db", db), "add --force to replace it")
    assert precious.read_text() == "my notes"
    for target in (Path("/dev/null"), Path("/dev/full"), fifo, tmp_path):
        one_line_exit_2(quotedesk("backup", target, "--db", db, "--force"), "not a regular file")

    link = tmp_path / "link.db"
    link.symlink_to(precious)
    assert quotedesk("backup", link, "--db", db, "--force").returncode == 0
    assert link.is_symlink()
    with open_store(precious) as copy:
        assert len(copy.list_quotes()) == 1


def test_backup_refuses_a_damaged_database(quotedesk, tmp_path):
    db = tmp_path / "quotes.db"
    quotedesk("quotes", "add", EXAMPLE, "--db", db)
    with sqlite3.connect(db) as raw:
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = raw.execute("PRAGMA page_size").fetchone()[0]
        root = raw.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'quotes_by_customer'"
        ).fetchone()[0]
    raw.close()
    # The index's page made an empty leaf: the quotes row is missing from the index, which
    # only integrity_check notices (the file opens and lists as before).
    data = bytearray(db.read_bytes())
    start = (root - 1) * page_size
    empty_leaf = b"\x0a" + bytes(4) + (page_size % 65536).to_bytes(2, "big")
    data[start : start + page_size] = empty_leaf + bytes(page_size - len(empty_leaf))
    db.write_bytes(bytes(data))
    run = quotedesk("backup", tmp_path / "copy.db", "--db", db)
    one_line_exit_2(run, "missing from index quotes_by_customer")
    assert "not backed up" in run.stderr
    assert not (tmp_path / "copy.db").exists()


def test_restore_keeps_every_earlier_database_and_refuses_a_file_that_is_not_one(
    quotedesk, tmp_path
):
    db = tmp_path / "quotes.db"
    quotedesk("quotes", "add", EXAMPLE, "--db", db)
    assert quotedesk("backup", tmp_path / "a.db", "--db", db).returncode == 0
    quotedesk("quotes", "add", EXAMPLE, "--db", db)
    assert quotedesk("backup", tmp_path / "b.db", "--db", db).returncode == 0

    assert quotedesk("restore", tmp_path / "a.db", "--db", db).returncode == 0
    assert quotedesk("restore", tmp_path / "b.db", "--db", db).returncode == 0
    kept = sorted(tmp_path.glob("quotes.db.*.bak"))
    assert len(kept) == 2
    counts = []
    for path in kept:
        with open_store(path) as old:
            counts.append(len(old.list_quotes()))
    assert sorted(counts) == [1, 2]  # the original (2 quotes) and the first restore (1)

    notes = tmp_path / "notes.txt"
    notes.write_text("shopping list")
    run = quotedesk("restore", tmp_path / "a.db", "--db", notes)
    one_line_exit_2(run, "is not a Quote Desk database")
    assert notes.read_text() == "shopping list"
    assert not list(tmp_path.glob("notes.txt.*"))
    one_line_exit_2(quotedesk("restore", tmp_path / "a.db", "--db", "/dev/null"), "regular file")


def test_raw_sql_cannot_renumber_replace_or_delete_a_signed_off_quote(store, make_quote):
    draft = store.add_quote(*make_quote("Draft")).number
    signed = store.add_quote(*make_quote("Signed")).number
    store.sign_off(signed, by="Ana Lima")
    raw = sqlite3.connect(store.path, isolation_level=None)
    for sql in (
        f"UPDATE quotes SET number = 'QD-2026-09999' WHERE number = '{signed}'",
        f"UPDATE quotes SET seq = 9999 WHERE number = '{signed}'",
        f"UPDATE quotes SET prefix = 'XX', year = 2001 WHERE number = '{signed}'",
        f"DELETE FROM quotes WHERE number = '{signed}'",
        f"INSERT OR REPLACE INTO quotes SELECT * FROM quotes WHERE number = '{signed}'",
    ):
        with pytest.raises(sqlite3.IntegrityError, match="R-Q-2"):
            raw.execute(sql)
    # A draft may change (though never its number).
    raw.execute(f"UPDATE quotes SET notes = 'call back' WHERE number = '{draft}'")
    raw.close()
    assert store.get(signed).number == signed


def test_totals_past_int64_and_20_digit_revisions_are_one_line_exit_2(quotedesk, tmp_path):
    db = tmp_path / "quotes.db"
    huge = tmp_path / "huge.json"
    huge.write_text(
        # The largest amount and count the quote file allows: 9.99e20 cents, past int64.
        '{"schema": 1, "lines": [{"custom": "x", "unit_price": "999999999999.00",'
        ' "quantity": 10000000}]}'
    )
    one_line_exit_2(quotedesk("quotes", "add", huge, "--db", db), "too large to store")
    number = quotedesk("quotes", "add", EXAMPLE, "--db", db).stdout.strip()
    big = "99999999999999999999"
    one_line_exit_2(quotedesk("quotes", "show", number, "--rev", big, "--db", db), big)
    one_line_exit_2(quotedesk("quotes", "show", f"{number}-R{big}", "--db", db), big)
    one_line_exit_2(
        quotedesk("export", f"{number}-R{big}", "-o", tmp_path / "x.pdf", "--db", db), big
    )


def test_a_lone_surrogate_is_one_line_exit_2_and_stores_nothing(quotedesk, tmp_path):
    quote = tmp_path / "q.json"
    quote.write_text(
        '{"schema": 1, "customer": {"name": "A\\ud800B"}, '
        '"lines": [{"custom": "x", "unit_price": "1.00"}]}'
    )
    run = quotedesk("quotes", "add", quote, "--db", tmp_path / "q.db")
    one_line_exit_2(run, "unpaired surrogate '\\ud800' cannot be stored")
    assert quotedesk("quotes", "list", "--db", tmp_path / "q.db").stdout == "no quotes\n"
