"""Which team this laptop joined, kept in its local store (the `team` table). No row:
Quote Desk is single-user and needs no server."""

from __future__ import annotations

import sqlite3
from dataclasses import astuple, dataclass
from typing import TYPE_CHECKING

from quotedesk.core.quote_number import PROVISIONAL_YEAR, QuoteNumber, provisional_prefix
from quotedesk.store.database import translate_errors, write_transaction

if TYPE_CHECKING:
    from quotedesk.store.quotes import QuoteStore

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


def membership(store: QuoteStore) -> Membership | None:
    with translate_errors(store.path):
        row = store.conn.execute(f"SELECT {_COLUMNS} FROM team").fetchone()
    return Membership(*row) if row else None


def owners(store: QuoteStore) -> dict[str, str]:
    """Quote number -> the login that owns it on the team's server; quotes made before
    joining are this laptop's alone and are not listed."""
    with translate_errors(store.path):
        return dict(
            store.conn.execute(
                "SELECT q.number, t.owner FROM quotes q JOIN team_quotes t ON t.quote_id = q.id"
            ).fetchall()
        )


def remember(store: QuoteStore, member: Membership) -> None:
    """Join (or join again): one team per laptop."""
    with translate_errors(store.path), write_transaction(store.db):
        store.conn.execute("DELETE FROM team")
        store.conn.execute(
            f"INSERT INTO team (id, {_COLUMNS}) VALUES (1, ?, ?, ?, ?, ?, ?, ?)", astuple(member)
        )


def forget(store: QuoteStore) -> None:
    with translate_errors(store.path), write_transaction(store.db):
        store.conn.execute("DELETE FROM team")


def take_number(
    conn: sqlite3.Connection, prefix: str, year: int
) -> tuple[str, str, int, int] | None:
    """(number, prefix, year, seq) for a new quote in team mode: the next number of the
    blocks this laptop holds, else a provisional label (R-TEAM-2). None when single-user:
    the store numbers it on its own. Call inside the quote's write transaction."""
    member = conn.execute("SELECT device_id FROM team").fetchone()
    if member is None:
        return None
    block = conn.execute(
        "SELECT first, next FROM team_number_blocks WHERE next <= last ORDER BY first LIMIT 1"
    ).fetchone()
    if block is not None:
        conn.execute("UPDATE team_number_blocks SET next = next + 1 WHERE first = ?", [block[0]])
        return QuoteNumber.first(prefix, year, block[1]).number, prefix, year, block[1]
    label_prefix = provisional_prefix(prefix, member[0])
    n = conn.execute(
        "SELECT coalesce(max(seq), 0) + 1 FROM quotes WHERE prefix = ? AND year = ?",
        [label_prefix, PROVISIONAL_YEAR],
    ).fetchone()[0]
    return QuoteNumber.provisional(prefix, member[0], n).number, label_prefix, PROVISIONAL_YEAR, n
