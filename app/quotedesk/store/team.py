"""Which team this laptop joined, kept in its local store (the `team` table). No row:
Quote Desk is single-user and needs no server."""

from __future__ import annotations

import sqlite3
import uuid
from dataclasses import astuple, dataclass

from quotedesk.core.quotes.number import PROVISIONAL_YEAR, QuoteNumber, provisional_prefix
from quotedesk.store.database import OpenDatabase, translate_errors, write_transaction
from quotedesk.store.rows import now

ROLES = ("rep", "manager")
PASSWORD_PLACES = ("keyring", "passfile")


@dataclass(frozen=True, slots=True)
class Membership:
    team_id: str  # the team's id on its server (a UUID)
    server: str  # libpq connection string without user or password
    login: str
    role: str  # one of ROLES, as the server said when this laptop joined
    device_id: str  # this laptop on the server (a UUID)
    password_in: str  # one of PASSWORD_PLACES
    joined_at: str  # ISO 8601, UTC


_COLUMNS = "team_id, server, login, role, device_id, password_in, joined_at"


def membership(store: OpenDatabase) -> Membership | None:
    with translate_errors(store.path):
        row = store.conn.execute(f"SELECT {_COLUMNS} FROM team").fetchone()
    return Membership(*row) if row else None


def owners(store: OpenDatabase) -> dict[str, str]:
    """Quote number -> the login that owns it on the team's server; quotes made before
    joining are this laptop's alone and are not listed."""
    with translate_errors(store.path):
        return dict(
            store.conn.execute(
                "SELECT q.number, t.owner FROM quotes q JOIN team_quotes t ON t.quote_id = q.id"
            ).fetchall()
        )


def remember(store: OpenDatabase, member: Membership) -> None:
    """Join (or join again): one team per laptop."""
    with translate_errors(store.path), write_transaction(store.db):
        store.conn.execute("DELETE FROM team")
        store.conn.execute(
            f"INSERT INTO team (id, {_COLUMNS}) VALUES (1, ?, ?, ?, ?, ?, ?, ?)", astuple(member)
        )


def forget(store: OpenDatabase) -> None:
    with translate_errors(store.path), write_transaction(store.db):
        store.conn.execute("DELETE FROM team")


def enqueue(conn: sqlite3.Connection, kind: str, ref: str) -> None:
    """Record in the outbox, inside the caller's write transaction, that `ref` (of `kind`)
    changed and must reach the team: what the store's triggers do for quotes, for a change
    no trigger sees. As they do, a newer change of the same thing replaces the waiting one,
    under a new key, at the end of the queue. Nothing when single-user."""
    if conn.execute("SELECT 1 FROM team").fetchone() is None:
        return
    conn.execute("DELETE FROM team_outbox WHERE kind = ? AND ref = ?", [kind, ref])
    conn.execute(
        "INSERT INTO team_outbox (key, kind, ref, made_at) VALUES (?, ?, ?, ?)",
        [str(uuid.uuid4()), kind, ref, now()],
    )


def take_number(
    conn: sqlite3.Connection, prefix: str, year: int
) -> tuple[str, str, int, int] | None:
    """(number, prefix, year, seq) for a new quote in team mode: the next number of the
    blocks this laptop holds, else a provisional label (R-TEAM-2). None when single-user:
    the store numbers it on its own. Call inside the quote's write transaction."""
    member = conn.execute("SELECT device_id FROM team").fetchone()
    if member is None:
        return None
    numbered = next_team_number(conn, prefix, year)
    if numbered is not None:
        return numbered[0], prefix, year, numbered[1]
    label_prefix = provisional_prefix(prefix, member[0])
    n = conn.execute(
        "SELECT coalesce(max(seq), 0) + 1 FROM quotes WHERE prefix = ? AND year = ?",
        [label_prefix, PROVISIONAL_YEAR],
    ).fetchone()[0]
    return QuoteNumber.provisional(prefix, member[0], n).number, label_prefix, PROVISIONAL_YEAR, n


def next_team_number(conn: sqlite3.Connection, prefix: str, year: int) -> tuple[str, int] | None:
    """(number, seq): the next number of the blocks this laptop holds, taken; None when
    they are used up. A number a quote made here before joining already has is passed
    over (it stays unused: a team number is never given twice)."""
    while True:
        block = conn.execute(
            "SELECT first, next FROM team_number_blocks WHERE next <= last ORDER BY first LIMIT 1"
        ).fetchone()
        if block is None:
            return None
        conn.execute("UPDATE team_number_blocks SET next = next + 1 WHERE first = ?", [block[0]])
        number = QuoteNumber.first(prefix, year, block[1]).number
        taken = conn.execute(
            "SELECT 1 FROM quotes WHERE number = ? OR (prefix = ? AND year = ? AND seq = ?)",
            [number, prefix, year, block[1]],
        ).fetchone()
        if taken is None:
            return number, block[1]
