"""PAdES signatures with pyHanko: sign a quote with the reseller's certificate, and check a
signed quote (every signature intact, nothing but further signatures added after the
first, embedded data matching the fingerprint the pages print, no DRAFT watermark).

Quote Desk works offline, so signatures are PAdES baseline B-B: no timestamp authority and
no revocation fetching; trust is judged against the certificates given with `--trust`, or
without it against the system's CA bundle.
"""

from __future__ import annotations

import io
import re
import ssl
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from asn1crypto import cms
from asn1crypto import parser as asn1_parser
from asn1crypto import pem as asn1_pem
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding, pkcs12
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.diff_analysis import DiffResult, ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator import ValidationContext

from quotedesk.pdf.document import PdfError
from quotedesk.pdf.embedded import (
    SIGNATURE_FIELD,
    MissingData,
    embedded_of,
    one_line,
    open_pdf,
    read_pages,
)

HEX_STRING = re.compile(rb"<(?:[0-9a-f]*|[0-9A-F]*)>")


def sign_pdf(
    pdf: bytes,
    signer: signers.Signer | Path,
    password: bytes = b"",
    *,
    now: datetime | None = None,
) -> bytes:
    """Sign with `signer` (a token's, from pdf.tokens) or with the key of the PKCS#12 file
    at that path and `password`, the stamp drawn in the field the renderer left."""
    if isinstance(signer, Path):
        signer = load_signer(signer, password, now=now)
    open_pdf(pdf)
    meta = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason="Quote signed off",
    )
    pdf_signer = signers.PdfSigner(
        meta,
        signer=signer,
        stamp_style=TextStampStyle(stamp_text="Digitally signed by %(signer)s\n%(ts)s"),
    )
    out = io.BytesIO()
    pdf_signer.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)), output=out)
    return out.getvalue()


def load_signer(
    p12_path: Path, password: bytes, *, now: datetime | None = None
) -> signers.SimpleSigner:
    """The PKCS#12 file's signer, or PdfError saying why it cannot sign (wrong password,
    no key, expired): the window checks this before asking where to save."""
    try:
        data = p12_path.read_bytes()
    except FileNotFoundError:
        raise PdfError(f"{p12_path}: no such certificate file") from None
    except OSError as exc:
        raise PdfError(f"{p12_path}: cannot read ({exc.strerror})") from None
    try:
        key, cert, _chain = pkcs12.load_key_and_certificates(data, password)
    except ValueError:
        raise PdfError(f"{p12_path}: wrong password, or not a PKCS#12 (.p12/.pfx) file") from None
    if key is None or cert is None:
        raise PdfError(f"{p12_path}: holds no private key and certificate to sign with")
    if problem := certificate_problem(cert, now):
        raise PdfError(f"{p12_path}: {problem}")
    signer: signers.SimpleSigner = signers.SimpleSigner.load_pkcs12_data(
        data, other_certs=[], passphrase=password
    )
    return signer


def certificate_problem(cert: x509.Certificate, now: datetime | None = None) -> str | None:
    """Why the certificate cannot sign at `now` (default: now), or None."""
    now = now or datetime.now(UTC)
    if cert.not_valid_after_utc < now:
        return f"the certificate expired on {cert.not_valid_after_utc:%Y-%m-%d}"
    if cert.not_valid_before_utc > now:
        return f"the certificate is not valid before {cert.not_valid_before_utc:%Y-%m-%d}"
    return None


@dataclass(frozen=True, slots=True)
class SignatureCheck:
    signer: str
    signed_at: datetime | None
    intact: bool  # the signed bytes are unchanged and the signature matches them
    whole_file: bool  # nothing was added after this signature
    # What was added after this signature, when it is more than further signatures
    # (pyHanko's difference analysis); None when nothing else was added.
    later_changes: str | None
    trusted: bool

    @property
    def ok(self) -> bool:
        return self.intact and self.later_changes is None


