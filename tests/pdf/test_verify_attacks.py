"""`verify` never calls a changed quote valid. Each attack is made the way an attacker
would, on a real certified PDF: an incremental update with pypdf, a second signature with
pyHanko and a self-made certificate carrying the reseller's name, a stamp painted over the
total, rewritten metadata, certificates out of their validity, a re-cased signature."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zlib

import pdfplumber
import pytest
from cryptography import x509
from pyhanko.pdf_utils.content import RawContent
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.layout import AxisAlignment, BoxConstraints, Margins, SimpleBoxLayoutRule
from pyhanko.sign import fields, signers
from pyhanko.stamp import TextStampStyle
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    ContentStream,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    StreamObject,
    TextStringObject,
)

from quotedesk.pdf import PdfError, render_quote_pdf
from quotedesk.pdf.document import canonical_json
from quotedesk.pdf.embedded import ACCEPTANCE_FIELD, read_pages
from quotedesk.pdf.signing import certify_pdf, sign_pdf, verify_pdf
from tests.pdf.test_acceptance import accept


@pytest.fixture
def signed(document, certificate):
    """A signed-off quote signed by the reseller; the reseller's certificate; and an
    attacker's P12 whose self-made certificate has the same common name."""
    good_p12, good_pem = certificate()
    evil_p12, _ = certificate(name="attacker")
    pdf = sign_pdf(render_quote_pdf(document(), "en"), good_p12, b"secret")
    return pdf, [x509.load_pem_x509_certificate(good_pem.read_bytes())], evil_p12


