"""The app's remembered settings: one small wrapper over QSettings."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings


class Settings:
    """Window geometry, the last quote opened and the active price book.

    With `path` the settings live in that INI file (tests, portable installs); without,
    where Qt keeps an application's settings on this platform.
    """

    def __init__(self, path: Path | None = None) -> None:
        if path is None:
            self._q = QSettings("QuoteDesk", "Quote Desk")
        else:
            self._q = QSettings(str(path), QSettings.Format.IniFormat)

    def _text(self, key: str) -> str:
        value = self._q.value(key, "")
        return value if isinstance(value, str) else ""

    @property
    def geometry(self) -> QByteArray | None:
        value = self._q.value("window/geometry", QByteArray())
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    @geometry.setter
    def geometry(self, value: QByteArray) -> None:
        self._q.setValue("window/geometry", value)

    @property
    def splitter_state(self) -> QByteArray | None:
        value = self._q.value("window/splitter", QByteArray())
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    @splitter_state.setter
    def splitter_state(self, value: QByteArray) -> None:
        self._q.setValue("window/splitter", value)

    @property
    def last_quote(self) -> str:
        """Number of the stored quote open when the app was last closed."""
        return self._text("quotes/last")

    @last_quote.setter
    def last_quote(self, number: str) -> None:
        self._q.setValue("quotes/last", number)

    @property
    def price_book_id(self) -> int | None:
        """Stored price-book version in use; None for the illustrative sample."""
        text = self._text("price_books/active")
        return int(text) if text.isdigit() else None

    @price_book_id.setter
    def price_book_id(self, version_id: int | None) -> None:
        self._q.setValue("price_books/active", "" if version_id is None else str(version_id))

    @property
    def language(self) -> str:
        """The profile's default language, kept here so start-up needs no database."""
        return self._text("interface/language")

    @language.setter
    def language(self, language: str) -> None:
        self._q.setValue("interface/language", language)

    @property
    def certificate(self) -> str:
        """The PKCS#12 file last used to sign a PDF (where the file dialog starts)."""
        return self._text("pdf/certificate")

    @certificate.setter
    def certificate(self, path: str) -> None:
        self._q.setValue("pdf/certificate", path)

    def sync(self) -> None:
        self._q.sync()
