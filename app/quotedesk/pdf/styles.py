"""The type of a quote PDF: its paragraph styles, shared by the quote's pages, its parties
block and the comparison page."""

from __future__ import annotations

from html import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph

from quotedesk.pdf.document import PdfError
from quotedesk.pdf.fonts import FontChain
from quotedesk.pdf.scripts import Layout, Unprintable

GREY = colors.HexColor("#5f6b7a")


class Styles:
    """The paragraph styles of a quote PDF in one font chain, and the one way its text
    becomes a paragraph (escaped, other scripts laid out in their fonts)."""

    def __init__(self, chain: FontChain) -> None:
        self.chain = chain
        self.regular, self.bold = regular, bold = chain.regular, chain.bold
        self._layouts: dict[tuple[bool, float], Layout] = {}
        self.body = ParagraphStyle("body", fontName=regular, fontSize=8.5, leading=11)
        self.small = ParagraphStyle(
            "small", parent=self.body, fontSize=7, leading=9, textColor=GREY
        )
        self.strong = ParagraphStyle("strong", parent=self.body, fontName=bold)
        self.cell = ParagraphStyle(
            "cell", parent=self.body, fontSize=7.5, leading=9.5, wordWrap="CJK"
        )
        self.title = ParagraphStyle(
            "title", fontName=bold, fontSize=17, leading=21, spaceAfter=4 * mm
        )
        self.heading = ParagraphStyle(
            "heading",
            fontName=bold,
            fontSize=10,
            leading=13,
            spaceBefore=4 * mm,
            spaceAfter=1 * mm,
            keepWithNext=1,
        )
        self.label = ParagraphStyle("label", parent=self.small, fontName=bold)

    def para(self, text: str, style: ParagraphStyle, width: float, prefix: str = "") -> Paragraph:
        """A paragraph of plain text (anything a user typed is escaped, never markup) in
        a box `width` points wide: in the primary font as it is, or, with characters of
        other scripts, laid out by `scripts.Layout`."""
        bold = style.fontName == self.bold and self.bold != self.regular
        if self.chain.simple(text, bold):
            return Paragraph(prefix + escape(text, quote=False).replace("\n", "<br/>"), style)
        key = (bold, style.fontSize)
        if key not in self._layouts:
            self._layouts[key] = Layout(self.chain, bold, style.fontSize)
        room = width - stringWidth(prefix.replace("&nbsp;", " "), style.fontName, style.fontSize)
        try:
            return Paragraph(prefix + self._layouts[key].markup(text, room), style)
        except Unprintable as exc:
            raise PdfError(f"cannot print {exc}: no font in the PDF has it") from None
