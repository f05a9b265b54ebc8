"""`quotedesk export`, `quotedesk verify` and `quotedesk import` (SPEC section 3)."""

from __future__ import annotations

import argparse
import logging
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quotedesk.cli import EXIT_OK, EXIT_RULE, UsageError
from quotedesk.commands.inputs import load_inputs
from quotedesk.core import (
    PriceBook,
    QuoteFileError,
    RuleTables,
    load_price_book,
    load_rules,
    parse_quote,
    price,
)
from quotedesk.core.money import format_amount
from quotedesk.core.records import ResellerProfile
from quotedesk.core.resources import sample_price_book_path
from quotedesk.pdf.document import PdfError, QuoteDocument, write_pdf
from quotedesk.pdf.embedded import read_embedded
from quotedesk.pdf.render import render_quote_pdf

if TYPE_CHECKING:
    from cryptography.x509 import Certificate

    from quotedesk.pdf.signing import Verification

MAX_PDF_BYTES = 50 * 1024 * 1024


def run_export(args: argparse.Namespace) -> int:
    password = _password(args)
    try:
        doc = _document(args)
        if args.sign and doc.draft:
            print(
                f"quotedesk export: refused: {doc.label or args.quote} is a draft; sign it off "
                "(quotedesk quotes sign-off) before exporting it signed",
                file=sys.stderr,
            )
            return EXIT_RULE
        pdf = render_quote_pdf(doc, args.lang)
        if args.sign:
            from quotedesk.pdf.signing import sign_pdf  # pyHanko is slow to import

            pdf = sign_pdf(pdf, Path(args.sign), password or b"")
    except PdfError as exc:
        raise UsageError(str(exc)) from None
    try:
        write_pdf(Path(args.output), pdf)
    except OSError as exc:
        raise UsageError(f"{args.output}: cannot write ({exc.strerror})") from None
    errors = doc.priced.get("errors") or []
    for problem in errors:
        print(f"error {problem['code']}: {problem['message']}", file=sys.stderr)
    print(f"{args.output}: {doc.label or 'quote'}, {len(pdf):,} bytes")
    return EXIT_RULE if errors else EXIT_OK


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
    """A quote file is priced now; a stored quote number prints as it was saved."""
    source = Path(args.quote)
    if source.suffix.lower() == ".json" or source.exists():
        quote, book, rules = load_inputs(args.quote, args.catalog)
        priced = price(quote, book, rules, date.today())
        scenarios = _scenarios(quote.source, book, rules) if args.compare else ()
        return QuoteDocument(
            quote.source, priced.to_dict(), None, None, "draft", ResellerProfile(),
            scenarios=scenarios,
        )  # fmt: skip
    if args.compare:
        raise UsageError("--compare goes with a quote file: a stored quote prints as saved")
    from quotedesk.store import StoreError, open_store

    try:
        with open_store(args.db) as store:
            stored = store.get(args.quote, args.rev)
            return QuoteDocument.from_revision(stored, store.profile())
    except StoreError as exc:
        raise UsageError(str(exc)) from None


def _scenarios(data: Any, book: PriceBook, rules: RuleTables) -> tuple[dict[str, Any], ...]:
    """The comparison page's alternatives (issue 15 §3), as `quotedesk compare` prices them."""
    from quotedesk.core.scenarios import compare

    scenarios = compare(data, book, rules, date.today())
    return tuple({k: v for k, v in s.to_dict().items() if k != "quote"} for s in scenarios)


def _read_pdf(path: Path) -> bytes:
    # pypdf logs what it repairs ("EOF marker not found"); our one-line message says it.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        size = path.stat().st_size
        if size > MAX_PDF_BYTES:
            raise UsageError(f"{path}: {size / 1_048_576:.0f} MB is too large for a quote PDF")
        return path.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot read ({exc.strerror})") from None


