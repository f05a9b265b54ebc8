"""The quote database shared as the window and the command line share it: one process
keeps a store open for hours (the window), opens and closes further stores beside it (its
background jobs), while other processes list, back up, add and import. Nothing any of them
saved may be lost, and the live connection's WAL must never be deleted under it."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from quotedesk.store import StoreError, open_store, restore_backup

FIXTURES = Path(__file__).parents[1] / "fixtures"
ROUNDS = 20


def _cli(db: Path, *args: str | Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "QUOTEDESK_DB": str(db)}
    return subprocess.Popen(
        [sys.executable, "-m", "quotedesk", *map(str, args)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _finish(process: subprocess.Popen[bytes]) -> None:
    _, err = process.communicate(timeout=120)
    assert process.returncode == 0, err.decode()


def deleted_database_files(db: Path) -> list[str]:
    """This process's descriptors on the database's files that now point at nothing: what
    a connection keeps writing into after another process deleted its WAL."""
    fd_dir = Path("/proc/self/fd")
    gone = []
    for fd in fd_dir.iterdir():
        try:
            target = os.readlink(fd)
        except OSError:  # the listing's own descriptor, closed by now
            continue
        if target.startswith(str(db)) and target.endswith("(deleted)"):
            gone.append(target)
    return gone


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="reads /proc/self/fd")
def test_window_store_keeps_every_write_while_jobs_and_other_processes_use_the_file(
    tmp_path, make_quote
):
    db = tmp_path / "quotes.db"
    backup = tmp_path / "b.db"
    quote_file = FIXTURES / "spec_example.json"
    expected = 0
    for round_no in range(ROUNDS):
        window = open_store(db)
        try:
            window.add_quote(*make_quote(f"Window {round_no} before"))
            expected += 1
            # A background job opens and closes its own store (renewals, batch export)...
            open_store(db).close()
            # ...then another process opens and closes the file: with the window's locks
            # gone, it would think itself the last user and delete the WAL.
            _finish(_cli(db, "quotes", "list"))
            others = [
                _cli(db, "quotes", "list"),
                _cli(db, "backup", backup, "--force") if round_no else _cli(db, "backup", backup),
                _cli(db, "quotes", "add", quote_file),
                _cli(db, "licences", "import", FIXTURES / "licences.csv"),
            ]
            expected += 1  # quotes add
            while any(p.poll() is None for p in others):
                with open_store(db) as job:  # jobs go on opening stores meanwhile
                    job.count_quotes()
            for process in others:
                _finish(process)
            window.add_quote(*make_quote(f"Window {round_no} after"))
            expected += 1
            assert deleted_database_files(db) == [], f"round {round_no}"
        finally:
            window.close()
        with open_store(db) as restarted:  # the window started again
            assert restarted.count_quotes() == expected, f"round {round_no}"
        with closing(sqlite3.connect(db)) as raw:
            assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]


def test_restore_refuses_while_another_process_has_the_database_open(tmp_path, make_quote):
    db, backup = tmp_path / "quotes.db", tmp_path / "backup.db"
    with open_store(db) as store:
        store.add_quote(*make_quote("In the backup"))
        store.backup(backup)
    window = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(db)], stdout=subprocess.PIPE, stdin=subprocess.PIPE
    )
    try:
        assert window.stdout is not None and window.stdout.readline() == b"open\n"
        with pytest.raises(StoreError, match=rf"open in another program \(process {window.pid}"):
            restore_backup(backup, db)
    finally:
        window.communicate(b"write\n", timeout=60)
    assert window.returncode == 0
    with open_store(db) as store:  # the window's write is there, nothing was replaced
        assert [q.customer for q in store.list_quotes()] == ["After", "In the backup"]
    assert sorted(p.name for p in tmp_path.iterdir() if ".bak" in p.name) == []


# A window in another process: it opens the store, says so, waits, then saves a quote.
_HOLDER = """
import sys
from datetime import date
from quotedesk.core import load_rules, parse_quote
from quotedesk.core.io.resources import sample_price_book_path
from quotedesk.core import load_price_book
from quotedesk.operations.quotes import save
from quotedesk.store import open_store

store = open_store(sys.argv[1])
store.count_quotes()
print("open", flush=True)
sys.stdin.readline()
quote = parse_quote({"schema": 1, "quote_date": "2026-11-20",
    "customer": {"name": "After", "country": "BR"},
    "lines": [{"product": "jira", "deployment": "cloud", "edition": "standard",
               "billing": "annual", "users": 50}]})
save(store, quote, load_price_book(sample_price_book_path()), load_rules(), date(2026, 11, 23))
store.close()
"""
