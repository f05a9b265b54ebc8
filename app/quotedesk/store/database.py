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
from typing import TYPE_CHECKING, Protocol

import platformdirs

from quotedesk.core.io.output import replacing
from quotedesk.core.problems import Refused
from quotedesk.store.errors import DatabaseBusy, StoreError
from quotedesk.store.schema import APPLICATION_ID, MIGRATION_NAMES, MIGRATION_SET, migrations

if TYPE_CHECKING:
    from sqlite_utils import Database


class OpenDatabase(Protocol):
    """What the store's modules beside `quotes` (licences, team, approvals) need of an open
    QuoteStore. A protocol, not the class: `store.quotes` calls into them, so naming it
    there would make the modules import each other."""

    conn: sqlite3.Connection
    path: Path

    @property
    def db(self) -> Database: ...


SQLITE_MAGIC = b"SQLite format 3\x00"
DEFAULT_TIMEOUT = 5.0  # seconds a save waits for another instance's write to finish


def default_db_path() -> Path:
    """`QUOTEDESK_DB`, else quotes.db in the user data directory (platformdirs)."""
    override = os.environ.get("QUOTEDESK_DB")
    if override:
        return Path(override)
    return platformdirs.user_data_path("quotedesk", appauthor=False) / "quotes.db"


def check_file(path: Path) -> None:
    """Refuse a path that cannot hold a quote database: a folder, a device, a pipe. A
    missing or empty file is fine: it becomes a new database.

    Only stat(), never open(): closing any descriptor of the file drops every POSIX lock
    this process holds on it, the locks of its live SQLite connections included. Another
    process closing its own connection then takes itself for the last user and deletes the
    WAL under ours ("How To Corrupt An SQLite Database File", section 2.2). What is in the
    file is for SQLite to judge, through its own descriptor (translate_errors words it)."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise StoreError(f"{path}: cannot read ({exc.strerror})") from None
    if stat.S_ISDIR(st.st_mode):
        raise StoreError.coded("store.directory", path=str(path))
    if not stat.S_ISREG(st.st_mode):
        raise StoreError.coded("store.not_regular", path=str(path))


def connect(path: Path, timeout: float = DEFAULT_TIMEOUT) -> sqlite3.Connection:
    """Open (creating or migrating) the Quote Desk database at `path`. sqlite-utils is
    imported only to migrate: importing it (with click, pluggy, dateutil) would delay the
    window's first paint."""
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
    from sqlite_utils import Database  # only to migrate or write: not for the window's reads

    # No sqlite-utils plugins: scanning every installed package for them is slow, and
    # no third-party hook has a say in the quote database.
    return Database(conn, strict=True, execute_plugins=False)


