"""Warnings and errors of the priced quote; activating one selects its line."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QStyle, QWidget

from quotedesk.core.problems import Message, message_of
from quotedesk.core.quotes.model import ACTIONS, BILLINGS, EDITIONS
from quotedesk.core.quotes.signoff import Refusal
from quotedesk.gui.open_quote import DEPLOYMENT_LABELS, FIELD_NAMES
from quotedesk.gui.translation import gui_texts
from quotedesk.i18n import Formatter

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

    def show_problems(self, priced: dict[str, Any], formatter: Formatter) -> None:
        shown = (priced["errors"], priced["warnings"], formatter.language)
        if shown == self._shown:
            return  # most edits change no problem: keep the list (and its scroll position)
        self._shown = shown
        self.clear()
        for severity, problems in (("error", priced["errors"]), ("warning", priced["warnings"])):
            for problem in problems:
                said = problem_text(problem, formatter, priced.get("currency"))
                text = f"{problem['code']} — {said}"
                if problem.get("line") is not None:
                    text += formatter.text("ui.on_line", line_no=problem["line"] + 1)
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


def problem_text(
    problem: Mapping[str, Any], formatter: Formatter, currency: str | None = None
) -> str:
    """A problem of the priced JSON in the window's language (a revision priced before
    problems had message keys has only its English text)."""
    said = message_of(problem)
    if isinstance(said, str):
        return counted_from_1(said)
    return said.text(formatter.language, shown_value(formatter, currency))


def refusal_text(refusal: Refusal, formatter: Formatter) -> str:
    return refusal.text(formatter.language, shown_value(formatter))


def error_text(error: Exception, formatter: Formatter) -> str:
    """An error in the window's language when it gives its reason by catalog key (a busy
    or damaged database, a file that is not a quote database); else its English text."""
    reason = getattr(error, "reason", None)
    if isinstance(reason, Message):
        return reason.text(formatter.language, shown_value(formatter))
    return str(error)


def shown_value(
    formatter: Formatter, currency: str | None = None
) -> Callable[[str, object], object]:
    """How a message shows its parameters here: lines counted from 1 (R-Q-6), dates,
    amounts and numbers in the window's language, and a field, deployment, edition,
    billing or action by the label the window gives it (the core names them as the
    quote file does: `customer.technical_contact.email`, `datacenter`)."""
    words = gui_texts(formatter.language)  # what tr() gives in the window's language
    number = partial(formatter.message_value, currency=currency)

    def value(name: str, param: object) -> object:
        label = window_label(name, param)
        return number(name, param) if label is None else words.get(label, label)

    return value


def window_label(name: str, param: object) -> str | None:
    """The English label (a text of gui.json) the window shows for a message parameter
    naming a quote-file field or one of its values; None for any other parameter."""
    if not isinstance(param, str):
        return None
    if name == "field":
        path = tuple(param.split("."))
        return FIELD_NAMES.get(path) or FIELD_NAMES.get(path[-1:])
    if name == "deployment":
        return DEPLOYMENT_LABELS.get(param)
    if param in {"action": ACTIONS, "billing": BILLINGS, "edition": EDITIONS}.get(name, ()):
        return param.capitalize()
    return None


def counted_from_1(message: str) -> str:
    """A core message with the lines it names counted from 1, as people count (R-Q-6)."""
    return LINE_INDEX.sub(lambda m: f"line {int(m[1]) + 1}", message)
