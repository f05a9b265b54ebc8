"""`restore` when the file system says no: a full disk, a symlink loop. The current
database stays where it is, as it was, until the restored one is completely written."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from quotedesk.store import StoreError, open_store, restore_backup

from .conftest import sha256_of

# Restore in a process that may write files of at most 64 KiB: what a full disk does to
# the next write (EFBIG here, ENOSPC there), without needing a full disk.
_SMALL_DISK = """
import resource, signal, sys
from pathlib import Path
from quotedesk.store import StoreError, restore_backup
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (65536, 65536))
try:
    restore_backup(Path(sys.argv[1]), Path(sys.argv[2]))
except StoreError as exc:
    print(exc)
    sys.exit(2)
"""


def _restore_on_a_small_disk(backup, db) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _SMALL_DISK, str(backup), str(db)],
        capture_output=True,
        text=True,
        timeout=60,
    )


def _fill(db, make_quote, count: int) -> None:
    with open_store(db) as store:
        for n in range(count):
            store.add_quote(*make_quote(f"Customer {n}", notes="x" * 3000))


def test_restore_that_cannot_write_its_copy_leaves_the_database_as_it_was(tmp_path, make_quote):
    db, backup = tmp_path / "quotes.db", tmp_path / "backup.db"
    _fill(db, make_quote, 60)  # larger than the 64 KiB a file may grow to
    with open_store(db) as store:
        store.backup(backup)
        store.add_quote(*make_quote("After the backup"))
    before = sha256_of(db)
    run = _restore_on_a_small_disk(backup, db)
    assert run.returncode == 2, run.stderr
    assert "nothing restored" in run.stdout
    assert sha256_of(db) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backup.db", "quotes.db"]
    with open_store(db) as store:
        assert store.count_quotes() == 61


def test_restore_over_a_damaged_database_on_a_full_disk_keeps_the_damaged_file(
    tmp_path, make_quote
):
    db, backup = tmp_path / "quotes.db", tmp_path / "backup.db"
    _fill(db, make_quote, 60)
    with open_store(db) as store:
        store.backup(backup)
    data = bytearray(db.read_bytes())
    data[100:4096] = b"garbage" * 570  # the schema page; the header still names Quote Desk
    db.write_bytes(bytes(data))
    damaged = sha256_of(db)
    run = _restore_on_a_small_disk(backup, db)
    assert run.returncode == 2, run.stderr
    assert "was left as it was" in run.stdout
    assert db.stat().st_size == len(data) and sha256_of(db) == damaged
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backup.db", "quotes.db"]


def test_restore_refuses_a_symlink_loop_in_one_line(tmp_path, make_quote):
    db, backup, loop = tmp_path / "quotes.db", tmp_path / "backup.db", tmp_path / "loop"
    _fill(db, make_quote, 1)
    with open_store(db) as store:
        store.backup(backup)
    os.symlink(loop, loop)
    with pytest.raises(StoreError, match="loop: cannot read"):
        restore_backup(backup, loop)
    with pytest.raises(StoreError, match="loop: cannot read"):
        restore_backup(loop, db)
