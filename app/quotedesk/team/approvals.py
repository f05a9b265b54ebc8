"""Approvals on the team server (R-TEAM-5): a rep asks for one on a draft that
R-DISC-MANUAL holds back, a manager approves or rejects it with a comment.

The server is the authority: it stamps who asked and when, who decided and when (the
login connected, never a name the client sends), keeps the SHA-256 of the text asked
about, and refuses a decision by a rep or on one's own quote (team/schema.py). These
functions only ask it, and keep what it answered in the local store, so that the
approved draft is signed off offline. A request is about the draft the server holds,
which team sync puts there: `send_request` syncs, then asks."""

from __future__ import annotations

import json
from typing import Any, LiteralString

import psycopg
import psycopg.rows

from quotedesk.core.quotes.lifecycle import Status
from quotedesk.core.quotes.signoff import discounts_over
from quotedesk.store import approvals as cache
from quotedesk.store.approvals import Approval
from quotedesk.store.quotes import QuoteStore
from quotedesk.team import credentials
from quotedesk.team.approval_rows import many
from quotedesk.team.server import BadInput, TeamError, connect, member_role, refused
from quotedesk.team.sync import member_of, sync


def connected(store: QuoteStore) -> psycopg.Connection[Any]:
    """The team server, as the member this laptop joined as, logged in with the password
    kept when it joined (BadInput: not in a team)."""
    member = member_of(store)
    return connect(member.server, **credentials.connect_params(member))


def send_request(store: QuoteStore, number: str, comment: str = "") -> Approval:
    """Sync first, so the server holds the draft as this laptop has it (and a provisional
    label gets its number), then ask for a manager's approval of it."""
    quote_id = cache.latest_draft(store, number).quote_id
    sync(store)
    with connected(store) as conn:
        return request(conn, store, cache.latest_draft(store, quote_id).number, comment)


def fetch_requests(store: QuoteStore) -> list[Approval]:
    """The requests this login may see, as the server has them, kept in the local store."""
    with connected(store) as conn:
        found = requests(conn)
    cache.remember(store, found)
    return found


def send_decision(store: QuoteStore, number: str, decision: str, comment: str | None) -> Approval:
    """Approve or reject (`decision`: "approved" or "rejected", which needs a comment) the
    request waiting on quote `number`; the server records the login connected and the time,
    and the local store keeps its record."""
    with connected(store) as conn:
        made = _decide(conn, number, decision, comment)
    cache.remember(store, [made])
    return made


def request(
    conn: psycopg.Connection[Any], store: QuoteStore, number: str, comment: str = ""
) -> Approval:
    """Ask for a manager's approval of quote `number`'s latest draft, which the server
    must hold as this laptop does (sync puts it there): the request is about the text
    the server holds."""
    draft = cache.latest_draft(store, number)
    if draft.status != Status.DRAFT:
        raise TeamError(f"{draft.label} is signed off: approval is asked for a draft")
    threshold = store.profile().approval_threshold_pct
    if not discounts_over(json.loads(draft.quote_file), threshold):
        raise TeamError(
            f"{draft.label} needs no approval: no manual discount is above the approval "
            f"threshold of {threshold}%"
        )
    if draft.team_id is None:
        raise TeamError(f"{draft.label} was made before this laptop joined the team")
    try:
        with conn.transaction():
            held = conn.execute(
                "SELECT quote_file FROM quotedesk.revisions WHERE quote_id = %s AND revision = %s",
                [draft.team_id, draft.revision],
            ).fetchone()
            if held is None or cache.content_sha256(held[0]) != cache.content_sha256(
                draft.quote_file
            ):
                raise TeamError(
                    f"the team server does not hold {draft.label} as this laptop has it: "
                    "run `quotedesk team sync` (and see `quotedesk team conflicts`)"
                )
            row = conn.execute(
                "INSERT INTO quotedesk.approvals (quote_id, revision, request_comment) "
                "VALUES (%s, %s, %s) RETURNING id",
                [draft.team_id, draft.revision, comment.strip()],
            ).fetchone()
            assert row is not None  # RETURNING of an INSERT that did not raise
            made = _one(conn, "WHERE a.id = %s", [row[0]])
    except psycopg.Error as exc:
        raise refused(exc) from None
    cache.remember(store, [made])
    return made


def requests(conn: psycopg.Connection[Any]) -> list[Approval]:
    """For a manager, the team's requests waiting for a decision, oldest first; for a
    rep, their own requests with their decisions, newest first."""
    try:
        if member_role(conn) == "manager":
            found = many(conn, "WHERE a.decision IS NULL ORDER BY a.requested_at, a.id", [])
        else:
            found = many(conn, "WHERE q.owner = session_user ORDER BY a.id DESC", [])
        conn.commit()
    except psycopg.Error as exc:
        raise refused(exc) from None
    return found


def _decide(
    conn: psycopg.Connection[Any], number: str, decision: str, comment: str | None
) -> Approval:
    comment = (comment or "").strip() or None
    if decision == "rejected" and comment is None:
        raise BadInput("a rejection needs a comment saying why")
    try:
        with conn.transaction():
            pending = many(
                conn, "WHERE q.number = %s AND a.decision IS NULL ORDER BY a.id DESC",
                [number],
            )  # fmt: skip
            if not pending:
                raise TeamError(f"no approval request waiting for {number}")
            conn.execute(
                "UPDATE quotedesk.approvals SET decision = %s, decision_comment = %s WHERE id = %s",
                [decision, comment, pending[0].id],
            )
            return _one(conn, "WHERE a.id = %s", [pending[0].id])
    except psycopg.errors.InsufficientPrivilege:
        raise TeamError("R-TEAM-5: only a manager approves or rejects") from None
    except psycopg.Error as exc:
        raise refused(exc) from None


def _one(conn: psycopg.Connection[Any], where: LiteralString, params: list[Any]) -> Approval:
    found = many(conn, where, params)
    if not found:
        raise TeamError("the server did not keep the approval")
    return found[0]
