"""The quote being edited: its quote-file dict, an undo stack, and the live priced result.

Every change is an undoable command that edits the dict by the core's editing rules
(`core.editing`) and re-prices the whole quote through the core, so what the window
shows is always exactly what `quotedesk price` would print for that file (bench/gui.py
times an edit). The line table shows read-only snapshots of the lines the draft hands it.
"""

from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from quotedesk import operations
from quotedesk.core import PriceBook, RuleTables, editing, parse_quote
from quotedesk.core.priced import PricedLine, lines_left_out, priced_lines
from quotedesk.core.quote import QuoteFileError
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


class QuoteDraft(QObject):
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
        self.undo_stack = QUndoStack(self)
        self.lines = LineTableModel(self, self)
        self._snapshots: tuple[LineSnapshot, ...] = tuple(map(snapshot, self.data["lines"]))
        self.lines.set_lines(self._snapshots)
        self.view: dict[str, Any] = {}
        self.priced_lines: tuple[PricedLine, ...] = ()  # the view's lines as typed values
        self._book_choices: editing.BookChoices | None = None
        if stored is not None and not stored.editable:
            # A signed-off revision shows what it was priced at, never a re-pricing.
            self.view = stored.priced
            self.priced_lines = priced_lines(stored.priced)
            self.lines.set_priced(self.view, self.priced_lines)
        else:
            self.reprice()

    # State

    @property
    def read_only(self) -> bool:
        return self.stored is not None and not self.stored.editable

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

    def changed(self) -> None:
        """After an edit (or its undo): price again and say so."""
        self.reprice()
        self.edited.emit()

    def reprice(self) -> None:
        try:
            quote = parse_quote(self.data, "quote")
        except QuoteFileError as exc:  # cannot happen for dicts the editor builds
            raise ValueError(str(exc)) from None
        self.priced = operations.price_quote(quote, self.book, self.rules, self.today, self.profile)
        self.view = self.priced.to_dict()
        self.priced_lines = self.priced.lines
        self.lines.set_priced(self.view, self.priced_lines)
        self.repriced.emit()

    # The lines: changed here only, by the undo commands, and shown as snapshots

    def _put_line(self, row: int, line: Any) -> None:
        self.data["lines"][row] = copy.deepcopy(line)
        self._show_lines((*self._snapshots[:row], snapshot(line), *self._snapshots[row + 1 :]))

    def _set_lines(self, lines: list[Any], origins: dict[int, int]) -> None:
        """Make `lines` the quote's lines; `origins` maps a new row to the current row it
        was (a line unchanged there keeps its snapshot: the table keeps that row as is)."""
        current = self.data["lines"]
        self._snapshots = tuple(
            self._snapshots[origins[row]]
            if row in origins and current[origins[row]] == line
            else snapshot(line)
            for row, line in enumerate(lines)
        )
        current[:] = copy.deepcopy(lines)
        self._show_lines(self._snapshots)

    def _put_data(self, data: dict[str, Any]) -> None:
        """Make `data` the whole quote file (a scenario chosen, or that undone): the table
        shows its lines at once."""
        new = copy.deepcopy(data)
        lines = new.get("lines") or []
        current = new["lines"] = self.data["lines"]
        self.data.clear()
        self.data.update(new)
        self._set_lines(lines, {row: row for row in range(min(len(lines), len(current)))})

    def _show_lines(self, snapshots: tuple[LineSnapshot, ...]) -> None:
        self._snapshots = snapshots
        self.lines.set_lines(snapshots)
        self.changed()

    # Edits (each one an undo command)

    def read_only_reason(self) -> str:
        """Why this revision cannot be edited; empty when it can."""
        if not self.read_only:
            return ""
        assert self.stored is not None
        return self.tr("{0} is signed off and cannot be edited: use Revise to change it.").format(
            self.stored.label
        )

    def refuse_edit(self) -> bool:
        """Say why a read-only revision is not changed (True when it is read-only)."""
        reason = self.read_only_reason()
        if reason:
            self.refused.emit(reason)
        return bool(reason)

    def set_field(self, path: tuple[str, ...], value: Any) -> bool:
        """Set a quote field (("currency",), ("customer", "country"), ...); None removes it."""
        if self.refuse_edit():
            return False
        value = editing.clean_value(path[-1], value)
        if _get(self.data, path) == value:
            return True
        self.undo_stack.push(_SetField(self, path, value))
        return True

    def set_country(self, code: str | None) -> bool:
        """The customer's country; the former country's state or province goes with it."""
        customer = self.data.get("customer") or {}
        if self.read_only or not customer.get("subdivision") or customer.get("country") == code:
            return self.set_field(("customer", "country"), code)
        self.undo_stack.beginMacro(self.tr("Change country"))
        self.set_field(("customer", "country"), code)
        self.set_field(("customer", "subdivision"), None)
        self.undo_stack.endMacro()
        return True

    def set_line(self, row: int, key: str, value: Any) -> bool:
        if self.refuse_edit():
            return False
        old = self.data["lines"][row]
        new = editing.edited_line(self.data["lines"], row, key, value, self.book_choices())
        if new != old:
            self.undo_stack.push(_ReplaceLine(self, row, old, new, key))
        return True

    def add_line(self, line: dict[str, Any] | None = None, row: int | None = None) -> int:
        """Add a line (by default like the quote's last product line, else Jira); its row.
        Lines after `row` move down, and the lines naming them follow."""
        if self.refuse_edit():
            return -1
        lines = self.data["lines"]
        if line is None:
            line = self.book_choices().next_line(lines)
        row = len(lines) if row is None else row
        added = editing.with_line(lines, line, row)
        self.undo_stack.push(_SetLines(self, added, self.tr("Add line")))
        return row

    def add_custom_line(self) -> int:
        return self.add_line(
            {"custom": self.tr("Services"), "quantity": 1, "unit_price": "0.00", "taxable": True}
        )

    def remove_line(self, row: int) -> bool:
        """Remove a line, and the apps of a product line with it: one undo step. The lines
        naming a later line follow it."""
        lines = self.data["lines"]
        if self.refuse_edit() or not 0 <= row < len(lines):
            return False
        gone = editing.removed_rows(lines, row)
        text = (
            self.tr("Remove line {0} and its apps") if len(gone) > 1 else self.tr("Remove line {0}")
        ).format(row + 1)
        self.undo_stack.push(_SetLines(self, editing.without_rows(lines, gone), text))
        return True

    # Pickers: only what the price book has for the product on the quote date

    def book_choices(self) -> editing.BookChoices:
        """What the price book sells on the quote date (asked again once that date changed)."""
        on = self.quote_date()
        if self._book_choices is None or self._book_choices.on != on:
            self._book_choices = editing.BookChoices(self.book, on)
        return self._book_choices

    def choices(self, row: int, key: str) -> list[tuple[str, str]]:
        """The picker of `key` on line `row`: (value, label) pairs."""
        line = self.data["lines"][row] if row >= 0 else {}
        return [
            (value, self.display_value(row, key, value))
            for value in self.book_choices().values(key, line)
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


def _get(data: dict[str, Any], path: tuple[str, ...]) -> Any:
    for name in path:
        if not isinstance(data, dict):
            return None
        data = data.get(name)  # type: ignore[assignment]
    return data


def _set(data: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for name in path[:-1]:
        data = data.setdefault(name, {})
    if value is None:
        data.pop(path[-1], None)
    else:
        data[path[-1]] = value


class _Change(QUndoCommand):
    """A change from `old` to `new`; the next change of the same thing can fold into it,
    so that typing into a field is one undo step, not one per keystroke."""

    MERGE_ID = 0
    old: Any
    new: Any

    def id(self) -> int:
        return self.MERGE_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if type(other) is not type(self) or not self._merges(other):
            return False
        self.new = other.new
        return True

    def redo(self) -> None:
        self._apply(self.new)

    def undo(self) -> None:
        self._apply(self.old)

    def _merges(self, other: Any) -> bool:
        raise NotImplementedError

    def _apply(self, value: Any) -> None:
        raise NotImplementedError


class _SetField(_Change):
    MERGE_ID = 1

    def __init__(self, draft: QuoteDraft, path: tuple[str, ...], value: Any) -> None:
        super().__init__(draft.tr("Change {0}").format(draft.field_name(path)))
        self.draft, self.path = draft, path
        self.old, self.new = copy.deepcopy(_get(draft.data, path)), value

    def _merges(self, other: _SetField) -> bool:
        return other.path == self.path

    def _apply(self, value: Any) -> None:
        _set(self.draft.data, self.path, copy.deepcopy(value))
        self.draft.changed()


class _ReplaceLine(_Change):
    MERGE_ID = 2

    def __init__(
        self, draft: QuoteDraft, row: int, old: dict[str, Any], new: dict[str, Any], key: str
    ) -> None:
        super().__init__(draft.tr("Change line {0} {1}").format(row + 1, draft.field_name((key,))))
        self.draft, self.row, self.old, self.new, self.key = draft, row, old, new, key

    def _merges(self, other: _ReplaceLine) -> bool:
        # Typed fields only: picker and spin changes stay separate steps.
        return (other.row, other.key) == (self.row, self.key) and self.key in (
            "override_reason", "custom", "list_price", "unit_price", "current_end_date",
            "discount_pct", "sen", "site_url",
        )  # fmt: skip

    def _apply(self, line: dict[str, Any]) -> None:
        self.draft._put_line(self.row, line)


class _SetLines(QUndoCommand):
    """Lines added or removed as one step: the lines before and after, and the row each
    line kept had before, so the table keeps those rows."""

    def __init__(self, draft: QuoteDraft, new: editing.NewLines, text: str) -> None:
        super().__init__(text)
        self.draft = draft
        self.old, self.new = copy.deepcopy(draft.data["lines"]), copy.deepcopy(new.lines)
        self.origins = new.origins
        self.back = {old: new for new, old in new.origins.items()}

    def redo(self) -> None:
        self.draft._set_lines(self.new, self.origins)

    def undo(self) -> None:
        self.draft._set_lines(self.old, self.back)
