"""The fields of the selected line that do not fit in the table: the action's details,
the licence it renews (SEN or site URL, R-RESELL-2), the parent app line, a list-price
override with its reason, a custom line's price."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QWidget,
)

from quotedesk.core.quotes.editing import fields_of, takes_apps
from quotedesk.core.quotes.model import MAX_COUNT, MODES
from quotedesk.gui.open_quote import OpenQuote
from quotedesk.gui.typed_fields import DateField, NumberField


class LineDetails(QGroupBox):
    problem = Signal(str)  # why a field's text is no value ("" once it is one)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.draft: OpenQuote | None = None
        self.row = -1
        self.from_users = NumberField(0, MAX_COUNT)
        self.from_users.setPlaceholderText("—")
        self.current_end_date = DateField()
        self.sen = QLineEdit(placeholderText="SEN-12345678")
        self.site_url = QLineEdit(placeholderText="https://example.atlassian.net")
        self.mode = QComboBox()
        self.mode.addItem("—", "")
        for mode in MODES:
            self.mode.addItem(self.tr(mode.replace("_", " ")), mode)
        self.parent_line = QComboBox()
        self.list_price = QLineEdit(placeholderText=self.tr("computed"))
        self.override_reason = QLineEdit(placeholderText=self.tr("why the price differs"))
        self.unit_price = QLineEdit()
        self.taxable = QCheckBox(self.tr("Taxable"))
        self._parents: list[tuple[int, str]] | None = None  # what the parent picker lists

        grid = QGridLayout(self)
        grid.setVerticalSpacing(4)
        # (caption, field, row, column, columns spanned). A Data Center line's SEN and a
        # cloud line's site share one wide row (show_line shows the one that applies):
        # a site URL is long, and half the tab elided it.
        cells: list[tuple[str, QWidget, int, int, int]] = [
            (self.tr("From users"), self.from_users, 0, 0, 1),
            (self.tr("Licence ends"), self.current_end_date, 0, 2, 1),
            (self.tr("SEN"), self.sen, 1, 0, 3),
            (self.tr("Site URL"), self.site_url, 1, 0, 3),
            (self.tr("Upgrade mode"), self.mode, 2, 0, 1),
            (self.tr("App of line"), self.parent_line, 2, 2, 1),
            (self.tr("List price override"), self.list_price, 3, 0, 1),
            (self.tr("Override reason"), self.override_reason, 3, 2, 1),
            (self.tr("Unit price"), self.unit_price, 4, 0, 1),
        ]
        self._captions: dict[QWidget, QLabel] = {}
        for label, widget, row, column, span in cells:
            caption = QLabel(label)
            caption.setBuddy(widget)
            self._captions[widget] = caption
            grid.addWidget(caption, row, column, Qt.AlignmentFlag.AlignRight)
            grid.addWidget(widget, row, column + 1, 1, span)
        grid.addWidget(self.taxable, 4, 3)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)

        self.from_users.textEdited.connect(
            lambda _: self._set("from_users", self.from_users.value())
        )
        end = self.current_end_date
        end.edited.connect(lambda value: self._set("current_end_date", value))
        for field in (self.from_users, end):
            field.problem_changed.connect(self.problem)
        self.sen.textEdited.connect(lambda t: self._set("sen", t))
        self.site_url.textEdited.connect(lambda t: self._set("site_url", t))
        self.mode.activated.connect(lambda _: self._set("mode", self.mode.currentData()))
        self.parent_line.activated.connect(
            lambda _: self._set("parent", self.parent_line.currentData())
        )
        self.list_price.textEdited.connect(lambda t: self._set("list_price", t))
        self.override_reason.textEdited.connect(lambda t: self._set("override_reason", t))
        self.unit_price.textEdited.connect(lambda t: self._set("unit_price", t))
        self.taxable.toggled.connect(lambda on: self._set("taxable", on))
        self.show_line(None, -1)

    def _set(self, key: str, value: Any) -> None:
        if self.draft is not None and 0 <= self.row < len(self.draft.data["lines"]):
            self.draft.set_line(self.row, key, value)

    def show_line(self, draft: OpenQuote | None, row: int) -> None:
        self.draft, self.row = draft, row
        lines = draft.data["lines"] if draft is not None else []
        line = lines[row] if 0 <= row < len(lines) and isinstance(lines[row], dict) else None
        self.setTitle(
            self.tr("Line {0}").format(row + 1) if line is not None else self.tr("No line selected")
        )
        fields = fields_of(line)
        editable = draft is not None and not draft.read_only
        relevant = {
            widget: key in fields
            for key, widget in (
                ("from_users", self.from_users),
                ("current_end_date", self.current_end_date),
                ("sen", self.sen),
                ("site_url", self.site_url),
                ("mode", self.mode),
                ("parent", self.parent_line),
                ("list_price", self.list_price),
                ("override_reason", self.override_reason),
                ("unit_price", self.unit_price),
                ("taxable", self.taxable),
            )
        }
        for widget, shown in relevant.items():
            widget.setEnabled(bool(shown) and editable)
            if widget in self._captions:
                self._captions[widget].setEnabled(bool(shown))
        cloud = bool(relevant[self.site_url])
        for widget, visible in ((self.sen, not cloud), (self.site_url, cloud)):
            widget.setVisible(visible)
            self._captions[widget].setVisible(visible)
        line = line or {}
        if draft is not None:
            self.current_end_date.show_dates_as(draft.formatter)
        self.current_end_date.show_value(line.get("current_end_date"))
        self.from_users.show_value(line.get("from_users"))
        for edit, key in (
            (self.sen, "sen"),
            (self.site_url, "site_url"),
            (self.list_price, "list_price"),
            (self.override_reason, "override_reason"),
            (self.unit_price, "unit_price"),
        ):
            text = str(line.get(key) or "")
            if edit.text() != text:
                with QSignalBlocker(edit):
                    edit.setText(text)
        with QSignalBlocker(self.taxable):
            self.taxable.setChecked(bool(line.get("taxable", True)))
        with QSignalBlocker(self.mode):
            self.mode.setCurrentIndex(max(self.mode.findData(line.get("mode") or ""), 0))
        with QSignalBlocker(self.parent_line):
            parents = [
                (i, str(other["product"])) for i, other in enumerate(lines) if takes_apps(other)
            ]
            if parents != self._parents and draft is not None:
                self._parents = parents
                self.parent_line.clear()
                self.parent_line.addItem("—", "")
                for i, name in parents:
                    self.parent_line.addItem(
                        f"{i + 1}: {draft.display_value(i, 'product', name)}", i
                    )
            self.parent_line.setCurrentIndex(
                max(self.parent_line.findData(line.get("parent", "")), 0)
            )
