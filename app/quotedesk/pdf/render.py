"""An A4 PDF of a priced quote, with ReportLab Platypus.

Layout: reseller and customer blocks, the line table (split across pages with its header
repeated), taxes, totals, payment methods and terms, notes for the customer, and a space
kept free for a visible signature. Every page's footer carries "Page x of y", the quote's
SHA-256 fingerprint and a QR code of it; drafts get a "DRAFT" watermark.
"""

from __future__ import annotations

import gc
import io
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    Image,
    KeepTogether,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.tables import CellStyle

from quotedesk.core import messages
from quotedesk.core.priced import Discount, PricedLine
from quotedesk.core.pricing.taxes import tax_line_texts
from quotedesk.core.problems import Problem
from quotedesk.core.renewals import was_price
from quotedesk.pdf.comparison import comparison_page
from quotedesk.pdf.document import PdfError, QuoteDocument
from quotedesk.pdf.embedded import (
    ACCEPTANCE_FIELD,
    QR_FORM,
    SUBJECT_PREFIX,
    Attachments,
    add_signature_field,
    attach,
    qr_modules,
)
from quotedesk.pdf.fonts import FontChain, font_chain, is_cjk_language
from quotedesk.pdf.parties import (
    billing_block,
    contact_lines,
    line_reference,
    party_fields,
    party_label,
)
from quotedesk.pdf.scripts import describe, unprintable
from quotedesk.pdf.styles import GREY, Styles
from quotedesk.pdf.texts import Texts

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 16 * mm
FOOTER_HEIGHT = 20 * mm  # fingerprint, QR code and page number
FRAME_PADDING = 6  # points, on each side of Platypus's frame
BODY_WIDTH = PAGE_WIDTH - 2 * MARGIN - 2 * FRAME_PADDING
SIGNATURE_HEIGHT = 22 * mm
SIGNATURE_WIDTH = 75 * mm
# Warnings the customer must know; the rest (eligibility checks, input notes, tax data
# gaps) are for the partner and stay in the app.
CUSTOMER_NOTES = frozenset({"R-DC-EOL", "R-DISC-DUAL", "R-DISC-GOV", "R-MIG-1", "R-Q-3"})


RULE = colors.HexColor("#c9d1db")
HEADER_FILL = colors.HexColor("#eef2f7")
BANNER_FILL = colors.HexColor("#fff4c2")
QR_SIZE = 16 * mm
CELL_PADDING = 3  # points, left and right in the line table
LONG_TEXT = 500  # characters: a line-table cell this long may not fit on a page


