"""Opening the SQLite file safely: refuse what is not ours, migrate what is, back it up.

Nothing is written to a file before it has been recognised as a Quote Desk database (or
found empty), so a wrong `--db` never damages someone else's file.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import closing, contextmanager, suppress
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs

from quotedesk.core.output import replacing
from quotedesk.store.errors import DatabaseBusy, RuleRefused, StoreError
from quotedesk.store.schema import APPLICATION_ID, MIGRATION_NAMES, MIGRATION_SET, migrations

if TYPE_CHECKING:
    from sqlite_utils import Database

SQLITE_MAGIC = b"SQLite format 3\x00"
DEFAULT_TIMEOUT = 5.0  # seconds a save waits for another instance's write to finish


def default_db_path() -> Path:
    """`QUOTEDESK_DB`, else quotes.db in the user data directory (platformdirs)."""
    override = os.environ.get("QUOTEDESK_DB")
    if override:
        return Path(override)
    return platformdirs.user_data_path("quotedesk", appauthor=False) / "quotes.db"


def check_file(path: Path) -> None:
    """Refuse a file that cannot be a healthy SQLite database, reading only its header.
    A missing or empty file is fine: it becomes a new database."""
    try:
        st = path.stat()
        if stat.S_ISDIR(st.st_mode):
            raise StoreError(f"{path} is a directory, not a quote database")
        if not stat.S_ISREG(st.st_mode):
            raise StoreError(f"{path} is not a regular file, so not a quote database")
        size = st.st_size
        if size == 0:
            return
        with path.open("rb") as f:
            header = f.read(100)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise StoreError(f"{path}: cannot read ({exc.strerror})") from None
    if not header.startswith(SQLITE_MAGIC):
        raise StoreError(f"{path} is not a quote database (not an SQLite file); left unchanged")
    if len(header) < 100:
        raise StoreError(f"{path} is truncated ({size} bytes); left unchanged")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        raise StoreError(f"{path} has a damaged header; left unchanged")
    pages = int.from_bytes(header[28:32], "big")
    # The header's page count is only trusted when its "version valid for" matches the
    # change counter (SQLite file format 1.3.8); committed pages may still sit in a WAL.
    wal = path.with_name(path.name + "-wal")
    has_wal = wal.exists() and wal.stat().st_size > 0
    if pages and header[24:28] == header[92:96] and size < pages * page_size and not has_wal:
        raise StoreError(
            f"{path} is truncated ({size} bytes, its header says {pages * page_size}); "
            "left unchanged: restore a backup"
        )


def connect(path: Path, timeout: float = DEFAULT_TIMEOUT) -> sqlite3.Connection:
    """Open (creating or migrating) the Quote Desk database at `path`. sqlite-utils is
    imported only to migrate: importing it (with click, pluggy, dateutil) costs the window
    30 ms before its first paint."""
    check_file(path)
    if not path.exists():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            _create_private(path)
        except OSError as exc:
            raise StoreError(f"cannot create {path} ({exc.strerror})") from None
    with translate_errors(path):
        # isolation_level=None: no implicit transactions; every write below is explicit.
        conn = sqlite3.connect(path, timeout=timeout, isolation_level=None)
    try:
        with translate_errors(path):
            applied = _recognise(conn, path)
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA foreign_keys = ON")
            # FULL: a signed-off quote survives a power cut too, not only a crash (R-Q-2).
            conn.execute("PRAGMA synchronous = FULL")
            # What sqlite-utils' Database turns on, so triggers act the same with or without it.
            conn.execute("PRAGMA recursive_triggers = ON")
            if not set(MIGRATION_NAMES) <= set(applied):
                db = wrap(conn)
                with write_transaction(db):
                    migrations().apply(db)  # each migration nests as a savepoint
    except BaseException:
        conn.close()
        raise
    return conn


def wrap(conn: sqlite3.Connection) -> Database:
    """sqlite-utils' Database over the store's connection."""
    from sqlite_utils import Database

    # No sqlite-utils plugins: scanning every installed package for them takes
    # 30 ms, and no third-party hook has a say in the quote database.
    return Database(conn, strict=True, execute_plugins=False)


def _recognise(conn: sqlite3.Connection, path: Path) -> list[str]:
    """Read-only checks: ours (any version we know), or empty. Anything else is refused.
    Returns the names of the migrations the file has had."""
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    if app_id != APPLICATION_ID:
        if tables:
            shown = ", ".join(sorted(tables)[:5])
            raise StoreError(
                f"{path} belongs to another program (tables: {shown}); Quote Desk left it unchanged"
            )
        return []
    applied = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = ?", [MIGRATION_SET]
        )
    ]
    newer = [name for name in applied if name not in MIGRATION_NAMES]
    if newer:
        raise StoreError(
            f"{path} was written by a newer Quote Desk (schema {newer[-1]}); "
            "update Quote Desk to open it. The file was left unchanged"
        )
    return applied


@contextmanager
def write_transaction(db: Database) -> Iterator[None]:
    """One transaction that takes the write lock up front. A deferred BEGIN (what
    db.atomic() issues) that reads first cannot wait for a busy lock in WAL mode, it fails
    at once; IMMEDIATE waits up to the busy timeout. Nested db.atomic() become savepoints."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        if db.conn.in_transaction:
            db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


