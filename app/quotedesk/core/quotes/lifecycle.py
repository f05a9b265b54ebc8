"""R-Q-2: the statuses of a quote revision and the moves between them.

A revision starts as a draft, the only status in which it can be edited. Signing it off
freezes it; after that it may only be recorded as sent to, then accepted by, the customer.
Revising is not a move: the signed-off revision stays as it is and the next revision
starts as a new draft. The values are the text kept in the database, so they never change.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType


class Status(StrEnum):
    DRAFT = "draft"
    SIGNED_OFF = "signed_off"
    SENT = "sent"
    ACCEPTED = "accepted"
    # Never stored: how a signed-off or sent quote past its validity is shown (R-Q-3).
    EXPIRED = "expired"

    @property
    def editable(self) -> bool:
        return self is Status.DRAFT


# Every move a stored status may make (its keys are the statuses a revision is stored
# with). The local store's and the team server's triggers allow exactly these; the
# lifecycle tests of tests/store and tests/team hold them to it.
MOVES: Mapping[Status, frozenset[Status]] = MappingProxyType(
    {
        Status.DRAFT: frozenset({Status.SIGNED_OFF}),
        Status.SIGNED_OFF: frozenset({Status.SENT, Status.ACCEPTED}),
        Status.SENT: frozenset({Status.ACCEPTED}),
        Status.ACCEPTED: frozenset(),
    }
)
# Moves a person records by hand once the quote is signed off.
SET_BY_HAND = (Status.SENT, Status.ACCEPTED)
# Statuses that become "expired" once today is past valid_until: a draft is not yet a
# commitment, and an accepted quote was accepted in time.
EXPIRING = (Status.SIGNED_OFF, Status.SENT)
