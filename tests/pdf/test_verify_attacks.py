"""Issue 11 §2: `verify` never calls a changed quote valid. Each attack is made the way an
attacker would, on a real signed PDF: an incremental update with pypdf, a second
signature with pyHanko and a self-made certificate carrying the reseller's name."""

from __future__ import annotations

import hashlib
import io
import json
import zlib

import pytest
from cryptography import x509
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    StreamObject,
)

from quotedesk.pdf import PdfError, render_quote_pdf
from quotedesk.pdf.document import canonical_json
from quotedesk.pdf.embedded import read_pages
from quotedesk.pdf.signing import sign_pdf, verify_pdf


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


def sign_again(pdf: bytes, p12) -> bytes:
    """A second signature in a new field, as any PDF tool would add one."""
    signer = signers.SimpleSigner.load_pkcs12(str(p12), passphrase=b"secret")
    meta = signers.PdfSignatureMetadata(
        field_name="Countersign", subfilter=fields.SigSeedSubFilter.PADES
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    fields.append_signature_field(writer, fields.SigFieldSpec("Countersign", box=(50, 50, 200, 90)))
    out = io.BytesIO()
    signers.PdfSigner(meta, signer=signer).sign_pdf(writer, output=out)
    return out.getvalue()


def test_signed_off_quote_signed_once_is_valid_and_trusted(signed):
    pdf, trust, _ = signed
    result = verify_pdf(pdf, trust)
    assert result.valid, result.reasons
    assert result.signatures[0].whole_file and result.signatures[0].trusted


def test_a_new_total_painted_in_an_incremental_update_is_not_valid(signed):
    pdf, trust, _ = signed
    result = verify_pdf(paint_total(pdf), trust)
    assert not result.valid
    (check,) = result.signatures
    assert check.intact and check.trusted and not check.whole_file
    assert "not a signature" in check.later_changes
    assert result.unsigned_updates == 1
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
    assert "not a signature" in result.signatures[0].later_changes


@pytest.mark.parametrize("attack", [paint_total, swap_data], ids=["painted", "swapped"])
def test_a_second_signature_with_the_same_name_does_not_cover_an_earlier_change(signed, attack):
    """Today's main said VALID, exit 0, for both: the last signature covered the file."""
    pdf, trust, evil_p12 = signed
    attacked = sign_again(attack(pdf), evil_p12)
    for given in (trust, None):
        result = verify_pdf(attacked, given)
        first, second = result.signatures
        assert second.signer == first.signer  # same common name, another key
        assert second.intact and second.whole_file
        assert first.later_changes is not None
        assert not result.valid
        assert "signature 1: content was added after it that is not a signature" in " ".join(
            result.reasons
        )


def test_a_further_signature_alone_keeps_the_quote_valid_and_its_untrusted_signer_is_reported(
    signed,
):
    pdf, trust, evil_p12 = signed
    countersigned = sign_again(pdf, evil_p12)
    result = verify_pdf(countersigned)
    first, second = result.signatures
    assert first.later_changes is None and not first.whole_file and second.whole_file
    assert second.trusted is False
    assert result.valid, result.reasons  # merely untrusted: not invalid by itself
    with_trust = verify_pdf(countersigned, trust)
    assert with_trust.reasons == ["a signer does not chain to the --trust certificate"]


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
