"""The `quotedesk` command and its sub-commands (README "Command line").

Each sub-command's module is imported only when it runs, so `quotedesk price` never
loads Qt, ReportLab or sqlite-utils. Exit codes: 0 done, 1 refused by a rule or the
quote has errors, 2 unreadable input (one line on stderr, never a traceback).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import Any

EXIT_OK, EXIT_RULE, EXIT_INPUT = 0, 1, 2


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
    """The whole command line; with `command` only that sub-command's parser (scripts
    run `quotedesk price` many times over; building every parser is a visible part of its
    start-up); with "" every sub-command's name and help line but none of its options,
    which is all `quotedesk --help` and a mistyped command print."""
    parser = argparse.ArgumentParser(
        prog="quotedesk",
        description="Offline Atlassian quote builder. Without a command it starts the "
        "desktop app (`quotedesk gui`). `quotedesk COMMAND --help` lists a command's options.",
        epilog=EPILOG,
        formatter_class=_Help,
    )
    parser.add_argument("--version", action=_Version)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (help_text, module) in COMMANDS.items():
        if command in (None, "", name):
            sub_parser = sub.add_parser(name, help=help_text, formatter_class=_Help)
            if command != "":
                _module(module).add_arguments(sub_parser)
    return parser


def _module(name: str) -> ModuleType:
    return importlib.import_module(f"{__name__}.{name}")


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


# sub-command -> (its line in `quotedesk --help`, its module in this package). Each module
# defines `add_arguments(parser)` and `run(args) -> exit code`, and is imported only when
# its command runs or its own --help is asked for: the listing needs only these lines.
COMMANDS = {
    "price": ("price a quote file and print the priced quote as JSON", "price"),
    "compare": ("price a quote's alternatives side by side", "compare"),
    "gui": ("start the desktop app (the default)", "gui"),
    "quotes": ("the local quote store", "quotes"),
    "backup": ("copy the database with SQLite's online backup", "backup"),
    "restore": ("replace the database with a backup", "restore"),
    "export": ("export a quote as PDF", "export"),
    "verify": ("check a PDF's signature and embedded quote", "verify"),
    "import": ("recreate a quote from an exported PDF", "pdf_import"),
    "licences": ("the licence register and renewal quotes", "licences"),
    "signatures": ("timestamps and long-term validation of signed PDFs", "signatures"),
    "team": ("team mode: a shared PostgreSQL server (README: Team mode)", "team"),
    "approvals": ("team mode: manual discounts approved by a manager", "approvals"),
}


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", help="quote database (default: QUOTEDESK_DB or the user data dir)")


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0].startswith("-") and argv[0] not in ("-h", "--help", "--version")):
        argv = ["gui", *argv]  # `quotedesk [--screenshot ...]` starts the app
    name = argv[0] if argv[0] in COMMANDS else ""
    try:
        parser = build_parser(name)  # imports the command's module, if one is named
    except ImportError as exc:  # e.g. a library a command needs is missing
        print(f"quotedesk {name}: cannot start: {exc}", file=sys.stderr)
        return EXIT_RULE
    args = parser.parse_args(argv)
    command = args.command
    handler = _module(COMMANDS[command][1]).run
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
