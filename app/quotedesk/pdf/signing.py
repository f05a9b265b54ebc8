"""PAdES signatures with pyHanko: certify a quote with the reseller's certificate, and
check a signed quote (every signature intact, its certificate valid, nothing added after
the certification but what it allows, embedded data matching the fingerprint the pages
print, no DRAFT watermark).

The reseller's signature certifies the quote (DocMDP, permission level 2: only filling in
and signing the form fields it has), and the quote has one empty field, the customer's
acceptance. `verify_pdf` judges every later revision with pyHanko's difference analysis
under a stricter policy than pyHanko's standard one: the acceptance signature, document
timestamps and validation data (DSS) may be added, nothing else; the document information
may change only in its save date and producer, the XMP metadata not at all.

Quote Desk works offline. A signature made with no timestamp authority within reach is
PAdES baseline B-B: only the signer's clock says when it was made, so its certificate must
be valid both then and now. A timestamp (its own token, B-T, or a document timestamp added
later by `extend`, see longterm.py) from a trusted authority fixes the time instead: the
certificate must have been valid then. `verify_pdf` reports each signature's level (B-B,
B-T, B-LT, B-LTA) from what the file carries, reading no network. Trust in a signer is
judged against the certificates given with `--trust`, or without it against the system's
CA bundle; trust in a timestamp authority against the system's bundle and `--trust-tsa`.
"""

from __future__ import annotations

import io
import re
import ssl
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from html import escape
from pathlib import Path
from typing import Any

from asn1crypto import cms
from asn1crypto import parser as asn1_parser
from asn1crypto import pem as asn1_pem
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding, pkcs12
from pyhanko.pdf_utils import misc
from pyhanko.pdf_utils.content import PdfContent
from pyhanko.pdf_utils.generic import Reference
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.layout import BoxConstraints
from pyhanko.pdf_utils.reader import HistoricalResolver, PdfFileReader
from pyhanko.pdf_utils.writer import BasePdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.diff_analysis import (
    DiffResult,
    ModificationLevel,
    StandardDiffPolicy,
    SuspiciousModification,
)
from pyhanko.sign.diff_analysis.form_rules_api import FormUpdatingRule
from pyhanko.sign.diff_analysis.rules.file_structure_rules import (
    CatalogModificationRule,
    ObjectStreamRule,
    XrefStreamRule,
)
from pyhanko.sign.diff_analysis.rules.form_field_rules import (
    DSSCompareRule,
    SigFieldCreationRule,
    SigFieldModificationRule,
)
from pyhanko.sign.diff_analysis.rules.metadata_rules import DocInfoRule
from pyhanko.sign.diff_analysis.rules_api import ReferenceUpdate, WhitelistRule
from pyhanko.sign.timestamps import HTTPTimeStamper, TimestampRequestError
from pyhanko.sign.timestamps.api import TimeStamper
from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.status import (
    DocumentTimestampStatus,
    PdfSignatureStatus,
    SignatureCoverageLevel,
    TimestampSignatureStatus,
)
from pyhanko.stamp import StaticContentStamp, StaticStampStyle, TextStampStyle
from pyhanko_certvalidator import ValidationContext
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from quotedesk.core.io.files import MB, read_at_most, read_file
from quotedesk.pdf.document import PdfError
from quotedesk.pdf.embedded import (
    ACCEPTANCE_FIELD,
    SIGNATURE_FIELD,
    MissingData,
    embedded_of,
    one_line,
    open_pdf,
    read_pages,
)
from quotedesk.pdf.fonts import font_chain
from quotedesk.pdf.scripts import Layout, Unprintable
from quotedesk.pdf.validation_data import ValidationData, covered_by, validation_data