@contextmanager
def translate_errors(path: Path) -> Iterator[None]:
    """SQLite's exceptions as StoreErrors with a message a user can act on."""
    try:
        yield
    except sqlite3.IntegrityError as exc:
        text = str(exc)
        if text.startswith("R-Q-2"):
            raise RuleRefused("R-Q-2", text.removeprefix("R-Q-2: ")) from None
        raise StoreError(f"{path}: {text}") from None
    except sqlite3.OperationalError as exc:
        text = str(exc)
        if "locked" in text or "busy" in text:
            raise DatabaseBusy(
                f"the database is busy: another Quote Desk is writing to {path}; try again"
            ) from None
        raise StoreError(f"{path}: {text}") from None
    except UnicodeEncodeError as exc:  # a lone surrogate ("\ud800") read from JSON
        bad = exc.object[exc.start : exc.end]
        raise StoreError(f"text with an unpaired surrogate {bad!r} cannot be stored") from None
    except UnicodeDecodeError:  # e.g. a table name that is not UTF-8: not written by SQLite's API
        raise StoreError(
            f"{path} is damaged or not a quote database (it holds text that is not UTF-8); "
            "it was left unchanged"
        ) from None
    except (sqlite3.ProgrammingError, sqlite3.InterfaceError):
        raise  # a bug in the caller (e.g. a closed store), not a problem with the file
    except sqlite3.DatabaseError as exc:
        raise StoreError(
            f"{path} is damaged or not a quote database ({exc}); it was left unchanged"
        ) from None


def _create_private(path: Path) -> None:
    """An empty file only its owner can read: the database holds customer data. SQLite
    gives its -wal and -shm files the database file's permissions."""
    with suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def backup_database(db: Database, out: Path, *, replace: bool = False) -> None:
    """SQLite's online backup into `out` as one self-contained file (no -wal beside it),
    made only from a healthy database, written under a temporary name first so a failed
    backup never leaves half a file, and never over an existing file unless `replace`."""
    main = Path(db.conn.execute("PRAGMA database_list").fetchone()[2])
    # realpath, unlike Path.resolve, does not raise on a symlink loop: `replacing` refuses it.
    if os.path.realpath(out) == os.path.realpath(main):
        raise StoreError(f"{out} is the database itself; back it up to another file")
    problems = [r[0] for r in db.conn.execute("PRAGMA integrity_check")]
    if problems != ["ok"]:
        raise StoreError(
            f"{main} is damaged ({problems[0]}); not backed up: keep the file, and restore "
            "an earlier backup"
        )
    try:
        with (
            replacing(out, 0o600, replace=replace) as partial,
            closing(sqlite3.connect(partial, isolation_level=None)) as target,
        ):
            db.conn.backup(target)
            target.execute("PRAGMA journal_mode = DELETE")
    except OSError as exc:
        raise StoreError(f"cannot write the backup {out} ({exc.strerror})") from None
    except sqlite3.Error as exc:
        raise StoreError(f"cannot write the backup {out} ({exc})") from None


