"""Talking to the team's PostgreSQL server: connect, set it up (`team init`), add a
person (`team add-user`), and what a laptop asks of it when it joins.

Values always travel as query parameters; the few statements PostgreSQL takes no
parameters in (CREATE ROLE) are composed with psycopg.sql, which quotes names and
literals. A password reaches the server already hashed (SCRAM), never in clear text.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any, LiteralString, cast

import psycopg
import psycopg.rows
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from quotedesk.team.schema import GROUPS, MIGRATIONS, ROLES

MIN_SERVER_VERSION = 150000  # PostgreSQL 15
CONNECT_TIMEOUT = 10  # seconds, unless the connection string says otherwise
ROLES_BY_NAME = {"rep": "quotedesk_rep", "manager": "quotedesk_manager"}
# A login as PostgreSQL users type one (psql -U), and nothing PostgreSQL reserves.
LOGIN_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.@-]{0,62}")


class TeamError(Exception):
    """What the server or the connection refused, in one line for the user. `exit_code`
    is the command line's: 1 refused by a rule or a permission, 2 unreachable or bad
    input."""

    exit_code = 1


class Unreachable(TeamError):
    """No connection: server down, wrong address, password refused, TLS required."""

    exit_code = 2


class BadInput(TeamError):
    """Input a command cannot use: a connection string, a login name, an empty password."""

    exit_code = 2


@dataclass(frozen=True)
class Server:
    """Where the team's database is, as the user gave it, without any password."""

    conninfo: str

    @classmethod
    def parse(cls, text: str) -> Server:
        """A libpq URI (postgresql://host/db) or key=value string (service=name); a
        password in it is dropped (it goes to the keyring), and so is the user (given
        on its own)."""
        params = parse_conninfo(text)
        kept = {k: v for k, v in params.items() if k not in ("password", "user")}
        return cls(make_conninfo("", **kept))


def parse_conninfo(text: str) -> dict[str, Any]:
    try:
        return conninfo_to_dict(text)
    except psycopg.ProgrammingError as exc:
        raise BadInput(f"not a PostgreSQL connection string: {exc}") from None


def connect(conninfo: str, **params: Any) -> psycopg.Connection[Any]:
    """A connection (not autocommit) with the libpq parameters `params` added (user,
    password, passfile). Whatever the string says (sslmode, service) libpq honours."""
    given = parse_conninfo(conninfo)
    if "connect_timeout" not in given:
        params.setdefault("connect_timeout", CONNECT_TIMEOUT)
    try:
        return psycopg.connect(conninfo, **params)
    except psycopg.OperationalError as exc:
        raise Unreachable(f"cannot connect to the team server: {_first_line(exc)}") from None


def refused(exc: psycopg.Error) -> TeamError:
    """A server error as the one line a person reads; a rule's own message keeps its
    rule id (R-TEAM-...)."""
    text = _first_line(exc)
    if isinstance(exc, psycopg.OperationalError) and exc.sqlstate is None:
        return Unreachable(f"lost the connection to the team server: {text}")
    return TeamError(text)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text.removeprefix("connection failed: ").removeprefix("connection is bad: ")


# --- team init ------------------------------------------------------------------------


@dataclass(frozen=True)
class Initialised:
    database: str
    applied: list[str]  # the migrations this run applied (none: already up to date)


def init_server(conninfo: str) -> Initialised:
    """Create or migrate the team schema and the group roles, in one transaction. Run
    by the database's owner, who needs CREATEROLE the first time (the groups are roles)."""
    with connect(conninfo) as conn:
        version = conn.info.server_version
        if version < MIN_SERVER_VERSION:
            raise TeamError(
                f"team mode needs PostgreSQL 15 or newer; this server is {_version(version)}"
            )
        try:
            with conn.transaction():
                # Two inits at once: the second waits, then finds nothing left to do.
                conn.execute("SELECT pg_advisory_xact_lock(hashtext('quotedesk team init'))")
                conn.execute(ROLES)
                applied = {
                    r[0] for r in conn.execute("SELECT name FROM quotedesk._quotedesk_migrations")
                }
                known = [name for name, _ in MIGRATIONS]
                newer = sorted(applied - set(known))
                if newer:
                    raise TeamError(
                        f"this team server was set up by a newer Quote Desk (migration "
                        f"{newer[-1]}); update Quote Desk"
                    )
                done = []
                for name, statements in MIGRATIONS:
                    if name not in applied:
                        conn.execute(statements)
                        conn.execute(
                            "INSERT INTO quotedesk._quotedesk_migrations (name) VALUES (%s)",
                            [name],
                        )
                        done.append(name)
        except psycopg.errors.InsufficientPrivilege as exc:
            raise TeamError(
                f"{_first_line(exc)}: run `quotedesk team init` as the database's owner, a "
                "login with CREATEROLE (or a superuser)"
            ) from None
        except psycopg.Error as exc:
            raise refused(exc) from None
        return Initialised(conn.info.dbname, done)


