"""Number and date fields that never change what was typed. A validator that refuses a
key (a spin box's range, a pattern) silently turns "150" into "15" or "-5" into "5";
these fields keep every key, mark what is not a valid value and say why ("150 is not a
percentage from 0 to 100", "2026-02-30 is not a date"). Their owner decides what an
invalid text does: the line table refuses it on Enter, the other fields keep it as typed
in the quote, where the core reports it as an R-INPUT error until it is fixed."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, QLocale, Qt, Signal
from PySide6.QtGui import QIcon, QKeyEvent, QValidator
from PySide6.QtWidgets import QCalendarWidget, QLineEdit, QStyle, QWidget

if TYPE_CHECKING:
    from quotedesk.i18n import Formatter

# A CLDR year ("y": as many digits as the year has) or a quoted literal of a date pattern.
_CLDR_YEAR = re.compile(r"'[^']*'|y+")
_ISO_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")
_WHOLE_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DECIMAL = re.compile(r"-?\d+([.,]\d+)?")


class _Check(QValidator):
    """Every text is acceptable or intermediate, never invalid: no key is dropped, and
    an item view's editor stays open on Enter until its text is a value."""

    def __init__(self, field: _CheckedField) -> None:
        super().__init__(field)
        self.field = field

    def validate(self, text: str, pos: int) -> Any:
        state = (
            QValidator.State.Intermediate
            if self.field.reason(text)
            else QValidator.State.Acceptable
        )
        return state, text, pos


class _CheckedField(QLineEdit):
    """A line edit that knows when its text is no value and why."""

    problem_changed = Signal(str)  # the reason the text is no value; "" once it is one

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._problem = ""
        self.textChanged.connect(self._check)

    def reason(self, text: str) -> str:
        """Why `text` is no value; "" when it is one (empty is: the field is cleared)."""
        raise NotImplementedError

    def _check(self, text: str) -> None:
        problem = self.reason(text)
        self.setStyleSheet("color: #b3261e;" if problem else "")
        self.setToolTip(problem)
        if problem != self._problem:
            self._problem = problem
            self.problem_changed.emit(problem)


class NumberField(_CheckedField):
    """A whole number from `low` to `high`, with the language's group separators
    ("10,000,000"), or with `decimals` a number such as a percentage ("12.5" or "12,5")."""

    def __init__(
        self, low: int, high: int, *, decimals: bool = False, parent: QWidget | None = None
    ) -> None:
        self.low, self.high, self.decimals = low, high, decimals
        super().__init__(parent)
        self.setValidator(_Check(self))
        self.setAlignment(Qt.AlignmentFlag.AlignRight)

    def number(self, text: str) -> int | Decimal | None:
        """The number `text` spells, in range or not; None when it spells none."""
        text = text.strip().replace("−", "-")
        if self.decimals:
            return Decimal(text.replace(",", ".")) if _DECIMAL.fullmatch(text) else None
        value, ok = self.locale().toInt(text)
        return value if ok else None

    def reason(self, text: str) -> str:
        if not text.strip():
            return ""
        number = self.number(text)
        if number is not None and self.low <= number <= self.high:
            return ""
        shown = text.strip()
        if self.decimals:
            return self.tr("{0} is not a percentage from 0 to 100").format(shown)
        grouped = QLocale(self.locale())
        grouped.setNumberOptions(QLocale.NumberOption.DefaultNumberOptions)
        return self.tr("{0} is not a whole number from {1} to {2}").format(
            shown, grouped.toString(self.low), grouped.toString(self.high)
        )

    def value(self) -> int | str | None:
        """What the quote gets: the number (a percentage as decimal text), None when the
        field is empty, else the text as typed."""
        text = self.text().strip()
        if not text:
            return None
        number = self.number(text)
        if number is None or self.reason(text):
            return text
        return str(number) if isinstance(number, Decimal) else number

    def show_value(self, value: Any) -> None:
        """Show the quote's value, unless the text typed already says it."""
        if self.value() != (None if value == "" else value):
            self.setText("" if value is None else str(value))


