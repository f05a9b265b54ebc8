"""R-TEAM-3: the team server allows exactly the status moves of core.quotes.lifecycle, as the
local store does. Each move is tried by the quote's owner on a revision in the starting
status, with the signed-off columns the target status needs, then rolled back."""

from __future__ import annotations

import psycopg

from quotedesk.core.quotes.lifecycle import MOVES, Status
from quotedesk.team.server import put_revision

from .conftest import revision


def _moved(conn: psycopg.Connection, quote: str, rev: int, new: Status) -> bool:
    try:
        with conn.transaction(force_rollback=True):
            conn.execute(
                "UPDATE quotedesk.revisions SET status = %(new)s, signed_off_by = CASE "
                "WHEN %(new)s = 'draft' THEN NULL ELSE coalesce(signed_off_by, 'Ana Lima') END, "
                "signed_off_at = CASE "
                "WHEN %(new)s = 'draft' THEN NULL ELSE coalesce(signed_off_at, now()) END "
                "WHERE quote_id = %(quote)s AND revision = %(rev)s",
                {"new": new, "quote": quote, "rev": rev},
            )
    except psycopg.errors.RaiseException as refused:
        assert "R-TEAM-3" in str(refused), refused
        return False
    return True


def test_the_server_allows_exactly_the_lifecycle_moves(team):
    allowed = set()
    with team.connect("ana") as conn:
        conn.autocommit = True
        for old in MOVES:
            quote, _ = team.new_quote("ana")
            if old != Status.DRAFT:  # revision 2 starts in `old`
                put_revision(conn, revision(quote, number=2, status=old))
            rev = 1 if old == Status.DRAFT else 2
            for new in MOVES:
                if new != old and _moved(conn, quote, rev, new):
                    allowed.add((old, new))
    assert allowed == {(old, new) for old in MOVES for new in MOVES[old]}
