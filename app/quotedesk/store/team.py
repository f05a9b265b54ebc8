"""Which team this laptop joined, kept in its local store (the `team` table). No row:
Quote Desk is single-user and needs no server."""

from __future__ import annotations

from dataclasses import astuple, dataclass
from typing import TYPE_CHECKING

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
