"""The quote open in the editor: its quote-file dict and the priced result shown, its
lines as the table shows them, and how each value is named in the window's language.

It is a draft being edited (`draft.QuoteDraft`) or a signed-off revision shown as it was
signed off (`read_only.SignedOffRevision`); the editor's widgets show either and send
their edits to it, which the signed-off revision refuses out loud.
"""

from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from quotedesk.core import PriceBook, RuleTables
from quotedesk.core.priced import PricedLine, lines_left_out
from quotedesk.core.quotes import editing
from quotedesk.core.records import ResellerProfile, StoredRevision
from quotedesk.gui.line_model import LineSnapshot, LineTableModel, snapshot
from quotedesk.i18n import Formatter

DEPLOYMENT_LABELS = {"cloud": "Cloud", "datacenter": "Data Center"}
# Fields as people name them in undo labels and messages, in the window's language.
FIELD_NAMES = {
    ("customer", "name"): "customer name",
    ("customer", "country"): "country",
    ("customer", "city"): "city",
    ("customer", "exemptions"): "tax exemptions",
    ("customer", "tax_id"): "tax ID",
    ("customer", "subdivision"): "state or province",
    ("po_number",): "PO number",
    ("partner_discount_pct",): "partner discount",
    ("discount_pct",): "discount",
    ("list_price",): "list price",
    ("unit_price",): "unit price",
    ("from_users",): "users before the change",
    ("current_end_date",): "current end date",
    ("override_reason",): "reason for the price",
    ("coterm_with",): "co-term line",
    ("parent",): "app of line",
    ("billing_experience",): "billing experience",
    ("custom",): "description",
    ("months",): "term",
    ("quote_date",): "quote date",
    ("start_date",): "start date",
    ("currency",): "currency",
    ("program",): "program",
    ("notes",): "notes",
    ("product",): "product",
    ("deployment",): "deployment",
    ("edition",): "edition",
    ("billing",): "billing",
    ("users",): "users",
    ("action",): "action",
    ("quantity",): "quantity",
    ("mode",): "upgrade mode",
    ("taxable",): "taxable",
    ("customer", "address"): "address",
    ("customer", "technical_contact"): "technical contact",
    ("customer", "billing_contact"): "billing contact",
    ("customer", "technical_contact", "name"): "technical contact name",
    ("customer", "technical_contact", "email"): "technical contact email",
    ("customer", "billing_contact", "name"): "billing contact name",
    ("customer", "billing_contact", "email"): "billing contact email",
    ("customer", "ship_to_subdivision"): "ship-to state or province",
    ("sen",): "SEN",
    ("site_url",): "site URL",
    ("paid_amount",): "amount paid",
    ("paid_months",): "months paid",
    ("migrating_from",): "migration from Data Center",
    ("additions",): "user additions",
    ("dual_licensing",): "dual licensing",
    ("local_currency",): "local currency",
    ("exchange_rate",): "exchange rate",
    ("atlassian_ref",): "Atlassian reference",
}


