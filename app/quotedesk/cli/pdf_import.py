"""`quotedesk import OUT.pdf [--catalog PATH] [--force]`: recreate a quote from an
exported PDF as a new draft, priced today with `--catalog`, else the store's active price
book (the one chosen in the window), else the sample. A quote the customer accepted (signed
its acceptance field) that the store holds is marked accepted instead."""

from __future__ import annotations

import argparse
import logging
import sys
from datetime import date
from pathlib import Path

from quotedesk.cli import EXIT_OK, EXIT_RULE, UsageError, add_db_option, say
from quotedesk.cli.inputs import price_book_from, read_pdf
from quotedesk.core import QuoteFileError, load_rules
from quotedesk.core.problems import Refused
from quotedesk.operations.pdf import import_pdf, read_pdf_quote, record_acceptance
from quotedesk.pdf.document import PdfError
from quotedesk.store import StoreError, open_store


def add_arguments(i: argparse.ArgumentParser) -> None:
    i.add_argument("pdf", help="PDF exported by Quote Desk")
    i.add_argument("--catalog", help="price book CSV (default: the active one, else the sample)")
    i.add_argument("--force", action="store_true", help="import even a PDF that fails verify")
    add_db_option(i)


def run(args: argparse.Namespace) -> int:
    data = read_pdf(Path(args.pdf))
    book = price_book_from(args.catalog) if args.catalog else None  # unreadable: before the store
    # pyHanko logs every untrusted certificate with a traceback; the refusal says it.
    logging.getLogger("pyhanko").setLevel(logging.CRITICAL)
    try:
        pdf = read_pdf_quote(data, args.pdf, force=args.force)
    except (PdfError, QuoteFileError) as exc:
        raise UsageError(str(exc)) from None
    except Refused as exc:
        print(f"quotedesk import: refused: {exc}; --force imports it anyway", file=sys.stderr)
        return EXIT_RULE
    if pdf.tampering:
        print(f"note: imported despite: {'; '.join(pdf.tampering)}", file=sys.stderr)
    accepted = pdf.accepted
    try:
        with open_store(args.db) as store:
            recorded = record_acceptance(store, accepted) if accepted else None
            if recorded is None:
                book = book or price_book_from(None, store)
                imported = import_pdf(store, pdf, book, load_rules(), date.today())
    except Refused as exc:
        print(f"quotedesk import: refused: {exc}", file=sys.stderr)
        return EXIT_RULE
    except StoreError as exc:
        raise UsageError(str(exc)) from None
    if accepted and recorded:
        print(f"note: {accepted.said}: recorded as accepted", file=sys.stderr)
        say(recorded.revision.label)
        return EXIT_OK
    if accepted:
        print(
            f"note: {accepted.said}; {accepted.label or 'its quote'} is not in this store, "
            "so it is imported as a new draft",
            file=sys.stderr,
        )
    if imported.repriced_total is not None:
        print(
            f"note: re-priced today the total is {imported.repriced_total} "
            f"(the PDF says {pdf.printed_total})",
            file=sys.stderr,
        )
    say(imported.revision.label)
    return EXIT_OK
