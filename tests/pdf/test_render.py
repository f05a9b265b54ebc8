"""The PDF quote read back: amounts, texts and layout in every language."""

from __future__ import annotations

import io
import json

import pdfplumber
import pytest
from pypdf import PdfReader
from reportlab.pdfbase import pdfmetrics

from quotedesk.core.io.resources import resources_dir, translations
from quotedesk.pdf import render_quote_pdf
from quotedesk.pdf.fonts import font_chain
from tests.pdf.conftest import JIRA_100, pdf_text

# Jira Cloud Standard, 100 users, 12 months: the test book's 100-user tier is 8,000.00;
# 10% partner discount = 800.00; net 7,200.00; Brazil: no tax, total 7,200.00.
EXPECTED = {
    "en": ("Quote QD-2026-00042-R2", "$8,000.00", "-$800.00", "$7,200.00", "Page 1 of 1"),
    "pt-BR": (
        "Cotação QD-2026-00042-R2",
        "US$ 8.000,00",
        "-US$ 800,00",
        "US$ 7.200,00",
        "Página 1 de 1",
    ),
    "zh-CN": (
        "报价单 QD-2026-00042-R2",
        "US$8,000.00",
        "-US$800.00",
        "US$7,200.00",
        "第 1 页，共 1 页",
    ),
    "ja": ("見積書 QD-2026-00042-R2", "$8,000.00", "-$800.00", "$7,200.00", "1 / 1 ページ"),
}


@pytest.mark.parametrize("lang", list(EXPECTED))
def test_every_language_prints_its_texts_and_babel_formatted_amounts(document, lang):
    text = pdf_text(render_quote_pdf(document(), lang))[0].replace("\xa0", " ")
    for expected in EXPECTED[lang]:
        assert expected in text, expected


def test_dates_follow_the_language(document):
    en = pdf_text(render_quote_pdf(document(), "en"))[0]
    ja = pdf_text(render_quote_pdf(document(), "ja"))[0]
    assert "Nov 20, 2026" in en and "Dec 20, 2026" in en  # quote date, valid until (R-Q-3)
    assert "2026/11/20" in ja and "2026/12/20" in ja


@pytest.mark.parametrize("lang", ["zh-CN", "ja"])
def test_cjk_font_has_a_glyph_for_every_translated_character(lang):
    """No tofu: each character of the translations is in the embedded CJK font."""
    face = pdfmetrics.getFont(font_chain(cjk=True).regular).face
    missing = {
        ch
        for text in translations("pdf", lang).values()
        for ch in text
        if ord(ch) not in face.charToGlyph
    }
    assert missing == set()


def test_cjk_pdf_embeds_a_subset_of_its_font(document):
    reader = PdfReader(io.BytesIO(render_quote_pdf(document(), "ja")))
    fonts = [font.get_object() for font in reader.pages[0]["/Resources"]["/Font"].values()]
    cjk = [f for f in fonts if "WenQuanYiMicroHei" in str(f.get("/BaseFont"))]
    assert cjk, [f.get("/BaseFont") for f in fonts]
    assert "/FontFile2" in cjk[0]["/FontDescriptor"]  # the TrueType program is embedded


def test_chinese_customer_name_on_an_english_quote_uses_the_cjk_font(document):
    doc = document(customer={"name": "上海云图软件有限公司", "country": "CN"})
    assert "上海云图软件有限公司" in pdf_text(render_quote_pdf(doc, "en"))[0]


def test_user_text_is_printed_literally_not_as_markup(document):
    doc = document(customer={"name": "<b>Evil</b> & Co", "country": "BR"}, notes="<i>x</i>")
    text = pdf_text(render_quote_pdf(doc, "en"))[0]
    assert "<b>Evil</b> & Co" in text
    assert "<i>x</i>" in text


def test_200_line_quote_splits_across_pages_with_the_header_repeated(document):
    lines = [{**JIRA_100, "users": 10 + i} for i in range(200)]
    pages = pdf_text(render_quote_pdf(document(lines=lines), "en"))
    assert len(pages) >= 6
    with_lines = [page for page in pages if "Tier" in page]
    assert len(with_lines) >= 6
    assert all("List price" in page for page in with_lines)
    assert f"Page 1 of {len(pages)}" in pages[0]
    assert f"Page {len(pages)} of {len(pages)}" in pages[-1]
    assert "\n200 Jira Cloud Standard" in "\n".join(pages)