@dataclass(frozen=True, slots=True)
class Verification:
    signatures: tuple[SignatureCheck, ...]
    fingerprint: str | None  # of the attached data; None when there is none
    print_problem: str | None  # how the pages' printed fingerprint differs from it
    draft: bool  # the pages carry the DRAFT watermark
    trust_required: bool = False  # --trust was given: every signer must chain to it
    unsigned_updates: int = 0  # revisions after the first signature that no signature covers
    problem: str | None = None  # why the signatures could not be checked at all

    @property
    def data_matches(self) -> bool:
        """The attached quote hashes to the fingerprint every page prints (text and QR)."""
        return self.fingerprint is not None and self.print_problem is None

    @property
    def tampering(self) -> list[str]:
        """What shows the file was changed since it was made or signed."""
        found = [self.problem] if self.problem else []
        for number, check in enumerate(self.signatures, start=1):
            if not check.intact:
                found.append(f"signature {number}: the signed content was changed")
            elif check.later_changes:
                found.append(f"signature {number}: {check.later_changes}")
        if self.signatures and not self.signatures[-1].whole_file:
            found.append("the last signature does not cover the whole file")
        if self.unsigned_updates:
            after = "the first signature" if self.signatures else "it was made"
            updates = "update" if self.unsigned_updates == 1 else "updates"
            found.append(f"{self.unsigned_updates} unsigned {updates} after {after}")
        if self.fingerprint is None:
            found.append("no Quote Desk data attached")
        elif self.print_problem:
            found.append(f"the attached quote does not match the print: {self.print_problem}")
        return found

    @property
    def reasons(self) -> list[str]:
        """Why the file is not a valid signed quote; empty when it is."""
        found = self.tampering
        if not self.signatures and not self.problem:
            found.append("the PDF is not signed")
        if self.draft:
            found.append("draft, not a signed-off quote")
        if self.trust_required and not all(check.trusted for check in self.signatures):
            found.append("a signer does not chain to the --trust certificate")
        return found

    @property
    def valid(self) -> bool:
        return not self.reasons


def verify_pdf(
    data: bytes, trust: list[x509.Certificate] | None = None, name: str = "the file"
) -> Verification:
    """Raises PdfError for a file that is not a PDF, is damaged, or whose attached data
    cannot be read (too large once unpacked, not JSON objects)."""
    reader = open_pdf(data, name)
    try:
        fingerprint: str | None = embedded_of(reader, name).fingerprint
    except MissingData:
        fingerprint = None
    pages = read_pages(reader, fingerprint, name)
    result = Verification((), fingerprint, pages.print_problem, pages.draft, trust is not None)
    try:
        signed = PdfFileReader(io.BytesIO(data), strict=False)
        sigs = list(signed.embedded_signatures)
        context = _context(trust)
        checks = tuple(_check(sig, context, data) for sig in sigs)
    except Exception as exc:  # pyHanko raises many kinds: a damaged file just fails, with why
        return replace(result, problem=f"the signatures cannot be checked ({one_line(exc)})")
    return replace(result, signatures=checks, unsigned_updates=_unsigned_updates(signed, sigs))


def _context(trust: list[x509.Certificate] | None) -> ValidationContext:
    """With --trust, only those certificates are roots; without, the system's are."""
    if trust is None:
        roots = _system_roots()
    else:
        roots = [asn1_x509.Certificate.load(c.public_bytes(Encoding.DER)) for c in trust]
    return ValidationContext(trust_roots=roots, allow_fetching=False)


def _system_roots() -> list[asn1_x509.Certificate]:
    """The CA bundle OpenSSL uses (pyHanko's own fallback to the system list is
    deprecated). Read with asn1crypto, which pyHanko uses too: `cryptography` warns
    about the odd old root in the bundle."""
    paths = ssl.get_default_verify_paths()
    for bundle in (paths.cafile, paths.openssl_cafile):
        if bundle and Path(bundle).is_file():
            blocks = asn1_pem.unarmor(Path(bundle).read_bytes(), multiple=True)
            certs = (der for kind, _, der in blocks if kind == "CERTIFICATE")
            return [asn1_x509.Certificate.load(der) for der in certs]
    return []