class DateField(_CheckedField):
    """A date typed as the window shows it (show_dates_as) or as YYYY-MM-DD, or picked
    from the calendar behind the button at its end. It is taken once typed whole: when
    it has all of YYYY-MM-DD's digits, or on Return or leaving the field (a half-typed
    "2026-02-3" is no 3 February)."""

    edited = Signal(object)  # what the quote gets, as value() says

    def __init__(self, parent: QWidget | None = None) -> None:
        self.display_format = "yyyy-MM-dd"
        super().__init__(parent)
        self.setPlaceholderText("YYYY-MM-DD")
        icon = QIcon.fromTheme(
            "x-office-calendar", self.style().standardIcon(QStyle.StandardPixmap.SP_ArrowDown)
        )
        self.pick_action = self.addAction(icon, QLineEdit.ActionPosition.TrailingPosition)
        self.pick_action.setToolTip(self.tr("Choose from a calendar"))
        self.pick_action.triggered.connect(self.open_calendar)
        self.calendar: QCalendarWidget | None = None  # the one open
        self._typing = False  # a half-typed date is not yet said to be no date
        self.textEdited.connect(self._typed)
        self.editingFinished.connect(self._finished)

    def show_dates_as(self, formatter: Formatter) -> None:
        """Dates as the quote list, History and the PDF write them (Babel's medium format),
        month names in the formatter's language."""
        self.setLocale(QLocale(formatter.locale))
        self.display_format = qt_date_format(formatter.day_pattern())

    def iso(self, text: str) -> str | None:
        """The date `text` spells, as YYYY-MM-DD; None when it spells none."""
        text = text.strip()
        if _ISO_DATE.fullmatch(text):
            year, month, day = map(int, text.split("-"))
            try:
                return date(year, month, day).isoformat()
            except ValueError:
                return None
        shown = self.locale().toDate(text, self.display_format)
        return _iso(shown) if shown.isValid() else None

    def reason(self, text: str) -> str:
        text = text.strip()
        if not text or self.iso(text) is not None:
            return ""
        if self._typing and not _WHOLE_ISO_DATE.fullmatch(text):
            return ""
        return self.tr("{0} is not a date").format(text)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        self._typing = True
        super().keyPressEvent(event)

    def _typed(self, text: str) -> None:
        iso = self.iso(text)
        if iso is not None and _WHOLE_ISO_DATE.fullmatch(text.strip()):
            self.edited.emit(iso)

    def _finished(self) -> None:
        """Return or leaving the field: the quote gets what was typed, what is no date
        is said, and a date typed as YYYY-MM-DD reads as the others do."""
        self._typing = False
        iso = self.iso(self.text())
        if iso is not None:
            self.setText(self.locale().toString(_qdate(iso), self.display_format))
        self._check(self.text())
        self.edited.emit(self.value())

    def value(self) -> str | None:
        """What the quote gets: the date as YYYY-MM-DD, None when the field is empty,
        else the text as typed."""
        text = self.text().strip()
        return (self.iso(text) or text) if text else None

    def show_value(self, value: str | None) -> None:
        """Show the quote's date in the window's format, unless the text typed already
        says it (typing "2027-01-15" is not rewritten under the cursor)."""
        if self.value() == (value or None):
            return
        shown = self.iso(value or "") if value else None
        if shown is None:
            self.setText(value or "")
            return
        self.setText(self.locale().toString(_qdate(shown), self.display_format))

    def open_calendar(self) -> None:
        calendar = QCalendarWidget(self)
        calendar.setWindowFlags(Qt.WindowType.Popup)
        calendar.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        iso = self.iso(self.text())
        if iso is not None:
            calendar.setSelectedDate(_qdate(iso))
        calendar.clicked.connect(lambda day: self._picked(calendar, day))
        calendar.activated.connect(lambda day: self._picked(calendar, day))
        calendar.move(self.mapToGlobal(self.rect().bottomLeft()))
        self.calendar = calendar
        calendar.show()
        calendar.setFocus()

    def _picked(self, calendar: QCalendarWidget, day: QDate) -> None:
        calendar.close()
        self.setText(self.locale().toString(day, self.display_format))
        self.edited.emit(_iso(day))


def qt_date_format(pattern: str) -> str:
    """A CLDR date pattern as Qt writes it: Qt's year is "yyyy" where CLDR's is "y" (the
    day, month and quoting letters of the window's languages mean the same in both)."""
    return _CLDR_YEAR.sub(lambda m: m[0] if m[0][0] == "'" or m[0] == "yy" else "yyyy", pattern)


def _iso(value: QDate) -> str:
    return date(value.year(), value.month(), value.day()).isoformat()


def _qdate(iso: str) -> QDate:
    day = date.fromisoformat(iso)
    return QDate(day.year, day.month, day.day)