# A signature's /Contents: pyHanko writes upper-case hex, other tools either case.
PYHANKO_HEX = re.compile(rb"<[0-9A-F]*>")
HEX_STRING = re.compile(rb"<(?:[0-9a-f]*|[0-9A-F]*)>")
# What a signature is, by its place in the file (SignatureCheck.role).
CERTIFICATION = "certification"  # the reseller's, in SIGNATURE_FIELD, certifying
UNCERTIFIED = "uncertified"  # the reseller's from an older Quote Desk: an approval signature
ACCEPTANCE = "acceptance"  # the customer's, in ACCEPTANCE_FIELD
TIMESTAMP = "timestamp"  # a document timestamp, in a field of its own
MISPLACED = "misplaced"  # anything else: never allowed
# /Info entries every PDF writer rewrites when it saves (pyHanko too): no meaning to a reader.
SAVE_STAMPS = frozenset({"/ModDate", "/Producer"})
# A PKCS#12 file or a certificate is a few KB; a system CA bundle under 1 MB.
MAX_CERTIFICATE_BYTES = 10 * MB
# PAdES baseline levels, each adding to the one before (SignatureCheck.level).
B_B, B_T, B_LT, B_LTA = "B-B", "B-T", "B-LT", "B-LTA"
# Seconds to wait for a timestamp authority: the export waits for it.
TSA_TIMEOUT = 15


class NoTimestamp(PdfError):
    """The timestamp authority gave no timestamp: unreachable, or it refused."""


def timestamper(url: str) -> HTTPTimeStamper:
    """An RFC 3161 timestamp authority's client."""
    return HTTPTimeStamper(url, timeout=TSA_TIMEOUT)


def sign_pdf(
    pdf: bytes,
    signer: signers.Signer | Path,
    password: bytes = b"",
    *,
    now: datetime | None = None,
    timestamper: TimeStamper | None = None,
) -> bytes:
    """Certify with `signer` (a token's, from pdf.tokens) or with the key of the PKCS#12
    file at that path and `password`, the stamp drawn in the field the renderer left;
    timestamped (B-T) by `timestamper` when given."""
    if isinstance(signer, Path):
        signer = load_signer(signer, password, now=now)
    return certify_pdf(pdf, signer, timestamper=timestamper)


def certify_pdf(
    pdf: bytes, signer: signers.Signer, *, timestamper: TimeStamper | None = None
) -> bytes:
    """Certify the quote with any pyHanko signer: the stamp fills the reseller's field,
    and afterwards PDF allows only signing the fields the quote has (DocMDP level 2),
    which leaves the customer's acceptance field. With a `timestamper` the signature
    carries its timestamp (B-T); NoTimestamp when the authority gives none."""
    open_pdf(pdf)
    meta = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason="Quote signed off",
        certify=True,
        docmdp_permissions=fields.MDPPerm.FILL_FORMS,
    )
    pdf_signer = signers.PdfSigner(
        meta,
        signer=signer,
        timestamper=timestamper,
        stamp_style=_EmbeddedFontStamp(stamp_text="Digitally signed by %(signer)s\n%(ts)s"),
    )
    out = io.BytesIO()
    try:
        pdf_signer.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)), output=out)
    except TimestampRequestError as exc:
        raise no_timestamp(timestamper, exc) from None
    return out.getvalue()


def no_timestamp(stamper: TimeStamper | None, exc: BaseException) -> NoTimestamp:
    """The error for a timestamp the authority did not give, with the reason underneath."""
    url = getattr(stamper, "url", "")
    authority = f"the timestamp authority {url}" if url else "the timestamp authority"
    return NoTimestamp(f"{authority} gave no timestamp ({one_line(exc.__cause__ or exc)})")


@dataclass(frozen=True)
class _EmbeddedFontStamp(TextStampStyle):
    """pyHanko's text stamp with its text drawn by ReportLab in the quote's embedded fonts
    (any script the quote itself can print): pyHanko's own text names Courier without
    embedding it. The drawing is the stamp's background; the frame is pyHanko's."""

    def create_stamp(  # type: ignore[override]  # pyHanko only needs a stamp back
        self, writer: BasePdfFileWriter, box: BoxConstraints, text_params: dict[str, Any]
    ) -> StaticContentStamp:
        drawing = _stamp_drawing(self.stamp_text % text_params, box.width, box.height)
        style = StaticStampStyle(background=_PdfPage(drawing), border_width=self.border_width)
        return StaticContentStamp(writer=writer, style=style, box=box)