@contextmanager
def _cyclic_gc_off() -> Iterator[None]:
    """A render makes some 100,000 short-lived objects, freed by reference counting; the
    cyclic collector, set off by their count, rescanned every live object (fonts, locale
    data, all modules) again and again: a sixth of a first export's rendering time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@_cyclic_gc_off()
def render_quote_pdf(doc: QuoteDocument, lang: str = "en") -> bytes:
    """The quote as PDF bytes, with the quote and its priced result attached."""
    try:
        texts = Texts(lang)
    except ValueError as exc:
        raise PdfError(str(exc)) from None
    chain = font_chain(is_cjk_language(lang))
    _check_printable(doc, chain)
    styles = Styles(chain)
    files = Attachments.of(doc)
    buffer = io.BytesIO()
    page = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + FOOTER_HEIGHT,
        title=f"{texts('Quote')} {doc.label}".strip(),
        author=doc.profile.company,
        subject=SUBJECT_PREFIX + files.fingerprint,
        creator="Quote Desk",
        invariant=True,  # same quote, same bytes: no creation time or random ID
        initialFontName=chain.regular,  # every font embedded, not even Helvetica unused
    )
    story = _Story(doc, texts, styles).build()
    # The signature space moves with the last section rather than alone onto a new page.
    last = [
        i for i, flowable in enumerate(story) if getattr(flowable, "style", None) is styles.heading
    ]
    tail = last[-1] if last else len(story) - 1
    space = _SignatureSpace(texts, styles, acceptance=not doc.draft)
    story[tail:] = [KeepTogether([*story[tail:], space])]
    story += comparison_page(doc, texts, styles, BODY_WIDTH)
    footer = _Footer(doc, files.fingerprint, texts, chain.regular)
    page.build(story, canvasmaker=partial(_FooterCanvas, footer=footer, files=files))
    return buffer.getvalue()


def _user_fields(doc: QuoteDocument) -> list[tuple[str, str]]:
    """Everything printed that a person typed, with where it was typed."""
    fields = [(f"customer {key}", v) for key, v in doc.customer.items() if v]
    profile = doc.profile
    fields += [
        ("reseller company", profile.company),
        ("reseller address", profile.address),
        ("reseller email", profile.email),
        ("reseller tax ID", profile.tax_id),
    ]
    fields += [(key, doc.text(key)) for key in ("notes", "po_number")]
    fields += party_fields(doc)
    fields += [(f"line {line.index + 1}", line.name) for line in doc.priced_quote.lines]
    fields.append(("signed off by", doc.signed_off_by or ""))
    return fields


def _check_printable(doc: QuoteDocument, chain: FontChain) -> None:
    """Refuse, naming them, characters no embedded font has: printed blank otherwise."""
    for field, text in _user_fields(doc):
        if text and not chain.simple(text, False) and (missing := unprintable(text, chain)):
            raise PdfError(
                f"{field}: cannot print {describe(sorted(missing))}: no font in the PDF "
                f"has it; remove or replace it"
            )


class _Story:
    def __init__(self, doc: QuoteDocument, texts: Texts, styles: Styles) -> None:
        self.doc, self.t, self.s = doc, texts, styles
        self.priced = doc.priced_quote
        self.currency = self.priced.currency
        self._wrapped: dict[str, str | None] = {}  # product name -> its lines, if it wraps

    def money(self, amount: str | Decimal) -> str:
        return self.t.money(amount, self.currency)

    def build(self) -> list[Flowable]:
        story: list[Flowable] = [self.header(), Spacer(1, 5 * mm)]
        story.append(
            self.s.para(f"{self.t('Quote')} {self.doc.label}".strip(), self.s.title, BODY_WIDTH)
        )
        story.append(self.parties())
        if self.priced.illustrative_prices:
            story += [Spacer(1, 3 * mm), self.banner()]
        story += [Spacer(1, 5 * mm), self.lines_table()]
        if self.priced.taxes:
            story += [Spacer(1, 4 * mm), self.taxes_table()]
        story += [Spacer(1, 4 * mm), self.totals()]
        priced = self.priced
        methods = [self.t.said(m.code, m.params, m.label) for m in priced.payment_methods]
        story += self.bullets("Payment methods", methods)
        # The validity date is in the header already (R-Q-3).
        terms = [self.t.said(t.code, t.params, t.text) for t in priced.terms if t.rule != "R-Q-3"]
        story += self.bullets("Terms", terms)
        notes = [self.note(w) for w in priced.warnings if w.code in CUSTOMER_NOTES]
        story += self.bullets("Please note", notes)
        if self.doc.text("notes"):
            story += [
                self.s.para(self.t("Notes"), self.s.heading, BODY_WIDTH),
                self.s.para(self.doc.text("notes"), self.s.body, BODY_WIDTH),
            ]
        if self.doc.signed_off_by:
            when = self.t.day(self.doc.signed_off_at.date()) if self.doc.signed_off_at else ""
            signed = self.t(
                "Signed off by {name} on {date}", name=self.doc.signed_off_by, date=when
            )
            story += [Spacer(1, 4 * mm), self.s.para(signed, self.s.body, BODY_WIDTH)]
        return story

    def note(self, warning: Problem) -> str:
        """A warning the customer reads, in the PDF's language with its dates. An R-Q-3
        warning priced before warnings had keys is worded from the quote's dates."""
        if not warning.key:
            if warning.code != "R-Q-3":
                return warning.message
            until = self.priced.valid_until
            days = (until - self.priced.quote_date).days
            return self.t.text("R-Q-3.expired", date=until, days=days)
        return warning.text(self.t.lang, partial(self.t.message_value, currency=self.currency))

    # ---- blocks -----------------------------------------------------------------------
    def header(self) -> Flowable:
        profile = self.doc.profile
        width = BODY_WIDTH - 50 * mm
        lines = [self.s.para(profile.company or " ", self.s.strong, width)]
        for text in (profile.address, profile.email):
            if text:
                lines.append(self.s.para(text, self.s.body, width))
        if profile.tax_id:
            lines.append(self.s.para(f"{self.t('Tax ID')}: {profile.tax_id}", self.s.body, width))
        logo = _logo(profile.logo_path)
        table = Table(
            [[lines, logo or ""]], colWidths=[BODY_WIDTH - 50 * mm, 50 * mm], splitInRow=1
        )
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                    ("FONTNAME", (0, 0), (-1, -1), self.s.regular),  # not Helvetica, if no logo
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        return table

    def parties(self) -> Flowable:
        customer = self.doc.customer
        column = (BODY_WIDTH - 77 * mm) / 2  # licensee, billing organisation (R-RESELL-2)
        width = column - 2  # less _tight's right padding
        block: list[Flowable] = [
            self.s.para(party_label("licensee", self.t.lang), self.s.label, width),
            self.s.para(customer.get("name") or "", self.s.strong, width),
        ]
        if customer.get("address"):
            block.append(self.s.para(customer["address"], self.s.body, width))
        country = customer.get("country") or ""
        subdivision = customer.get("subdivision")
        where = (
            customer.get("city"),
            self.t.subdivision(country, subdivision) if subdivision else "",
            self.t.country(country) if country else "",
        )
        place = ", ".join(p for p in where if p)
        if place:
            block.append(self.s.para(place, self.s.body, width))
        if customer.get("tax_id"):
            block.append(
                self.s.para(f"{self.t('Tax ID')}: {customer['tax_id']}", self.s.body, width)
            )
        block += contact_lines(self.doc, "technical_contact", self.t.lang, self.s, width)
        billing = billing_block(self.doc, self.t.lang, self.s, width)

        meta = [
            (self.t("Quote number"), self.doc.number or "—"),
            (self.t("Revision"), str(self.doc.revision or 1)),
            (self.t("Date"), self.t.day(self.priced.quote_date)),
            (self.t("Valid until"), self.t.day(self.priced.valid_until)),
        ]
        if self.doc.text("po_number"):
            meta.append((self.t("PO number"), self.doc.text("po_number")))
        meta_table = Table(
            [
                [
                    self.s.para(k, self.s.label, 32 * mm - 2),
                    self.s.para(v, self.s.body, 45 * mm - 2),
                ]
                for k, v in meta
            ],
            colWidths=[32 * mm, 45 * mm],
            splitInRow=1,
        )
        font = ("FONTNAME", (0, 0), (-1, -1), self.s.regular)  # not Helvetica, even unused
        meta_table.setStyle(_tight([font]))
        table = Table(
            [[block, billing, meta_table]], colWidths=[column, column, 77 * mm], splitInRow=1
        )
        table.setStyle(_tight([("VALIGN", (0, 0), (-1, -1), "TOP"), font]))
        return table

    def banner(self) -> Flowable:
        text = self.t(
            "Illustrative prices: made with the sample price book, not real Atlassian prices."
        )
        table = Table([[self.s.para(text, self.s.strong, BODY_WIDTH - 12)]], colWidths=[BODY_WIDTH])
        table.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, -1), BANNER_FILL),
                    ("FONTNAME", (0, 0), (-1, -1), self.s.regular),  # else Helvetica, unembedded
                    ("BOX", (0, 0), (-1, -1), 0.6, colors.HexColor("#d9b400")),
                    ("TOPPADDING", (0, 0), (-1, -1), 4),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ]
            )
        )
        return table

    def lines_table(self) -> Flowable:
        t = self.t
        header = [
            "#", t("Product"), t("Tier"), t("Period"), t("List price"), t("Discounts"), t("Net")
        ]  # fmt: skip
        widths = _scaled([8, 36, 20, 20, 26, 40, 26])
        rows: list[list[Any]] = [header]
        for line in self.priced.lines:
            rows.append(
                [
                    str(line.index + 1),
                    self.product_cell(line, widths[1]),
                    self.tier_cell(line),
                    self.period(line),
                    self.list_price_cell(line),
                    "\n".join(self.discount(d, widths[5]) for d in line.discounts),
                    self.money(line.net),
                ]
            )
        header_styles = [self.line_cell(column, header=True) for column in range(7)]
        line_styles = [self.line_cell(column, header=False) for column in range(7)]
        table = Table(
            rows,
            colWidths=widths,
            repeatRows=1,
            # A row taller than a page must split; splitting within rows costs 3% of
            # an ordinary quote's time, so only when some description is long.
            splitInRow=int(any(len(line.name) > LONG_TEXT for line in self.priced.lines)),
            cellStyles=[header_styles] + [line_styles] * (len(rows) - 1),
        )
        table.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
                ]
            )
        )
        return table

    def discount(self, discount: Discount, width: float) -> str:
        """A discount as "program 50%: -¥5,475,000" on one line, or on two where the column
        is too narrow (pt-BR's "JP¥ 10.950.000" would run into the next column)."""
        t = self.t
        kind = f"{t(discount.kind)} {t.percent(discount.pct)}:"
        amount = self.money(-discount.amount)
        one_line = f"{kind} {amount}"
        fits = stringWidth(one_line, self.s.regular, 7.5) <= width - 2 * CELL_PADDING
        return one_line if fits else f"{kind}\n{amount}"

    def line_cell(self, column: int, header: bool) -> CellStyle:
        """The style of one column of the line table, shared by all its lines: the same as
        `grid`, but a style command per property walks all 1,400 cells of a 200-line
        quote, which took a third of the time the table takes to lay out."""
        style = CellStyle(f"column {column}")
        style.fontname = self.s.bold if header else self.s.regular
        style.fontsize, style.leading = 7.5, 9.5
        style.valign = "TOP"
        style.alignment = "RIGHT" if column >= 4 else "LEFT"
        # Narrow side padding leaves room for amounts like "US$ 245.860,00".
        style.leftPadding = style.rightPadding = CELL_PADDING
        if column == 2 and not header:
            style.color = GREY
        return style

    def product_cell(self, line: PricedLine, width: float) -> str | Flowable:
        """Wrapped here into plain lines (never parsed as markup): a Paragraph per cell
        costs several times more, and a 200-line quote has 200 of them. Text without
        spaces to break at (Chinese, Japanese) or in other scripts still needs a Paragraph."""
        name = self.t.line_description(line._asdict())
        reference = line_reference(self.doc, line, self.t.lang)
        if reference:
            name = f"{name}\n{reference}"
        if name not in self._wrapped:  # a quote repeats its products
            room = width - 2 * CELL_PADDING
            lines = simpleSplit(name, self.s.regular, 7.5, room)
            fits = all(stringWidth(text, self.s.regular, 7.5) <= room for text in lines)
            simple = self.s.chain.simple(name, False)
            self._wrapped[name] = "\n".join(lines) if fits and simple else None
        return self._wrapped[name] or self.s.para(name, self.s.cell, width - 2 * CELL_PADDING)

    def list_price_cell(self, line: PricedLine) -> str:
        """The list price, and on a renewal line the one it had before ("was")."""
        amount = self.money(line.list_price)
        was = was_price(self.doc.quote_file, line.index) if line.kind == "product" else None
        if was is None:
            return amount
        return f"{amount}\n{messages.text('line.was', self.t.lang, amount=self.money(was))}"

    def tier_cell(self, line: PricedLine) -> str:
        t = self.t
        if line.kind == "custom":
            return line.basis
        parts = []
        if line.units is not None:
            parts.append(t.plural("line.users", line.units))
        tier = line.tier
        if tier is not None and line.billing != "monthly":
            size = t.number(tier) if isinstance(tier, int) else t.text("line.unlimited")
            parts.append(t.text("line.tier", tier=size))
        if line.billing in ("annual", "monthly"):
            parts.append(t.text(f"line.billing.{line.billing}"))
        return "\n".join(parts)

    def period(self, line: PricedLine) -> str:
        if line.period_start is None:
            return ""
        start, end = line.period_start, line.period_end
        return f"{self.t.day(start, 'short')} –\n{self.t.day(end, 'short')}"

    def taxes_table(self) -> Flowable:
        t = self.t
        rows: list[list[Any]] = [[t("Tax"), t("Jurisdiction"), t("Rate"), t("Base"), t("Amount")]]
        widths = _scaled([78, 28, 18, 27, 27])
        for tax in self.priced.taxes:
            name, exempt_reason = tax_line_texts(tax, t.lang)  # the name says "estimated"
            if exempt_reason:
                name += f" — {exempt_reason}"
            amount = self.money(tax.amount)
            if tax.local_currency is not None and tax.local_amount is not None:
                amount += f"\n≈ {t.money(tax.local_amount, tax.local_currency)}"
            rows.append(
                [
                    self.s.para(name, self.s.body, widths[0] - 12),  # default padding
                    tax.jurisdiction,
                    t.percent(tax.rate),
                    self.money(tax.base),
                    amount,
                ]
            )
        table = Table(rows, colWidths=widths, repeatRows=1)
        table.setStyle(self.grid(amounts_from=2))
        return table

    def grid(self, amounts_from: int) -> TableStyle:
        """A table with a shaded header row, rules between rows and amounts right-aligned
        from column `amounts_from` on (the line table sets the same per column, in
        `line_cell`)."""
        return TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), self.s.regular),
                ("FONTNAME", (0, 0), (-1, 0), self.s.bold),
                ("FONTSIZE", (0, 0), (-1, -1), 7.5),
                ("LEADING", (0, 0), (-1, -1), 9.5),
                ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (amounts_from, 0), (-1, -1), "RIGHT"),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )

    def totals(self) -> Flowable:
        t, p = self.t, self.priced
        rows = [[t("Subtotal"), self.money(p.subtotal)]]
        if p.discount_total:
            rows.append([t("Discount total"), self.money(-p.discount_total)])
        if p.admin_fee:
            rate = "" if p.admin_fee_rate is None else f" ({t.percent(p.admin_fee_rate)})"
            rows.append([t("Administration fee") + rate, self.money(p.admin_fee)])
        if p.taxes:
            rows.append([t("Tax"), self.money(p.tax_total)])
        rows.append([t("Total"), self.money(p.total)])
        table = Table(rows, colWidths=[45 * mm, 35 * mm], hAlign="RIGHT")
        table.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), self.s.regular),
                    ("FONTSIZE", (0, 0), (-1, -1), 8.5),
                    ("ALIGN", (1, 0), (1, -1), "RIGHT"),
                    ("FONTNAME", (0, -1), (-1, -1), self.s.bold),
                    ("FONTSIZE", (0, -1), (-1, -1), 11),
                    ("LEADING", (0, -1), (-1, -1), 14),
                    ("LINEABOVE", (0, -1), (-1, -1), 0.8, colors.black),
                    ("TOPPADDING", (0, -1), (-1, -1), 4),
                ]
            )
        )
        return KeepTogether(table)

    def bullets(self, heading: str, items: list[str]) -> list[Flowable]:
        if not items:
            return []
        heading_row: list[Flowable] = [self.s.para(self.t(heading), self.s.heading, BODY_WIDTH)]
        return heading_row + [
            self.s.para(item, self.s.body, BODY_WIDTH, "•&nbsp;&nbsp;") for item in items
        ]