def _recognise(conn: sqlite3.Connection, path: Path) -> list[str]:
    """Read-only checks: ours (any version we know), or empty. Anything else is refused.
    Returns the names of the migrations the file has had."""
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    if app_id != APPLICATION_ID:
        if tables:
            shown = ", ".join(sorted(tables)[:5])
            raise StoreError.coded("store.foreign", path=str(path), tables=shown)
        return []
    applied = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = ?", [MIGRATION_SET]
        )
    ]
    newer = [name for name in applied if name not in MIGRATION_NAMES]
    if newer:
        raise StoreError.coded("store.newer", path=str(path), schema=newer[-1])
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
        for rule in ("R-Q-2", "R-TEAM-2"):
            if text.startswith(f"{rule}:"):
                raise Refused(text.removeprefix(f"{rule}: "), rule) from None
        raise StoreError(f"{path}: {text}") from None
    except sqlite3.OperationalError as exc:
        text = str(exc)
        if "locked" in text or "busy" in text:
            raise DatabaseBusy.coded("store.busy", path=str(path)) from None
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
        if exc.sqlite_errorcode == sqlite3.SQLITE_NOTADB:
            raise StoreError.coded("store.not_sqlite", path=str(path)) from None
        raise StoreError.coded("store.damaged", path=str(path), detail=str(exc)) from None


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
    check_file(path)
    if not path.exists():
        raise StoreError(f"{path}: no such file")
    with (
        translate_errors(path),
        closing(sqlite3.connect(f"{_uri(path)}?mode=ro", uri=True)) as conn,
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
    an earlier one); returns that path (None when there was no database).

    Refused while another process (a window) has the database open: it would go on
    writing into a file that no longer holds what it read. Holding SQLite's exclusive
    lock for the whole restore also keeps a window that starts meanwhile out."""
    db_path = db_path or default_db_path()
    validate_backup(backup_path)
    check_file(db_path)
    if _same_file(backup_path, db_path):
        raise StoreError(f"{backup_path} is the database itself")
    _check_space(backup_path, db_path)
    if not db_path.exists() or db_path.stat().st_size == 0:
        try:
            _create_private(db_path)
        except OSError as exc:
            raise StoreError(f"cannot create {db_path} ({exc.strerror})") from None
        with _alone(db_path) as current:
            _copy_in(backup_path, current)
        return None
    kept = _new_bak_path(db_path)
    try:
        with _alone(db_path) as current:
            _refuse_foreign(current, db_path)
            _keep_copy(current, kept)
            _copy_in(backup_path, current)
        return kept
    except _Damaged:
        pass
    # SQLite cannot read the current file, and no connection of ours is open on it now:
    # its bytes are kept as they are, and the backup takes its place only once complete.
    _refuse_foreign_header(db_path)
    _refuse_if_open_elsewhere(db_path)
    partial = db_path.with_name(f".{db_path.name}.restoring")
    try:
        _create_private(partial)
        with closing(sqlite3.connect(partial, isolation_level=None)) as fresh:
            _copy_in(backup_path, fresh)
        shutil.copyfile(db_path, kept)
        wal = db_path.with_name(db_path.name + "-wal")
        if wal.exists():  # never replayed into the restored file
            os.replace(wal, kept.with_name(kept.name + "-wal"))
        db_path.with_name(db_path.name + "-shm").unlink(missing_ok=True)
        os.replace(partial, db_path)
    except (OSError, sqlite3.Error) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else exc
        raise StoreError(
            f"cannot restore into {db_path} ({reason}); it was left as it was"
        ) from None
    finally:
        partial.unlink(missing_ok=True)  # gone once in place; never left half-written
    return kept


class _Damaged(Exception):
    """SQLite cannot read the current database."""


@contextmanager
def _alone(path: Path) -> Iterator[sqlite3.Connection]:
    """A connection holding SQLite's exclusive lock on `path` until it closes, or
    StoreError naming who else has the file open."""
    conn = sqlite3.connect(path, timeout=1.0, isolation_level=None)
    try:
        try:
            conn.execute("PRAGMA locking_mode = EXCLUSIVE")
            conn.execute("BEGIN EXCLUSIVE")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            conn.execute("COMMIT")  # the lock stays: locking_mode is exclusive
        except sqlite3.OperationalError as exc:
            if exc.sqlite_errorcode & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
                raise StoreError(_open_elsewhere(path, _lock_holders(path))) from None
            raise StoreError(f"{path}: {exc}") from None
        except sqlite3.DatabaseError:
            raise _Damaged from None
        with translate_errors(path):
            yield conn
    finally:
        conn.close()


def _copy_in(backup_path: Path, target: sqlite3.Connection) -> None:
    """The backup's pages into `target` through SQLite's backup API: on any failure the
    target's transaction rolls back and it keeps what it held."""
    with closing(sqlite3.connect(f"{_uri(backup_path)}?mode=ro", uri=True)) as src:
        try:
            src.backup(target)
        except sqlite3.OperationalError as exc:
            raise StoreError(f"cannot restore ({exc}); the database was left as it was") from None