def slanted_text(data: bytes) -> str:
    """The text drawn at an angle on the first page: the watermark."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "".join(c["text"] for c in pdf.pages[0].chars if c["matrix"][1] != 0)


def test_draft_quotes_carry_a_watermark_and_signed_off_ones_do_not(document):
    assert slanted_text(render_quote_pdf(document(status="draft"), "en")) == "DRAFT"
    assert slanted_text(render_quote_pdf(document(status="draft"), "pt-BR")) == "RASCUNHO"
    assert slanted_text(render_quote_pdf(document(status="signed_off"), "en")) == ""


def test_sample_price_book_prints_the_illustrative_banner(document):
    doc = document()
    sample = type(doc)(
        doc.quote_file, {**doc.priced, "illustrative_prices": True}, "QD-1", 1, "draft", doc.profile
    )
    assert "Illustrative prices" in pdf_text(render_quote_pdf(sample, "en"))[0]
    assert "Illustrative prices" not in pdf_text(render_quote_pdf(doc, "en"))[0]


def test_taxes_print_one_row_each_with_rate_base_and_amount(document):
    """BC, Canada: GST 5% and PST 7% on the 7,200.00 net: 360.00 + 504.00 (R-TAX-CA)."""
    doc = document(customer={"name": "Maple Ltd", "country": "CA", "subdivision": "BC"})
    text = pdf_text(render_quote_pdf(doc, "en"))[0]
    assert "GST" in text and "PST" in text
    assert "5% $7,200.00 $360.00" in text
    assert "7% $7,200.00 $504.00" in text
    assert "$8,064.00" in text  # total


def test_us_sales_tax_is_marked_estimated(document):
    doc = document(customer={"name": "Lone Star", "country": "US", "subdivision": "TX"})
    assert "(estimated)" in pdf_text(render_quote_pdf(doc, "en"))[0]


def test_R_TAX_CA_tax_labels_and_exemptions_print_in_the_pdf_language(document):
    """QC with a QST number: GST 5% of 7,200.00 = 360.00, QST exempt; in Japanese."""
    doc = document(
        customer={"name": "Ltée", "country": "CA", "subdivision": "QC", "exemptions": ["qst"]}
    )
    text = pdf_text(render_quote_pdf(doc, "ja"))[0]
    assert "物品サービス税 (GST)" in text and "ケベック州売上税 (QST) — QST 番号あり" in text
    assert "QST number on file" not in text


def test_R_TAX_US_estimate_reads_estimated_once_in_portuguese(document):
    doc = document(customer={"name": "Lone Star", "country": "US", "subdivision": "TX"})
    text = pdf_text(render_quote_pdf(doc, "pt-BR"))[0]
    assert text.count("Imposto sobre vendas (estimado)") == 1
    assert "estimated" not in text


def test_fingerprint_is_printed_on_every_page(document):
    doc = document()
    for page in pdf_text(render_quote_pdf(doc, "en")):
        assert doc.fingerprint in page


def test_qr_code_on_every_page_decodes_to_the_fingerprint(document):
    """A phone scanning any page gets the SHA-256 the footer prints (upper-case hex: QR's
    alphanumeric mode). Pages are rasterised at 150 dpi through pdfplumber (pdfium)."""
    import zxingcpp

    doc = document(lines=[JIRA_100] * 60)
    with pdfplumber.open(io.BytesIO(render_quote_pdf(doc, "en"))) as pdf:
        assert len(pdf.pages) > 1
        decoded = [
            [code.text for code in zxingcpp.read_barcodes(page.to_image(resolution=150).original)]
            for page in pdf.pages
        ]
    assert decoded == [[doc.fingerprint.upper()]] * len(decoded)


def test_same_quote_renders_to_the_same_bytes(document):
    assert render_quote_pdf(document(), "en") == render_quote_pdf(document(), "en")


def test_unknown_language_is_refused_with_the_list(document):
    from quotedesk.pdf import PdfError

    with pytest.raises(PdfError, match="en, pt-BR, zh-CN, ja"):
        render_quote_pdf(document(), "fr")


def test_jira_standard_180_users_annual_in_brazilian_portuguese(document):
    """180 users fall in the 200-user tier: 14,600.00 list, 10% partner discount 1,460.00,
    net and total 13,140.00 (Brazil: no tax), written the Brazilian way."""
    doc = document(lines=[{**JIRA_100, "users": 180}])
    text = pdf_text(render_quote_pdf(doc, "pt-BR"))[0].replace("\xa0", " ")
    for expected in (
        "180 usuários",
        "faixa 200",
        "Anual",
        "01/12/2026 –",
        "01/12/2027",
        "US$ 14.600,00",
        # Too wide for its column on one line: the amount goes below, not into the next.
        "parceiro 10%:",
        "-US$ 1.460,00",
        "Subtotal US$ 14.600,00",
        "Total de descontos -US$ 1.460,00",
        "Total US$ 13.140,00",
        "Válida até 20 de dez. de 2026",
    ):
        assert expected in text, expected


def test_every_language_translates_the_same_texts():
    texts = json.loads((resources_dir() / "i18n" / "pdf.json").read_text(encoding="utf-8"))
    keys = {lang: set(values) for lang, values in texts.items() if not lang.startswith("_")}
    assert keys["pt-BR"] == keys["zh-CN"] == keys["ja"]


def test_no_page_holds_only_the_footer_whatever_the_quote_length(document):
    """The space kept for the signature moves with the last section, never alone."""
    for count in range(1, 40, 3):
        lines = [{**JIRA_100, "users": 10 + i} for i in range(count)]
        pages = pdf_text(render_quote_pdf(document(lines=lines, notes="Thank you."), "en"))
        for number, page in enumerate(pages, start=1):
            body = page.split("Fingerprint (SHA-256)")[0].strip()
            assert body, f"{count} lines: page {number} of {len(pages)} is empty"


def test_india_prints_the_administration_fee_with_its_rate_and_gst_on_it(document):
    """R-FEE-1/2: 2% of the 7,200.00 net = 144.00; GST 18% of 7,344.00 = 1,321.92;
    total 8,665.92."""
    doc = document(customer={"name": "Mumbai Tech", "country": "IN"})
    text = pdf_text(render_quote_pdf(doc, "en"))[0]
    assert "Administration fee (2%) $144.00" in text
    assert "18% $7,344.00 $1,321.92" in text
    assert "Total $8,665.92" in text
