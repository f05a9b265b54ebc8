"""The quote being edited: a draft revision, or a quote not saved yet. Every change is an
undoable command that edits the quote-file dict by the core's editing rules
(`core.quotes.editing`) and re-prices the whole quote through the core, so what the window
shows is always exactly what `quotedesk price` would print for that file (bench/gui.py
times an edit). The line table shows read-only snapshots of the lines the draft hands it.
"""

from __future__ import annotations

import copy
from typing import Any

from PySide6.QtGui import QUndoCommand

from quotedesk.core import parse_quote
from quotedesk.core.quotes import editing
from quotedesk.core.quotes.model import QuoteFileError
from quotedesk.gui.line_model import LineSnapshot, snapshot
from quotedesk.gui.open_quote import OpenQuote
from quotedesk.operations.quotes import price_quote


class QuoteDraft(OpenQuote):
    read_only = False

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

    def set_field(self, path: tuple[str, ...], value: Any) -> bool:
        value = editing.clean_value(path[-1], value)
        if _get(self.data, path) != value:
            self.undo_stack.push(_SetField(self, path, value))
        return True

    def set_country(self, code: str | None) -> bool:
        changes = editing.country_change(self.data.get("customer"), code)
        if len(changes) == 1:
            return self.set_field(("customer", "country"), code)
        self.undo_stack.beginMacro(self.tr("Change country"))
        for path, value in changes.items():
            self.set_field(path, value)
        self.undo_stack.endMacro()
        return True

    def set_line(self, row: int, key: str, value: Any) -> bool:
        old = self.data["lines"][row]
        new = editing.edited_line(self.data["lines"], row, key, value, self.price_book_choices())
        if new != old:
            self.undo_stack.push(_ReplaceLine(self, row, old, new, key))
        return True

    def add_line(self, line: dict[str, Any] | None = None, row: int | None = None) -> int:
        lines = self.data["lines"]
        if line is None:
            line = self.price_book_choices().next_line(lines)
        row = len(lines) if row is None else row
        self.undo_stack.push(
            _SetLines(self, editing.with_line(lines, line, row), self.tr("Add line"))
        )
        return row

    def add_custom_line(self) -> int:
        return self.add_line(
            {"custom": self.tr("Services"), "quantity": 1, "unit_price": "0.00", "taxable": True}
        )

    def remove_line(self, row: int) -> bool:
        lines = self.data["lines"]
        if not 0 <= row < len(lines):
            return False
        gone = editing.removed_rows(lines, row)
        text = (
            self.tr("Remove line {0} and its apps") if len(gone) > 1 else self.tr("Remove line {0}")
        ).format(row + 1)
        self.undo_stack.push(_SetLines(self, editing.without_rows(lines, gone), text))
        return True


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