def run_verify(args: argparse.Namespace) -> int:
    from quotedesk.pdf.signing import load_certificates

    data = _read_pdf(Path(args.pdf))
    try:
        trust = load_certificates(Path(args.trust)) if args.trust else None
    except PdfError as exc:
        raise UsageError(str(exc)) from None
    result = _verify(data, args.pdf, trust)
    lines = [f"file: {args.pdf}"]
    if result.problem:
        lines.append(f"problem: {result.problem}")
    if not result.signatures and not result.problem:
        lines.append("signature: none (the PDF is not signed)")
    for number, check in enumerate(result.signatures, start=1):
        when = check.signed_at.isoformat(timespec="seconds") if check.signed_at else "unknown"
        if check.whole_file:
            covers = "yes"
        elif check.later_changes is None:
            covers = "no, but all that was added after it is further signatures"
        else:
            covers = f"NO: {check.later_changes}"
        if check.trusted:
            trusted = "yes"
        elif args.trust:
            trusted = f"NO: the signer does not chain to {args.trust}"
        else:
            trusted = "no (not a certificate this system trusts; give it with --trust)"
        lines += [
            f"signature {number} signer: {check.signer}",
            f"signed at: {when}",
            f"intact: {'yes' if check.intact else 'NO: the signed content was changed'}",
            f"covers the whole file: {covers}",
            f"trusted: {trusted}",
        ]
    if result.unsigned_updates:
        lines.append(f"unsigned updates after signing: {result.unsigned_updates}")
    if result.fingerprint is None:
        lines.append("embedded quote: missing (not made by Quote Desk?)")
    elif result.print_problem:
        lines.append(
            f"embedded quote: fingerprint {result.fingerprint} does NOT match the pages: "
            f"{result.print_problem}"
        )
    else:
        lines.append(
            f"embedded quote: matches the fingerprint printed on every page {result.fingerprint}"
        )
    if result.draft:
        lines.append("status: draft, not a signed-off quote (DRAFT watermark)")
    reasons = "; ".join(result.reasons)
    lines.append(f"result: NOT VALID ({reasons})" if reasons else "result: VALID")
    print("\n".join(lines))
    return EXIT_OK if result.valid else EXIT_RULE


def _verify(data: bytes, name: str, trust: list[Certificate] | None = None) -> Verification:
    from quotedesk.pdf.signing import verify_pdf  # pyHanko is slow to import

    # pyHanko logs every untrusted certificate with a traceback; the report says it.
    logging.getLogger("pyhanko").setLevel(logging.CRITICAL)
    try:
        return verify_pdf(data, trust, name)
    except PdfError as exc:
        raise UsageError(str(exc)) from None


def run_import(args: argparse.Namespace) -> int:
    """Recreate a quote from an exported PDF as a new draft, priced with today's book."""
    data = _read_pdf(Path(args.pdf))
    try:
        embedded = read_embedded(data, args.pdf)
        quote = parse_quote(embedded.quote_file, args.pdf)
    except (PdfError, QuoteFileError) as exc:
        raise UsageError(str(exc)) from None
    # An unsigned PDF (or a draft) is imported on the strength of its printed
    # fingerprint; any sign of change since it was made or signed refuses it.
    tampering = _verify(data, args.pdf).tampering
    if tampering and not args.force:
        print(
            f"quotedesk import: refused: {args.pdf} fails verify ({'; '.join(tampering)}); "
            "--force imports it anyway",
            file=sys.stderr,
        )
        return EXIT_RULE
    if tampering:
        print(f"note: imported despite: {'; '.join(tampering)}", file=sys.stderr)
    from quotedesk.store import StoreError, open_store

    book = load_price_book(sample_price_book_path())
    try:
        with open_store(args.db) as store:
            reseller = bool(store.profile().company.strip())
            priced = price(quote, book, load_rules(), date.today(), reseller=reseller)
            stored = store.add_quote(quote, priced, book)
    except StoreError as exc:
        raise UsageError(str(exc)) from None
    total, printed = format_amount(priced.total), embedded.priced.get("total")
    if total != printed:
        print(
            f"note: re-priced today the total is {total} (the PDF says {printed})", file=sys.stderr
        )
    print(stored.label)
    return EXIT_OK