def paint_total(pdf: bytes) -> bytes:
    """An incremental update that whites out part of page 1 and prints a new total."""
    writer = PdfWriter(io.BytesIO(pdf), incremental=True)
    page = writer.pages[0]
    patch = DecodedStreamObject()
    patch.set_data(b"q 1 1 1 rg 300 560 250 60 re f Q BT /Helv 20 Tf 320 580 Td (1.00) Tj ET")
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    page["/Resources"]["/Font"][NameObject("/Helv")] = writer._add_object(font)
    page[NameObject("/Contents")] = ArrayObject(
        [page.raw_get("/Contents"), writer._add_object(patch)]
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def swap_data(pdf: bytes) -> bytes:
    """An incremental update with another customer and total in the attached files,
    and the Subject rewritten to their hash (what verify used to trust)."""
    reader = PdfReader(io.BytesIO(pdf))
    quote = json.loads(reader.attachments["quote.json"][0])
    priced = json.loads(reader.attachments["priced.json"][0])
    quote["customer"]["name"], priced["total"] = "Evil Corp", "1.00"
    new = {"quote.json": canonical_json(quote), "priced.json": canonical_json(priced)}
    writer = PdfWriter(io.BytesIO(pdf), incremental=True)
    names = writer.root_object["/Names"]["/EmbeddedFiles"]["/Names"]
    for i in range(0, len(names), 2):
        names[i + 1].get_object()["/EF"]["/F"].get_object().set_data(new[str(names[i])])
    digest = hashlib.sha256(new["quote.json"] + b"\n" + new["priced.json"]).hexdigest()
    writer.add_metadata({"/Subject": "sha256:" + digest})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def sign_again(pdf: bytes, p12, box: tuple[float, ...] | None = (50, 50, 200, 90)) -> bytes:
    """A second signature in a new field (invisible without `box`), as any PDF tool
    would add one."""
    signer = signers.SimpleSigner.load_pkcs12(str(p12), passphrase=b"secret")
    meta = signers.PdfSignatureMetadata(
        field_name="Countersign", subfilter=fields.SigSeedSubFilter.PADES
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    fields.append_signature_field(writer, fields.SigFieldSpec("Countersign", box=box))
    out = io.BytesIO()
    signers.PdfSigner(meta, signer=signer).sign_pdf(writer, output=out)
    return out.getvalue()


def total_box(pdf: bytes) -> tuple[float, float, float, float]:
    """Where page 1 prints the total row ("Total ... $7,200.00"), in PDF points."""
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        page = document.pages[0]
        words = page.extract_words()
    label = [w for w in words if w["text"] == "Total"][-1]
    row = [w for w in words if abs(w["top"] - label["top"]) < 2]
    bottom, top = page.height - label["bottom"], page.height - label["top"]
    return label["x0"] - 4, bottom - 4, max(w["x1"] for w in row) + 4, top + 4


def stamp_over_total(pdf: bytes, p12, title: str | None = None) -> bytes:
    """A signature whose visible stamp is a white box reading "Total $1.00" over the
    printed total; with `title`, the /Info Title and Subject rewritten in the same update."""
    signer = signers.SimpleSigner.load_pkcs12(str(p12), passphrase=b"secret")
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    if title:
        writer.document_meta.title, writer.document_meta.subject = title, "sha256:" + "0" * 64
    box = total_box(pdf)
    width, height = box[2] - box[0], box[3] - box[1]
    fields.append_signature_field(writer, fields.SigFieldSpec("Total", box=box))
    white = RawContent(
        b"1 1 1 rg 0 0 %f %f re f" % (width, height), box=BoxConstraints(width, height)
    )
    style = TextStampStyle(
        stamp_text="Total                              $1.00",
        border_width=0,
        background=white,
        background_opacity=1,
        background_layout=SimpleBoxLayoutRule(
            AxisAlignment.ALIGN_MID, AxisAlignment.ALIGN_MID, margins=Margins.uniform(0)
        ),
    )
    meta = signers.PdfSignatureMetadata(field_name="Total", subfilter=fields.SigSeedSubFilter.PADES)
    out = io.BytesIO()
    signers.PdfSigner(meta, signer=signer, stamp_style=style).sign_pdf(writer, output=out)
    return out.getvalue()


NOT_ALLOWED = "content was added after it that is not the customer's acceptance, a timestamp or"
MISPLACED = "after the quote's signature only its acceptance field may be signed"
SUBJECT_CHANGED = "the document information (Subject) was changed after it"


def test_signed_off_quote_certified_once_is_valid_and_trusted(signed):
    pdf, trust, _ = signed
    result = verify_pdf(pdf, trust)
    assert result.valid, result.reasons
    assert result.certified and result.acceptance is None
    assert result.signatures[0].whole_file and result.signatures[0].trusted


def test_a_new_total_painted_in_an_incremental_update_is_not_valid(signed):
    pdf, trust, _ = signed
    result = verify_pdf(paint_total(pdf), trust)
    assert not result.valid
    (check,) = result.signatures
    assert check.intact and check.trusted and not check.whole_file
    assert check.later_changes.startswith(NOT_ALLOWED)
    assert result.data_matches  # the data was not touched: the signature check catches it


def test_swapped_attachments_with_a_rewritten_subject_do_not_match_the_printed_fingerprint(
    signed,
):
    pdf, trust, _ = signed
    original = verify_pdf(pdf).fingerprint
    result = verify_pdf(swap_data(pdf), trust)
    assert not result.valid
    assert result.fingerprint != original
    assert result.print_problem == f"page 1 prints fingerprint {original}"
    assert result.signatures[0].later_changes == SUBJECT_CHANGED


@pytest.mark.parametrize(
    ("attack", "change"),
    [(paint_total, NOT_ALLOWED), (swap_data, SUBJECT_CHANGED)],
    ids=["painted", "swapped"],
)
def test_a_second_signature_with_the_same_name_does_not_cover_an_earlier_change(
    signed, attack, change
):
    pdf, trust, evil_p12 = signed
    attacked = sign_again(attack(pdf), evil_p12)
    for given in (trust, None):
        result = verify_pdf(attacked, given)
        first, second = result.signatures
        assert second.signer == first.signer  # same common name, another key
        assert second.intact and second.whole_file
        assert not result.valid
        assert f"signature 1: {change}" in " ".join(result.reasons)
        assert f"signature 2: in field Countersign: {MISPLACED}" in result.reasons


@pytest.mark.parametrize("box", [(50, 50, 200, 90), None], ids=["visible", "invisible"])
def test_a_second_signature_in_a_new_field_makes_a_certified_quote_not_valid(signed, box):
    """The certification allows signing only the acceptance field the quote has;
    pyHanko itself refuses only a new *visible* field after a certification."""
    pdf, trust, evil_p12 = signed
    countersigned = sign_again(pdf, evil_p12, box)
    for given in (trust, None):
        result = verify_pdf(countersigned, given)
        second = result.signatures[1]
        assert second.role == "misplaced" and second.intact
        assert f"signature 2: in field Countersign: {MISPLACED}" in result.reasons
        assert not result.valid


def test_a_white_box_reading_a_new_total_signed_over_the_printed_total_is_not_valid(
    signed, certificate
):
    """Before certification this verified VALID without --trust, with the attacker's
    own certificate and with an expired one: every further signature was accepted."""
    pdf, trust, evil_p12 = signed
    expired_p12, _ = certificate(valid_days=-1, name="expired attacker")
    for p12 in (evil_p12, expired_p12):
        attacked = stamp_over_total(pdf, p12)
        for given in (None, trust):
            result = verify_pdf(attacked, given)
            assert not result.valid
            assert result.signatures[0].later_changes.startswith(NOT_ALLOWED)
            assert f"signature 2: in field Total: {MISPLACED}" in result.reasons
    assert "signature 2: signed " in " ".join(result.reasons)
    assert "after its certificate expired" in " ".join(result.reasons)


def test_the_stamp_covers_the_printed_total(signed):
    """The attack above is what it says: its stamp hides the total and reads $1.00."""
    pdf, _, evil_p12 = signed
    attacked = stamp_over_total(pdf, evil_p12)
    x0, y0, x1, y1 = total_box(pdf)
    reader = PdfReader(io.BytesIO(attacked))
    annots = [a.get_object() for a in reader.pages[0]["/Annots"]]
    (stamp,) = [a for a in annots if a["/T"] == "Total"]
    assert [float(v) for v in stamp["/Rect"]] == pytest.approx([x0, y0, x1, y1], abs=0.01)
    appearance = ContentStream(stamp["/AP"]["/N"].get_object(), reader).operations
    colours = [[float(v) for v in operands] for operands, op in appearance if op == b"rg"]
    assert colours[0] == [1, 1, 1]  # white
    painted = [operands for operands, op in appearance if op == b"re"]
    assert [float(v) for v in painted[0]] == pytest.approx([0, 0, x1 - x0, y1 - y0], abs=0.01)
    (text,) = [str(operands[0]) for operands, op in appearance if op == b"Tj"]
    assert text.split() == ["Total", "$1.00"]


@pytest.mark.parametrize("field", ["Total", ACCEPTANCE_FIELD])
def test_title_and_subject_rewritten_in_the_same_update_as_a_signature_are_not_valid(
    signed, certificate, field
):
    """Also when the signature is the customer's, in the acceptance field itself."""
    pdf, trust, evil_p12 = signed
    if field == ACCEPTANCE_FIELD:
        attacked = accept(pdf, evil_p12, title="Quote QD-2026-00999")
    else:
        attacked = stamp_over_total(pdf, evil_p12, title="Quote QD-2026-00999")
    assert PdfReader(io.BytesIO(attacked)).metadata.title == "Quote QD-2026-00999"
    for given in (None, trust):
        result = verify_pdf(attacked, given)
        assert not result.valid
        changed = "signature 1: the document information (Subject, Title) was changed after it"
        assert changed in result.reasons


def backdated(pdf: bytes, p12, when: dt.datetime) -> bytes:
    """Certified like Quote Desk certifies, by a signer whose clock says `when`."""

    class Backdated(signers.PdfSigner):
        def init_signing_session(self, *args, **kwargs):
            session = super().init_signing_session(*args, **kwargs)
            session.system_time = when
            return session

    signer = signers.SimpleSigner.load_pkcs12(str(p12), passphrase=b"secret")
    meta = signers.PdfSignatureMetadata(
        field_name="QuoteDeskSignature",
        subfilter=fields.SigSeedSubFilter.PADES,
        certify=True,
        docmdp_permissions=fields.MDPPerm.FILL_FORMS,
    )
    out = io.BytesIO()
    Backdated(meta, signer=signer).sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)), output=out)
    return out.getvalue()


