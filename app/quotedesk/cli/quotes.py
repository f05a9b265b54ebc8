"""`quotedesk quotes add|list|show|sign-off|revise`, `quotedesk backup` and `quotedesk restore`,
through the operations the window uses too. Exit 0 done, 1 refused by
a rule (or the database is busy), 2 bad input."""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from collections.abc import Callable
from datetime import date
from typing import Any

from quotedesk.cli import EXIT_OK, EXIT_RULE, UsageError, add_db_option, say
from quotedesk.cli.inputs import load_quote_and_rules, price_book_from
from quotedesk.core.problems import Refused
from quotedesk.core.quotes.model import quote_json
from quotedesk.operations.quotes import revise, save, sign_off
from quotedesk.store.errors import DatabaseBusy, StoreError
from quotedesk.store.quotes import QuoteSummary, open_store

TOTAL_FIELDS = ("subtotal", "discount_total", "net_total", "admin_fee", "tax_total", "total")


def add_arguments(q: argparse.ArgumentParser) -> None:
    qs = q.add_subparsers(dest="quotes_command", required=True)
    add = qs.add_parser("add", help="save a quote file as a new draft; prints its number")
    add.add_argument("quote", help="quote file (JSON, schema 1)")
    add.add_argument("--catalog", help="price book CSV (default: the active one, else the sample)")
    lst = qs.add_parser("list", help="list stored quotes")
    lst.add_argument("--search", help="only quotes whose number or customer contains this")
    lst.add_argument("--status", help="only quotes in this status (draft, signed_off, ...)")
    lst.add_argument("--json", action="store_true", help="print JSON instead of a table")
    lst.add_argument("--all-revisions", action="store_true",
                     help="list every revision (QD-...-R2), each with its own status")  # fmt: skip
    show = qs.add_parser("show", help="print a stored quote with its totals")
    show.add_argument("number", help="quote number, e.g. QD-2026-00042")
    show.add_argument("--rev", type=int, help="revision (default: the latest)")
    sign = qs.add_parser("sign-off", help="sign off the latest revision")
    sign.add_argument("number", help="quote number")
    sign.add_argument("--by", required=True, help="name of the person signing off")
    sign.add_argument("--approver", help="approver's name (needed above the approval threshold)")
    rev = qs.add_parser("revise", help="copy a signed-off revision to a new draft")
    rev.add_argument("number", help="quote number")
    for cmd in (add, lst, show, sign, rev):
        add_db_option(cmd)


def run(args: argparse.Namespace) -> int:
    commands: dict[str, Callable[[argparse.Namespace], int]] = {
        "add": _add,
        "list": _list,
        "show": _show,
        "sign-off": _sign_off,
        "revise": _revise,
    }
    return refusals(f"quotes {args.quotes_command}", commands[args.quotes_command], args)


def refusals(command: str, run: Callable[[argparse.Namespace], int], args: Any) -> int:
    """A rule's refusal is exit 1 with its message; any other store error is bad input."""
    try:
        return run(args)
    except (Refused, DatabaseBusy) as exc:
        print(f"quotedesk {command}: refused: {exc}", file=sys.stderr)
        return EXIT_RULE
    except StoreError as exc:
        raise UsageError(str(exc)) from None


def _add(args: argparse.Namespace) -> int:
    quote, rules = load_quote_and_rules(args.quote)
    book = price_book_from(args.catalog) if args.catalog else None  # unreadable: before the store
    with open_store(args.db) as store:
        book = book or price_book_from(None, store)
        stored, priced = save(store, quote, book, rules, date.today())
    for problem in priced.errors:
        print(f"error {problem.code}: {problem.message}", file=sys.stderr)
    say(stored.label)
    return EXIT_OK


