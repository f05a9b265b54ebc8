"""Editors for the line table: pickers offer only the model's choices for that cell."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QSpinBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from quotedesk.gui.line_model import MONTHS, PRODUCT, USERS, ChoicesRole, RangeRole

_Index = QModelIndex | QPersistentModelIndex


class LineDelegate(QStyledItemDelegate):
    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: _Index) -> QWidget:
        model = index.model()
        choices = model.data(index, ChoicesRole)
        if choices:
            combo = QComboBox(parent)
            for value, label in choices:
                combo.addItem(label, value)
            if index.column() == PRODUCT:
                # Typed letters filter by substring ("Conf"), instead of jumping to the
                # first name starting with the first letter and committing it.
                combo.setEditable(True)
                combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
                completer = QCompleter(combo.model(), combo)
                completer.setFilterMode(Qt.MatchFlag.MatchContains)
                completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
                combo.setCompleter(completer)
            # Commit as soon as a choice is made: one click picks, like a native picker.
            combo.activated.connect(lambda _=0, c=combo: self._commit(c))
            return combo
        if index.column() in (USERS, MONTHS):
            spin = QSpinBox(parent)
            low, high = model.data(index, RangeRole) or (0, 1_000_000)
            spin.setRange(low, high)
            spin.setAlignment(Qt.AlignmentFlag.AlignRight)
            return spin
        return super().createEditor(parent, option, index)

    def updateEditorGeometry(
        self, editor: QWidget, option: QStyleOptionViewItem, index: _Index
    ) -> None:
        """The cell's place, widened to the editor's own size hint (a picker's longest
        choice and its arrow, a spin box's largest number) over the cells beside it, and
        kept inside the table: a column fits its values, not the picker around them."""
        cell = option.rect
        viewport = editor.parentWidget()
        room = viewport.width() if viewport is not None else cell.right() + 1
        width = min(max(cell.width(), editor.sizeHint().width()), room)
        left = max(0, min(cell.left(), room - width))
        editor.setGeometry(left, cell.top(), width, cell.height())

    def _commit(self, editor: QWidget) -> None:
        self.commitData.emit(editor)
        self.closeEditor.emit(editor)

    def setEditorData(self, editor: QWidget, index: _Index) -> None:
        value = index.model().data(index, Qt.ItemDataRole.EditRole)
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(editor.findData(value), 0))
            line_edit = editor.lineEdit()
            if line_edit is not None:  # an editable picker
                line_edit.selectAll()  # the first key typed replaces the name
        elif isinstance(editor, QSpinBox):
            editor.setValue(value if isinstance(value, int) else editor.minimum())
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: _Index) -> None:
        if isinstance(editor, QComboBox):
            if editor.isEditable():
                _choose_typed(editor)
            model.setData(index, editor.currentData())
        elif isinstance(editor, QSpinBox):
            model.setData(index, editor.value())
        else:
            super().setModelData(editor, model, index)


def _choose_typed(combo: QComboBox) -> None:
    """Choose the first name containing what was typed; nothing matching keeps the choice."""
    line_edit = combo.lineEdit()
    typed = line_edit.text().strip().casefold() if line_edit is not None else ""
    names = [combo.itemText(i).casefold() for i in range(combo.count())]
    if typed and typed not in names:
        match = next((i for i, name in enumerate(names) if typed in name), -1)
        if match >= 0:
            combo.setCurrentIndex(match)
    elif typed:
        combo.setCurrentIndex(names.index(typed))
