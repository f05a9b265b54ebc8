"""How the team server's approvals are read (R-TEAM-5): by the approvals' commands and
view, and by each sync round, which brings the decisions on this login's drafts home so
that an approved draft is signed off offline without opening the Approvals view."""

from __future__ import annotations

from typing import Any, LiteralString

import psycopg
import psycopg.rows

from quotedesk.store.approvals import Approval

_SELECT: LiteralString = (
    "SELECT a.id, q.number, a.revision, q.customer, q.owner, a.content_sha256, "
    "a.requested_by, a.requested_at, a.request_comment, a.decision, a.decided_by, "
    "a.decided_at, a.decision_comment, "
    "coalesce(r.priced::jsonb ->> 'currency', '') AS currency, "
    "coalesce(r.priced::jsonb ->> 'total', '') AS total, "
    "coalesce((SELECT max((l ->> 'discount_pct')::numeric)::text "
    "  FROM jsonb_array_elements(CASE WHEN jsonb_typeof(r.quote_file::jsonb -> 'lines') = 'array' "
    "    THEN r.quote_file::jsonb -> 'lines' ELSE '[]' END) AS l "
    "  WHERE jsonb_typeof(l) = 'object' "
    r"    AND l ->> 'discount_pct' ~ '^\s*[0-9]{1,6}(\.[0-9]{1,6})?\s*$'), '') AS discount_pct "
    "FROM quotedesk.approvals a JOIN quotedesk.quotes q ON q.id = a.quote_id "
    "JOIN quotedesk.revisions r ON r.quote_id = a.quote_id AND r.revision = a.revision "
)


def many(conn: psycopg.Connection[Any], where: LiteralString, params: list[Any]) -> list[Approval]:
    with conn.cursor(row_factory=psycopg.rows.dict_row) as cur:
        cur.execute(_SELECT + where, params)
        return [Approval(**row) for row in cur.fetchall()]


def on_drafts(conn: psycopg.Connection[Any]) -> list[Approval]:
    """Every request on a revision still a draft that this login may read (the server's
    row-level security says which: a rep's own, a manager's team's): the only ones a
    sign-off asks about. Those on signed-off revisions stay as last seen."""
    return many(conn, "WHERE r.status = 'draft' ORDER BY a.id", [])
