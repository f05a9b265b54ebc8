"""R-Q-2: a quote revision's statuses and the moves between them (core.quotes.lifecycle)."""

from __future__ import annotations

from quotedesk.core.quotes.lifecycle import MOVES, Status


def test_the_lifecycle_moves_a_draft_to_signed_off_then_sent_then_accepted():
    assert dict(MOVES) == {
        Status.DRAFT: {Status.SIGNED_OFF},
        Status.SIGNED_OFF: {Status.SENT, Status.ACCEPTED},
        Status.SENT: {Status.ACCEPTED},
        Status.ACCEPTED: set(),
    }
    # The text kept in the database: files made by every earlier Quote Desk hold it.
    assert [str(s) for s in Status] == ["draft", "signed_off", "sent", "accepted", "expired"]


def test_only_a_draft_is_editable():
    assert [s for s in Status if s.editable] == [Status.DRAFT]
