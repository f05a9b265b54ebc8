"""The `quotedesk` command (SPEC section 3).

Each sub-command's module is imported only when it runs, so `quotedesk price` never
loads Qt, ReportLab or sqlite-utils. Exit codes: 0 done, 1 refused by a rule or the
quote has errors, 2 unreadable input (one line on stderr, never a traceback).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

EXIT_OK, EXIT_RULE, EXIT_INPUT = 0, 1, 2

# sub-command -> "module:function"; the function takes the parsed arguments, returns the exit code
HANDLERS = {
    "price": "quotedesk.commands.price:run",
    "gui": "quotedesk.gui.app:run",
    "quotes": "quotedesk.store.commands:run_quotes",
    "backup": "quotedesk.store.commands:run_backup",
    "restore": "quotedesk.store.commands:run_restore",
    "export": "quotedesk.pdf.commands:run_export",
    "verify": "quotedesk.pdf.commands:run_verify",
    "import": "quotedesk.pdf.commands:run_import",
}


class UsageError(Exception):
    """Bad input that a handler reports as one line on stderr with exit code 2."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="quotedesk", description="Offline Atlassian quote builder"
    )
    sub = parser.add_subparsers(dest="command")

    p = sub.add_parser("price", help="price a quote file and print the priced quote as JSON")
    p.add_argument("quote", help="quote file (JSON, schema 1)")
    p.add_argument("--catalog", help="price book CSV (default: the illustrative sample)")
    p.add_argument("--today", help="date to check validity against (default: today)")

    g = sub.add_parser("gui", help="start the desktop app (the default)")
    g.add_argument("--screenshot", help="save a PNG of the main window once drawn, then exit")
    g.add_argument("--quote", help="quote file to open")
    g.add_argument("--catalog", help="price book CSV to use")
    g.add_argument("--lang", help="interface language (en, pt-BR, zh-CN, ja)")
    _add_db(g)

    q = sub.add_parser("quotes", help="the local quote store")
    qs = q.add_subparsers(dest="quotes_command", required=True)
    add = qs.add_parser("add", help="save a quote file as a new draft; prints its number")
    add.add_argument("quote")
    add.add_argument("--catalog")
    lst = qs.add_parser("list", help="list stored quotes")
    lst.add_argument("--search")
    lst.add_argument("--status")
    lst.add_argument("--json", action="store_true")
    show = qs.add_parser("show", help="print a stored quote with its totals")
    show.add_argument("number")
    show.add_argument("--rev", type=int)
    sign = qs.add_parser("sign-off", help="sign off the latest revision")
    sign.add_argument("number")
    sign.add_argument("--by", required=True)
    sign.add_argument("--approver")
    rev = qs.add_parser("revise", help="copy a signed-off revision to a new draft")
    rev.add_argument("number")
    for cmd in (add, lst, show, sign, rev):
        _add_db(cmd)

    b = sub.add_parser("backup", help="copy the database with SQLite's online backup")
    b.add_argument("out")
    _add_db(b)
    r = sub.add_parser("restore", help="replace the database with a backup")
    r.add_argument("backup")
    _add_db(r)

    e = sub.add_parser("export", help="export a quote as PDF")
    e.add_argument("quote", help="quote file or stored quote number")
    e.add_argument("-o", "--output", required=True)
    e.add_argument("--catalog")
    e.add_argument("--lang", default="en", choices=("en", "pt-BR", "zh-CN", "ja"))
    e.add_argument("--sign", metavar="P12")
    e.add_argument("--password-file")
    e.add_argument("--rev", type=int)
    _add_db(e)

    v = sub.add_parser("verify", help="check a PDF's signature and embedded quote")
    v.add_argument("pdf")
    v.add_argument("--trust", metavar="CERT")

    i = sub.add_parser("import", help="recreate a quote from an exported PDF")
    i.add_argument("pdf")
    _add_db(i)
    return parser


def _add_db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", help="quote database (default: QUOTEDESK_DB or the user data dir)")


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    command = args.command or "gui"
    if args.command is None:
        args = build_parser().parse_args(["gui", *(argv or sys.argv[1:])])
    module_name, func_name = HANDLERS[command].split(":")
    try:
        handler = getattr(importlib.import_module(module_name), func_name)
    except (ImportError, AttributeError):
        print(f"quotedesk {command}: not available in this build yet", file=sys.stderr)
        return EXIT_RULE
    try:
        return int(handler(args))
    except UsageError as exc:
        print(f"quotedesk {command}: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        return 130
