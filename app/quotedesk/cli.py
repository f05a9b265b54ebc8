"""The `quotedesk` command and its sub-commands (README "Command line").

Each sub-command's module is imported only when it runs, so `quotedesk price` never
loads Qt, ReportLab or sqlite-utils. Exit codes: 0 done, 1 refused by a rule or the
quote has errors, 2 unreadable input (one line on stderr, never a traceback).
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from quotedesk.core.messages import LANGUAGES

EXIT_OK, EXIT_RULE, EXIT_INPUT = 0, 1, 2

# sub-command -> "module:function"; the function takes the parsed arguments, returns the exit code
HANDLERS = {
    "price": "quotedesk.commands.price:run",
    "compare": "quotedesk.commands.compare:run",
    "gui": "quotedesk.gui.app:run",
    "quotes": "quotedesk.commands.quotes:run_quotes",
    "backup": "quotedesk.commands.quotes:run_backup",
    "restore": "quotedesk.commands.quotes:run_restore",
    "export": "quotedesk.commands.export:run_export",
    "verify": "quotedesk.commands.verify:run",
    "import": "quotedesk.commands.pdf_import:run",
    "licences": "quotedesk.commands.licences:run",
    "signatures": "quotedesk.commands.signatures:run",
    "team": "quotedesk.commands.team:run",
    "approvals": "quotedesk.commands.approvals:run",
}


class UsageError(Exception):
    """Bad input that a handler reports as one line on stderr with exit code 2."""


def write_output(data: bytes) -> None:
    """Write a command's result to stdout and flush it here, so a closed stdout or a full
    disk is one line on stderr rather than a traceback when the interpreter exits."""
    if sys.stdout is None:  # started with stdout closed (`>&-`)
        raise UsageError("standard output is closed")
    try:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:  # e.g. `> /dev/full`
        raise UsageError(f"cannot write the output ({exc.strerror or exc})") from None


def say(text: str) -> None:
    """One message for the person at the terminal, written as `write_output` writes. A lone
    surrogate (a JSON "\\ud800" escape kept in a quote file, a file name that is not UTF-8)
    is written as that escape: in a JSON string it reads back as the same text."""
    write_output(f"{text}\n".encode("utf-8", "backslashreplace"))


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The whole command line, or with `command` only that sub-command's parser (scripts
    run `quotedesk price` many times over; building every parser is a visible part of its
    start-up)."""
    parser = argparse.ArgumentParser(
        prog="quotedesk",
        description="Offline Atlassian quote builder. Without a command it starts the "
        "desktop app (`quotedesk gui`). `quotedesk COMMAND --help` lists a command's options.",
        epilog=EPILOG,
        formatter_class=_Help,
    )
    parser.add_argument("--version", action=_Version)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (help_text, add_arguments) in SUBCOMMANDS.items():
        if command in (None, name):
            add_arguments(sub.add_parser(name, help=help_text, formatter_class=_Help))
    return parser


EPILOG = """\
exit codes:
  0    done (price: priced without errors; verify: signature and data intact)
  1    refused by a rule, the quote has errors, or verify found a problem
  2    unreadable input or bad usage (one line on stderr)
  130  interrupted (Ctrl+C)

environment variables:
  QUOTEDESK_DB         quote database file (default: quotes.db in the user data folder)
  QUOTEDESK_RULES      folder whose *.json replace the shipped rule tables of the same
                       name (default: quotedesk/rules in the user config folder)
  QUOTEDESK_RESOURCES  folder to read price book, rule tables, texts and fonts from
                       instead of the installed package's resources/
  QUOTEDESK_PKCS11_MODULE
                       the token's PKCS#11 module for `export --sign pkcs11:...`
  QUOTEDESK_PIN        the token's PIN for `export --sign pkcs11:...` (never stored)
  QUOTEDESK_TEAM_PASSWORD
                       the password for `team join` and `team add-user` (else asked)
  QT_QPA_PLATFORM      Qt platform for the window, e.g. offscreen for --screenshot
  COLUMNS              width of this help text

The window logs to quotedesk.log in the user log folder (Help > About shows where)."""