def _scaled(widths_mm: list[float]) -> list[float]:
    """Column widths in proportion to `widths_mm`, filling the body width."""
    scale = BODY_WIDTH / (sum(widths_mm) * mm)
    return [w * mm * scale for w in widths_mm]


def _tight(extra: list[tuple[Any, ...]] | None = None) -> TableStyle:
    return TableStyle(
        [
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 2),
            ("TOPPADDING", (0, 0), (-1, -1), 1),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            *(extra or []),
        ]
    )


def _logo(path: str) -> Flowable | None:
    """The reseller's logo, at most 50 × 18 mm; a missing or unreadable file prints none."""
    if not path or not Path(path).is_file():
        return None
    try:
        return Image(path, width=50 * mm, height=18 * mm, kind="proportional", hAlign="RIGHT")
    except OSError:
        return None


class _SignatureSpace(Flowable):
    """Room at the end of the quote for the visible signature pyHanko adds when the PDF
    is signed, held by an empty signature field; and beside it, on a quote that is not
    a draft, the empty field the customer signs to accept it, framed and labelled."""

    def __init__(self, texts: Texts, styles: Styles, *, acceptance: bool) -> None:
        super().__init__()
        self.acceptance = acceptance
        self.title = texts("Customer acceptance")
        self.label_height = self.hint_height = 0.0
        if acceptance:
            self.label = styles.para(self.title, styles.label, SIGNATURE_WIDTH)
            self.hint = styles.para(
                texts("To accept this quote, sign this field with a digital certificate."),
                styles.small,
                SIGNATURE_WIDTH,
            )

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        if not self.acceptance:
            return SIGNATURE_WIDTH, SIGNATURE_HEIGHT + 6 * mm
        self.label_height = self.label.wrap(SIGNATURE_WIDTH, available_height)[1]
        self.hint_height = self.hint.wrap(SIGNATURE_WIDTH, available_height)[1]
        return available_width, self.hint_height + SIGNATURE_HEIGHT + self.label_height + 8 * mm

    def draw(self) -> None:
        canvas = self.canv
        bottom = self.hint_height + 2 * mm if self.acceptance else 0
        x, y = canvas.absolutePosition(0, bottom)
        add_signature_field(canvas, (x, y, x + SIGNATURE_WIDTH, y + SIGNATURE_HEIGHT))
        if not self.acceptance:
            return
        left = self.width - SIGNATURE_WIDTH
        canvas.saveState()
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        canvas.rect(left, bottom, SIGNATURE_WIDTH, SIGNATURE_HEIGHT)
        canvas.restoreState()
        self.label.drawOn(canvas, left, bottom + SIGNATURE_HEIGHT + 1 * mm)
        self.hint.drawOn(canvas, left, 0)
        x, y = canvas.absolutePosition(left, bottom)
        rect = (x, y, x + SIGNATURE_WIDTH, y + SIGNATURE_HEIGHT)
        add_signature_field(canvas, rect, ACCEPTANCE_FIELD, self.title)