def _version(number: int) -> str:
    return f"{number // 10000}.{number % 10000}"


# --- team add-user --------------------------------------------------------------------


def check_login_name(name: str) -> None:
    if not LOGIN_NAME.fullmatch(name):
        raise BadInput(
            f"{name!r} is not a login name: up to 63 letters, digits, _ . @ or -, "
            "starting with a letter or _"
        )
    if name.lower().startswith(("pg_", "quotedesk_")):
        raise BadInput(f"{name!r}: names starting pg_ or quotedesk_ are reserved")


def add_user(conninfo: str, name: str, role: str, password: str) -> None:
    """A LOGIN role `name` in the group of `role` ("rep" or "manager")."""
    check_login_name(name)
    if not password:
        raise BadInput("the password is empty")
    group = ROLES_BY_NAME[role]
    with connect(conninfo) as conn:
        try:
            with conn.transaction():
                if not _has_groups(conn):
                    raise TeamError(
                        "this server has no Quote Desk team yet: run `quotedesk team init` first"
                    )
                exists = conn.execute("SELECT true FROM pg_roles WHERE rolname = %s", [name])
                if exists.fetchone() is not None:
                    raise TeamError(f"a login named {name} already exists on this server")
                hashed = conn.pgconn.encrypt_password(
                    password.encode(), name.encode(), b"scram-sha-256"
                )
                conn.execute(
                    sql.SQL("CREATE ROLE {} LOGIN PASSWORD {} IN ROLE {}").format(
                        sql.Identifier(name), sql.Literal(hashed.decode()), sql.Identifier(group)
                    )
                )
        except psycopg.errors.InsufficientPrivilege as exc:
            raise TeamError(
                f"{_first_line(exc)}: add people as the database's owner (a login with CREATEROLE)"
            ) from None
        except psycopg.Error as exc:
            raise refused(exc) from None


def _has_groups(conn: psycopg.Connection[Any]) -> bool:
    found = conn.execute("SELECT count(*) FROM pg_roles WHERE rolname = ANY(%s)", [list(GROUPS)])
    row = found.fetchone()
    return row is not None and row[0] == len(GROUPS)


# --- a member's connection ------------------------------------------------------------


def member_role(conn: psycopg.Connection[Any]) -> str | None:
    """ "manager", "rep", or None when this login is in neither group."""
    query: LiteralString = "SELECT pg_has_role(session_user, %s, 'MEMBER')"
    for role in ("manager", "rep"):
        try:
            row = conn.execute(query, [ROLES_BY_NAME[role]]).fetchone()
        except psycopg.errors.UndefinedObject:  # the groups do not exist: no team here
            conn.rollback()
            return None
        if row and row[0]:
            return role
    return None


def team_id(conn: psycopg.Connection[Any]) -> str | None:
    """The team this database holds (made by init), None when it holds none."""
    found = conn.execute("SELECT to_regclass('quotedesk.team')").fetchone()
    if found is None or found[0] is None:
        return None
    row = conn.execute("SELECT id::text FROM quotedesk.team").fetchone()
    return str(row[0]) if row else None


def register_device(conn: psycopg.Connection[Any], device_id: str, label: str) -> None:
    """This laptop, under the login connected; joining again only updates its label."""
    conn.execute(
        "INSERT INTO quotedesk.devices (id, label) VALUES (%s, %s) "
        "ON CONFLICT (id) DO UPDATE SET label = excluded.label, last_seen = now()",
        [device_id, label],
    )


def plain_text_warning(conn: psycopg.Connection[Any]) -> str | None:
    """A warning when the connection is neither encrypted nor local: quotes, customers
    and prices would cross the network readable (and changeable) by anyone on the way."""
    if conn.pgconn.ssl_in_use:
        return None
    host = conn.info.host
    if host.startswith("/") or host.startswith("@"):  # a Unix socket
        return None
    try:
        if ipaddress.ip_address(conn.info.hostaddr or host).is_loopback:
            return None
    except ValueError:
        pass
    return (
        f"warning: the connection to {host} is not encrypted: quotes, customers and "
        "prices cross the network in plain text. Ask for TLS on the server and connect "
        "with sslmode=verify-full."
    )


def reserve_numbers(
    conn: psycopg.Connection[Any], device_id: str, how_many: int
) -> tuple[int, int]:
    """R-TEAM-2: a block of `how_many` quote numbers for this device, (first, last)."""
    row = conn.execute(
        "SELECT block_first, block_last FROM quotedesk.reserve_numbers(%s, %s)",
        [device_id, how_many],
    ).fetchone()
    if row is None:
        raise TeamError("the server reserved no numbers")
    return int(row[0]), int(row[1])


