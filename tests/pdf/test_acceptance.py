"""The certified quote and its customer acceptance: the reseller's signature certifies
the quote, the customer signs its one empty acceptance field with pyHanko as any PAdES
tool would, and `verify` accepts that, document timestamps and validation data (DSS),
and says who accepted. `pdfsig` (poppler) gives a second opinion."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess

import pytest
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.pdf_utils.generic import ArrayObject, FloatObject, NameObject
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pypdf import PdfReader

from quotedesk.pdf import render_quote_pdf
from quotedesk.pdf.embedded import ACCEPTANCE_FIELD, SIGNATURE_FIELD
from quotedesk.pdf.signing import sign_pdf, verify_pdf
from tests.pdf.conftest import JIRA_100, pdf_text


def accept(
    pdf: bytes,
    p12,
    *,
    title: str | None = None,
    rect: tuple[float, float, float, float] | None = None,
) -> bytes:
    """The customer signs the acceptance field with their own certificate, as pyHanko's
    command line would (`addsig --field CustomerAcceptance`). An attacker may rewrite
    the title or move the field in the same update."""
    signer = signers.SimpleSigner.load_pkcs12(str(p12), passphrase=b"secret")
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    if title:
        writer.document_meta.title, writer.document_meta.subject = title, "sha256:" + "0" * 64
    if rect:
        (field,) = [
            f.get_object()
            for f in writer.root["/AcroForm"]["/Fields"]
            if f.get_object()["/T"] == ACCEPTANCE_FIELD
        ]
        field[NameObject("/Rect")] = ArrayObject(FloatObject(v) for v in rect)
        writer.mark_update(field.container_ref)
    meta = signers.PdfSignatureMetadata(
        field_name=ACCEPTANCE_FIELD, subfilter=fields.SigSeedSubFilter.PADES, reason="Accepted"
    )
    out = io.BytesIO()
    signers.PdfSigner(meta, signer=signer).sign_pdf(writer, output=out, existing_fields_only=True)
    return out.getvalue()


def timestamp(pdf: bytes) -> bytes:
    """A document timestamp from a time-stamping authority made here (pyHanko's own
    test TSA, which signs every request with the certificate it is given)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test TSA")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(key, hashes.SHA256())
    )
    der_key = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    tsa = DummyTimeStamper(
        asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)),
        asn1_keys.PrivateKeyInfo.load(der_key),
    )
    out = io.BytesIO()
    signers.PdfTimeStamper(tsa).timestamp_pdf(
        IncrementalPdfFileWriter(io.BytesIO(pdf)), "sha256", output=out
    )
    return out.getvalue()


def with_dss(pdf: bytes, pem) -> bytes:
    """Validation data (the reseller's certificate) in a DSS, in an unsigned update."""
    cert = x509.load_pem_x509_certificate(pem.read_bytes())
    buffer = io.BytesIO(pdf)
    DocumentSecurityStore.add_dss(
        buffer,
        None,
        certs=[asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))],
    )
    return buffer.getvalue()


def uncertified(pdf: bytes, p12) -> bytes:
    """Signed as a Quote Desk from before certification signed: an approval signature."""
    signer = signers.SimpleSigner.load_pkcs12(str(p12), passphrase=b"secret")
    meta = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES
    )
    out = io.BytesIO()
    signers.PdfSigner(meta, signer=signer).sign_pdf(
        IncrementalPdfFileWriter(io.BytesIO(pdf)), output=out
    )
    return out.getvalue()


@pytest.fixture
def parties(certificate):
    """The reseller's P12 and its PEM as trusted, the customer's own self-made P12."""
    reseller_p12, reseller_pem = certificate()
    customer_p12, _ = certificate(name="customer", common_name="ACME Buyer")
    trust = [x509.load_pem_x509_certificate(reseller_pem.read_bytes())]
    return reseller_p12, reseller_pem, trust, customer_p12


