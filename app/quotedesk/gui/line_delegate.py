"""Editors for the line table: pickers offer only the model's choices for that cell."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from quotedesk.gui.line_model import DISCOUNT, MONTHS, PRODUCT, USERS, ChoicesRole, RangeRole
from quotedesk.gui.typed_fields import NumberField

_Index = QModelIndex | QPersistentModelIndex


class LineDelegate(QStyledItemDelegate):
    problem = Signal(str)  # why a cell's text is no value ("" once it is one)

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
        if index.column() in (USERS, MONTHS, DISCOUNT):
            # Enter keeps a text that is no value in the open editor, and says why.
            if index.column() == DISCOUNT:
                field = NumberField(0, 100, decimals=True, parent=parent)
            else:
                field = NumberField(*model.data(index, RangeRole), parent=parent)
            field.problem_changed.connect(self.problem)
            return field
        return super().createEditor(parent, option, index)

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
        elif isinstance(editor, NumberField):
            editor.show_value(value)
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: _Index) -> None:
        if isinstance(editor, QComboBox):
            if editor.isEditable():
                _choose_typed(editor)
            model.setData(index, editor.currentData())
        elif isinstance(editor, NumberField):
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
