"""Calendar arithmetic for subscription periods.

A period runs from its start up to, not including, its end.

>>> add_months(date(2026, 1, 31), 1)
datetime.date(2026, 2, 28)
>>> full_months_between(date(2026, 11, 1), date(2027, 5, 1))
6
>>> full_months_between(date(2026, 11, 15), date(2027, 5, 1))
5
"""

from __future__ import annotations

from datetime import date
from functools import cache

from quotedesk.core.problems import Invalid, shown

# The years a quote's dates may fall in: far enough from datetime's year 9999 that every
# period end (a start plus at most quote.MAX_MONTHS) and validity date stays representable.
FIRST_YEAR, LAST_YEAR = 1900, 2999


@cache  # a quote asks for the same few periods on every line
def add_months(start: date, months: int) -> date:
    """Same day `months` later, clamped to the month's last day."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    if start.day <= 28:
        return date(year, month, start.day)
    # Last day of the target month, without `calendar` (it drags `locale` into start-up).
    following = date(year + month // 12, month % 12 + 1, 1)
    return date(year, month, min(start.day, (following - date(year, month, 1)).days))


def days_between(start: date, end: date) -> int:
    return (end - start).days


def full_months_between(start: date, end: date) -> int:
    """Whole months from `start` that fit before `end` (R-UPG-3 "remaining full months")."""
    if end <= start:
        return 0
    months = (end.year - start.year) * 12 + end.month - start.month
    while months > 0 and add_months(start, months) > end:
        months -= 1
    return months


def parse_iso_date(value: object) -> date:
    """Strict YYYY-MM-DD (date.fromisoformat alone also takes 2026-W05-1 and 20261120)
    in the years FIRST_YEAR to LAST_YEAR; raises ValueError with a readable message."""
    if not (
        isinstance(value, str)
        and len(value) == 10
        and value.isascii()
        and value[4] == value[7] == "-"
        and (value[:4] + value[5:7] + value[8:]).isdigit()
    ):
        raise Invalid("R-INPUT.not_date", value=shown(value))
    try:
        result = date.fromisoformat(value)
    except ValueError:
        raise Invalid("R-INPUT.not_date", value=repr(value)) from None
    if not FIRST_YEAR <= result.year <= LAST_YEAR:
        raise Invalid(
            "R-INPUT.date_range", value=repr(value), first=str(FIRST_YEAR), last=str(LAST_YEAR)
        )
    return result