# --- what sync builds on --------------------------------------------------------------


def apply_once(conn: psycopg.Connection[Any], device_id: str, key: str) -> bool:
    """Record, in the caller's transaction, that this device's change `key` (its outbox
    entry) is applied; False when it was already: the caller then skips the change. The
    change and its key commit together or not at all, so a push cut off at any point
    and sent again applies each change exactly once."""
    row = conn.execute(
        "INSERT INTO quotedesk.applied_changes (device_id, key) VALUES (%s, %s) "
        "ON CONFLICT DO NOTHING RETURNING true",
        [device_id, key],
    ).fetchone()
    return row is not None


@dataclass(frozen=True)
class ServerQuote:
    """A quote row as the server keeps it; seq and number None while provisional."""

    id: str  # UUID made by the laptop that created the quote
    customer: str
    created_at: datetime
    updated_at: datetime
    device_id: str | None = None
    seq: int | None = None
    number: str | None = None


@dataclass(frozen=True)
class ServerRevision:
    quote_id: str
    revision: int
    status: str
    quote_file: str  # the local store's text, byte for byte
    priced: str
    price_book: str
    price_book_sha256: str
    created_at: datetime
    updated_at: datetime
    signed_off_by: str | None = None
    signed_off_at: datetime | None = None
    approver: str | None = None


def put_quote(conn: psycopg.Connection[Any], quote: ServerQuote) -> None:
    """Insert or update a quote; its owner is the login connected (a manager updating a
    rep's quote leaves the owner as it was)."""
    conn.execute(
        "INSERT INTO quotedesk.quotes (id, device_id, seq, number, customer, created_at, "
        "updated_at) VALUES (%(id)s, %(device_id)s, %(seq)s, %(number)s, %(customer)s, "
        "%(created_at)s, %(updated_at)s) "
        "ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, number = excluded.number, "
        "customer = excluded.customer, updated_at = excluded.updated_at",
        vars(quote),
    )


def put_revision(conn: psycopg.Connection[Any], revision: ServerRevision) -> None:
    """Insert or update a revision; the server refuses what R-TEAM-2/3/5 forbid."""
    conn.execute(
        "INSERT INTO quotedesk.revisions (quote_id, revision, status, quote_file, priced, "
        "price_book, price_book_sha256, created_at, updated_at, signed_off_by, "
        "signed_off_at, approver) VALUES (%(quote_id)s, %(revision)s, %(status)s, "
        "%(quote_file)s, %(priced)s, %(price_book)s, %(price_book_sha256)s, %(created_at)s, "
        "%(updated_at)s, %(signed_off_by)s, %(signed_off_at)s, %(approver)s) "
        "ON CONFLICT (quote_id, revision) DO UPDATE SET status = excluded.status, "
        "quote_file = excluded.quote_file, priced = excluded.priced, "
        "price_book = excluded.price_book, price_book_sha256 = excluded.price_book_sha256, "
        "updated_at = excluded.updated_at, signed_off_by = excluded.signed_off_by, "
        "signed_off_at = excluded.signed_off_at, approver = excluded.approver",
        vars(revision),
    )


# Tables a laptop pulls, each row stamped with change_id and change_xid (schema.py).
SHARED_TABLES = (
    "profile", "price_books", "licences", "customer_languages", "quotes", "revisions",
    "approvals",
)  # fmt: skip


def changes_since(
    conn: psycopg.Connection[Any], table: str, since: int
) -> tuple[list[dict[str, Any]], int]:
    """The rows of `table` this login may read that were written at or after the cursor
    `since` (0: everything), in the order they were written, and the cursor for the next
    pull. Runs in its own read-only REPEATABLE READ transaction: call it outside one."""
    if table not in SHARED_TABLES:
        raise ValueError(f"{table} is not a shared table")
    if conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
        raise TeamError("a pull runs in a transaction of its own")
    with conn.cursor(row_factory=psycopg.rows.dict_row) as cur:
        cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cur.execute("SELECT quotedesk.pull_horizon()::text AS horizon")
        horizon = int(cast(dict[str, Any], cur.fetchone())["horizon"])
        cur.execute(
            sql.SQL(
                "SELECT * FROM quotedesk.{} WHERE change_xid >= %s::text::xid8 "
                "AND change_xid < %s::text::xid8 ORDER BY change_xid, change_id"
            ).format(sql.Identifier(table)),
            [since, horizon],
        )
        rows = cur.fetchall()
    conn.commit()
    return rows, horizon
