"""R-RESELL-2: a renewal or upgrade names the licence it renews, by its SEN (Data
Center) or its site URL (cloud), so the order reaches the right licence."""

from __future__ import annotations

from quotedesk.core.problems import ProblemLog
from quotedesk.core.quotes.model import ProductLine, Quote

# The field that names a line's licence, by deployment.
REFERENCE_FIELDS = {"datacenter": "sen", "cloud": "site_url"}


def check_licence_references(quote: Quote, log: ProblemLog) -> None:
    """Warn on each renewal or upgrade line that names no licence. An app line without
    its own reference is covered by its parent's: the app renews with that licence."""
    for i, line in enumerate(quote.lines):
        if not isinstance(line, ProductLine) or line.deployment not in REFERENCE_FIELDS:
            continue
        parent = _parent(quote, line)
        action = line.action or (parent.action if parent is not None else None)
        if action not in ("renew", "upgrade"):
            continue
        field = REFERENCE_FIELDS[line.deployment]
        if _names_licence(quote, i, field) or (
            parent is not None
            and line.parent is not None
            and parent.deployment == line.deployment
            and _names_licence(quote, line.parent, field)
        ):
            continue
        log.warn("R-RESELL-2", f"R-RESELL-2.{field}", i)


def _parent(quote: Quote, line: ProductLine) -> ProductLine | None:
    if not line.is_app or line.parent is None or line.parent >= len(quote.lines):
        return None
    parent = quote.lines[line.parent]
    return parent if isinstance(parent, ProductLine) else None


def _names_licence(quote: Quote, index: int, field: str) -> bool:
    """The line gives the field: valid, or invalid and so already an R-INPUT error (one
    problem is enough for one bad value)."""
    if getattr(quote.lines[index], field) is not None:
        return True
    raw_lines = quote.source.get("lines")
    raw = raw_lines[index] if isinstance(raw_lines, list) and index < len(raw_lines) else None
    return isinstance(raw, dict) and raw.get(field) is not None
