"""`quotedesk licences import FILE.csv | list [--expiring-within DAYS] [--json] |
renew SEN-or-URL... [--coterm YYYY-MM-DD]`. Exit 0 done, 1 refused by a
rule (or the database is busy), 2 bad input."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from quotedesk.cli import EXIT_INPUT, EXIT_OK, EXIT_RULE, UsageError, add_db_option, say
from quotedesk.cli.inputs import price_book_from
from quotedesk.core import load_rules
from quotedesk.core.dates import parse_iso_date
from quotedesk.core.io.files import read_file
from quotedesk.core.messages import counted
from quotedesk.core.problems import Refused
from quotedesk.core.renewals import Licence
from quotedesk.operations.licences import import_licences
from quotedesk.operations.renewals import renew
from quotedesk.store.errors import DatabaseBusy, StoreError
from quotedesk.store.licences import (
    COLUMNS,
    MAX_CSV_BYTES,
    Filters,
    LicenceImportError,
    LicenceRegister,
)
from quotedesk.store.quotes import open_store

LISTED_ROWS = 20  # bad rows listed one a line; the rest are counted (the window lists all)


def add_arguments(li: argparse.ArgumentParser) -> None:
    ls = li.add_subparsers(dest="licences_command", required=True)
    imp = ls.add_parser("import", help="add or update licences from a CSV file (README)")
    imp.add_argument("csv", help="licence CSV file")
    lst = ls.add_parser("list", help="list the licences, soonest end date first")
    lst.add_argument("--expiring-within", type=int, metavar="DAYS",
                     help="only licences ending from today to DAYS days ahead")  # fmt: skip
    lst.add_argument("--json", action="store_true", help="print JSON instead of a table")
    ren = ls.add_parser("renew", help="make draft renewal quotes, one per customer")
    ren.add_argument("licences", nargs="+", metavar="SEN-or-URL", help="licences to renew")
    ren.add_argument("--coterm", metavar="YYYY-MM-DD", help="end date to co-term to (R-TERM-3)")
    for cmd in (imp, lst, ren):
        cmd.add_argument("--today", help="date to work from (default: today)")
        if cmd is not lst:
            cmd.add_argument(
                "--catalog", help="price book CSV (default: the active one, else the sample)"
            )
        add_db_option(cmd)


def run(args: argparse.Namespace) -> int:
    try:
        return {"import": _import, "list": _list, "renew": _renew}[args.licences_command](args)
    except LicenceImportError as exc:
        listed = [f"{args.csv}: {error}" for error in exc.errors[:LISTED_ROWS]]
        if len(exc.errors) > LISTED_ROWS:
            more = counted(len(exc.errors) - LISTED_ROWS, "more bad row")
            listed.append(f"{args.csv}: … and {more}")
        for line in (*listed, str(exc)):
            print(f"quotedesk licences import: {line}", file=sys.stderr)
        return EXIT_INPUT
    except (Refused, DatabaseBusy) as exc:
        print(f"quotedesk licences {args.licences_command}: refused: {exc}", file=sys.stderr)
        return EXIT_RULE
    except StoreError as exc:
        raise UsageError(str(exc)) from None


def _import(args: argparse.Namespace) -> int:
    data = read_file(Path(args.csv), MAX_CSV_BYTES, "a licence file", UsageError)
    book = price_book_from(args.catalog) if args.catalog else None  # unreadable: before the store
    with open_store(args.db) as store:
        book = book or price_book_from(None, store)  # the active price book, as the window's
        imported = import_licences(store, data, args.csv, book).imported
    say(f"imported {counted(imported.added + imported.updated, 'licence')} from {args.csv} "
        f"({imported.added:,} new, {imported.updated:,} updated)")  # fmt: skip
    return EXIT_OK


def _list(args: argparse.Namespace) -> int:
    if args.expiring_within is not None and args.expiring_within < 0:
        raise UsageError(f"--expiring-within {args.expiring_within}: days must not be negative")
    filters = Filters(_today(args), args.expiring_within)
    with open_store(args.db) as store:
        licences = LicenceRegister(store).licences(filters)
    if args.json:
        document = [_dict(x) for x in licences]
        say(json.dumps(document, indent=2, ensure_ascii=False))
    elif licences:
        say(_table(licences))
    else:
        say("no licences")
    return EXIT_OK


def _renew(args: argparse.Namespace) -> int:
    coterm = None
    if args.coterm:
        try:
            coterm = parse_iso_date(args.coterm)
        except ValueError as exc:
            raise UsageError(f"--coterm {exc}") from None
    today, rules = _today(args), load_rules()
    book = price_book_from(args.catalog) if args.catalog else None  # unreadable: before the store
    with open_store(args.db) as store:
        book = book or price_book_from(None, store)  # the active price book, as `quotes add`
        licences = LicenceRegister(store).by_references(args.licences)
        made = renew(store, licences, book, rules, today, coterm).made
    for plan, stored in made:
        ends = ", ".join(f"{d} {end}" for d, end in sorted(plan.coterm.items()))
        shared = f", co-termed to {ends}" if ends else ""
        say(f"{stored.label}  {plan.customer}: {counted(len(plan.licences), 'licence')}{shared}")
        for licence in plan.separate:
            print(
                f"  {licence.licence or licence.product} renews on its own: it cannot co-term "
                "with the others (R-TERM-3)",
                file=sys.stderr,
            )
    return EXIT_OK


def _today(args: argparse.Namespace) -> date:
    try:
        return parse_iso_date(args.today) if args.today else date.today()
    except ValueError as exc:
        raise UsageError(f"--today {exc}") from None


def _dict(licence: Licence) -> dict[str, object]:
    out = {name: getattr(licence, name) for name in COLUMNS}
    out["end_date"] = licence.end_date.isoformat()
    return out


def _table(licences: list[Licence]) -> str:
    header = ("END DATE", "LICENCE", "PRODUCT", "USERS", "CUSTOMER")
    rows = [
        (
            x.end_date.isoformat(),
            x.licence or "-",
            " ".join(filter(None, (x.product, x.deployment, x.edition, x.billing))),
            str(x.users),
            f"{x.customer} ({x.country}{'-' + x.subdivision if x.subdivision else ''})",
        )
        for x in licences
    ]
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header) - 1)]
    return "\n".join(
        "  ".join([*(c.ljust(w) for c, w in zip(row, widths, strict=False)), row[-1]])
        for row in (header, *rows)
    )