def _keep_copy(current: sqlite3.Connection, kept: Path) -> None:
    try:
        _create_private(kept)
        with closing(sqlite3.connect(kept, isolation_level=None)) as copy:
            current.backup(copy)  # includes what is still in the WAL
            copy.execute("PRAGMA journal_mode = DELETE")
    except (OSError, sqlite3.Error) as exc:
        kept.unlink(missing_ok=True)
        reason = exc.strerror if isinstance(exc, OSError) else exc
        raise StoreError(
            f"cannot keep the current database as {kept.name} ({reason}); nothing restored"
        ) from None


def _check_space(backup_path: Path, db_path: Path) -> None:
    """Room for the restored file and the kept copy, checked before anything is written."""
    files = [db_path, db_path.with_name(db_path.name + "-wal")]
    needed = backup_path.stat().st_size + sum(f.stat().st_size for f in files if f.exists())
    try:
        free = shutil.disk_usage(db_path.parent).free
    except OSError as exc:
        raise StoreError(f"cannot restore into {db_path.parent} ({exc.strerror})") from None
    if free < needed + 1_000_000:
        raise StoreError(
            f"not enough free space in {db_path.parent} to restore ({needed // 1_000_000 + 1} MB "
            f"needed, {free // 1_000_000} MB free); nothing was changed"
        )


def _refuse_foreign(conn: sqlite3.Connection, path: Path) -> None:
    """Restore replaces only a Quote Desk database; a wrong --db such as another
    program's SQLite file is left alone."""
    ours = conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    if not ours and tables:
        raise StoreError(f"{path} is not a Quote Desk database; nothing restored")


def _refuse_foreign_header(path: Path) -> None:
    """The same for a file SQLite cannot read: a damaged Quote Desk database still names
    Quote Desk in its header; a text file does not. Read only once no connection of this
    process is open on the file (see check_file)."""
    with path.open("rb") as f:
        header = f.read(100)
    ours = header.startswith(SQLITE_MAGIC) and header[68:72] == APPLICATION_ID.to_bytes(4, "big")
    if not ours:
        raise StoreError(f"{path} is not a Quote Desk database; nothing restored")


def _refuse_if_open_elsewhere(path: Path) -> None:
    holders = _lock_holders(path)
    if holders:
        raise StoreError(_open_elsewhere(path, holders))


def _open_elsewhere(path: Path, holders: list[str]) -> str:
    who = f" ({', '.join(holders)})" if holders else ""
    return f"{path} is open in another program{who}; close it, then restore"


def _lock_holders(path: Path) -> list[str]:
    """The other processes holding a lock on the database or its -shm, as "process PID:
    command", from Linux's /proc/locks (elsewhere: none known). Reads no database file."""
    inodes = set()
    for file in (path, path.with_name(path.name + "-shm")):
        with suppress(OSError):
            st = file.stat()
            inodes.add((os.major(st.st_dev), os.minor(st.st_dev), st.st_ino))
    pids: set[int] = set()
    with suppress(OSError):
        for line in Path("/proc/locks").read_text().splitlines():
            fields = [f for f in line.split() if f != "->"]
            if len(fields) < 6 or not fields[4].isdigit():
                continue
            major, minor, inode = fields[5].split(":")
            if (int(major, 16), int(minor, 16), int(inode)) in inodes:
                pids.add(int(fields[4]))
    pids.discard(os.getpid())
    return [f"process {pid}: {_command_of(pid)}" for pid in sorted(pids)]


def _command_of(pid: int) -> str:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return "?"
    return " ".join(part.decode(errors="replace") for part in raw.split(b"\0") if part)[:80]


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them missing, or a symlink loop
        return False


def _uri(path: Path) -> str:
    try:
        return path.resolve().as_uri()
    except RuntimeError:  # a symlink loop (Python 3.11)
        raise StoreError(f"{path}: too many levels of symbolic links") from None


def _new_bak_path(db_path: Path) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    kept = db_path.with_name(f"{db_path.name}.{stamp}.bak")
    n = 1
    while kept.exists() or kept.with_name(kept.name + "-wal").exists():
        n += 1
        kept = db_path.with_name(f"{db_path.name}.{stamp}-{n}.bak")
    return kept
