"""The reseller profile (company, discounts, numbering, defaults) as key/value settings
rows, so a field added to ResellerProfile later needs no migration."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import fields
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from quotedesk.core.messages import LANGUAGES
from quotedesk.core.quotes.model import CURRENCIES
from quotedesk.core.records import ResellerProfile, web_address
from quotedesk.store.errors import StoreError

if TYPE_CHECKING:
    from sqlite_utils import Database

PREFIX = re.compile(r"[A-Za-z0-9]+(?:[_-][A-Za-z0-9]+)*")


def load(conn: sqlite3.Connection) -> ResellerProfile:
    return from_settings(dict(conn.execute("SELECT key, value FROM settings").fetchall()))


def from_settings(stored: dict[str, str]) -> ResellerProfile:
    """Settings text back into typed fields; every field has a default of its own type."""
    defaults = ResellerProfile()
    values: dict[str, Any] = {}
    for f in fields(ResellerProfile):
        if f.name in stored:
            values[f.name] = type(getattr(defaults, f.name))(stored[f.name])
    return ResellerProfile(**values)


def save(db: Database, profile: ResellerProfile) -> None:
    """Validate and write every field; call inside a write transaction."""
    check(profile)
    db.conn.executemany(
        "INSERT INTO settings (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [(f.name, str(getattr(profile, f.name))) for f in fields(profile)],
    )


def check(profile: ResellerProfile) -> None:
    problems = []
    if not PREFIX.fullmatch(profile.number_prefix) or len(profile.number_prefix) > 16:
        problems.append(
            f"number prefix {profile.number_prefix!r} must be letters and digits "
            "(up to 16, - or _ between them)"
        )
    for name in ("partner_discount_pct", "approval_threshold_pct"):
        value = getattr(profile, name)
        if not isinstance(value, Decimal) or not Decimal(0) <= value <= Decimal(100):
            problems.append(f"{name} must be a percentage from 0 to 100, not {value}")
    if profile.default_currency not in CURRENCIES:
        problems.append(f"default currency must be one of {', '.join(CURRENCIES)}")
    if profile.default_language not in LANGUAGES:
        problems.append(f"default language must be one of {', '.join(LANGUAGES)}")
    if not 1 <= profile.validity_days <= 365:
        problems.append("validity must be from 1 to 365 days")
    if profile.timestamp_url and not web_address(profile.timestamp_url):
        problems.append(
            f"timestamp authority {profile.timestamp_url!r} must be an http:// or https:// address"
        )
    if problems:
        raise StoreError("; ".join(problems))