class _PdfPage(PdfContent):
    """The first page of a PDF in memory as content (pyHanko's ImportedPdfPage reads files)."""

    def __init__(self, pdf: bytes) -> None:
        super().__init__()
        self.pdf = pdf

    def render(self) -> bytes:
        page = self._ensure_writer.import_page_as_xobject(PdfFileReader(io.BytesIO(self.pdf)))
        self.resources.xobject["/QuoteDeskStamp"] = page
        x1, y1, x2, y2 = page.get_object()["/BBox"]
        self.box = BoxConstraints(width=abs(x2 - x1), height=abs(y2 - y1))
        return b"/QuoteDeskStamp Do"


def _stamp_drawing(text: str, width: float, height: float) -> bytes:
    """`text` in 9 pt lines, as a one-page PDF of the stamp's size."""
    chain = font_chain(cjk=False)
    style = ParagraphStyle("stamp", fontName=chain.regular, fontSize=9, leading=11)
    margin = 8.0
    room = width - 2 * margin
    try:
        markup = (
            escape(text, quote=False).replace("\n", "<br/>")
            if chain.simple(text, False)
            else Layout(chain, False, style.fontSize).markup(text, room)
        )
    except Unprintable as exc:
        raise PdfError(f"cannot print {exc} in the signature: no font in the PDF has it") from None
    buffer = io.BytesIO()
    # The initial font is named on the page, used or not (the stubs type it as a number).
    font: Any = chain.regular
    canvas = Canvas(buffer, pagesize=(width, height), invariant=True, initialFontName=font)
    paragraph = Paragraph(markup, style)
    _, used = paragraph.wrap(room, height)
    paragraph.drawOn(canvas, margin, max((height - used) / 2, 0))
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def load_signer(
    p12_path: Path, password: bytes, *, now: datetime | None = None
) -> signers.SimpleSigner:
    """The PKCS#12 file's signer, or PdfError saying why it cannot sign (wrong password,
    no key, expired): the window checks this before asking where to save."""
    kind, missing = "a certificate file", "no such certificate file"
    data = read_file(p12_path, MAX_CERTIFICATE_BYTES, kind, PdfError, missing)
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
    role: str  # CERTIFICATION, UNCERTIFIED, ACCEPTANCE, TIMESTAMP or MISPLACED
    field: str
    intact: bool  # the signed bytes are unchanged and the signature matches them
    whole_file: bool  # nothing was added after this signature
    # What was added after this signature that the quote does not allow; None when
    # nothing was, or only what is allowed.
    later_changes: str | None
    trusted: bool
    # Why the signer's certificate was not valid when it signed, or is not now.
    certificate_problem: str | None = None
    level: str | None = None  # B_B to B_LTA for a signature; None for a document timestamp
    timestamp: Timestamp | None = None  # the time an authority vouches for, if any


@dataclass(frozen=True, slots=True)
class Timestamp:
    """A time a timestamp authority vouches a signature existed at: the signature's own
    token, or else the first document timestamp after it."""

    at: datetime
    authority: str  # the authority's certificate subject
    trusted: bool  # that certificate chains to the system's CAs or a --trust-tsa one
    document: bool  # a document timestamp added after the signature


