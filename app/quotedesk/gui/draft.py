"""The quote being edited: its quote-file dict, an undo stack, and the live priced result.

Every change is an undoable command that edits the dict and re-prices the whole quote
through the core (parse_quote + price: a few milliseconds even for 200 lines), so what
the window shows is always exactly what `quotedesk price` would print for that file.
The line table shows read-only snapshots of the lines that the draft hands it.
"""

from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from quotedesk.core import PriceBook, RuleTables, parse_quote
from quotedesk.core.deployment import fixed_terms
from quotedesk.core.priced import PricedLine, lines_left_out, priced_lines
from quotedesk.core.quote import ACTIONS, EDITIONS, QuoteFileError
from quotedesk.core.records import ResellerProfile, StoredRevision
from quotedesk.gui.line_model import LineSnapshot, LineTableModel, snapshot
from quotedesk.i18n import Formatter
from quotedesk.operations.quotes import price_quote

INT_KEYS = frozenset({"users", "months", "quantity", "from_users", "parent", "coterm_with"})
DECIMAL_KEYS = frozenset({"discount_pct", "list_price", "unit_price", "partner_discount_pct"})
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


def new_quote_data(today: date, currency: str = "USD") -> dict[str, Any]:
    return {
        "schema": 1,
        "quote_date": today.isoformat(),
        "start_date": today.isoformat(),
        "currency": currency,
        "customer": {"name": ""},
        "lines": [],
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
        self._choice_cache: dict[tuple[Any, ...], list[tuple[str, str]]] = {}
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
        self.priced = price_quote(quote, self.book, self.rules, self.today, self.profile)
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
        value = _clean(path[-1], value)
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
        new = dict(old)
        value = _clean(key, value)
        if value is None:
            new.pop(key, None)
        else:
            new[key] = value
        if key in ("product", "deployment", "edition"):
            self._fit_to_book(new)
        if _is_app(new):
            if key == "product" and "parent" not in new:
                parent = self._core_line_above(row)
                if parent is not None:
                    new["parent"] = parent
            if "parent" in new:
                new.pop("users", None)  # an app takes its parent's user count (R-LIM-4)
        elif "parent" in new:
            # No longer an app: the line counts the users it followed until now.
            parent = _reference(new.pop("parent"), len(self.data["lines"]))
            followed = self.data["lines"][parent] if parent is not None else None
            users = followed.get("users") if isinstance(followed, dict) else None
            if "users" not in new and isinstance(users, int):
                new["users"] = users
        _fit_term(old, new)
        if new != old:
            self.undo_stack.push(_ReplaceLine(self, row, old, new, key))
        return True

    def add_line(self, line: dict[str, Any] | None = None, row: int | None = None) -> int:
        """Add a line (by default like the quote's last product line, else Jira); its row.
        Lines after `row` move down, and the lines naming them follow."""
        if self.refuse_edit():
            return -1
        if line is None:
            line = self._next_line()
        lines = self.data["lines"]
        row = len(lines) if row is None else row
        moved = {i: i + (i >= row) for i in range(len(lines))}
        new_lines = [_renumbered(other, moved, len(lines)) for other in lines]
        new_lines.insert(row, _renumbered(line, moved, len(lines)))
        origins = {new: old for old, new in moved.items()}
        self.undo_stack.push(_SetLines(self, new_lines, origins, self.tr("Add line")))
        return row

    def _next_line(self) -> dict[str, Any]:
        """A copy of the quote's last product line that is not an app (an app belongs to
        its line; a new line picks its own), else Jira for 10 users."""
        last = next(
            (line for line in reversed(self.data["lines"])
             if isinstance(line, dict) and line.get("product") and not _is_app(line)),
            None,
        )  # fmt: skip
        if last is not None:
            line = {k: last[k] for k in ("product", "deployment", "edition", "billing", "users",
                                         "months") if k in last}  # fmt: skip
        else:
            products = [value for value, _ in self.choices(-1, "product")]
            first = "jira" if "jira" in products or not products else products[0]
            line = {"product": first, "users": 10, "months": 12}
        self._fit_to_book(line)
        return line

    def add_custom_line(self) -> int:
        return self.add_line(
            {"custom": self.tr("Services"), "quantity": 1, "unit_price": "0.00", "taxable": True}
        )

    def remove_line(self, row: int) -> bool:
        """Remove a line, and the apps of a product line with it (an app never moves to
        another line, R-LIM-4): one undo step. The lines naming a later line follow it."""
        lines = self.data["lines"]
        if self.refuse_edit() or not 0 <= row < len(lines):
            return False
        gone = {row}
        if not _is_app(lines[row]):
            gone |= {
                i
                for i, line in enumerate(lines)
                if _is_app(line) and _reference(line.get("parent"), len(lines)) == row
            }
        kept = [i for i in range(len(lines)) if i not in gone]
        moved = {old: new for new, old in enumerate(kept)}
        text = (
            self.tr("Remove line {0} and its apps") if len(gone) > 1 else self.tr("Remove line {0}")
        ).format(row + 1)
        new_lines = [_renumbered(lines[i], moved, len(lines)) for i in kept]
        self.undo_stack.push(_SetLines(self, new_lines, dict(enumerate(kept)), text))
        return True

    def _core_line_above(self, row: int) -> int | None:
        for i in range(row - 1, -1, -1):
            line = self.data["lines"][i]
            if isinstance(line, dict) and not str(line.get("product", "app:")).startswith("app:"):
                return i
        return None

    def _fit_to_book(self, line: dict[str, Any]) -> None:
        """After the product or deployment changed, keep the other pickers on values the
        price book has for it (Data Center: no edition, billing annual)."""
        product = line.get("product", "")
        deployments = [value for value, _ in self._options(product, "deployment")]
        if deployments and line.get("deployment") not in deployments:
            line["deployment"] = deployments[0]
        if fixed_terms(line.get("deployment")):
            line.pop("edition", None)
            line.pop("billing", None)
            return
        line.setdefault("deployment", "cloud")
        editions = [value for value, _ in self._options(product, "edition", line["deployment"])]
        if editions and line.get("edition") not in editions:
            line["edition"] = "standard" if "standard" in editions else editions[0]
        billings = (
            [
                value
                for value, _ in self._options(
                    product, "billing", line["deployment"], line["edition"]
                )
            ]
            if editions
            else []
        )
        if billings and line.get("billing") not in billings:
            line["billing"] = "annual" if "annual" in billings else billings[0]

    # Pickers: only what the price book has for the product on the quote date

    def choices(self, row: int, key: str) -> list[tuple[str, str]]:
        line = self.data["lines"][row] if row >= 0 else {}
        if key == "action":
            return [(a, self.display_value(row, "action", a)) for a in ACTIONS]
        if key in ("product", "deployment", "edition", "billing"):
            return self._options(
                line.get("product", ""), key, line.get("deployment"), line.get("edition")
            )
        return []

    def _options(
        self, product: str, key: str, deployment: str | None = None, edition: str | None = None
    ) -> list[tuple[str, str]]:
        on = self.quote_date()
        question = (product if key != "product" else "", key, deployment, edition, on)
        cached = self._choice_cache.get(question)
        if cached is not None:
            return cached
        keys = [
            k
            for k in (self.book.keys() if key == "product" else self.book.options(product))
            if self.book.schedule(k, on) is not None
        ]
        if key == "product":
            names = {k[0]: self.book.name_of(k[0]) or k[0] for k in keys}
            out = sorted(names.items(), key=lambda item: item[1].casefold())
        elif key == "deployment":
            out = [(d, self.tr(DEPLOYMENT_LABELS[d])) for d in DEPLOYMENT_LABELS
                   if any(k[1] == d for k in keys)]  # fmt: skip
        elif key == "edition":
            present = {k[2] for k in keys if k[1] == deployment and k[2]}
            out = [(e, self.tr(e.capitalize())) for e in EDITIONS if e in present]
        else:
            present = {k[3] for k in keys if k[1] == deployment and k[2] == (edition or "")}
            out = [(b, self.tr(b.capitalize())) for b in ("annual", "monthly") if b in present]
        self._choice_cache[question] = out
        return out

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


def _clean(key: str, value: Any) -> Any:
    """Editor values as the quote file spells them: text stripped, numbers as ints or
    decimal strings (never floats), empty as absent."""
    if isinstance(value, str):
        value = value.strip()
        if value == "":
            return None
        if key in INT_KEYS and value.lstrip("-").isdigit():
            return int(value)
        return value
    if isinstance(value, float):
        raise TypeError(f"{key}: a float never enters a quote (got {value!r})")
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (list, tuple)):
        return list(value) or None
    return value