def test_a_trusted_certificate_out_of_its_validity_is_not_valid(document, certificate):
    """Before, with --trust of the very certificate, both verified VALID, "trusted: yes":
    pyHanko checks no validity period of a trust root. The expired one signed today (with
    pyHanko directly: `sign_pdf` refuses it); the other is valid from 10 days ago and
    its signer's clock said 30 days ago."""
    pdf = render_quote_pdf(document(), "en")
    expired_p12, expired_pem = certificate(valid_days=-1, name="expired")
    expired_signer = signers.SimpleSigner.load_pkcs12(str(expired_p12), passphrase=b"secret")
    young_p12, young_pem = certificate(valid_from_days=-10, name="young")
    now = dt.datetime.now(dt.UTC)
    cases = {
        "expired": (certify_pdf(pdf, expired_signer), expired_pem, "after its certificate expired"),
        "not yet valid": (
            backdated(pdf, young_p12, now - dt.timedelta(days=30)),
            young_pem,
            "before its certificate was valid",
        ),
    }
    for name, (signed_pdf, pem, problem) in cases.items():
        trust = [x509.load_pem_x509_certificate(pem.read_bytes())]
        for given in (trust, None):
            result = verify_pdf(signed_pdf, given)
            (check,) = result.signatures
            assert check.intact and check.trusted == (given is not None), name
            assert problem in check.certificate_problem, name
            assert not result.valid, name
            assert "signature 1: signed " in " ".join(result.reasons), name