def signature_fields(pdf: bytes) -> dict[str, tuple[dict, int]]:
    """Each signature field by name: its dictionary and the page (from 1) it is on."""
    reader = PdfReader(io.BytesIO(pdf))
    found = {}
    for number, page in enumerate(reader.pages, start=1):
        for annot in page.get("/Annots", []):
            widget = annot.get_object()
            if widget.get("/FT") == "/Sig":
                found[str(widget["/T"])] = (widget, number)
    return found


@pytest.mark.parametrize(
    ("lang", "label"),
    [("en", "Customer acceptance"), ("pt-BR", "Aceite do cliente"), ("zh-CN", "客户接受"),
     ("ja", "お客様の承諾")],
)  # fmt: skip
def test_a_quote_has_one_empty_acceptance_field_beside_the_signature_on_its_last_page(
    document, lang, label
):
    lines = [{**JIRA_100, "users": 10 + i} for i in range(30)]
    pdf = render_quote_pdf(document(lines=lines), lang)
    found = signature_fields(pdf)
    assert set(found) == {SIGNATURE_FIELD, ACCEPTANCE_FIELD}
    (ours, page), (theirs, their_page) = found[SIGNATURE_FIELD], found[ACCEPTANCE_FIELD]
    pages = pdf_text(pdf)
    assert page == their_page == len(pages) > 1
    assert "/V" not in theirs and "/AP" not in theirs  # empty: nothing drawn in it yet
    assert str(theirs["/TU"]) == label and label in pages[-1]
    x0, y0, x1, y1 = (float(v) for v in theirs["/Rect"])
    left = [float(v) for v in ours["/Rect"]]
    assert (y0, y1) == (left[1], left[3])  # side by side: the same height on the page
    assert left[2] + 50 < x0 and x1 - x0 > 200 and y1 - y0 > 60  # 75 x 22 mm, right
    fields_in_form = PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/AcroForm"]["/Fields"]
    assert len(fields_in_form) == 2


def test_a_draft_has_no_acceptance_field(document):
    assert set(signature_fields(render_quote_pdf(document(status="draft"), "en"))) == {
        SIGNATURE_FIELD
    }


def test_the_reseller_certifies_and_the_customer_accepts_in_the_acceptance_field(document, parties):
    reseller_p12, _, trust, customer_p12 = parties
    certified = sign_pdf(render_quote_pdf(document(), "en"), reseller_p12, b"secret")
    reader = PdfReader(io.BytesIO(certified))
    docmdp = reader.trailer["/Root"]["/Perms"]["/DocMDP"].get_object()
    assert docmdp["/Reference"][0]["/TransformParams"]["/P"] == 2  # fill in and sign forms

    accepted = accept(certified, customer_p12)
    for given in (trust, None):
        result = verify_pdf(accepted, given)
        assert result.valid, result.reasons
        certification, acceptance = result.signatures
        assert certification.role == "certification" and not certification.whole_file
        assert certification.later_changes is None
        assert result.acceptance == acceptance
        assert "ACME Buyer" in acceptance.signer and acceptance.whole_file
        assert acceptance.trusted is False  # the customer's own certificate
        assert certification.trusted is (given is not None)


def test_timestamps_and_validation_data_after_the_acceptance_keep_the_quote_valid(
    document, parties
):
    reseller_p12, reseller_pem, trust, customer_p12 = parties
    certified = sign_pdf(render_quote_pdf(document(), "en"), reseller_p12, b"secret")
    extended = with_dss(timestamp(accept(certified, customer_p12)), reseller_pem)
    result = verify_pdf(extended, trust)
    assert result.valid, result.reasons
    assert [check.role for check in result.signatures] == [
        "certification",
        "acceptance",
        "timestamp",
    ]
    assert result.signatures[2].signer == "Common Name: Test TSA"
    assert all(check.intact for check in result.signatures)


def test_a_timestamp_before_the_acceptance_keeps_the_quote_valid(document, parties):
    reseller_p12, _, trust, customer_p12 = parties
    certified = sign_pdf(render_quote_pdf(document(), "en"), reseller_p12, b"secret")
    result = verify_pdf(accept(timestamp(certified), customer_p12), trust)
    assert result.valid, result.reasons
    assert result.acceptance is not None


