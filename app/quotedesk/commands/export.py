"""`quotedesk export QUOTE -o OUT.pdf [--sign P12]` (SPEC section 3): a quote file priced
now, or a stored quote as it was saved."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from quotedesk import operations
from quotedesk.cli import EXIT_OK, EXIT_RULE, UsageError, say
from quotedesk.commands.inputs import load_inputs
from quotedesk.core.files import MB, TooLarge, read_at_most
from quotedesk.core.records import ResellerProfile
from quotedesk.pdf.document import PdfError, QuoteDocument, write_pdf

MAX_PASSWORD_BYTES = MB  # a password file holds one line


def run_export(args: argparse.Namespace) -> int:
    password = _password(args)
    document = _document(args)
    try:
        pdf = operations.export_pdf(
            document, args.lang, (Path(args.sign), password or b"") if args.sign else None
        )
    except operations.Refused as exc:
        how = f" (quotedesk quotes sign-off {document.label})" if document.label else ""
        print(f"quotedesk export: refused: {exc}{how}", file=sys.stderr)
        return EXIT_RULE
    except PdfError as exc:
        raise UsageError(str(exc)) from None
    try:
        write_pdf(Path(args.output), pdf)
    except OSError as exc:
        raise UsageError(f"{args.output}: cannot write ({exc.strerror})") from None
    errors = document.priced.get("errors") or []
    for problem in errors:
        print(f"error {problem['code']}: {problem['message']}", file=sys.stderr)
    say(f"{args.output}: {document.label or 'quote'}, {len(pdf):,} bytes")
    return EXIT_RULE if errors else EXIT_OK


def _password(args: argparse.Namespace) -> bytes | None:
    if not args.sign:
        if args.password_file:
            raise UsageError("--password-file goes with --sign P12")
        return None
    if not args.password_file:
        return None
    try:
        data = read_at_most(Path(args.password_file), MAX_PASSWORD_BYTES, "a password file")
    except OSError as exc:
        raise UsageError(f"{args.password_file}: cannot read ({exc.strerror})") from None
    except TooLarge as exc:
        raise UsageError(f"{args.password_file}: {exc}") from None
    return data.rstrip(b"\r\n")


def _document(args: argparse.Namespace) -> QuoteDocument:
    """A quote file is priced now (no store: default profile); a stored quote number
    prints as it was saved."""
    source = Path(args.quote)
    if source.suffix.lower() == ".json" or source.exists():
        quote, book, rules = load_inputs(args.quote, args.catalog)
        return operations.file_document(
            quote, book, rules, date.today(), ResellerProfile(), compare=args.compare
        )
    if args.compare:
        raise UsageError("--compare goes with a quote file: a stored quote prints as saved")
    from quotedesk.store import StoreError, open_store

    try:
        with open_store(args.db) as store:
            return operations.stored_document(store, args.quote, args.rev)
    except StoreError as exc:
        raise UsageError(str(exc)) from None
