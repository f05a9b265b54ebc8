"""`quotedesk signatures extend PDF... [--timestamp URL] [-o OUT]`: validation data and a
document timestamp for signed quotes (PAdES B-LT / B-LTA), each file updated in place
(whole or not at all, keeping its permissions) or written to -o. The store notes the new
level of a signed export it knows."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from quotedesk.cli import EXIT_INPUT, EXIT_OK, EXIT_RULE, UsageError, add_db_option, say
from quotedesk.core.problems import Refused
from quotedesk.core.records import web_address
from quotedesk.operations.pdf import extend_signed
from quotedesk.pdf.document import PdfError
from quotedesk.pdf.signing import NoTimestamp
from quotedesk.store import StoreError, open_store


def add_arguments(s: argparse.ArgumentParser) -> None:
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
    add_db_option(ext)  # its profile's authority; the levels it remembers of signed exports


def run(args: argparse.Namespace) -> int:
    if args.output and len(args.pdfs) > 1:
        raise UsageError("-o goes with one PDF; without it each is updated in place")
    # pyHanko logs every untrusted certificate with a traceback: trust is verify's matter.
    logging.getLogger("pyhanko").setLevel(logging.CRITICAL)
    try:
        with open_store(args.db) as store:
            url = args.timestamp or store.profile().timestamp_url
            if not url:
                raise UsageError(
                    "no timestamp authority: give --timestamp URL, or set one in the "
                    "reseller profile (Settings > Reseller profile in the window)"
                )
            if not web_address(url):
                raise UsageError(f"--timestamp {url}: not an http:// or https:// address")
            code = EXIT_OK
            for count, name in enumerate(args.pdfs):
                output = Path(args.output) if args.output else None
                try:
                    done = extend_signed(Path(name), url, store, output)
                except NoTimestamp as exc:
                    left = len(args.pdfs) - count - 1
                    rest = f"; {left} more left as they were" if left else ""
                    print(f"quotedesk signatures: {name}: not extended: {exc}{rest}",
                          file=sys.stderr)  # fmt: skip
                    return EXIT_RULE
                except Refused as exc:
                    print(f"quotedesk signatures: refused: {exc}", file=sys.stderr)
                    code = max(code, EXIT_RULE)
                except PdfError as exc:
                    print(f"quotedesk signatures: {exc}", file=sys.stderr)
                    code = EXIT_INPUT
                except OSError as exc:
                    print(f"quotedesk signatures: {name}: {exc.strerror or exc}", file=sys.stderr)
                    code = EXIT_INPUT
                else:
                    say(f"{output or name}: extended, PAdES {done.level}")
            return code
    except StoreError as exc:
        raise UsageError(str(exc)) from None