@dataclass(frozen=True, slots=True)
class Verification:
    signatures: tuple[SignatureCheck, ...]
    fingerprint: str | None  # of the attached data; None when there is none
    print_problem: str | None  # how the pages' printed fingerprint differs from it
    draft: bool  # the pages carry the DRAFT watermark
    trust_required: bool = False  # --trust was given: the quote's signer must chain to it
    problem: str | None = None  # why the signatures could not be checked at all

    @property
    def data_matches(self) -> bool:
        """The attached quote hashes to the fingerprint every page prints (text and QR)."""
        return self.fingerprint is not None and self.print_problem is None

    @property
    def certified(self) -> bool:
        return bool(self.signatures) and self.signatures[0].role == CERTIFICATION

    @property
    def level(self) -> str | None:
        """The PAdES level of the quote's own signature, None when it has none."""
        return self.signatures[0].level if self.signatures else None

    @property
    def acceptance(self) -> SignatureCheck | None:
        """The customer's signature in the acceptance field, if they signed it."""
        return next((check for check in self.signatures if check.role == ACCEPTANCE), None)

    @property
    def tampering(self) -> list[str]:
        """What shows the file was changed since it was made or signed."""
        found = [self.problem] if self.problem else []
        for number, check in enumerate(self.signatures, start=1):
            if check.role == MISPLACED:
                found.append(f"signature {number}: {_misplaced(number, check.field)}")
            if not check.intact:
                found.append(f"signature {number}: the signed content was changed")
            elif check.later_changes:
                found.append(f"signature {number}: {check.later_changes}")
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
        for number, check in enumerate(self.signatures, start=1):
            if check.certificate_problem:
                found.append(f"signature {number}: {check.certificate_problem}")
        if self.draft:
            found.append("draft, not a signed-off quote")
        if self.trust_required and self.signatures and not self.signatures[0].trusted:
            found.append("the quote's signer does not chain to the --trust certificate")
        return found

    @property
    def valid(self) -> bool:
        return not self.reasons


def _misplaced(number: int, field: str) -> str:
    if number == 1:
        return f"the quote's own signature field is not the one signed first (this is {field})"
    return f"in field {field}: after the quote's signature only its acceptance field may be signed"


