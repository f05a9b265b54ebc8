"""What a PDF quote is made of, and the fingerprint that ties the print to its data."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from quotedesk.core.io.output import write_file
from quotedesk.core.money import FloatLiteral
from quotedesk.core.priced import PricedQuote, read_priced
from quotedesk.core.quotes.lifecycle import Status
from quotedesk.core.quotes.model import quote_json
from quotedesk.core.quotes.number import quote_label
from quotedesk.core.records import ResellerProfile, StoredRevision


class PdfError(Exception):
    """A PDF cannot be made, signed or read; the message says why in one line."""


@dataclass(frozen=True, slots=True)
class QuoteDocument:
    quote_file: Mapping[str, Any]  # the quote file (schema 1) as given
    # The priced output (SPEC section 3) as saved, attached and fingerprinted as it is.
    priced: dict[str, Any]
    number: str | None
    revision: int | None
    status: Status
    profile: ResellerProfile
    signed_off_by: str | None = None
    signed_off_at: datetime | None = None
    # Alternatives for a comparison page (core.scenarios, as `Scenario.to_dict` without
    # its quote): printed after the quote, never attached or fingerprinted.
    scenarios: tuple[Mapping[str, Any], ...] = ()
    # `priced` read once as typed values: all the pages print of it.
    priced_quote: PricedQuote = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "priced_quote", read_priced(self.priced))

    @classmethod
    def from_revision(cls, stored: StoredRevision, profile: ResellerProfile) -> QuoteDocument:
        return cls(
            stored.quote_file,
            stored.priced,
            stored.number,
            stored.revision,
            stored.status,
            profile,
            stored.signed_off_by,
            stored.signed_off_at,
        )

    @property
    def label(self) -> str:
        return "" if self.number is None else quote_label(self.number, self.revision)

    @property
    def draft(self) -> bool:
        """Printed with the DRAFT watermark: every other status is a commitment."""
        return self.status == Status.DRAFT

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.quote_file, self.priced)

    @property
    def customer(self) -> dict[str, str]:
        """The customer's text fields. The quote file is kept as given (R-Q-5), so any of
        its values may be of the wrong type: those print as nothing (they are R-INPUT)."""
        customer = self.quote_file.get("customer")
        if not isinstance(customer, dict):
            return {}
        return {k: v for k, v in customer.items() if isinstance(v, str)}

    def text(self, name: str) -> str:
        """A top-level text field of the quote file ("notes"), "" when absent or not text."""
        value = self.quote_file.get(name)
        return value if isinstance(value, str) else ""


def canonical_json(value: Any) -> bytes:
    # quote_json: a quote file's numbers are attached as given, never as strings (R-Q-5).
    # Without such a number json.dumps writes the same text in a tenth of the time (a
    # 200-line quote's priced result holds 11,000 values).
    try:
        if _holds_literal(value):
            return quote_json(value, sort_keys=True).encode()
        return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    except UnicodeEncodeError as exc:  # a "\ud800" escape, kept in a field the core ignores
        bad = exc.object[exc.start : exc.end]
        raise PdfError(f"text with an unpaired surrogate {bad!r} cannot be attached") from None


def _holds_literal(value: Any) -> bool:
    if isinstance(value, dict):
        return any(map(_holds_literal, value.values()))
    if isinstance(value, list | tuple):
        return any(map(_holds_literal, value))
    return isinstance(value, FloatLiteral)


def canonical_priced_json(priced: dict[str, Any]) -> bytes:
    """canonical_json of a priced result, which is never read with float literals kept
    as text (its amounts are decimal strings): the C encoder, with nothing to look for."""
    return json.dumps(priced, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def fingerprint(quote_file: Mapping[str, Any], priced: dict[str, Any]) -> str:
    """SHA-256 of the quote and its priced result, as printed in every page's footer: the
    hash of the two attached files (canonical JSON), so anyone can recompute it."""
    return fingerprint_of(canonical_json(quote_file), canonical_priced_json(priced))


def fingerprint_of(quote_json: bytes, priced_json: bytes) -> str:
    return hashlib.sha256(quote_json + b"\n" + priced_json).hexdigest()


def write_pdf(path: Path, data: bytes) -> None:
    """Write whole or not at all, through a symlink, with the user's umask; a target that
    is not a regular file (/dev/full, a folder) is refused. Raises OSError with the reason."""
    write_file(path, data)
