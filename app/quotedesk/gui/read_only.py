"""A signed-off revision refuses edits out loud: a key or double-click on its lines, or a
click on its greyed-out header, says why in the status bar; the same words are the tooltip."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent

from quotedesk.gui.quote_editor import QuoteEditor

# Keys that move or select, or ask to copy: reading a signed-off quote is fine.
READING_KEYS = frozenset({
    Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Home,
    Qt.Key.Key_End, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown, Qt.Key.Key_Tab,
    Qt.Key.Key_Backtab, Qt.Key.Key_Escape, Qt.Key.Key_Shift, Qt.Key.Key_Control,
    Qt.Key.Key_Alt, Qt.Key.Key_Meta,
})  # fmt: skip


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
