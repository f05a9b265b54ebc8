"""The reseller profile: its defaults price every draft (partner discount, validity)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from quotedesk.core.records import ResellerProfile
from quotedesk.operations.changes import OpChanges

if TYPE_CHECKING:
    from quotedesk.store import QuoteStore


def save_profile(store: QuoteStore, profile: ResellerProfile) -> OpChanges:
    store.save_profile(profile)
    return OpChanges(profile=True)
