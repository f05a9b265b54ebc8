"""A signed-off revision, shown as it was signed off: its stored priced result, never a
re-pricing (R-Q-2, R-Q-5). It refuses edits out loud: a key or double-click on its lines,
or a click on its greyed-out header, says why in the status bar; the same words are the
tooltip."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent

from quotedesk.core import PriceBook, RuleTables
from quotedesk.core.priced import priced_lines
from quotedesk.core.records import ResellerProfile, StoredRevision
from quotedesk.gui.open_quote import OpenQuote
from quotedesk.gui.quote_editor import QuoteEditor
from quotedesk.i18n import Formatter

# Keys that move or select, or ask to copy: reading a signed-off quote is fine.
READING_KEYS = frozenset({
    Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Home,
    Qt.Key.Key_End, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown, Qt.Key.Key_Tab,
    Qt.Key.Key_Backtab, Qt.Key.Key_Escape, Qt.Key.Key_Shift, Qt.Key.Key_Control,
    Qt.Key.Key_Alt, Qt.Key.Key_Meta,
})  # fmt: skip


class SignedOffRevision(OpenQuote):
    read_only = True

    def __init__(
        self,
        stored: StoredRevision,
        book: PriceBook,
        rules: RuleTables,
        formatter: Formatter,
        *,
        today: date | None = None,
        profile: ResellerProfile | None = None,
    ) -> None:
        super().__init__(
            stored.quote_file, book, rules, formatter, stored=stored, today=today, profile=profile
        )

    def read_only_reason(self) -> str:
        label = self.stored.label if self.stored is not None else ""
        return self.tr("{0} is signed off and cannot be edited: use Revise to change it.").format(
            label
        )

    def reprice(self) -> None:
        """What it was priced at when signed off, whatever the book or profile now."""
        assert self.stored is not None
        self.view = self.stored.priced
        self.priced_lines = priced_lines(self.view)
        self.lines.set_priced(self.view, self.priced_lines)
        self.repriced.emit()

    # Every edit is refused, with the reason.

    def set_field(self, path: tuple[str, ...], value: Any) -> bool:
        self.refuse_edit()
        return False

    def set_country(self, code: str | None) -> bool:
        self.refuse_edit()
        return False

    def set_line(self, row: int, key: str, value: Any) -> bool:
        self.refuse_edit()
        return False

    def add_line(self, line: dict[str, Any] | None = None, row: int | None = None) -> int:
        self.refuse_edit()
        return -1

    def add_custom_line(self) -> int:
        self.refuse_edit()
        return -1

    def remove_line(self, row: int) -> bool:
        self.refuse_edit()
        return False


class ReadOnlyNotice(QObject):
    """Watches the line table and the quote header of `editor`."""

    def __init__(self, editor: QuoteEditor) -> None:
        super().__init__(editor)
        self.editor = editor
        for watched in (editor.table, editor.table.viewport(), editor.header):
            watched.installEventFilter(self)

    def update(self) -> None:
        """After another revision is shown: its reason (or none) as the tooltip."""
        draft = self.editor.draft
        reason = draft.read_only_reason() if draft is not None else ""
        self.editor.table.viewport().setToolTip(reason)
        self.editor.header.setToolTip(reason)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        draft = self.editor.draft
        if draft is None or not draft.read_only:
            return False
        kind = event.type()
        if kind == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in READING_KEYS or event.modifiers() & (
                Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
            ):
                return False  # shortcuts and moving about work as always
            draft.refuse_edit()
        elif kind == QEvent.Type.MouseButtonDblClick or (
            kind == QEvent.Type.MouseButtonPress and watched is self.editor.header
        ):
            draft.refuse_edit()
        return False
