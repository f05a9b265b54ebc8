"""PAdES signatures with pyHanko: sign a quote with the reseller's certificate, and check a
signed quote (intact, covering the whole file, embedded data matching the print).

Quote Desk works offline, so signatures are PAdES baseline B-B: no timestamp authority and
no revocation fetching; trust is judged against the certificates given with `--trust`.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding, pkcs12
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator import ValidationContext

from quotedesk.pdf.document import PdfError
from quotedesk.pdf.embedded import SIGNATURE_FIELD, open_pdf, read_embedded


def sign_pdf(pdf: bytes, p12_path: Path, password: bytes, *, now: datetime | None = None) -> bytes:
    """Sign with the PKCS#12 file's key, the stamp drawn in the field the renderer left."""
    signer = _load_signer(p12_path, password, now or datetime.now(UTC))
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


def _load_signer(p12_path: Path, password: bytes, now: datetime) -> signers.SimpleSigner:
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
    if cert.not_valid_after_utc < now:
        raise PdfError(
            f"{p12_path}: the certificate expired on {cert.not_valid_after_utc:%Y-%m-%d}"
        )
    if cert.not_valid_before_utc > now:
        raise PdfError(
            f"{p12_path}: the certificate is not valid before {cert.not_valid_before_utc:%Y-%m-%d}"
        )
    return signers.SimpleSigner.load_pkcs12_data(data, other_certs=[], passphrase=password)


@dataclass(frozen=True, slots=True)
class SignatureCheck:
    signer: str
    signed_at: datetime | None
    intact: bool  # the signed bytes are unchanged and the signature matches them
    whole_file: bool  # nothing was added after this signature
    trusted: bool


@dataclass(frozen=True, slots=True)
class Verification:
    signatures: tuple[SignatureCheck, ...]
    data_matches: bool  # the attached quote hashes to the fingerprint printed on the PDF
    fingerprint: str | None
    problem: str | None = None  # why the file could not be checked at all

    @property
    def valid(self) -> bool:
        return (
            self.problem is None
            and bool(self.signatures)
            and self.data_matches
            and all(s.intact for s in self.signatures)
            and self.signatures[-1].whole_file
        )


def verify_pdf(
    data: bytes, trust: list[x509.Certificate] | None = None, name: str = "the file"
) -> Verification:
    """Raises PdfError only for a file that is not a PDF at all."""
    open_pdf(data, name)
    try:
        embedded = read_embedded(data)
        fingerprint = embedded.printed_fingerprint
        data_matches = fingerprint is not None and embedded.fingerprint == fingerprint
    except PdfError:
        fingerprint, data_matches = None, False
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        checks = tuple(_check(sig, trust) for sig in reader.embedded_signatures)
    except Exception as exc:  # pyHanko raises many kinds: a damaged file just fails, with why
        problem = f"the file is damaged or changed ({exc})"
        return Verification((), data_matches, fingerprint, problem)
    return Verification(checks, data_matches, fingerprint)


def _check(sig: object, trust: list[x509.Certificate] | None) -> SignatureCheck:
    roots = [asn1_x509.Certificate.load(c.public_bytes(Encoding.DER)) for c in trust or ()]
    context = ValidationContext(trust_roots=roots, allow_fetching=False)
    status = validate_pdf_signature(sig, context)  # type: ignore[arg-type]
    return SignatureCheck(
        signer=status.signing_cert.subject.human_friendly,
        signed_at=status.signer_reported_dt,
        intact=bool(status.intact and status.valid),
        whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        trusted=bool(status.trusted),
    )


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
