"""Attached quote data and PAdES signatures, checked on real files."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from cryptography import x509
from pypdf import PdfReader, PdfWriter

from quotedesk.pdf import PdfError, read_embedded, render_quote_pdf
from quotedesk.pdf.embedded import SIGNATURE_FIELD
from quotedesk.pdf.signing import sign_pdf, verify_pdf
from tests.pdf.conftest import JIRA_100


def test_attached_data_round_trips_and_hashes_to_the_printed_fingerprint(document):
    doc = document()
    pdf = render_quote_pdf(doc, "en")
    embedded = read_embedded(pdf)
    assert embedded.quote_file == doc.quote_file
    assert embedded.priced == doc.priced
    assert embedded.fingerprint == doc.fingerprint
    assert verify_pdf(pdf).print_problem is None
    quote_file, priced = embedded
    assert (quote_file, priced) == (doc.quote_file, doc.priced)


def test_signed_pdf_is_intact_covers_the_whole_file_and_is_trusted_with_its_cert(
    document, certificate
):
    p12, pem = certificate()
    signed = sign_pdf(render_quote_pdf(document(), "en"), p12, b"secret")
    trust = [x509.load_pem_x509_certificate(pem.read_bytes())]
    result = verify_pdf(signed, trust)
    assert result.valid
    (check,) = result.signatures
    assert check.intact and check.whole_file and check.trusted
    assert "Nordlicht Partners" in check.signer


def test_self_made_certificate_is_untrusted_but_still_valid(document, certificate):
    p12, _ = certificate()
    result = verify_pdf(sign_pdf(render_quote_pdf(document(), "en"), p12, b"secret"))
    assert result.valid
    assert result.signatures[0].trusted is False


def test_one_byte_changed_in_a_signed_pdf_is_refused(document, certificate):
    p12, _ = certificate()
    signed = sign_pdf(render_quote_pdf(document(), "en"), p12, b"secret")
    tampered = bytearray(signed)
    at = signed.index(b"stream", len(signed) // 4) + 40  # inside a page's content stream
    tampered[at] ^= 0x01
    result = verify_pdf(bytes(tampered))
    assert not result.valid
    assert result.problem or not result.signatures[0].intact


def test_content_appended_after_signing_is_reported(document, certificate):
    p12, _ = certificate()
    signed = sign_pdf(render_quote_pdf(document(), "en"), p12, b"secret")
    writer = PdfWriter(io.BytesIO(signed), incremental=True)
    writer.add_metadata({"/Title": "changed after signing"})
    out = io.BytesIO()
    writer.write(out)
    result = verify_pdf(out.getvalue())
    assert not result.valid
    assert result.signatures[0].whole_file is False


def test_attached_data_swapped_for_other_data_no_longer_matches(document):
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(render_quote_pdf(document(), "en"))))
    names = writer.root_object["/Names"]["/EmbeddedFiles"]["/Names"]
    names[1].get_object()["/EF"]["/F"].get_object().set_data(b'{"schema":1,"lines":[]}')
    out = io.BytesIO()
    writer.write(out)
    assert verify_pdf(out.getvalue()).data_matches is False


def test_unsigned_pdf_is_not_valid(document):
    result = verify_pdf(render_quote_pdf(document(), "en"))
    assert result.signatures == () and result.data_matches and not result.valid


def test_wrong_password_is_a_clear_error(document, certificate):
    p12, _ = certificate()
    with pytest.raises(PdfError, match="wrong password"):
        sign_pdf(render_quote_pdf(document(), "en"), p12, b"guess")


def test_expired_certificate_is_refused(document, certificate):
    p12, _ = certificate(valid_days=-1, name="expired")
    with pytest.raises(PdfError, match="expired on"):
        sign_pdf(render_quote_pdf(document(), "en"), p12, b"secret")


def test_missing_certificate_file_is_a_clear_error(document, tmp_path):
    with pytest.raises(PdfError, match="no such certificate file"):
        sign_pdf(render_quote_pdf(document(), "en"), tmp_path / "none.p12", b"x")


def test_a_text_file_is_not_a_pdf(tmp_path):
    with pytest.raises(PdfError, match="not a PDF"):
        verify_pdf(b"hello")
    with pytest.raises(PdfError, match="not a PDF"):
        read_embedded(Path(__file__).read_bytes())


def test_signature_is_visible_in_the_space_kept_on_the_last_page(document, certificate):
    p12, _ = certificate()
    lines = [{**JIRA_100, "users": 10 + i} for i in range(60)]
    reader = PdfReader(
        io.BytesIO(sign_pdf(render_quote_pdf(document(lines=lines)), p12, b"secret"))
    )
    last = reader.pages[-1]
    (field,) = [a.get_object() for a in last["/Annots"] if a.get_object()["/T"] == SIGNATURE_FIELD]
    assert "/V" in field  # filled, not a new field
    x1, y1, x2, y2 = (float(v) for v in field["/Rect"])
    assert 0 < x1 < x2 < float(last.mediabox.width) and 0 < y1 < y2 < float(last.mediabox.height)
    assert x2 - x1 > 150 and y2 - y1 > 50  # a box you can see, with the stamp drawn in it
    assert "/AP" in field