def _check(sig: EmbeddedPdfSignature, context: ValidationContext, data: bytes) -> SignatureCheck:
    status = validate_pdf_signature(sig, context)
    return SignatureCheck(
        signer=status.signing_cert.subject.human_friendly,
        signed_at=status.signer_reported_dt,
        intact=bool(status.intact and status.valid) and _contents_as_written(sig, data),
        whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        later_changes=_later_changes(status.coverage, status.diff_result),
        trusted=bool(status.trusted),
    )


def _later_changes(coverage: SignatureCoverageLevel | None, diff: object) -> str | None:
    """pyHanko's judgement of what was added after a signature. FORM_FILLING is the
    level of a further signature filling or adding a signature field (the quote has no
    other form fields); anything above it changed what was signed."""
    if coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return None
    if coverage != SignatureCoverageLevel.ENTIRE_REVISION:
        return "the signature does not cover its own revision of the file"
    if not isinstance(diff, DiffResult):
        return "content was added after it that is not a signature (unexplained changes)"
    if diff.modification_level > ModificationLevel.FORM_FILLING:
        level = diff.modification_level.name.lower()
        return f"content was added after it that is not a signature ({level})"
    return None


def _unsigned_updates(reader: PdfFileReader, sigs: list[EmbeddedPdfSignature]) -> int:
    """Every incremental update after the first signature must be a further signature;
    an unsigned export is one revision, so any update to it is a change."""
    signed = {sig.signed_revision for sig in sigs}
    first = min(signed, default=0)
    return sum(1 for r in range(first + 1, reader.xrefs.total_revisions) if r not in signed)


def _contents_as_written(sig: EmbeddedPdfSignature, data: bytes) -> bool:
    """The one part of the file a signature cannot cover is its own /Contents string, and
    pyHanko reads only what it needs from it. So a changed byte there can go unnoticed:
    in the hex (case, padding after the CMS structure) or in the CMS parts no signature
    covers (the digest algorithm list, version numbers, the signer's issuer and serial
    number, any part never parsed). Require the string as pyHanko writes it: hex of one
    case, zeros after the structure, the structure in DER that re-encodes to itself,
    and its unsigned parts agreeing with the signed ones."""
    _, end1, start2, _ = sig.byte_range
    if not HEX_STRING.fullmatch(data[end1:start2]):
        return False
    content = sig.pkcs7_content
    _, _, _, header, body, trailer = asn1_parser.parse(content)
    der_size = len(header) + len(body) + len(trailer)
    if content[der_size:].strip(b"\0"):
        return False
    der = content[:der_size]
    if cms.ContentInfo.load(der).dump(force=True) != der:
        return False
    signed_data = sig.signed_data
    digests = [info["digest_algorithm"].dump() for info in signed_data["signer_infos"]]
    if sorted(a.dump() for a in signed_data["digest_algorithms"]) != sorted(set(digests)):
        return False
    # RFC 5652 fixes both version numbers by the kind of signer id used.
    sid, cert = sig.signer_info["sid"], sig.signer_cert
    versions = {info["version"].native for info in signed_data["signer_infos"]}
    if signed_data["version"].native != ("v3" if "v3" in versions else "v1"):
        return False
    version = sig.signer_info["version"].native
    if sid.name == "subject_key_identifier":
        return bool(version == "v3" and sid.chosen.native == cert.key_identifier)
    named = cms.IssuerAndSerialNumber({"issuer": cert.issuer, "serial_number": cert.serial_number})
    return bool(version == "v1" and sid.chosen.dump() == named.dump(force=True))


def load_certificates(path: Path) -> list[x509.Certificate]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PdfError(f"{path}: cannot read ({exc.strerror})") from None
    try:
        if b"-----BEGIN" in data:
            return x509.load_pem_x509_certificates(data)
        return [x509.load_der_x509_certificate(data)]
    except ValueError:
        raise PdfError(f"{path}: not a certificate (PEM or DER)") from None
