"""Pickers searched by typing: a combo box's completer that finds a name by any part of
it with case and accents folded ("sao" finds São Paulo), the way the quote list's search
box finds quotes."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QIdentityProxyModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QComboBox, QCompleter

from quotedesk.i18n import folded

FoldedRole = Qt.ItemDataRole.UserRole + 40
_Index = QModelIndex | QPersistentModelIndex


class _FoldedNames(QIdentityProxyModel):
    """The combo box's items, each also under FoldedRole as the completer matches it."""

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == FoldedRole:
            return folded(str(super().data(index, Qt.ItemDataRole.DisplayRole) or ""))
        return super().data(index, role)


class FoldingCompleter(QCompleter):
    """Lists the combo box's names containing what is typed, both folded; the name picked
    goes into the field as written."""

    def __init__(self, combo: QComboBox) -> None:
        super().__init__(combo)
        names = _FoldedNames(self)
        names.setSourceModel(combo.model())
        self.setModel(names)
        self.setCompletionRole(FoldedRole)
        self.setFilterMode(Qt.MatchFlag.MatchContains)
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseSensitive)  # both sides are folded
        self.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)

    def splitPath(self, path: str) -> list[str]:
        return [folded(path)]

    def pathFromIndex(self, index: _Index) -> str:
        return str(index.data(Qt.ItemDataRole.DisplayRole) or "")


def typed_choice(combo: QComboBox, typed: str) -> int:
    """The item `typed` names, both folded: the one it spells out, else the first whose
    name starts with it, else the first that contains it; -1 when none does (or nothing
    was typed)."""
    typed = folded(typed.strip())
    if not typed:
        return -1
    names = [folded(combo.itemText(i)) for i in range(combo.count())]
    for matches in (str.__eq__, str.startswith, str.__contains__):
        found = next((i for i, name in enumerate(names) if matches(name, typed)), -1)
        if found >= 0:
            return found
    return -1
