"""Customer text in any script is printed (shaped, in right-to-left order where it reads
so), or the export is refused naming the characters: never printed blank.
Long text without spaces is broken across lines and pages instead of failing."""

from __future__ import annotations

import io
import json
import subprocess
import unicodedata

import pdfplumber
import pytest

from quotedesk.pdf import PdfError, render_quote_pdf

from .conftest import JIRA_100, pdf_text

ARABIC = "شركة الأمل للتجارة"
HEBREW = "תל אביב"
THAI = "ขอบคุณที่ใช้บริการ"
HINDI = "नमस्ते दुनिया"


@pytest.fixture
def many_scripts(document):
    return document(
        customer={"name": ARABIC, "city": HEBREW, "country": "IL"},
        notes=f"{THAI} — {HINDI} — 東京都 Tower 123",
        lines=[JIRA_100, {"custom": "Workshop 上海 ورشة", "quantity": 1, "unit_price": "10.00"}],
    )


def chars_by_font(data: bytes) -> dict[str, str]:
    """The drawn characters of page 1, in page order, per embedded font."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        fonts: dict[str, str] = {}
        for char in pdf.pages[0].chars:
            font = char["fontname"].split("+")[-1]
            fonts[font] = fonts.get(font, "") + char["text"]
    return fonts


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_arabic_hebrew_thai_devanagari_and_cjk_are_printed_each_in_its_font(many_scripts, lang):
    data = render_quote_pdf(many_scripts, lang)
    fonts = chars_by_font(data)
    text = pdf_text(data)[0]
    # The page holds right-to-left text left to right: read back, it is reversed.
    assert HEBREW[::-1] in text
    assert HEBREW[::-1] in fonts["NotoSansHebrew-Regular"]
    # Arabic is drawn in joined (presentation) forms, e.g. initial shin, final ta marbuta.
    arabic = fonts["NotoSansArabic-Bold" if lang == "en" else "NotoSansArabic-Regular"]
    assert {"\ufeb7", "\ufe94"} <= set(arabic)
    assert ARABIC in unicodedata.normalize("NFKC", arabic[::-1])
    # Thai (one tone mark is drawn with a raised variant glyph, which reads back as a
    # private-use character).
    assert "ขอบคุณที" in text and "ใช้บริการ" in text
    # Devanagari conjuncts (स्ते) are glyphs no character maps to: read back the letters
    # around them.
    assert "नम" in fonts["NotoSansDevanagari-Regular"]
    assert "東京都" in text and "Tower 123" in text
    assert "上海" in fonts["WenQuanYiMicroHei-0"]


def test_other_scripts_do_not_switch_an_english_documents_font(many_scripts):
    fonts = chars_by_font(render_quote_pdf(many_scripts, "en"))
    assert "Licensee" in fonts["DejaVuSans-Bold"]
    assert "Jira Cloud Standard" in fonts["DejaVuSans"]
    assert "Tower" in fonts["DejaVuSans"]


def test_latin_only_quote_embeds_only_the_latin_fonts(document):
    fonts = chars_by_font(render_quote_pdf(document(), "en"))
    assert set(fonts) == {"DejaVuSans", "DejaVuSans-Bold"}


def test_every_font_in_the_pdf_is_embedded(many_scripts, tmp_path):
    pdf = tmp_path / "q.pdf"
    pdf.write_bytes(render_quote_pdf(many_scripts, "en"))
    rows = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
    fonts = rows.stdout.splitlines()[2:]
    assert len(fonts) == 8, rows.stdout  # DejaVu ×2, Micro Hei, Arabic ×2, Hebrew, Thai, Devanagari
    assert all(line.split()[-5:-2] == ["yes", "yes", "yes"] for line in fonts), rows.stdout


def test_mixed_line_is_in_bidi_visual_order(document):
    """ "Acme شركة 2026 Ltd" (a left-to-right line: it starts with Latin). A number after
    Arabic letters belongs to the right-to-left run (bidi rule W2), so left to right the
    page shows: Acme, 2026, the Arabic word from its last letter to its first (final
    teh marbuta, initial kaf after the non-joining reh, final reh, initial sheen), Ltd."""
    doc = document(customer={"name": "Acme شركة 2026 Ltd", "country": "AE"})
    with pdfplumber.open(io.BytesIO(render_quote_pdf(doc, "en"))) as pdf:
        chars = pdf.pages[0].chars
    line = [c for c in chars if c["fontname"].endswith(("DejaVuSans-Bold", "NotoSansArabic-Bold"))]
    baseline = next(c["matrix"][5] for c in line if c["text"] == "A")
    # The licensee's column, not the billing organisation's beside it.
    on_line = [c for c in line if abs(c["matrix"][5] - baseline) < 0.5 and c["x0"] < 180]
    drawn = "".join(c["text"] for c in sorted(on_line, key=lambda c: c["x0"]))
    assert drawn.replace(" ", "") == "Acme2026\ufe94\ufedb\ufeae\ufeb7Ltd"


@pytest.mark.parametrize(
    ("customer", "notes", "expected"),
    [
        ({"name": "ACME \ue000 Ltda"}, None, "customer name: cannot print U+E000"),
        ({"name": "ACME", "city": "Rio 🦀"}, None, "customer city: cannot print 🦀 (U+1F980)"),
        ({"name": "ACME"}, "ok \U000f0001", "notes: cannot print U+F0001"),
    ],
)
def test_character_no_font_has_is_refused_naming_it_and_its_field(
    document, customer, notes, expected
):
    fields = {"notes": notes} if notes else {}
    doc = document(customer={**customer, "country": "BR"}, **fields)
    with pytest.raises(PdfError) as refused:
        render_quote_pdf(doc, "en")
    assert str(refused.value).startswith(expected)
    assert "\n" not in str(refused.value)


def test_format_characters_need_no_glyph(document):
    """Zero-width joiners and bidi marks shape or order text; they print nothing."""
    doc = document(customer={"name": "Acme\u200e \u200fLtd\u200d", "country": "BR"})
    assert "Acme Ltd" in pdf_text(render_quote_pdf(doc, "en"))[0]


LONG = "Ω" * 3000


@pytest.mark.parametrize(
    "fields",
    [
        {"customer": {"name": LONG, "country": "BR"}},
        {"customer": {"name": "ACME", "city": LONG, "country": "BR"}},
        {"notes": LONG},
        {"po_number": LONG},
        {"lines": [JIRA_100, {"custom": LONG, "quantity": 1, "unit_price": "10.00"}]},
    ],
    ids=["customer name", "city", "notes", "po number", "custom line"],
)
def test_3000_characters_without_spaces_are_broken_across_lines_and_pages(document, fields):
    pages = pdf_text(render_quote_pdf(document(**fields), "en"))
    assert sum(page.count("Ω") for page in pages) == 3000


def test_long_arabic_text_is_broken_across_lines_still_joined(document):
    doc = document(customer={"name": "ب" * 2000, "country": "BR"})
    fonts = chars_by_font(render_quote_pdf(doc, "en"))
    drawn = fonts["NotoSansArabic-Bold"]
    assert drawn.count("\ufe92") > 1500  # medial beh: joined on both sides


def test_export_of_an_unprintable_character_is_exit_2_with_one_line_naming_it(tmp_path):
    from tests.pdf.test_commands import QUOTE, quotedesk

    quote = tmp_path / "quote.json"
    quote.write_text(json.dumps({**QUOTE, "customer": {"name": "ACME 🦀", "country": "BR"}}))
    run = quotedesk("export", str(quote), "-o", str(tmp_path / "q.pdf"))
    assert run.returncode == 2
    assert run.stderr.strip().splitlines() == [
        "quotedesk export: customer name: cannot print 🦀 (U+1F980): no font in the PDF has it; "
        "remove or replace it"
    ]
    assert not (tmp_path / "q.pdf").exists()
