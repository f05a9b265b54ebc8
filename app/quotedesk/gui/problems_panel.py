"""Warnings and errors of the priced quote; activating one selects its line."""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QStyle, QWidget

LineRole = Qt.ItemDataRole.UserRole + 1
# The core's messages name other lines by their 0-based JSON index ("parent line 0").
LINE_INDEX = re.compile(r"\bline (\d+)\b")


class ProblemsPanel(QListWidget):
    line_chosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setAlternatingRowColors(True)
        self.setUniformItemSizes(False)
        style = self.style()
        self._icons = {
            "error": style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical),
            "warning": style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning),
        }
        self._shown: tuple[Any, ...] = ()
        self.itemClicked.connect(self._chosen)
        self.itemActivated.connect(self._chosen)

    def show_problems(self, priced: dict[str, Any]) -> None:
        shown = (priced["errors"], priced["warnings"])
        if shown == self._shown:
            return  # most edits change no problem: keep the list (and its scroll position)
        self._shown = shown
        self.clear()
        for severity, problems in (("error", priced["errors"]), ("warning", priced["warnings"])):
            for problem in problems:
                text = f"{problem['code']} — {counted_from_1(problem['message'])}"
                if problem.get("line") is not None:
                    text += self.tr(" (line {0})").format(problem["line"] + 1)
                item = QListWidgetItem(self._icons[severity], text)
                line = problem.get("line")
                item.setData(LineRole, -1 if line is None else line)
                item.setToolTip(text)
                self.addItem(item)
        if not self.count():
            item = QListWidgetItem(self.tr("No warnings or errors"))
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.addItem(item)

    def _chosen(self, item: QListWidgetItem) -> None:
        line = item.data(LineRole)
        if isinstance(line, int) and line >= 0:
            self.line_chosen.emit(line)


def counted_from_1(message: str) -> str:
    """A core message with the lines it names counted from 1, as people count (R-Q-6)."""
    return LINE_INDEX.sub(lambda m: f"line {int(m[1]) + 1}", message)
