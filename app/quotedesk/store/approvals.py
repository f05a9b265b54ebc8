"""Approvals as this laptop last saw them on the team server (R-TEAM-5), kept in the local
store so that an approved draft is signed off offline, and what sign-off asks of them in
team mode: a manual discount above the threshold is signed off only with a manager's
approval of the draft's very text, whose approver is that manager's server login.

The cache is a convenience, not a safeguard: the server checks the approval again when
the sign-off reaches it, so a row written here by hand approves nothing there."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import astuple, dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from quotedesk.core.problems import Refused
from quotedesk.core.quotes.number import quote_label
from quotedesk.core.quotes.signoff import discounts_over
from quotedesk.store.database import OpenDatabase, translate_errors, write_transaction
from quotedesk.store.errors import NotFound
from quotedesk.store.team import membership


@dataclass(frozen=True, slots=True)
class Approval:
    """One request and its decision (None while pending), as the server recorded them."""

    id: int  # the server's
    number: str
    revision: int
    customer: str
    owner: str  # the login owning the quote
    content_sha256: str
    requested_by: str
    requested_at: datetime
    request_comment: str
    decision: str | None = None  # "approved" or "rejected"
    decided_by: str | None = None  # the manager's server login
    decided_at: datetime | None = None
    decision_comment: str | None = None
    # The revision as the server holds it: its total, and its highest manual discount.
    currency: str = ""
    total: str = ""  # a decimal string, as priced
    discount_pct: str = ""

    @property
    def label(self) -> str:
        return quote_label(self.number, self.revision)


_COLUMNS = (
    "id, number, revision, customer, owner, content_sha256, requested_by, requested_at, "
    "request_comment, decision, decided_by, decided_at, decision_comment, currency, total, "
    "discount_pct"
)


def content_sha256(quote_file_text: str) -> str:
    """What an approval is about, computed as the server computes it."""
    return hashlib.sha256(quote_file_text.encode("utf-8", "surrogatepass")).hexdigest()


def remember(store: OpenDatabase, approvals: Iterable[Approval]) -> None:
    """Keep the server's view of these requests (a later look replaces an earlier one)."""
    values = [
        [*astuple(a)[:7], a.requested_at.isoformat(), *astuple(a)[8:11],
         a.decided_at.isoformat() if a.decided_at else None, *astuple(a)[12:]]
        for a in approvals
    ]  # fmt: skip
    with translate_errors(store.path), write_transaction(store.db):
        store.conn.executemany(
            f"INSERT OR REPLACE INTO approvals ({_COLUMNS}) VALUES ({', '.join('?' * 16)})",
            values,
        )


def remembered(store: OpenDatabase) -> list[Approval]:
    """Every request kept here, newest first."""
    with translate_errors(store.path):
        found = store.conn.execute(f"SELECT {_COLUMNS} FROM approvals ORDER BY id DESC")
        return [_approval(row) for row in found]


def _approval(row: tuple[Any, ...]) -> Approval:
    values = list(row)
    values[7] = datetime.fromisoformat(values[7])
    values[11] = datetime.fromisoformat(values[11]) if values[11] else None
    return Approval(*values)


@dataclass(frozen=True, slots=True)
class Draft:
    """A quote's latest revision as stored, text for text: what a request is about."""

    number: str
    revision: int
    status: str
    quote_file: str
    created_at: str
    updated_at: str
    quote_id: int  # the local row's: a provisional label changes when sync numbers it
    team_id: str | None  # the quote's id on the team server (None: not a team quote)

    @property
    def label(self) -> str:
        return quote_label(self.number, self.revision)


def latest_draft(store: OpenDatabase, number: str | int) -> Draft:
    """By quote number, or by the local row's id."""
    where = "q.id = ?" if isinstance(number, int) else "q.number = ?"
    with translate_errors(store.path):
        row = store.conn.execute(
            "SELECT q.number, r.revision, r.status, r.quote_file, r.created_at, r.updated_at, "
            "q.id, t.uuid FROM quotes q JOIN revisions r ON r.quote_id = q.id "
            "LEFT JOIN team_quotes t ON t.quote_id = q.id "
            f"WHERE {where} AND r.revision = q.revision",
            [number],
        ).fetchone()
    if row is None:
        raise NotFound(f"no quote {number}")
    return Draft(*row)


def approver_of(
    store: OpenDatabase, number: str, revision: int, quote_file_text: str
) -> str | None:
    """The manager who approved this very text of the revision, as last seen."""
    with translate_errors(store.path):
        row = store.conn.execute(
            "SELECT decided_by FROM approvals WHERE number = ? AND revision = ? "
            "AND decision = 'approved' AND content_sha256 = ? ORDER BY decided_at DESC LIMIT 1",
            [number, revision, content_sha256(quote_file_text)],
        ).fetchone()
    return str(row[0]) if row else None


def approver_in_team(store: OpenDatabase, number: str) -> str | None:
    """In team mode, the manager who approved the latest draft of `number` as it is now
    (None: no such approval, or single-user)."""
    if membership(store) is None:
        return None
    draft = latest_draft(store, number)
    return approver_of(store, draft.number, draft.revision, draft.quote_file)


def team_approver(
    store: OpenDatabase,
    latest: dict[str, Any],
    quote_file: dict[str, Any],
    threshold: Decimal,
    approver: str | None,
) -> str | None:
    """In team mode the approver of a sign-off is the manager whose approval of this text
    was recorded by the server (None when no discount needs one); a name typed instead,
    or no approval, is refused here as the server would refuse it at the next sync."""
    label = quote_label(latest["number"], latest["revision"])
    approved = approver_of(store, latest["number"], latest["revision"], latest["quote_file"])
    over = discounts_over(quote_file, threshold)
    if over and approved is None:
        line, pct = over[0]
        raise Refused(
            f"{label} cannot be signed off: the manual discount of {pct}% on line {line + 1} "
            f"is above the approval threshold of {threshold}% and this draft has no "
            f"manager's approval; run `quotedesk approvals request {latest['number']}`"
            + _changed_since(store, latest),
            "R-TEAM-5",
        )
    found = approved if over else None
    if approver is not None and approver != found:
        raise Refused(
            f"{label} cannot be signed off with {approver} as approver: in a team the "
            f"approver is the manager who approved it on the server ({found or 'nobody'})",
            "R-TEAM-5",
        )
    return found


def _changed_since(store: OpenDatabase, latest: dict[str, Any]) -> str:
    """Why an approval seen for this revision does not count: its text changed since."""
    row = store.conn.execute(
        "SELECT decided_by FROM approvals WHERE number = ? AND revision = ? "
        "AND decision = 'approved' LIMIT 1",
        [latest["number"], latest["revision"]],
    ).fetchone()
    return f" again (the draft changed after {row[0]} approved it)" if row else ""
