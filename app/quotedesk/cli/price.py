"""`quotedesk price QUOTE.json [--catalog PATH]`: the priced quote as JSON on stdout."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date

from quotedesk.cli import EXIT_OK, EXIT_RULE, UsageError, write_output
from quotedesk.cli.inputs import load_inputs
from quotedesk.core import price
from quotedesk.core.dates import parse_iso_date


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("quote", help="quote file (JSON, schema 1)")
    p.add_argument("--catalog", help="price book CSV (default: the illustrative sample)")
    p.add_argument("--today", help="date to check validity against (default: today)")


def run(args: argparse.Namespace) -> int:
    try:
        today = parse_iso_date(args.today) if args.today else date.today()
    except ValueError as exc:
        raise UsageError(f"--today {exc}") from None
    quote, book, rules = load_inputs(args.quote, args.catalog)
    priced = price(quote, book, rules, today)
    # Indented for a person at a terminal; compact for scripts (the C encoder only does
    # compact JSON: three times faster on a 200-line quote). One write either way, UTF-8
    # whatever the locale's encoding.
    indent = 2 if sys.stdout is not None and sys.stdout.isatty() else None
    text = json.dumps(priced.to_dict(), indent=indent, ensure_ascii=False) + "\n"
    write_output(text.encode("utf-8"))
    return EXIT_RULE if priced.errors else EXIT_OK
