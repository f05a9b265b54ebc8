"""What an operation changed, so a front end redraws what shows it and nothing else."""

from __future__ import annotations

from typing import NamedTuple


# A NamedTuple, not a dataclass: `quotedesk price` reaches this module through the
# price-book chooser, and the dataclasses module costs its start-up several milliseconds.
class OpChanges(NamedTuple):
    quotes: bool = False  # a quote or revision was added or changed (the list shows it)
    licences: bool = False  # the licence register (the Renewals view shows it)
    price_books: bool = False  # a book was imported, or the active one chosen
    profile: bool = False  # the reseller profile: drafts price with its defaults
    quote: str | None = None  # the number of the one quote changed, when it was one

    def __or__(self, other: OpChanges) -> OpChanges:
        return OpChanges(
            self.quotes or other.quotes,
            self.licences or other.licences,
            self.price_books or other.price_books,
            self.profile or other.profile,
            other.quote or self.quote,
        )
