"""`quotedesk export QUOTE -o OUT.pdf [--sign P12 [--timestamp URL]]` (SPEC section 3): a
quote file priced now, or a stored quote as it was saved. A signed export is timestamped
(PAdES B-T) by `--timestamp` or the reseller profile's authority when one answers, else
signed B-B with one line on stderr saying so; the store remembers its level."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from quotedesk import operations
from quotedesk.cli import EXIT_OK, EXIT_RULE, UsageError, say
from quotedesk.commands.inputs import load_inputs
from quotedesk.core.records import ResellerProfile, web_address
from quotedesk.pdf.document import PdfError, QuoteDocument, write_pdf


def run_export(args: argparse.Namespace) -> int:
    password = _password(args)
    if args.timestamp and not args.sign:
        raise UsageError("--timestamp goes with --sign P12")
    if args.timestamp and not web_address(args.timestamp):
        raise UsageError(f"--timestamp {args.timestamp}: not an http:// or https:// address")
    document = _document(args)
    signed = None
    try:
        if args.sign:
            sign_with = (Path(args.sign), password or b"")
            signed = operations.export_signed(document, args.lang, sign_with, args.timestamp)
            pdf = signed.data
        else:
            pdf = operations.export_pdf(document, args.lang)
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
    if signed is None:
        say(f"{args.output}: {document.label or 'quote'}, {len(pdf):,} bytes")
        return EXIT_RULE if errors else EXIT_OK
    _remember(args, document, signed.level)
    if signed.no_timestamp:
        print(
            f"quotedesk export: no timestamp yet ({signed.no_timestamp}): signed {signed.level}; "
            f"`quotedesk signatures extend {args.output}` adds one when an authority answers",
            file=sys.stderr,
        )
    say(f"{args.output}: {document.label}, {len(pdf):,} bytes, signed PAdES {signed.level}")
    return EXIT_RULE if errors else EXIT_OK


def _remember(args: argparse.Namespace, document: QuoteDocument, level: str) -> None:
    """The store notes the signed file and its level, for `signatures extend` and the
    window's list of quotes waiting for a timestamp."""
    from quotedesk.store import StoreError, open_store

    try:
        with open_store(args.db) as store:
            operations.record_signed_export(store, document, Path(args.output), level)
    except StoreError as exc:
        raise UsageError(f"{args.output} is written, but {exc}") from None


def _password(args: argparse.Namespace) -> bytes | None:
    if not args.sign:
        if args.password_file:
            raise UsageError("--password-file goes with --sign P12")
        return None
    if not args.password_file:
        return None
    try:
        return Path(args.password_file).read_bytes().rstrip(b"\r\n")
    except OSError as exc:
        raise UsageError(f"{args.password_file}: cannot read ({exc.strerror})") from None


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