def _is_app(line: Any) -> bool:
    return isinstance(line, dict) and str(line.get("product", "")).startswith("app:")


def _reference(value: Any, count: int) -> int | None:
    """A line index naming one of `count` lines; None for anything else (kept as typed)."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < count:
        return value
    return None


def _renumbered(line: Any, moved: dict[int, int], count: int) -> Any:
    """`line` with its references to other lines (`parent`, `coterm_with`) following those
    lines to their new rows (`moved`: old row -> new row, of the `count` lines there
    were); a reference to a line that is gone is dropped."""
    if not isinstance(line, dict):
        return line
    out = dict(line)
    for key in ("parent", "coterm_with"):
        row = _reference(out.get(key), count)
        if row is None:
            continue
        if row in moved:
            out[key] = moved[row]
        else:
            del out[key]
    return out


def _fit_term(old: dict[str, Any], new: dict[str, Any]) -> None:
    """A line moved to monthly billing prices one month (months left out, R-TIER-2); one
    moved to annual billing, 12 months (R-TERM-1), unless it is an app that follows its
    parent's term (R-LIM-4)."""
    billing = new.get("billing") or "annual"
    if billing == (old.get("billing") or "annual"):
        return
    if billing == "monthly":
        new.pop("months", None)
    elif new.get("months") == 1 or ("months" not in new and not (_is_app(new) and "parent" in new)):
        new["months"] = 12


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
    line kept had before (`origins`: new row -> old row), so the table keeps those rows."""

    def __init__(
        self, draft: QuoteDraft, lines: list[Any], origins: dict[int, int], text: str
    ) -> None:
        super().__init__(text)
        self.draft = draft
        self.old, self.new = copy.deepcopy(draft.data["lines"]), copy.deepcopy(lines)
        self.origins = origins
        self.back = {old: new for new, old in origins.items()}

    def redo(self) -> None:
        self.draft._set_lines(self.new, self.origins)

    def undo(self) -> None:
        self.draft._set_lines(self.old, self.back)
