"""Embedded fonts: DejaVu Sans for Latin scripts, WenQuanYi Micro Hei when the quote has
Chinese or Japanese text. Fonts are looked up in `resources/fonts/` first (a packaged
build ships them there), then where Debian installs them."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import reportlab
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from quotedesk.core.resources import resources_dir
from quotedesk.pdf.document import PdfError

SYSTEM_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/truetype/wqy"))
CJK_PACKAGE = "fonts-wqy-microhei"
FONT_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "wqy-microhei.ttc")  # what a bundle ships


def needs_cjk(text: str) -> bool:
    # From CJK radicals on: kana, ideographs, Hangul, full-width forms.
    return any(ord(ch) >= 0x2E80 for ch in text)


def find_font(name: str) -> Path | None:
    for folder in (resources_dir() / "fonts", *SYSTEM_DIRS):
        if (folder / name).is_file():
            return folder / name
    return None


@cache
def font_pair(cjk: bool) -> tuple[str, str]:
    """Registered (regular, bold) font names for a document."""
    if cjk:
        path = find_font("wqy-microhei.ttc")
        if path is None:
            raise PdfError(
                f"Chinese and Japanese text needs the WenQuanYi Micro Hei font: "
                f"sudo apt-get install {CJK_PACKAGE} (or put wqy-microhei.ttc in resources/fonts)"
            )
        # Micro Hei has no bold face: headings use size, not weight.
        pdfmetrics.registerFont(TTFont("QD-CJK", str(path), subfontIndex=0))
        return "QD-CJK", "QD-CJK"
    regular, bold = find_font("DejaVuSans.ttf"), find_font("DejaVuSans-Bold.ttf")
    if regular is None or bold is None:
        # ReportLab's own Bitstream Vera: DejaVu's ancestor, fewer symbols.
        regular = Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"
        bold = regular.with_name("VeraBd.ttf")
    pdfmetrics.registerFont(TTFont("QD-Sans", str(regular)))
    pdfmetrics.registerFont(TTFont("QD-Sans-Bold", str(bold)))
    return "QD-Sans", "QD-Sans-Bold"