class OpenQuote(QObject):
    edited = Signal()  # the user changed something (autosave, crash recovery)
    repriced = Signal()  # the priced result shown changed
    refused = Signal(str)  # an edit of a read-only revision was refused

    def __init__(
        self,
        data: dict[str, Any],
        book: PriceBook,
        rules: RuleTables,
        formatter: Formatter,
        *,
        stored: StoredRevision | None = None,
        today: date | None = None,
        profile: ResellerProfile | None = None,
    ) -> None:
        super().__init__()
        self.profile = profile  # its validity, partner discount and reseller status
        self.data = copy.deepcopy(data)
        self.data.setdefault("lines", [])
        self.book, self.rules, self.formatter = book, rules, formatter
        self.stored = stored
        self.today = today or date.today()
        self.undo_stack = QUndoStack(self)  # the window's Undo and Redo follow the open quote's
        self.lines = LineTableModel(self, self)
        self._snapshots: tuple[LineSnapshot, ...] = tuple(map(snapshot, self.data["lines"]))
        self.lines.set_lines(self._snapshots)
        self.view: dict[str, Any] = {}
        self.priced_lines: tuple[PricedLine, ...] = ()  # the view's lines as typed values
        self._price_book_choices: editing.PriceBookChoices | None = None
        self.reprice()

    # State

    read_only: bool  # a signed-off revision is; a draft is not

    def read_only_reason(self) -> str:
        """Why this quote cannot be edited; empty when it can."""
        return ""

    def refuse_edit(self) -> bool:
        """Say why a read-only revision is not changed (True when it is read-only)."""
        reason = self.read_only_reason()
        if reason:
            self.refused.emit(reason)
        return bool(reason)

    @property
    def currency(self) -> str:
        return str(self.view.get("currency", "USD"))

    @property
    def illustrative(self) -> bool:
        return bool(self.view.get("illustrative_prices"))

    def quote_date(self) -> date:
        try:
            return date.fromisoformat(self.data.get("quote_date") or "")
        except ValueError:
            return self.today

    def reprice(self) -> None:
        """Show the priced result (and say so with `repriced`)."""
        raise NotImplementedError

    # Edits, which a read-only revision refuses (True, or the row, when made)

    def set_field(self, path: tuple[str, ...], value: Any) -> bool:
        """Set a quote field (("currency",), ("customer", "country"), ...); None removes it."""
        raise NotImplementedError

    def set_country(self, code: str | None) -> bool:
        """The customer's country; the former country's state or province goes with it."""
        raise NotImplementedError

    def set_line(self, row: int, key: str, value: Any) -> bool:
        raise NotImplementedError

    def add_line(self, line: dict[str, Any] | None = None, row: int | None = None) -> int:
        """Add a line (by default like the quote's last product line, else Jira); its row,
        -1 when refused. Lines after `row` move down, and the lines naming them follow."""
        raise NotImplementedError

    def add_custom_line(self) -> int:
        raise NotImplementedError

    def remove_line(self, row: int) -> bool:
        """Remove a line, and the apps of a product line with it. The lines naming a later
        line follow it."""
        raise NotImplementedError

    # Pickers: only what the price book has for the product on the quote date

    def price_book_choices(self) -> editing.PriceBookChoices:
        """What the price book sells on the quote date (asked again once that date changed)."""
        on = self.quote_date()
        if self._price_book_choices is None or self._price_book_choices.on != on:
            self._price_book_choices = editing.PriceBookChoices(self.book, on)
        return self._price_book_choices

    def choices(self, row: int, key: str) -> list[tuple[str, str]]:
        """The picker of `key` on line `row`: (value, label) pairs."""
        line = self.data["lines"][row] if row >= 0 else {}
        return [
            (value, self.display_value(row, key, value))
            for value in self.price_book_choices().values(key, line)
        ]

    # Display

    def display_value(self, row: int, key: str, value: Any) -> str:
        if value is None:
            if key == "action" and row >= 0 and "custom" not in self.data["lines"][row]:
                return self.tr("New")
            return ""
        if key == "product":
            return self.book.name_of(value) or str(value)
        if key == "deployment":
            return self.tr(DEPLOYMENT_LABELS.get(value, str(value)))
        if key in ("edition", "billing", "action"):
            return self.tr(str(value).capitalize())
        if key in ("users", "quantity", "months") and isinstance(value, int):
            return self.formatter.number(value)
        if key == "discount_pct":
            try:
                return self.formatter.percent(Decimal(str(value)))
            except ArithmeticError:
                return str(value)
        return str(value)

    def field_name(self, path: tuple[str, ...]) -> str:
        name = FIELD_NAMES.get(path) or FIELD_NAMES.get(path[-1:])
        return self.tr(name) if name else path[-1].replace("_", " ")

    def line_label(self, row: int) -> str:
        """How a person names a line: its number counted from 1 (R-Q-6) and its product."""
        line = self.data["lines"][row] if 0 <= row < len(self.data["lines"]) else None
        name = ""
        if isinstance(line, dict):
            name = line.get("custom") or self.display_value(row, "product", line.get("product"))
        if not name:
            return self.tr("line {0}").format(row + 1)
        return self.tr("line {0} ({1})").format(row + 1, name)

    def lines_left_out(self) -> list[str]:
        """The lines in error that the priced total leaves out (R-Q-6 labels)."""
        errors = (e.get("line") for e in self.view.get("errors", ()))
        return [self.line_label(row) for row in lines_left_out(errors, self.priced_lines)]

    def basis_of(self, row: int) -> str:
        return "\n".join(
            line["basis"]
            for line in self.view.get("lines", ())
            if line["index"] == row and line["basis"]
        )
