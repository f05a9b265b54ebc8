"""Subtotal, each discount, admin fee, each tax line, total and payment methods."""

from __future__ import annotations

import html
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from quotedesk.core.priced import PricedLine, discounts_by_kind
from quotedesk.core.pricing.taxes import tax_texts
from quotedesk.i18n import Formatter

DISCOUNT_NAMES = {
    "program": "Program discount",
    "partner": "Partner discount",
    "manual": "Manual discount",
    "dual_licensing": "Dual licensing discount",
}


class TotalsPanel(QScrollArea):
    """The breakdown, rendered as one rich-text table: a single setText per re-pricing
    keeps the repaint cheap, and amounts line up right-aligned in their own column. It
    scrolls when the window is short; the grand total is in `footer`, which the editor
    keeps outside anything that can be squeezed, so it is always on screen."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[tuple[str, str]] = []
        self.breakdown = QLabel()
        self.breakdown.setTextFormat(Qt.TextFormat.RichText)
        self.breakdown.setWordWrap(True)
        self.breakdown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.payment = QLabel()
        self.payment.setWordWrap(True)
        self.payment.setStyleSheet("color: palette(placeholder-text);")
        inner = QWidget()
        layout = QVBoxLayout(inner)
        layout.setContentsMargins(0, 0, 4, 0)
        layout.addWidget(self.breakdown)
        layout.addWidget(self.payment)
        layout.addStretch(1)
        self.setWidget(inner)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        self.total_label = QLabel()
        self.total_amount = QLabel()
        self.incomplete = QLabel()  # which lines in error the total leaves out
        self.incomplete.setWordWrap(True)
        self.incomplete.setStyleSheet("color: #b00020; font-weight: bold;")
        self.incomplete.hide()
        font = self.total_amount.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.total_amount.setFont(font)
        self.total_label.setFont(font)
        self.footer = QFrame()
        self.footer.setFrameShape(QFrame.Shape.StyledPanel)
        row = QHBoxLayout(self.footer)
        row.setContentsMargins(8, 2, 8, 2)
        row.addWidget(self.incomplete, 1)
        # The label takes the free width, so the amount stays at the right edge.
        row.addWidget(self.total_label, 1, Qt.AlignmentFlag.AlignRight)
        row.addWidget(self.total_amount)

    def show_priced(
        self,
        priced: dict[str, Any],
        lines: tuple[PricedLine, ...],
        fmt: Formatter,
        left_out: list[str],
    ) -> None:
        """Show the priced quote (`lines`: its lines as typed values); `left_out` names the
        lines in error the total lacks."""
        currency = priced["currency"]

        def money(amount: Decimal | str) -> str:
            return fmt.money(amount, currency)

        rows = [(self.tr("Subtotal"), money(priced["subtotal"]))]
        for kind, saved in discounts_by_kind(lines).items():
            rows.append((self.tr(DISCOUNT_NAMES.get(kind, kind)), money(-saved)))
        rows.append((self.tr("Net"), money(priced["net_total"])))
        detail = priced.get("admin_fee_detail")
        if detail:
            rows.append(
                (self.tr("Admin fee {0}").format(fmt.percent(detail["rate"])),
                 money(priced["admin_fee"]))
            )  # fmt: skip
        for tax in priced["taxes"]:
            # The name says whether it is estimated; the base shows which lines it taxes.
            name, exempt_reason = tax_texts(tax, fmt.language)
            name += f", {tax['jurisdiction']}"
            if exempt_reason:
                name += f": {exempt_reason}"
            else:
                name += ": " + self.tr("{0} of {1}").format(
                    fmt.percent(tax["rate"]), money(tax["base"])
                )
            rows.append((name, money(tax["amount"])))
        rows.append((self.tr("Total"), money(priced["total"])))
        self.rows = rows
        self.breakdown.setText(
            "<table width='100%' cellspacing='0' cellpadding='1'>"
            + "".join(
                f"<tr><td>{html.escape(label)}</td>"
                f"<td align='right' style='white-space:nowrap'>{html.escape(amount)}</td></tr>"
                for label, amount in rows[:-1]
            )
            + "</table>"
        )
        label, amount = rows[-1]
        if left_out:
            label = self.tr("Total (incomplete)")
            self.incomplete.setText(self.tr("Not in the total: {0}").format("; ".join(left_out)))
        self.incomplete.setVisible(bool(left_out))
        self.total_label.setText(label)
        self.total_amount.setText(amount)
        self.total_amount.setStyleSheet("color: #b00020;" if left_out else "")
        # A quote priced before texts had codes has its English label only.
        methods = ", ".join(
            fmt.coded(m, "label") if "code" in m else self.tr(m["label"])
            for m in priced["payment_methods"]
        )
        self.payment.setText(self.tr("Payment: {0}").format(methods) if methods else "")

    @property
    def total_text(self) -> str:
        return self.rows[-1][1] if self.rows else ""