def test_an_acceptance_by_an_expired_certificate_is_not_valid(document, parties, certificate):
    reseller_p12, _, trust, _ = parties
    expired_p12, _ = certificate(valid_days=-1, name="old customer", common_name="ACME Buyer")
    certified = sign_pdf(render_quote_pdf(document(), "en"), reseller_p12, b"secret")
    result = verify_pdf(accept(certified, expired_p12), trust)
    assert not result.valid
    (reason,) = result.reasons
    assert reason.startswith("signature 2: signed ") and "after its certificate expired" in reason


def test_an_unsigned_quote_accepted_by_the_customer_is_not_signed_by_the_reseller(
    document, parties
):
    _, _, _, customer_p12 = parties
    result = verify_pdf(accept(render_quote_pdf(document(), "en"), customer_p12))
    assert result.signatures[0].role == "misplaced"
    assert result.reasons == [
        "signature 1: the quote's own signature field is not the one signed first "
        "(this is CustomerAcceptance)"
    ]


def test_an_export_signed_before_certification_still_verifies_but_takes_no_further_signature(
    document, parties
):
    """Older exports carry an approval signature and no acceptance field: valid as long
    as nothing but timestamps and validation data follow it."""
    reseller_p12, reseller_pem, trust, customer_p12 = parties
    old = uncertified(render_quote_pdf(document(), "en"), reseller_p12)
    result = verify_pdf(old, trust)
    assert result.valid and not result.certified and result.acceptance is None
    assert result.signatures[0].role == "uncertified"
    assert verify_pdf(with_dss(timestamp(old), reseller_pem), trust).valid

    from tests.pdf.test_verify_attacks import sign_again

    countersigned = verify_pdf(sign_again(old, customer_p12, None), trust)
    assert not countersigned.valid
    assert countersigned.signatures[0].later_changes == (
        "content was added after it that is not a timestamp or validation data (form_filling)"
    )


PDFSIG = shutil.which("pdfsig")


@pytest.mark.skipif(PDFSIG is None, reason="pdfsig (poppler-utils) is not installed")
def test_pdfsig_finds_the_certification_and_the_acceptance_valid(document, parties, tmp_path):
    """A second opinion from poppler; it is lenient (it also calls a painted-over file's
    signatures valid), so it cannot replace verify."""
    reseller_p12, _, _, customer_p12 = parties
    certified = sign_pdf(render_quote_pdf(document(), "en"), reseller_p12, b"secret")
    reports = {}
    for name, data in (("certified", certified), ("accepted", accept(certified, customer_p12))):
        path = tmp_path / f"{name}.pdf"
        path.write_bytes(data)
        run = subprocess.run([PDFSIG, str(path)], capture_output=True, text=True)
        reports[name] = run.stdout.split("Signature #")[1:]
    ours, empty = reports["certified"]
    assert "Signature Field Name: QuoteDeskSignature" in ours
    assert "Signer Certificate Common Name: Nordlicht Partners" in ours
    assert "- Total document signed" in ours and "Signature is Valid." in ours
    assert "Signature Field Name: CustomerAcceptance" in empty
    assert "The signature form field is not signed." in empty
    ours, theirs = reports["accepted"]
    assert "- Not total document signed" in ours and "Signature is Valid." in ours
    assert "Signature Field Name: CustomerAcceptance" in theirs
    assert "Signer Certificate Common Name: ACME Buyer" in theirs
    assert "- Total document signed" in theirs and "Signature is Valid." in theirs


def test_a_timestamped_unsigned_quote_is_not_signed_by_the_reseller(document):
    result = verify_pdf(timestamp(render_quote_pdf(document(), "en")))
    (check,) = result.signatures
    assert check.role == "misplaced" and check.intact and check.signer == "Common Name: Test TSA"
    assert result.reasons == [
        "signature 1: the quote's own signature field is not the one signed first "
        f"(this is {check.field})"
    ]
