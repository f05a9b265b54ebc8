"""`quotedesk verify OUT.pdf [--trust CERT] [--trust-tsa CERT]`: each
signature with its PAdES level and timestamp, read from the file alone (no network)."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from quotedesk.cli import EXIT_OK, EXIT_RULE, UsageError, say
from quotedesk.cli.inputs import read_pdf
from quotedesk.pdf.document import PdfError

if TYPE_CHECKING:
    from quotedesk.pdf.signing import SignatureCheck, Timestamp, Verification


def add_arguments(v: argparse.ArgumentParser) -> None:
    v.add_argument("pdf", help="signed PDF quote")
    v.add_argument("--trust", metavar="CERT", help="certificate (PEM) to trust as the signer")
    v.add_argument(
        "--trust-tsa", metavar="CERT",
        help="certificate (PEM) to trust for timestamps, besides the system's CAs",
    )  # fmt: skip


def run(args: argparse.Namespace) -> int:
    from quotedesk.pdf.signing import load_certificates, verify_pdf  # pyHanko: slow to import

    data = read_pdf(Path(args.pdf))
    # pyHanko logs every untrusted certificate with a traceback; the report says it.
    logging.getLogger("pyhanko").setLevel(logging.CRITICAL)
    try:
        trust = load_certificates(Path(args.trust)) if args.trust else None
        tsa_trust = load_certificates(Path(args.trust_tsa)) if args.trust_tsa else None
        result = verify_pdf(data, trust, args.pdf, tsa_trust)
    except PdfError as exc:
        raise UsageError(str(exc)) from None
    lines = [f"file: {args.pdf}"]
    if result.problem:
        lines.append(f"problem: {result.problem}")
    if not result.signatures and not result.problem:
        lines.append("signature: none (the PDF is not signed)")
    for number, check in enumerate(result.signatures, start=1):
        lines += _signature_lines(number, check, args.trust, args.trust_tsa)
    if result.signatures:
        lines.append(_acceptance_line(result))
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
    say("\n".join(lines))
    return EXIT_OK if result.valid else EXIT_RULE


KINDS = {
    "certification": "the reseller's certification (after it only the customer's acceptance "
    "field may be signed)",
    "uncertified": "the reseller's signature, not certified (made by an older Quote Desk: "
    "only timestamps and validation data may be added after it)",
    "acceptance": "the customer's acceptance",
    "timestamp": "document timestamp",
    "misplaced": "NOT ALLOWED (not the quote's signature, its acceptance or a timestamp)",
}


LEVELS = {
    "B-B": "no timestamp yet: only the signer's clock says when it signed; "
    "quotedesk signatures extend adds one",
    "B-T": "timestamped",
    "B-LT": "timestamped, with the certificates and revocation data to check it offline",
    "B-LTA": "timestamped, with the data to check it offline, sealed by a document timestamp",
}


def _signature_lines(
    number: int, check: SignatureCheck, trust: str | None, trust_tsa: str | None
) -> list[str]:
    when = check.signed_at.isoformat(timespec="seconds") if check.signed_at else "unknown"
    if check.whole_file:
        covers = "yes"
    elif check.later_changes is None:
        covers = "no, but all that was added after it is allowed"
    else:
        covers = f"NO: {check.later_changes}"
    if check.trusted:
        trusted = "yes"
    elif check.level is None:  # a document timestamp: its authority, judged as for timestamps
        trusted = _untrusted_authority(trust_tsa)
    elif trust:
        trusted = f"NO: the signer does not chain to {trust}"
    else:
        trusted = "no (not a certificate this system trusts; give it with --trust)"
    lines = [
        f"signature {number} signer: {check.signer}",
        f"kind: {KINDS[check.role]} (field {check.field})",
        f"signed at: {when}",
        f"intact: {'yes' if check.intact else 'NO: the signed content was changed'}",
    ]
    if check.level is not None:
        lines.append(f"level: PAdES {check.level} ({LEVELS[check.level]})")
    if check.timestamp is not None:
        lines.append(_timestamp_line(check.timestamp, trust_tsa))
    if check.role != "timestamp":
        problem = check.certificate_problem
        proven = check.timestamp is not None and check.timestamp.trusted
        valid = "valid when timestamped" if proven else "valid then and now"
        lines.append(f"certificate: {f'NOT VALID: {problem}' if problem else valid}")
    return [*lines, f"covers the whole file: {covers}", f"trusted: {trusted}"]


def _timestamp_line(stamp: Timestamp, trust_tsa: str | None) -> str:
    kind = "document timestamp after it" if stamp.document else "its own timestamp"
    trusted = "trusted" if stamp.trusted else f"trusted: {_untrusted_authority(trust_tsa)}"
    when = stamp.at.isoformat(timespec="seconds")
    return f"timestamp: {when} by {stamp.authority} ({kind}; {trusted})"


def _untrusted_authority(trust_tsa: str | None) -> str:
    if trust_tsa:
        return f"no (the authority chains neither to this system's CAs nor to {trust_tsa})"
    return "no (not an authority this system trusts; give its CA with --trust-tsa)"


def _acceptance_line(result: Verification) -> str:
    if not result.certified:
        return "acceptance: none (the quote is not certified, so it has no acceptance field)"
    check = result.acceptance
    if check is None:
        return "acceptance: not signed yet (the customer acceptance field is empty)"
    when = check.signed_at.isoformat(timespec="seconds") if check.signed_at else "an unknown time"
    trusted = "trusted" if check.trusted else "not trusted"
    return f"acceptance: accepted by {check.signer} at {when} ({trusted})"
