"""R-Q-3: how long a quote is valid, and when a committed quote counts as expired."""

from __future__ import annotations

from datetime import date, timedelta

from quotedesk.core.quotes.lifecycle import EXPIRING, Status


def valid_until(quote_date: date, validity_days: int) -> date:
    return quote_date + timedelta(days=validity_days)


def is_expired(until: date | str, today: date) -> bool:
    """Past its last valid day (`until` as a date or its ISO text)."""
    return (until if isinstance(until, str) else until.isoformat()) < today.isoformat()


def status_on(status: Status, until: date | str, today: date) -> Status:
    """The status shown on `today`: a signed-off or sent quote past its validity is expired."""
    return Status.EXPIRED if status in EXPIRING and is_expired(until, today) else status


def expired_sql(status: str = "status", until: str = "valid_until", today: str = ":today") -> str:
    """The same test as an SQL condition, for the store's list and filters."""
    statuses = ", ".join(f"'{s}'" for s in EXPIRING)
    return f"{status} IN ({statuses}) AND {until} < {today}"


def still_valid_sql(until: str = "valid_until", today: str = ":today") -> str:
    """Not past its last valid day, as an SQL condition (the negation of `is_expired`)."""
    return f"{until} >= {today}"
