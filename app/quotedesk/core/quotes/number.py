"""R-Q-1: a quote's number and revision, and its label as printed (QD-2026-00042-R2).
In team mode a quote made while the laptop's number block is empty carries a provisional
label, QD-DRAFT-<device>-<n> (R-TEAM-2), until a sync numbers it."""

from __future__ import annotations

import re
from typing import NamedTuple

# PREFIX-YYYY-NNNNN or PREFIX-DRAFT-<device>-<n>, optionally followed by the revision
# suffix -R2.
_PATTERN = re.compile(
    r"(?P<number>(?P<prefix>.+)-(?P<year>\d{4})-(?P<seq>\d{5,})"
    r"|(?P<draft>.+-DRAFT-[0-9a-f]{8})-(?P<n>\d+))(?:-R(?P<rev>\d+))?"
)
PROVISIONAL_YEAR = 0  # the year column of a provisional label


class QuoteNumber(NamedTuple):
    number: str  # "QD-2026-00042"
    revision: int | None = None  # None: not named (the latest, where that applies)

    @classmethod
    def first(cls, prefix: str, year: int, seq: int) -> QuoteNumber:
        """Revision 1 of the `seq`-th quote of `year`."""
        return cls(f"{prefix}-{year}-{seq:05d}", 1)

    @classmethod
    def parse(cls, text: str) -> QuoteNumber | None:
        """ "QD-2026-00042-R2" -> QuoteNumber("QD-2026-00042", 2); None when it is not one."""
        match = _PATTERN.fullmatch(text)
        if match is None:
            return None
        return cls(match["number"], int(match["rev"]) if match["rev"] else None)

    @classmethod
    def provisional(cls, prefix: str, device_id: str, n: int) -> QuoteNumber:
        """Revision 1 of the `n`-th quote this device made with no number left (R-TEAM-2)."""
        return cls(f"{provisional_prefix(prefix, device_id)}-{n}", 1)

    @property
    def parts(self) -> tuple[str, int, int]:
        """(prefix, year, sequence number) of a valid number; a provisional label's year
        is PROVISIONAL_YEAR."""
        match = _PATTERN.fullmatch(self.number)
        if match is not None and match["draft"]:
            return match["draft"], PROVISIONAL_YEAR, int(match["n"])
        prefix, year, seq = self.number.rsplit("-", 2)
        return prefix, int(year), int(seq)

    @property
    def label(self) -> str:
        """As printed: the first revision has no suffix, later ones -R2, -R3, ..."""
        return self.number if (self.revision or 1) == 1 else self.key

    @property
    def key(self) -> str:
        """This very revision, -R1 included: a bare number names the latest revision."""
        return f"{self.number}-R{self.revision or 1}"

    def __str__(self) -> str:
        return self.label


class Numbered:
    """The label and key of a record of one revision of a quote (a row of the list, a
    revision as saved, a signed export)."""

    __slots__ = ()
    number: str
    revision: int

    @property
    def label(self) -> str:
        """The number as printed: revisions after the first get a suffix, QD-2026-00042-R2."""
        return quote_label(self.number, self.revision)

    @property
    def key(self) -> str:
        """This very revision for the store's get(): a bare number names the latest one."""
        return revision_key(self.number, self.revision)


def quote_label(number: str, revision: int | None) -> str:
    return QuoteNumber(number, revision).label


def revision_key(number: str, revision: int) -> str:
    return QuoteNumber(number, revision).key


def provisional_prefix(prefix: str, device_id: str) -> str:
    return f"{prefix}-DRAFT-{device_id.replace('-', '')[:8].lower()}"