def test_the_whole_signature_contents_lower_cased_is_not_valid(signed):
    """786 hex digits re-cased: pyHanko reads the same signature, and before this was
    VALID with --trust. Quote Desk's own signature must be upper-case, as pyHanko writes."""
    pdf, trust, _ = signed
    start = pdf.rindex(b"/Contents <") + len(b"/Contents ")
    end = pdf.index(b">", start) + 1
    lowered = pdf[:start] + pdf[start:end].lower() + pdf[end:]
    assert sum(a != b for a, b in zip(pdf, lowered, strict=True)) > 700
    result = verify_pdf(lowered, trust)
    assert result.reasons == ["signature 1: the signed content was changed"]


def test_changed_padding_hex_case_or_cms_version_in_the_signature_contents_is_not_valid(signed):
    """The /Contents string is the one part no signature covers: pyHanko reads the same
    signature from it with a changed padding byte, a lower-case digit or another
    SignedData version (the fuzz test below found the last)."""
    pdf, _, _ = signed
    start = pdf.rindex(b"/Contents <") + len(b"/Contents <")
    end = pdf.index(b">", start)
    padding = pdf.rindex(b"00", start, end)
    letter = next(i for i in range(start, end) if pdf[i : i + 1] in b"ABCDEF")
    version = pdf.index(b"020101", start) + 5  # SignedData's version 1, which nothing signs
    cases = ((padding, b"1"), (letter, pdf[letter : letter + 1].lower()), (version, b"F"))
    for at, byte in cases:
        changed = pdf[:at] + byte + pdf[at + 1 :]
        result = verify_pdf(changed)
        assert not result.valid
        assert result.reasons == ["signature 1: the signed content was changed"]