class _Version(argparse.Action):
    """--version, read from the installed metadata only when asked for (importlib.metadata
    would slow every other command's start-up)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(
            option_strings, dest, nargs=0, default=argparse.SUPPRESS,
            help="print the version and exit",
        )  # fmt: skip

    def __call__(self, parser: argparse.ArgumentParser, *args: Any) -> None:
        from importlib.metadata import version  # slow to import: only for --version

        print(f"quotedesk {version('quotedesk')}")
        parser.exit()


class _Help(argparse.HelpFormatter):
    """argparse's formatter, sized without `shutil`: argparse builds one for every
    add_argument(), and `shutil` (with bz2 and lzma) is a tenth of `quotedesk price`'s
    start-up."""

    def __init__(self, prog: str, **kwargs: Any) -> None:
        if kwargs.get("width") is None:
            columns = os.environ.get("COLUMNS", "")
            if not columns.isdigit():
                try:
                    columns = str(os.get_terminal_size().columns)
                except OSError:  # not a terminal
                    columns = "80"
            kwargs["width"] = max(int(columns) - 2, 40)
        super().__init__(prog, **kwargs)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        # The epilog's tables keep their lines; the description is still wrapped.
        if "\n" in text:
            return "".join(indent + line for line in text.splitlines(keepends=True))
        return super()._fill_text(text, width, indent)


def _price(p: argparse.ArgumentParser) -> None:
    p.add_argument("quote", help="quote file (JSON, schema 1)")
    p.add_argument("--catalog", help="price book CSV (default: the illustrative sample)")
    p.add_argument("--today", help="date to check validity against (default: today)")


def _compare(c: argparse.ArgumentParser) -> None:
    _price(c)
    c.add_argument("--json", action="store_true", help="print JSON instead of a table")
    _add_db(c)  # its reseller profile, as the window prices (none created)


def _gui(g: argparse.ArgumentParser) -> None:
    g.add_argument("--screenshot", help="save a PNG of the main window once drawn, then exit")
    g.add_argument("--quote", help="quote file to open")
    g.add_argument("--catalog", help="price book CSV to use")
    g.add_argument("--lang", help=f"interface language ({', '.join(LANGUAGES)})")
    g.add_argument("--size", metavar="WxH", help="window size, e.g. 1024x640 (screenshots)")
    _add_db(g)


def _quotes(q: argparse.ArgumentParser) -> None:
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
        _add_db(cmd)


def _backup(b: argparse.ArgumentParser) -> None:
    b.add_argument("out", help="backup file to write")
    b.add_argument("--force", action="store_true", help="replace OUT if it exists")
    _add_db(b)


def _restore(r: argparse.ArgumentParser) -> None:
    r.add_argument("backup", help="backup file made by `quotedesk backup`")
    _add_db(r)


def _export(e: argparse.ArgumentParser) -> None:
    e.add_argument("quote", help="quote file or stored quote number")
    e.add_argument("-o", "--output", required=True, help="PDF file to write")
    e.add_argument("--catalog", help="price book CSV for a quote file (default: the sample)")
    e.add_argument("--lang", choices=LANGUAGES,
                   help="language of the PDF (default: a stored quote's customer's, the "
                   "language its last PDF was in; else en)")  # fmt: skip
    e.add_argument("--sign", metavar="P12|URI",
                   help="sign (PAdES) with this PKCS#12 certificate file, or with the key on a "
                   "token or smartcard that a pkcs11: URI names (RFC 7512), e.g. "
                   "'pkcs11:token=NAME;object=LABEL'")  # fmt: skip
    e.add_argument("--password-file", help="file holding the PKCS#12 file's password")
    e.add_argument(
        "--pkcs11-module", metavar="PATH",
        help="the token's PKCS#11 module (default: QUOTEDESK_PKCS11_MODULE)",
    )  # fmt: skip
    e.add_argument(
        "--pin-file",
        help="file holding the token's PIN (default: QUOTEDESK_PIN, else asked at the terminal)",
    )
    e.add_argument(
        "--timestamp", metavar="URL",
        help="RFC 3161 timestamp authority for --sign (default: the reseller profile's); "
        "unreachable or none: signed without a timestamp (B-B), said on stderr",
    )  # fmt: skip
    e.add_argument("--rev", type=int, help="revision of a stored quote (default: the latest)")
    e.add_argument(
        "--compare", action="store_true", help="add a page comparing the quote's scenarios"
    )
    _add_db(e)


def _verify(v: argparse.ArgumentParser) -> None:
    v.add_argument("pdf", help="signed PDF quote")
    v.add_argument("--trust", metavar="CERT", help="certificate (PEM) to trust as the signer")
    v.add_argument(
        "--trust-tsa", metavar="CERT",
        help="certificate (PEM) to trust for timestamps, besides the system's CAs",
    )  # fmt: skip


def _import(i: argparse.ArgumentParser) -> None:
    i.add_argument("pdf", help="PDF exported by Quote Desk")
    i.add_argument("--catalog", help="price book CSV (default: the active one, else the sample)")
    i.add_argument("--force", action="store_true", help="import even a PDF that fails verify")
    _add_db(i)


def _licences(li: argparse.ArgumentParser) -> None:
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
        _add_db(cmd)


def _signatures(s: argparse.ArgumentParser) -> None:
    ss = s.add_subparsers(dest="signatures_command", required=True)
    ext = ss.add_parser(
        "extend",
        help="add validation data and a document timestamp to signed PDFs (PAdES B-LT/B-LTA)",
    )
    ext.add_argument("pdfs", nargs="+", metavar="PDF", help="signed PDF quote, updated in place")
    ext.add_argument("-o", "--output", help="write here instead of in place (one PDF only)")
    ext.add_argument(
        "--timestamp", metavar="URL",
        help="RFC 3161 timestamp authority (default: the reseller profile's)",
    )  # fmt: skip
    _add_db(ext)  # its profile's authority; the levels it remembers of signed exports


def _team(t: argparse.ArgumentParser) -> None:
    ts = t.add_subparsers(dest="team_command", required=True)
    url_help = "the team database: postgresql://host/db, or key=value such as service=name"
    init = ts.add_parser("init", help="create or migrate the team schema and roles (owner)")
    init.add_argument("url", help=url_help + " (logging in as the database's owner)")
    add = ts.add_parser("add-user", help="add a person's login to the team (owner)")
    add.add_argument("name", help="their login name")
    add.add_argument("--role", required=True, choices=("rep", "manager"), help="their role")
    add.add_argument(
        "--url",
        default="",
        help=url_help + ", logging in as the database's "
        "owner (default: libpq's environment, as psql: PGSERVICE, PGHOST, ...)",
    )
    join = ts.add_parser("join", help="join this laptop to the team")
    join.add_argument("url", help=url_help)
    join.add_argument("--user", required=True, help="your login on the team server")
    for cmd in (add, join):
        cmd.add_argument("--password-file", help="file holding the password (default: "
                         "QUOTEDESK_TEAM_PASSWORD, else asked)")  # fmt: skip
    leave = ts.add_parser("leave", help="forget the team and its password on this laptop")
    sync = ts.add_parser("sync", help="send this laptop's changes, number its quotes, "
                         "fetch the team's")  # fmt: skip
    status = ts.add_parser("status", help="changes waiting, numbers left, last sync")
    conflicts = ts.add_parser("conflicts", help="drafts changed in two places (R-TEAM-6)")
    for cmd in (sync, status, conflicts):
        cmd.add_argument("--json", action="store_true", help="print JSON")
    conflicts.add_argument(
        "--resolve", metavar="NUMBER",
        help="the quote's latest draft is the one to go on with: clear its conflict marks",
    )  # fmt: skip
    for cmd in (init, add, join, leave, sync, status, conflicts):
        _add_db(cmd)


def _approvals(a: argparse.ArgumentParser) -> None:
    sub = a.add_subparsers(dest="approvals_command", required=True)
    listed = sub.add_parser(
        "list", help="a manager: the requests waiting; a rep: their own, with decisions"
    )
    listed.add_argument("--json", action="store_true", help="print JSON")
    request = sub.add_parser("request", help="ask a manager to approve a quote's draft")
    approve = sub.add_parser("approve", help="approve the request on a quote (manager)")
    reject = sub.add_parser("reject", help="reject the request on a quote, saying why (manager)")
    for cmd in (request, approve, reject):
        cmd.add_argument("number", help="the quote number")
    for cmd in (request, approve):
        cmd.add_argument("--comment", help="a note for the manager or the rep")
    reject.add_argument("--comment", required=True, help="why it is rejected")
    for cmd in (listed, request, approve, reject):
        _add_db(cmd)


SUBCOMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None]]] = {
    "price": ("price a quote file and print the priced quote as JSON", _price),
    "compare": ("price a quote's alternatives side by side", _compare),
    "gui": ("start the desktop app (the default)", _gui),
    "quotes": ("the local quote store", _quotes),
    "backup": ("copy the database with SQLite's online backup", _backup),
    "restore": ("replace the database with a backup", _restore),
    "export": ("export a quote as PDF", _export),
    "verify": ("check a PDF's signature and embedded quote", _verify),
    "import": ("recreate a quote from an exported PDF", _import),
    "licences": ("the licence register and renewal quotes", _licences),
    "signatures": ("timestamps and long-term validation of signed PDFs", _signatures),
    "team": ("team mode: a shared PostgreSQL server (README: Team mode)", _team),
    "approvals": ("team mode: manual discounts approved by a manager", _approvals),
}


def _add_db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", help="quote database (default: QUOTEDESK_DB or the user data dir)")


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0].startswith("-") and argv[0] not in ("-h", "--help", "--version")):
        argv = ["gui", *argv]  # `quotedesk [--screenshot ...]` starts the app
    args = build_parser(argv[0] if argv[0] in SUBCOMMANDS else None).parse_args(argv)
    command = args.command
    if command == "gui":  # start-up allocates much and frees little: gui/app.py turns
        gc.disable()  # the cycle collector back on once the window is drawn
    module_name, func_name = HANDLERS[command].split(":")
    try:
        handler = getattr(importlib.import_module(module_name), func_name)
    except ImportError as exc:  # e.g. a system library Qt needs is missing
        print(f"quotedesk {command}: cannot start: {exc}", file=sys.stderr)
        return EXIT_RULE
    try:
        return int(handler(args))
    except UsageError as exc:
        print(f"quotedesk {command}: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`quotedesk quotes list --json | head`): not our failure.
        # Point stdout at /dev/null so the interpreter's final flush does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