class _Footer:
    def __init__(self, doc: QuoteDocument, fingerprint: str, texts: Texts, font: str) -> None:
        self.doc, self.t, self.font = doc, texts, font
        self.fingerprint = fingerprint

    def draw(self, canvas: Canvas, page: int, pages: int) -> None:
        canvas.saveState()
        if self.doc.draft:
            self._watermark(canvas)
        top = MARGIN + FOOTER_HEIGHT - 3 * mm
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, top, PAGE_WIDTH - MARGIN, top)
        if not canvas.hasForm(QR_FORM):
            # Drawn once as a form and reused on every page.
            canvas.beginForm(QR_FORM)
            _draw_qr(canvas, self.fingerprint, QR_SIZE)
            canvas.endForm()
        canvas.saveState()
        canvas.translate(PAGE_WIDTH - MARGIN - QR_SIZE, MARGIN - 1 * mm)
        canvas.doForm(QR_FORM)
        canvas.restoreState()
        canvas.setFillColor(GREY)
        canvas.setFont(self.font, 6.5)
        canvas.drawString(MARGIN, top - 4 * mm, f"{self.t('Fingerprint (SHA-256)')}:")
        canvas.setFont(self.font, 6.5)
        canvas.drawString(MARGIN, top - 7.5 * mm, self.fingerprint)
        canvas.setFont(self.font, 7.5)
        label = f"{self.t('Quote')} {self.doc.label}".strip()
        canvas.drawString(MARGIN, MARGIN + 1 * mm, label)
        canvas.drawRightString(
            PAGE_WIDTH - MARGIN - 20 * mm,
            MARGIN + 1 * mm,
            self.t("Page {page} of {pages}", page=page, pages=pages),
        )
        canvas.restoreState()

    def _watermark(self, canvas: Canvas) -> None:
        canvas.saveState()
        canvas.setFillColor(colors.Color(0.8, 0.1, 0.1, alpha=0.12))
        canvas.setFont(self.font, 96)
        canvas.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
        canvas.rotate(40)
        canvas.drawCentredString(0, -30, self.t("DRAFT"))
        canvas.restoreState()