def validate_backup(path: Path) -> int:
    """Check that `path` is a complete, healthy Quote Desk database; return its quote count."""
    if not path.exists():
        raise StoreError(f"{path}: no such file")
    check_file(path)
    with (
        translate_errors(path),
        closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as conn,
    ):
        _recognise(conn, path)
        if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
            raise StoreError(f"{path} is not a Quote Desk backup")
        problems = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        if problems != ["ok"]:
            raise StoreError(f"{path} is damaged ({problems[0]}); not restored")
        return int(conn.execute("SELECT count(*) FROM quotes").fetchone()[0])


def restore_backup(backup_path: Path, db_path: Path | None = None) -> Path | None:
    """Replace the Quote Desk database at `db_path` with a validated backup. The current
    file is kept beside it under a new timestamped name, `<name>.<time>.bak` (never over
    an earlier one); returns that path (None when there was no database)."""
    db_path = db_path or default_db_path()
    validate_backup(backup_path)
    if backup_path.resolve() == db_path.resolve():
        raise StoreError(f"{backup_path} is the database itself")
    kept = None
    if db_path.exists() and db_path.stat().st_size > 0:
        _refuse_foreign(db_path)
        kept = _new_bak_path(db_path)
        try:
            check_file(db_path)
            with closing(sqlite3.connect(db_path, timeout=DEFAULT_TIMEOUT)) as current:
                current.execute("SELECT count(*) FROM sqlite_master").fetchone()
                _create_private(kept)
                with closing(sqlite3.connect(kept, isolation_level=None)) as copy:
                    current.backup(copy)  # includes what is still in the WAL
                    copy.execute("PRAGMA journal_mode = DELETE")
        except (StoreError, sqlite3.DatabaseError):
            # A damaged database is moved aside untouched, and the backup goes in its place.
            kept.unlink(missing_ok=True)
            db_path.with_name(db_path.name + "-shm").unlink(missing_ok=True)
            wal = db_path.with_name(db_path.name + "-wal")
            if wal.exists():
                shutil.move(wal, kept.with_name(kept.name + "-wal"))
            shutil.move(db_path, kept)
    else:
        check_file(db_path)  # an empty regular file, or none (not /dev/null)
        _create_private(db_path)
    with (
        translate_errors(db_path),
        closing(sqlite3.connect(f"{backup_path.resolve().as_uri()}?mode=ro", uri=True)) as src,
        closing(sqlite3.connect(db_path, timeout=DEFAULT_TIMEOUT)) as dst,
    ):
        # The backup API takes the destination's locks, so an instance that has the file
        # open sees the restored content rather than a file swapped under it.
        src.backup(dst)
    return kept


def _refuse_foreign(path: Path) -> None:
    """Restore replaces only a Quote Desk database (damaged ones too: their header still
    names Quote Desk); a wrong --db such as notes.txt, a folder or a device is left alone."""
    if not path.is_file():
        raise StoreError(f"{path} is not a regular file, so not a quote database")
    with path.open("rb") as f:
        header = f.read(100)
    ours = header.startswith(SQLITE_MAGIC) and header[68:72] == APPLICATION_ID.to_bytes(4, "big")
    if not ours:
        raise StoreError(f"{path} is not a Quote Desk database; nothing restored")


def _new_bak_path(db_path: Path) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    kept = db_path.with_name(f"{db_path.name}.{stamp}.bak")
    n = 1
    while kept.exists() or kept.with_name(kept.name + "-wal").exists():
        n += 1
        kept = db_path.with_name(f"{db_path.name}.{stamp}-{n}.bak")
    return kept
