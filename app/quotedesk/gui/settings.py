"""The app's remembered settings: one small wrapper over QSettings."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings


class _Text:
    """A text setting: "" when unset (or not text, from a hand-edited file)."""

    def __init__(self, key: str) -> None:
        self.key = key

    def __get__(self, settings: Settings, owner: type | None = None) -> str:
        value = settings._q.value(self.key, "")
        return value if isinstance(value, str) else ""

    def __set__(self, settings: Settings, value: str) -> None:
        settings._q.setValue(self.key, value)


class _Bytes:
    """A saved Qt state (geometry, splitter): None when unset."""

    def __init__(self, key: str) -> None:
        self.key = key

    def __get__(self, settings: Settings, owner: type | None = None) -> QByteArray | None:
        value = settings._q.value(self.key, QByteArray())
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def __set__(self, settings: Settings, value: QByteArray) -> None:
        settings._q.setValue(self.key, value)


class Settings:
    """Window geometry, the last quote opened, the language, the signing key last used (a
    certificate file, or a token's key; never a PIN) and the folder PDFs were last
    exported to.

    With `path` the settings live in that INI file (tests, portable installs); without,
    where Qt keeps an application's settings on this platform.
    """

    geometry = _Bytes("window/geometry")
    splitter_state = _Bytes("window/splitter")
    last_quote = _Text("quotes/last")  # number of the quote open when the app was closed
    language = _Text("interface/language")  # the profile's: start-up needs no database
    certificate = _Text("pdf/certificate")  # the .p12 last signed with: the dialog starts there
    export_folder = _Text("pdf/folder")  # where PDFs were last exported: the next go there
    signing_with = _Text("pdf/signing_with")  # "token", or "" for a certificate file
    pkcs11_module = _Text("pdf/pkcs11_module")  # the token's PKCS#11 module last signed with
    token = _Text("pdf/token")  # that token's label
    token_key = _Text("pdf/token_key")  # the label of the key (its certificate) on it

    def __init__(self, path: Path | None = None) -> None:
        if path is None:
            self._q = QSettings("QuoteDesk", "Quote Desk")
        else:
            self._q = QSettings(str(path), QSettings.Format.IniFormat)

    def sync(self) -> None:
        self._q.sync()