def _draw_qr(canvas: Canvas, text: str, size: float) -> None:
    """A QR code of `text` as one filled path of dark runs: ReportLab's QR widget makes a
    shape object per module, which costs more than the whole line table."""
    modules = qr_modules(text)
    count = len(modules)
    module = size / (count + 2)  # a quiet zone of one module around the code
    path = canvas.beginPath()
    for row, dark in enumerate(modules):
        y = size - module * (row + 2)
        col = 0
        while col < count:
            if not dark[col]:
                col += 1
                continue
            start = col
            while col < count and dark[col]:
                col += 1
            path.rect(module * (start + 1), y, module * (col - start), module)
    canvas.setFillColor(colors.black)
    canvas.drawPath(path, stroke=0, fill=1)


class _FooterCanvas(Canvas):
    """Holds each page back until the page count is known, then adds the footer
    ("Page x of y", as in ReportLab's user guide)."""

    def __init__(self, *args: Any, footer: _Footer, files: Attachments, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._footer, self._files = footer, files
        self._held: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._held.append(dict(self.__dict__))
        # Canvas internals, as the user guide's "Page x of y" recipe uses them.
        self._startPage()  # type: ignore[attr-defined]

    def save(self) -> None:
        for number, state in enumerate(self._held, start=1):
            self.__dict__.update(state)
            self._footer.draw(self, number, len(self._held))
            super().showPage()
        attach(self._doc, self._files)  # type: ignore[attr-defined]
        super().save()
