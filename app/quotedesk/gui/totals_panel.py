"""Subtotal, each discount, admin fee, each tax line, total and payment methods."""

from __future__ import annotations

import html
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from quotedesk.gui.formatting import Formatter

DISCOUNT_NAMES = {
    "program": "Program discount",
    "partner": "Partner discount",
    "manual": "Manual discount",
    "dual_licensing": "Dual licensing discount",
}


class TotalsPanel(QWidget):
    """Rendered as one rich-text table: a single setText per re-pricing keeps the
    repaint cheap, and amounts line up right-aligned in their own column."""

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
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.breakdown)
        layout.addWidget(self.payment)
        layout.addStretch(1)

    def show_priced(self, priced: dict[str, Any], fmt: Formatter) -> None:
        currency = priced["currency"]

        def money(amount: Decimal | str) -> str:
            return fmt.money(amount, currency)

        rows = [(self.tr("Subtotal"), money(priced["subtotal"]))]
        by_kind: dict[str, Decimal] = {}
        for line in priced["lines"]:
            for discount in line["discounts"]:
                kind = discount["kind"]
                by_kind[kind] = by_kind.get(kind, Decimal(0)) + Decimal(discount["amount"])
        for kind, amount in by_kind.items():
            rows.append((self.tr(DISCOUNT_NAMES.get(kind, kind)), money(-amount)))
        rows.append((self.tr("Net"), money(priced["net_total"])))
        detail = priced.get("admin_fee_detail")
        if detail:
            rows.append(
                (self.tr("Admin fee {0}").format(fmt.percent(detail["rate"])),
                 money(priced["admin_fee"]))
            )  # fmt: skip
        for tax in priced["taxes"]:
            name = f"{tax['name']} {fmt.percent(tax['rate'])} ({tax['jurisdiction']})"
            if tax.get("exempt_reason"):
                name = f"{tax['name']} ({tax['jurisdiction']}): {tax['exempt_reason']}"
            elif tax.get("estimated"):
                name += self.tr(" estimated")
            rows.append((name, money(tax["amount"])))
        rows.append((self.tr("Total"), money(priced["total"])))
        self.rows = rows
        cells = "".join(
            f"<tr><td>{html.escape(label)}</td><td align='right'>{html.escape(amount)}</td></tr>"
            for label, amount in rows[:-1]
        )
        label, amount = rows[-1]
        cells += (
            f"<tr><td style='padding-top:4px'><b>{html.escape(label)}</b></td>"
            f"<td align='right' style='padding-top:4px'><b style='font-size:large'>"
            f"{html.escape(amount)}</b></td></tr>"
        )
        self.breakdown.setText(
            f"<table width='100%' cellspacing='0' cellpadding='1'>{cells}</table>"
        )
        methods = ", ".join(self.tr(m["label"]) for m in priced["payment_methods"])
        self.payment.setText(self.tr("Payment: {0}").format(methods) if methods else "")

    @property
    def total_text(self) -> str:
        return self.rows[-1][1] if self.rows else ""
