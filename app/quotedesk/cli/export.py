"""`quotedesk export QUOTE -o OUT.pdf [--sign P12|pkcs11:URI [--timestamp URL]]`: a
quote file priced now, or a stored quote as it was saved. A signed export is
timestamped (PAdES B-T) by `--timestamp` or the reseller profile's authority when one
answers, else signed B-B with one line on stderr saying so. A stored quote is written in
`--lang`, else in its customer's language (the one its last PDF was in), and the store
remembers that language and a signed export's level."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from quotedesk.cli import EXIT_OK, EXIT_RULE, UsageError, add_db_option, say
from quotedesk.cli.inputs import load_inputs, read_secret
from quotedesk.core.io.files import MAX_PASSWORD_BYTES, read_file
from quotedesk.core.messages import LANGUAGES
from quotedesk.core.problems import Refused
from quotedesk.core.records import ResellerProfile, web_address
from quotedesk.operations.pdf import check_signable, export, file_document, stored_document
from quotedesk.pdf.document import PdfError, QuoteDocument

if TYPE_CHECKING:
    from quotedesk.operations.pdf import SignWith
    from quotedesk.pdf.tokens import TokenKey
    from quotedesk.store import QuoteStore

PIN_VARIABLE = "QUOTEDESK_PIN"


def add_arguments(e: argparse.ArgumentParser) -> None:
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
    add_db_option(e)


def run(args: argparse.Namespace) -> int:
    password = _password(args)
    token = _token_key(args)
    if args.timestamp and not args.sign:
        raise UsageError("--timestamp goes with --sign")
    if args.timestamp and not web_address(args.timestamp):
        raise UsageError(f"--timestamp {args.timestamp}: not an http:// or https:// address")
    from_file = _names_file(args.quote)
    if from_file:
        return _export(args, password, token, None)
    if args.compare:
        raise UsageError("--compare goes with a quote file: a stored quote prints as saved")
    from quotedesk.store import StoreError, open_store  # a quote file's export opens none

    try:
        with open_store(args.db) as store:
            return _export(args, password, token, store)
    except StoreError as exc:
        raise UsageError(str(exc)) from None


def _export(
    args: argparse.Namespace,
    password: bytes | None,
    token: tuple[TokenKey, Path] | None,
    store: QuoteStore | None,
) -> int:
    """The quote as a document, then one call to operations.pdf.export (with the store
    for a stored quote, which remembers its customer's language and a signed export)."""
    if store is None:  # a quote file is priced now (no store: default profile)
        quote, book, rules = load_inputs(args.quote, args.catalog)
        document = file_document(
            quote, book, rules, date.today(), ResellerProfile(), compare=args.compare
        )
    else:  # a stored quote prints as it was saved
        document = stored_document(store, args.quote, args.rev)
    try:
        with _signing(args, password, token, document) as sign_with:
            exported = export(
                store, document, Path(args.output), args.lang, sign_with,
                timestamp_url=args.timestamp,
            )  # fmt: skip
    except Refused as exc:
        how = f" (quotedesk quotes sign-off {document.label})" if document.label else ""
        print(f"quotedesk export: refused: {exc}{how}", file=sys.stderr)
        return EXIT_RULE
    except PdfError as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:
        raise UsageError(f"{args.output}: cannot write ({exc.strerror})") from None
    errors = document.priced.get("errors") or []
    for problem in errors:
        print(f"error {problem['code']}: {problem['message']}", file=sys.stderr)
    if exported.level is None:
        say(f"{args.output}: {document.label or 'quote'}, {exported.size:,} bytes")
        return EXIT_RULE if errors else EXIT_OK
    if exported.no_timestamp:
        print(
            f"quotedesk export: no timestamp yet ({exported.no_timestamp}): signed "
            f"{exported.level}; `quotedesk signatures extend {args.output}` adds one when an "
            "authority answers",
            file=sys.stderr,
        )
    say(f"{args.output}: {document.label}, {exported.size:,} bytes, signed PAdES {exported.level}")
    return EXIT_RULE if errors else EXIT_OK


def _password(args: argparse.Namespace) -> bytes | None:
    if not args.sign or _names_token(args.sign):
        if args.password_file:
            raise UsageError("--password-file goes with --sign P12")
        return None
    if not args.password_file:
        return None
    data = read_file(Path(args.password_file), MAX_PASSWORD_BYTES, "a password file", UsageError)
    return data.rstrip(b"\r\n")


def _names_token(sign: str) -> bool:
    """--sign pkcs11:... is a key on a token; anything else a PKCS#12 file."""
    from quotedesk.pdf.tokens import is_uri  # pyHanko's PKCS#11 side: only for a token

    return is_uri(sign)


def _token_key(args: argparse.Namespace) -> tuple[TokenKey, Path] | None:
    """The key --sign's pkcs11: URI names and the module to reach it through."""
    if not args.sign or not _names_token(args.sign):
        for option, given in (
            ("--pkcs11-module", args.pkcs11_module),
            ("--pin-file", args.pin_file),
        ):
            if given:
                raise UsageError(f"{option} goes with --sign pkcs11:URI")
        return None
    # pyHanko's PKCS#11 side loads only for a token.
    from quotedesk.pdf.tokens import MODULE_VARIABLE, default_module, parse_uri

    try:
        key = parse_uri(args.sign)
    except PdfError as exc:
        raise UsageError(str(exc)) from None
    module = Path(args.pkcs11_module) if args.pkcs11_module else key.module or default_module()
    if module is None:
        raise UsageError(
            f"which PKCS#11 module reaches the token? Give --pkcs11-module PATH or set "
            f"{MODULE_VARIABLE} (README: 'Signing with a token or smartcard')"
        )
    return key, module


@contextmanager
def _signing(
    args: argparse.Namespace,
    password: bytes | None,
    token: tuple[TokenKey, Path] | None,
    document: QuoteDocument,
) -> Iterator[SignWith | None]:
    """What export_pdf signs with: the PKCS#12 file and its password, or the token's
    signer, logged in for the export and logged out after it."""
    if token is None:
        yield (Path(args.sign), password or b"") if args.sign else None
        return
    from quotedesk.pdf.tokens import find_token, token_signer  # pyHanko's PKCS#11 side

    check_signable(document)  # before asking for the PIN
    key, module = token
    found = find_token(module, key)
    with token_signer(found, key, _pin(args, found.label)) as signer:
        yield signer


def _pin(args: argparse.Namespace, label: str) -> str:
    """The token's PIN: --pin-file, else QUOTEDESK_PIN, else typed at the terminal."""
    if args.pin_file:
        return read_secret(args.pin_file, "a PIN file")
    if PIN_VARIABLE in os.environ:
        return os.environ[PIN_VARIABLE]
    if not sys.stdin or not sys.stdin.isatty():
        raise UsageError(
            f"token '{label}' needs its PIN: give --pin-file or set {PIN_VARIABLE} "
            "(there is no terminal to ask at)"
        )
    try:
        return getpass.getpass(f"PIN of token '{label}': ")
    except EOFError:
        raise UsageError(f"no PIN typed for token '{label}'") from None


def _names_file(quote: str) -> bool:
    """A quote file (a .json name, or any file there is); else a stored quote's number."""
    source = Path(quote)
    return source.suffix.lower() == ".json" or source.exists()