def incremental(pdf: bytes, change) -> bytes:
    """`change(writer)` saved as an incremental update with pypdf."""
    writer = PdfWriter(io.BytesIO(pdf), incremental=True)
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def add_note(writer: PdfWriter) -> None:
    from pypdf.annotations import FreeText

    writer.add_annotation(0, FreeText(text="Total $1.00", rect=(300, 560, 550, 620)))


def add_text_field(writer: PdfWriter) -> None:
    widget = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Widget"),
            NameObject("/FT"): NameObject("/Tx"),
            NameObject("/T"): TextStringObject("Discount"),
            NameObject("/V"): TextStringObject("99%"),
            NameObject("/Rect"): ArrayObject([FloatObject(v) for v in (300, 560, 550, 620)]),
        }
    )
    ref = writer._add_object(widget)
    page = writer.pages[-1]
    page[NameObject("/Annots")].append(ref)
    writer.root_object["/AcroForm"]["/Fields"].append(ref)


def add_xmp(writer: PdfWriter) -> None:
    xmp = DecodedStreamObject()
    xmp.set_data(
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/'
        b'02/22-rdf-syntax-ns#" xmlns:dc="http://purl.org/dc/elements/1.1/"><rdf:Description>'
        b"<dc:title>Quote QD-2026-00999</dc:title></rdf:Description></rdf:RDF></x:xmpmeta>"
    )
    xmp[NameObject("/Type")] = NameObject("/Metadata")
    xmp[NameObject("/Subtype")] = NameObject("/XML")
    writer.root_object[NameObject("/Metadata")] = writer._add_object(xmp)


def add_attachment(writer: PdfWriter) -> None:
    writer.add_attachment("terms.txt", b"All prices are 99% off.")


def add_title(writer: PdfWriter) -> None:
    writer.add_metadata({"/Title": "Quote QD-2026-00999"})


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (add_note, NOT_ALLOWED),
        (add_text_field, NOT_ALLOWED),
        (add_xmp, "the XMP metadata was changed after it"),
        (add_attachment, NOT_ALLOWED),
        (add_title, "the document information (Title) was changed after it"),
    ],
    ids=["annotation", "text field", "XMP", "attachment", "title"],
)
def test_anything_added_after_the_certification_but_what_it_allows_is_not_valid(
    signed, change, reason
):
    pdf, trust, _ = signed
    changed = incremental(pdf, change)
    for given in (None, trust):
        result = verify_pdf(changed, given)
        assert not result.valid
        assert result.signatures[0].later_changes.startswith(reason), result.reasons


def test_the_same_changes_made_with_the_customers_acceptance_are_not_valid(signed, certificate):
    """The acceptance signature covers what its revision adds: it is no cover for them."""
    pdf, _, _ = signed
    customer_p12, _ = certificate(name="customer", common_name="ACME Buyer")
    for change in (add_note, add_xmp, add_attachment):
        result = verify_pdf(accept(incremental(pdf, change), customer_p12))
        assert not result.valid
        assert result.signatures[1].role == "acceptance"
        assert result.signatures[0].later_changes is not None


def test_an_acceptance_field_moved_over_the_total_when_signed_is_not_valid(signed, certificate):
    """The customer's stamp is drawn in the field's rectangle: moving it is refused."""
    pdf, _, _ = signed
    customer_p12, _ = certificate(name="customer", common_name="ACME Buyer")
    result = verify_pdf(accept(pdf, customer_p12, rect=total_box(pdf)))
    assert not result.valid
    assert result.signatures[0].later_changes.startswith(NOT_ALLOWED)


@pytest.mark.parametrize("lang", ["en", "pt-BR", "zh-CN", "ja"])
def test_a_signed_draft_is_reported_as_a_draft_not_a_signed_quote(document, certificate, lang):
    p12, _ = certificate()
    result = verify_pdf(sign_pdf(render_quote_pdf(document(status="draft"), lang), p12, b"secret"))
    assert result.draft
    assert result.reasons == ["draft, not a signed-off quote"]


