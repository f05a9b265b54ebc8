"""Editors for the line table: pickers offer only the model's choices for that cell."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from quotedesk.gui.line_model import DISCOUNT, MONTHS, PRODUCT, USERS, ChoicesRole, RangeRole
from quotedesk.gui.pickers import FoldingCompleter, typed_choice
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
                combo.setCompleter(FoldingCompleter(combo))
                line_edit = combo.lineEdit()
                assert line_edit is not None
                # Enter while the completer's list is open reaches the field, not this
                # delegate: it chooses as Enter does once the list is closed.
                line_edit.returnPressed.connect(lambda c=combo: self._commit(c))
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
        # Enter in the completer's list says so twice: the field's returnPressed, then
        # the list's choice (activated). The editor is closed once.
        if editor.property("committed"):
            return
        editor.setProperty("committed", True)
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
            line_edit = editor.lineEdit()
            # An editable picker chooses what was typed; matching nothing keeps the choice.
            match = typed_choice(editor, line_edit.text()) if line_edit is not None else -1
            if match >= 0:
                editor.setCurrentIndex(match)
            model.setData(index, editor.currentData())
        elif isinstance(editor, NumberField):
            model.setData(index, editor.value())
        else:
            super().setModelData(editor, model, index)
