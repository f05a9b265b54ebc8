"""Embedded fonts, all shipped in the package (resources/fonts, licences in its README).

A document has a primary font: DejaVu Sans, or WenQuanYi Micro Hei for Chinese and
Japanese. Every character the primary font lacks falls back along a chain: the other of
the two, then Noto Sans for Arabic, Hebrew, Thai and Devanagari. Those four also take
their own script's characters first (DejaVu has Arabic and Hebrew letters, but no
Arabic shaping as good, nor Thai or Devanagari at all).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from quotedesk.core.io.resources import resources_dir


@dataclass(frozen=True, slots=True)
class Face:
    name: str  # as registered with ReportLab
    chars: frozenset[int]  # the font's own cmap (shaping adds private codes to ReportLab's)
    shaped: bool  # a complex script: shaped with HarfBuzz


@dataclass(frozen=True, slots=True)
class _FontFile:
    name: str
    regular: str
    bold: str | None  # None: the regular face serves for bold too
    shaped: bool = False
    ranges: tuple[tuple[int, int], ...] = ()  # the script it takes before the primary font


LATIN = _FontFile("QD-Sans", "DejaVuSans.ttf", "DejaVuSans-Bold.ttf")
CJK = _FontFile("QD-CJK", "wqy-microhei.ttc", None)  # Micro Hei has no bold face
SCRIPTS = (
    _FontFile(
        "QD-Arabic",
        "NotoSansArabic-Regular.ttf",
        "NotoSansArabic-Bold.ttf",
        True,
        ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF)),
    ),
    _FontFile(
        "QD-Hebrew",
        "NotoSansHebrew-Regular.ttf",
        "NotoSansHebrew-Bold.ttf",
        True,
        ((0x0590, 0x05FF), (0xFB1D, 0xFB4F)),
    ),
    _FontFile(
        "QD-Thai", "NotoSansThai-Regular.ttf", "NotoSansThai-Bold.ttf", True, ((0x0E00, 0x0E7F),)
    ),
    _FontFile(
        "QD-Devanagari",
        "NotoSansDevanagari-Regular.ttf",
        "NotoSansDevanagari-Bold.ttf",
        True,
        ((0x0900, 0x097F), (0xA8E0, 0xA8FF), (0x1CD0, 0x1CFF)),
    ),
)
# Bidi classes that need reordering: text with any of them takes the slow path.
RTL_CLASSES = frozenset({"R", "AL", "AN", "RLE", "RLO", "RLI"})


def is_cjk_language(lang: str) -> bool:
    return lang in ("zh-CN", "ja")


@cache
def _face(font: _FontFile, bold: bool) -> Face:
    """The face registered with ReportLab (once per process: parsing Micro Hei is slow)."""
    name = f"{font.name}-Bold" if bold and font.bold else font.name
    file = font.bold if bold and font.bold else font.regular
    ttf = TTFont(name, str(resources_dir() / "fonts" / file))
    pdfmetrics.registerFont(ttf)
    return Face(name, frozenset(ttf.face.charToGlyph), font.shaped)


class FontChain:
    """The fonts of one document, and which of them prints each character."""

    def __init__(self, cjk: bool) -> None:
        self.primary = CJK if cjk else LATIN
        self.fallbacks = (LATIN if cjk else CJK, *SCRIPTS)
        self.regular, self.bold = _face(self.primary, False).name, _face(self.primary, True).name
        self._choice: dict[tuple[str, bool], Face | None] = {}
        # Characters found simple or not so far, per weight: deciding it for the whole
        # font (~6,000 characters) cost more than the line table's 200 product names.
        self._simple: dict[bool, set[str]] = {False: {"\n"}, True: {"\n"}}
        self._not_simple: dict[bool, set[str]] = {False: set(), True: set()}

    def primary_face(self, bold: bool) -> Face:
        return _face(self.primary, bold)

    def simple(self, text: str, bold: bool) -> bool:
        """Whether the primary font prints every character of `text` as it is: no
        fallback, no shaping, no bidi. Such text needs none of the work in `scripts`."""
        unknown = set(text) - self._simple[bold]
        if not unknown:
            return True
        if not unknown.isdisjoint(self._not_simple[bold]):
            return False
        chars = self.primary_face(bold).chars
        for ch in unknown:
            code = ord(ch)
            if (
                code in chars
                and code >= 0x20
                and not any(lo <= code <= hi for font in SCRIPTS for lo, hi in font.ranges)
                and unicodedata.bidirectional(ch) not in RTL_CLASSES
                and unicodedata.category(ch) not in ("Mn", "Mc", "Cf")
            ):
                self._simple[bold].add(ch)
            else:
                self._not_simple[bold].add(ch)
                return False
        return True

    def face(self, ch: str, bold: bool) -> Face | None:
        """The face that prints `ch`, or None when no embedded font has it."""
        key = (ch, bold)
        if key not in self._choice:
            self._choice[key] = self._find(ord(ch), bold)
        return self._choice[key]

    def _find(self, code: int, bold: bool) -> Face | None:
        for script in SCRIPTS:
            if any(lo <= code <= hi for lo, hi in script.ranges):
                face = _face(script, bold)
                if code in face.chars:
                    return face
        for font in (self.primary, *self.fallbacks):
            for weight in (bold, False) if bold else (False,):
                face = _face(font, weight)
                if code in face.chars:
                    return face
        return None


@cache
def font_chain(cjk: bool) -> FontChain:
    return FontChain(cjk)