def test_a_customer_named_draft_is_not_a_draft_watermark(document, certificate):
    p12, _ = certificate()
    doc = document(customer={"name": "DRAFT", "country": "BR"})
    assert not verify_pdf(sign_pdf(render_quote_pdf(doc, "en"), p12, b"secret")).draft


def test_the_subject_metadata_is_not_what_verify_reads(document):
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(render_quote_pdf(document(), "en"))))
    writer.add_metadata({"/Subject": "sha256:" + "0" * 64})
    out = io.BytesIO()
    writer.write(out)
    assert verify_pdf(out.getvalue()).data_matches


def test_a_qr_code_of_another_fingerprint_is_a_mismatch(document):
    """The page text is right, but the QR form draws the code of another quote."""
    mine = render_quote_pdf(document(), "en")
    other = PdfReader(io.BytesIO(render_quote_pdf(document(po_number="PO-7"), "en")))
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(mine)))
    name = "/FormXob.QuoteDeskFingerprintQR"
    other_form = other.pages[0]["/Resources"]["/XObject"][name].get_object().clone(writer)
    writer.pages[0]["/Resources"]["/XObject"][NameObject(name)] = other_form.indirect_reference
    out = io.BytesIO()
    writer.write(out)
    result = verify_pdf(out.getvalue())
    assert result.print_problem == f"page 1: its QR code is not the code of {result.fingerprint}"


def test_verify_reads_on_every_page_the_qr_code_a_scanner_decodes(document):
    """The zxing test in test_render proves this QR scans to the fingerprint; verify
    re-encodes the attached data's fingerprint and finds the same modules on each page."""
    from quotedesk.pdf.embedded import open_pdf
    from tests.pdf.conftest import JIRA_100

    doc = document(lines=[JIRA_100] * 60)
    reader = open_pdf(render_quote_pdf(doc, "en"))
    assert len(reader.pages) > 1
    assert read_pages(reader, doc.fingerprint).print_problem is None
    assert (
        read_pages(reader, "0" * 64).print_problem == f"page 1 prints fingerprint {doc.fingerprint}"
    )


def with_attachment(pdf: bytes, name: str, stream: StreamObject) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    names = writer.root_object["/Names"]["/EmbeddedFiles"]["/Names"]
    spec = names[[str(n) for n in names[::2]].index(name) * 2 + 1].get_object()
    spec["/EF"][NameObject("/F")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def zlib_bomb(unpacked: int) -> StreamObject:
    packer, chunk = zlib.compressobj(9), b" " * 2**20
    data = b"".join(packer.compress(chunk) for _ in range(unpacked // len(chunk)))
    stream = StreamObject()
    stream._data = data + packer.flush()
    stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    return stream


def test_a_zlib_bomb_attachment_is_refused_at_the_size_cap(document):
    """200 MB of spaces packed into 200 KB: unpacking stops past 10 MB."""
    bomb = with_attachment(render_quote_pdf(document(), "en"), "quote.json", zlib_bomb(200 * 2**20))
    assert len(bomb) < 400_000
    with pytest.raises(PdfError, match="unpacks to more than 10 MB"):
        verify_pdf(bomb)


def test_an_attachment_that_is_a_json_list_is_refused(document):
    listed = DecodedStreamObject()
    listed.set_data(b"[1, 2]")
    pdf = with_attachment(render_quote_pdf(document(), "en"), "priced.json", listed)
    with pytest.raises(PdfError, match=r"the attached priced\.json is not a JSON object"):
        verify_pdf(pdf)


def test_a_quote_attached_twice_is_refused(document):
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(render_quote_pdf(document(), "en"))))
    writer.add_attachment("quote.json", b'{"schema":1,"lines":[]}')
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(PdfError, match=r"quote\.json is attached 2 times"):
        verify_pdf(out.getvalue())