def verify_pdf(
    data: bytes,
    trust: list[x509.Certificate] | None = None,
    name: str = "the file",
    tsa_trust: list[x509.Certificate] | None = None,
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
        held = validation_data(signed)
        roots = _roots(trust)
        tsa_roots = [*system_roots(), *_roots(tsa_trust or [])]
        certified = bool(sigs) and _role(0, sigs[0], certified=False) == CERTIFICATION
        statuses = [_validate(sig, roots, tsa_roots, held) for sig in sigs]
        now = datetime.now(UTC)
        checks = []
        for i, sig in enumerate(sigs):
            role = _role(i, sig, certified=certified)
            check = _check(sig, statuses[i], _timestamp(statuses[i:]), role, certified, data, now)
            if not isinstance(statuses[i], DocumentTimestampStatus):
                check = _trusted_then(check, sig, roots, tsa_roots, held)
                check = replace(check, level=_level(signed, sigs[i:], statuses[i:], held))
            checks.append(check)
    except Exception as exc:  # pyHanko raises many kinds: a damaged file just fails, with why
        return replace(result, problem=f"the signatures cannot be checked ({one_line(exc)})")
    return replace(result, signatures=tuple(checks))


def _role(index: int, sig: EmbeddedPdfSignature, *, certified: bool) -> str:
    """The reseller's signature comes first, in its own field; after a certification
    only the acceptance field may be signed; document timestamps go in new fields."""
    field = sig.field_name
    if sig.sig_object_type == "/DocTimeStamp":
        ours = field in (SIGNATURE_FIELD, ACCEPTANCE_FIELD)
        return TIMESTAMP if index and not ours else MISPLACED
    if index == 0 and field == SIGNATURE_FIELD:
        return UNCERTIFIED if sig.docmdp_level is None else CERTIFICATION
    if index and certified and field == ACCEPTANCE_FIELD:
        return ACCEPTANCE
    return MISPLACED


def _roots(certs: list[x509.Certificate] | None) -> list[asn1_x509.Certificate]:
    """With --trust, only those certificates are roots; without, the system's are."""
    if certs is None:
        return system_roots()
    return [asn1_x509.Certificate.load(c.public_bytes(Encoding.DER)) for c in certs]


def system_roots() -> list[asn1_x509.Certificate]:
    """The CA bundle OpenSSL uses (pyHanko's own fallback to the system list is
    deprecated). Read with asn1crypto, which pyHanko uses too: `cryptography` warns
    about the odd old root in the bundle."""
    paths = ssl.get_default_verify_paths()
    for bundle in (paths.cafile, paths.openssl_cafile):
        if bundle and Path(bundle).is_file():
            data = read_at_most(Path(bundle), MAX_CERTIFICATE_BYTES, "a CA bundle")
            blocks = asn1_pem.unarmor(data, multiple=True)
            certs = (der for kind, _, der in blocks if kind == "CERTIFICATE")
            return [asn1_x509.Certificate.load(der) for der in certs]
    return []


_Status = PdfSignatureStatus | DocumentTimestampStatus


def _validate(
    sig: EmbeddedPdfSignature,
    roots: list[asn1_x509.Certificate],
    tsa_roots: list[asn1_x509.Certificate],
    held: ValidationData,
) -> _Status:
    """pyHanko's judgement of one signature, under our policy. Certificates in the file's
    validation data help build chains; nothing is fetched."""
    if sig.sig_object_type == "/DocTimeStamp":
        return validate_pdf_timestamp(sig, _context(tsa_roots, held), diff_policy=_POLICY)
    return validate_pdf_signature(
        sig, _context(roots, held), _context(tsa_roots, held), diff_policy=_POLICY
    )


def _context(
    roots: list[asn1_x509.Certificate], held: ValidationData, moment: datetime | None = None
) -> ValidationContext:
    return ValidationContext(
        trust_roots=roots, other_certs=held.certs, moment=moment, allow_fetching=False
    )


def _trusted_then(
    check: SignatureCheck,
    sig: EmbeddedPdfSignature,
    roots: list[asn1_x509.Certificate],
    tsa_roots: list[asn1_x509.Certificate],
    held: ValidationData,
) -> SignatureCheck:
    """A signature a trusted timestamp dates is trusted when its signer's chain was valid
    at that time: its certificate may have expired since."""
    stamp = check.timestamp
    if check.trusted or stamp is None or not stamp.trusted:
        return check
    then = _context(roots, held, moment=stamp.at)
    status = validate_pdf_signature(sig, then, _context(tsa_roots, held), diff_policy=_POLICY)
    return replace(check, trusted=bool(status.trusted))


def _vouching(statuses: list[_Status]) -> TimestampSignatureStatus | None:
    """For the first of `statuses`, a signature: its own timestamp token if it has a sound
    one, else the first sound document timestamp after it."""
    status = statuses[0]
    if isinstance(status, PdfSignatureStatus) and status.timestamp_validity is not None:
        token = status.timestamp_validity
        if token.intact and token.valid:
            return token
    for later in statuses[1:]:
        if isinstance(later, DocumentTimestampStatus) and later.intact and later.valid:
            return later
    return None


def _timestamp(statuses: list[_Status]) -> Timestamp | None:
    vouching = _vouching(statuses)
    if vouching is None:
        return None
    return Timestamp(
        vouching.timestamp,
        vouching.signing_cert.subject.human_friendly,
        bool(vouching.trusted),
        document=isinstance(vouching, DocumentTimestampStatus),
    )


def _level(
    reader: PdfFileReader,
    sigs: list[EmbeddedPdfSignature],
    statuses: list[_Status],
    held: ValidationData,
) -> str:
    """The first of `sigs`'s PAdES level: B-T with a timestamp; B-LT when the file's
    validation data also let its certificate, and the timestamp authority's, be checked
    offline; B-LTA when a later document timestamp sealed the signer's part of them."""
    status, vouching = statuses[0], _vouching(statuses)
    assert isinstance(status, PdfSignatureStatus)
    if vouching is None:
        return B_B
    signer = [status.signing_cert]
    if status.timestamp_validity is not None:
        signer.append(status.timestamp_validity.signing_cert)
    if not all(held.complete_for(cert) for cert in (*signer, vouching.signing_cert)):
        return B_T
    sealed = any(
        all(covered_by(reader, sig).complete_for(cert) for cert in signer)
        for sig, later in zip(sigs[1:], statuses[1:], strict=True)
        if isinstance(later, DocumentTimestampStatus) and later.intact and later.valid
    )
    return B_LTA if sealed else B_LT


def _check(
    sig: EmbeddedPdfSignature,
    status: _Status,
    timestamp: Timestamp | None,
    role: str,
    certified: bool,
    data: bytes,
    now: datetime,
) -> SignatureCheck:
    signed_at: datetime | None
    if isinstance(status, DocumentTimestampStatus):
        signed_at, problem, timestamp = status.timestamp, None, None
    else:
        signed_at = status.signer_reported_dt
        proven = timestamp.at if timestamp is not None and timestamp.trusted else None
        problem = _certificate_problem(status.signing_cert, signed_at, now, proven)
    ours = sig.field_name == SIGNATURE_FIELD
    later = _later_changes(status.coverage, status.diff_result, certified)
    if role == CERTIFICATION and later is None and not status.docmdp_ok:
        later = "content was added after it that its certification does not allow"
    return SignatureCheck(
        signer=status.signing_cert.subject.human_friendly,
        signed_at=signed_at,
        role=role,
        field=sig.field_name,
        intact=bool(status.intact and status.valid) and _contents_as_written(sig, data, ours),
        whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        later_changes=later,
        trusted=bool(status.trusted),
        certificate_problem=problem,
        timestamp=timestamp,
    )


def _certificate_problem(
    cert: asn1_x509.Certificate,
    signed_at: datetime | None,
    now: datetime,
    proven: datetime | None = None,
) -> str | None:
    """The certificate must have been valid when it signed. Without a trusted timestamp
    (B-B) nothing but the signer's own clock says when that was, so it must still be
    valid now; with one (`proven`), it must have been valid at that time, and may have
    expired since. pyHanko checks none of this for a certificate given as a trust root."""
    validity = cert["tbs_certificate"]["validity"]
    start, end = validity["not_before"].native, validity["not_after"].native
    if proven is not None:  # the signer's own clock says nothing more
        if not start <= proven <= end:
            return (
                f"timestamped {proven:%Y-%m-%d}, outside its certificate's validity "
                f"({start:%Y-%m-%d} to {end:%Y-%m-%d})"
            )
        return None
    if signed_at is not None and signed_at < start:
        return (
            f"signed {signed_at:%Y-%m-%d}, before its certificate was valid (from {start:%Y-%m-%d})"
        )
    if signed_at is not None and signed_at > end:
        return f"signed {signed_at:%Y-%m-%d}, after its certificate expired ({end:%Y-%m-%d})"
    if now > end:
        return f"its certificate expired on {end:%Y-%m-%d}, and no timestamp shows it signed before"
    if now < start:
        return f"its certificate is not valid until {start:%Y-%m-%d}"
    return None


def _later_changes(
    coverage: SignatureCoverageLevel | None, diff: object, certified: bool
) -> str | None:
    """pyHanko's judgement, under our policy, of what was added after a signature. In a
    certified quote that may be the acceptance signature (FORM_FILLING, that field only);
    otherwise only timestamps and validation data (LTA_UPDATES)."""
    if coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return None
    if coverage != SignatureCoverageLevel.ENTIRE_REVISION:
        return "the signature does not cover its own revision of the file"
    if isinstance(diff, _Refused):
        return str(diff)
    allowed = "the customer's acceptance, " if certified else ""
    refused = f"content was added after it that is not {allowed}a timestamp or validation data"
    if not isinstance(diff, DiffResult):
        return refused
    limit = ModificationLevel.FORM_FILLING if certified else ModificationLevel.LTA_UPDATES
    if diff.modification_level > limit:
        return f"{refused} ({diff.modification_level.name.lower()})"
    others = sorted(diff.changed_form_fields - {ACCEPTANCE_FIELD})
    if others:
        return f"form field {', '.join(others)} was changed after it"
    return None


class _Refused(SuspiciousModification):
    """A change our own rules refuse, worded for the report."""


class _InfoRule(DocInfoRule):
    """pyHanko's rule lets anyone rewrite /Info (Title, Subject) after signing; here
    only the entries a PDF writer stamps on saving may change."""

    def apply(self, old: HistoricalResolver, new: HistoricalResolver) -> Iterable[ReferenceUpdate]:
        before, after = _info(old), _info(new)
        changed = sorted(
            key[1:]
            for key in (before.keys() | after.keys()) - SAVE_STAMPS
            if before.get(key) != after.get(key)
        )
        if changed:
            raise _Refused(f"the document information ({', '.join(changed)}) was changed after it")
        yield from super().apply(old, new)


def _info(resolver: HistoricalResolver) -> dict[str, object]:
    """/Info as of the resolver's revision (its entries as written, not resolved)."""
    ref = resolver.trailer_view.get_value_as_reference("/Info", optional=True)
    if ref is None:
        return {}
    info = resolver(ref)
    return {key: info.raw_get(key) for key in info}


class _MetadataRule(WhitelistRule):
    """The quote has no XMP metadata stream: none may be added, replaced or rewritten
    (pyHanko's rule accepts any well-formed XMP)."""

    def apply(self, old: HistoricalResolver, new: HistoricalResolver) -> Iterable[ReferenceUpdate]:
        ref = _metadata_ref(new)
        written = new.explicit_refs_in_revision()  # type: ignore[no-untyped-call]
        if ref != _metadata_ref(old) or ref in written:
            raise _Refused("the XMP metadata was changed after it")
        return ()


def _metadata_ref(resolver: HistoricalResolver) -> Reference | None:
    try:
        ref: Reference | None = resolver.root.get_value_as_reference("/Metadata", optional=True)
    except misc.IndirectObjectExpected:
        raise _Refused("the XMP metadata is not a stream") from None
    return ref


def _policy() -> StandardDiffPolicy:
    """pyHanko's standard policy less what it allows that a quote must not: /Info and
    XMP rewrites (replaced by the rules above) and filling other kinds of form field."""
    lta = ModificationLevel.LTA_UPDATES
    return StandardDiffPolicy(
        global_rules=[
            CatalogModificationRule(),  # type: ignore[no-untyped-call]
            _InfoRule().as_qualified(lta),
            _MetadataRule().as_qualified(lta),
            XrefStreamRule().as_qualified(lta),
            ObjectStreamRule().as_qualified(lta),
            DSSCompareRule().as_qualified(lta),
        ],
        form_rule=FormUpdatingRule(
            field_rules=[
                SigFieldCreationRule(),  # type: ignore[no-untyped-call]
                SigFieldModificationRule(),
            ]
        ),
    )


_POLICY = _policy()


def _contents_as_written(sig: EmbeddedPdfSignature, data: bytes, ours: bool) -> bool:
    """The one part of the file a signature cannot cover is its own /Contents string, and
    pyHanko reads only what it needs from it. So a changed byte there can go unnoticed:
    in the hex (case, padding after the CMS structure) or in the CMS parts no signature
    covers (the digest algorithm list, version numbers, the signer's issuer and serial
    number, any part never parsed). Require the string as it was written: hex in
    upper case for the quote's own signature (pyHanko writes it so), of one case for
    others (tools differ), zeros after the structure, the structure in DER that
    re-encodes to itself, and its unsigned parts agreeing with the signed ones."""
    _, end1, start2, _ = sig.byte_range
    if not (PYHANKO_HEX if ours else HEX_STRING).fullmatch(data[end1:start2]):
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
    # RFC 5652 fixes both version numbers by the kind of signer id and of content
    # (a timestamp token's is not plain data).
    sid, cert = sig.signer_info["sid"], sig.signer_cert
    versions = {info["version"].native for info in signed_data["signer_infos"]}
    plain = signed_data["encap_content_info"]["content_type"].native == "data"
    if signed_data["version"].native != ("v3" if "v3" in versions or not plain else "v1"):
        return False
    version = sig.signer_info["version"].native
    if sid.name == "subject_key_identifier":
        return bool(version == "v3" and sid.chosen.native == cert.key_identifier)
    named = cms.IssuerAndSerialNumber({"issuer": cert.issuer, "serial_number": cert.serial_number})
    return bool(version == "v1" and sid.chosen.dump() == named.dump(force=True))


def load_certificates(path: Path) -> list[x509.Certificate]:
    data = read_file(path, MAX_CERTIFICATE_BYTES, "a certificate file", PdfError)
    try:
        if b"-----BEGIN" in data:
            return x509.load_pem_x509_certificates(data)
        return [x509.load_der_x509_certificate(data)]
    except ValueError:
        raise PdfError(f"{path}: not a certificate (PEM or DER)") from None