def _list(args: argparse.Namespace) -> int:
    with open_store(args.db) as store:
        if args.all_revisions:  # each revision with its own status, as the window lists them
            quotes = store.list_revisions(args.search, args.status, limit=-1)  # SQLite: no limit
        else:
            count = store.count_quotes(search=args.search, status=args.status)
            quotes = store.list_quotes(search=args.search, status=args.status, limit=count)
    if args.json:
        say(json.dumps([_summary_dict(q) for q in quotes], indent=2, ensure_ascii=False))
    elif quotes:
        say(_table(quotes))
    else:
        say("no quotes")
    return EXIT_OK


def _show(args: argparse.Namespace) -> int:
    with open_store(args.db) as store:
        stored = store.get(args.number, args.rev)
    # The quote file exactly as stored (R-Q-5), then what the store knows about it. Its
    # own "currency" is kept even when invalid; the priced one only fills in a missing one.
    shown: dict[str, Any] = {"currency": stored.priced["currency"], **stored.quote_file}
    shown.update(
        number=stored.number,
        revision=stored.revision,
        label=stored.label,
        status=stored.status,
        created_at=stored.created_at.isoformat(),
        signed_off_by=stored.signed_off_by,
        signed_off_at=stored.signed_off_at.isoformat() if stored.signed_off_at else None,
        approver=stored.approver,
        price_book=stored.price_book,
        valid_until=stored.priced["valid_until"],
    )
    shown.update({name: stored.priced[name] for name in TOTAL_FIELDS})
    say(quote_json(shown, indent=2))
    return EXIT_OK


def _sign_off(args: argparse.Namespace) -> int:
    with open_store(args.db) as store:
        stored = sign_off(store, args.number, args.by, args.approver).revision
    approved = f", approved by {stored.approver}" if stored.approver else ""
    say(f"{stored.label} signed off by {stored.signed_off_by}{approved}")
    return EXIT_OK


def _revise(args: argparse.Namespace) -> int:
    with open_store(args.db) as store:
        stored = revise(store, args.number).revision
    say(stored.label)
    return EXIT_OK


def _summary_dict(quote: QuoteSummary) -> dict[str, Any]:
    return {
        "number": quote.number,
        "revision": quote.revision,
        "label": quote.label,
        "status": quote.status,
        "customer": quote.customer,
        "currency": quote.currency,
        "total": str(quote.total),
        "quote_date": quote.quote_date.isoformat(),
        "valid_until": quote.valid_until.isoformat(),
        "updated_at": quote.updated_at.isoformat(),
        "products": quote.products,
    }


def _table(quotes: list[QuoteSummary]) -> str:
    """The quotes as columns that line up under the header in a terminal: each column as
    wide as its widest cell, header included, the totals right-aligned. Widths count
    terminal cells: a Japanese or Chinese character takes two."""
    header = ("NUMBER", "STATUS", "DATE", "CUSTOMER", "TOTAL")
    rows = [
        (
            q.label,
            q.status,
            q.quote_date.isoformat(),
            _cut(q.customer, 32),
            f"{q.currency} {q.total:,}",
        )
        for q in quotes
    ]
    widths = [max(_cells(row[i]) for row in (header, *rows)) for i in range(len(header))]
    lines = []
    for row in (header, *rows):
        cells = [_pad(cell, width) for cell, width in zip(row[:-1], widths, strict=False)]
        lines.append("  ".join([*cells, _pad(row[-1], widths[-1], right=True)]))
    return "\n".join(lines)


def _pad(text: str, width: int, right: bool = False) -> str:
    """`text` filling `width` terminal cells, aligned left (or right)."""
    space = " " * (width - _cells(text))
    return space + text if right else text + space


def _cells(text: str) -> int:
    """The terminal cells `text` takes: two for a wide (East Asian) character, none for
    a combining accent."""
    return sum(
        0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
        for c in text
    )


def _cut(text: str, width: int) -> str:
    """`text` in at most `width` terminal cells, "…" where it was cut."""
    if _cells(text) <= width:
        return text
    kept, used = [], 0
    for c in text:
        used += _cells(c)
        if used > width - 1:
            break
        kept.append(c)
    return "".join(kept) + "…"
