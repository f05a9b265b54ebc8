"""`quotedesk compare QUOTE.json [--json] [--catalog PATH] [--db PATH]`: the quote's scenarios
side by side, priced with the store's reseller profile as the window prices
them. Exit codes as `price`: 1 when the quote as given has errors (an alternative's errors
are part of the comparison), 2 for unreadable input."""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from quotedesk.cli import EXIT_OK, EXIT_RULE, UsageError, add_db_option, say, write_output
from quotedesk.cli.inputs import load_inputs
from quotedesk.cli.price import add_arguments as add_price_arguments
from quotedesk.core.money import format_amount
from quotedesk.core.problems import Problem
from quotedesk.core.records import ResellerProfile
from quotedesk.core.scenarios import Scenario, compare

_COLUMNS = ("Scenario", "Lines changed", "Total", "Per user/month", "Warnings", "Errors")


def add_arguments(c: argparse.ArgumentParser) -> None:
    add_price_arguments(c)
    c.add_argument("--json", action="store_true", help="print JSON instead of a table")
    add_db_option(c)  # its reseller profile, as the window prices (none created)


def run(args: argparse.Namespace) -> int:
    try:
        today = date.fromisoformat(args.today) if args.today else date.today()
    except ValueError:
        raise UsageError(f"--today {args.today!r} is not a date (YYYY-MM-DD)") from None
    quote, book, rules = load_inputs(args.quote, args.catalog)  # every check, one message
    # The file as given, so each scenario keeps every field it does not change (R-Q-5).
    data = dict(quote.source)
    scenarios = compare(data, book, rules, today, profile=_profile(args.db))
    if args.json:
        document = {"scenarios": [s.to_dict() for s in scenarios]}
        say(json.dumps(document, indent=2, ensure_ascii=False))
    else:
        write_output(_report(scenarios).encode())
    return EXIT_RULE if scenarios[0].priced.errors else EXIT_OK


def _profile(db: str | None) -> ResellerProfile:
    """The store's profile when its database exists; comparing creates no database."""
    from quotedesk.store.database import default_db_path  # not the store: its default path

    path = Path(db) if db else default_db_path()
    if not path.exists():
        return ResellerProfile()
    from quotedesk.store.errors import StoreError  # the store loads only when its file exists
    from quotedesk.store.quotes import open_store

    try:
        with open_store(path) as store:
            return store.profile()
    except StoreError as exc:
        raise UsageError(str(exc)) from None


def _report(scenarios: tuple[Scenario, ...]) -> str:
    """A table of the scenarios, then the headroom and every problem an alternative adds.
    Lines count from 1 for people (R-Q-6)."""
    currency = scenarios[0].priced.currency
    rows = [(*_COLUMNS[:2], f"Total ({currency})", *_COLUMNS[3:])]
    # Totals right-aligned under their title; an incomplete one (lines in error are not
    # in it) says so after the amount.
    amounts = len(max((rows[0][2], *(format_amount(s.priced.total) for s in scenarios)), key=len))
    for s in scenarios:
        rows.append(
            (
                s.label,
                ", ".join(str(i + 1) for i in s.changed_lines) or "-",
                format_amount(s.priced.total).rjust(amounts)
                + ("" if s.complete else " (incomplete)"),
                "-" if s.per_user_month is None else format_amount(s.per_user_month),
                _codes(p.code for p in s.priced.warnings),
                _codes(p.code for p in s.priced.errors),
            )
        )
    widths = [max(len(row[c]) for row in rows) for c in range(len(_COLUMNS))]
    right = {3}  # amounts (totals are aligned above)
    out = [
        "  ".join(
            cell.rjust(w) if c in right else cell.ljust(w)
            for c, (cell, w) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in rows
    ]
    base = scenarios[0]
    # Looked up by key, not searched: a long quote has a warning or headroom on most lines,
    # and each scenario repeats most of them: searching is quadratic in the lines.
    base_headroom = set(base.headroom)
    base_warnings: dict[tuple[str, str, int | None], list[Problem]] = {}
    for p in base.priced.warnings:  # a Problem's params are a dict: not hashable
        base_warnings.setdefault((p.code, p.key, p.line), []).append(p)
    for s in scenarios:
        notes = [
            f"line {h.line + 1} {h.name}: {h.message}"
            for h in s.headroom
            if s is base or h not in base_headroom
        ]
        notes += [
            f"{kind} {p.code}{'' if p.line is None else f' line {p.line + 1}'}: {p.message}"
            for kind, problems in (("error", s.priced.errors), ("warning", s.priced.warnings))
            for p in problems
            if s is base or p not in base_warnings.get((p.code, p.key, p.line), ())
        ]
        if notes:
            out += ["", f"{s.label}:", *(f"  {note}" for note in notes)]
    return "\n".join(out) + "\n"


def _codes(codes: Iterable[str]) -> str:
    return ", ".join(dict.fromkeys(codes)) or "-"
