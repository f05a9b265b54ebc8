"""`quotedesk gui`: start the desktop app, or save a screenshot of it and exit."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from types import TracebackType
from typing import Any

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox

from quotedesk.cli import UsageError
from quotedesk.core import PriceBook, PriceBookError, QuoteFileError, load_price_book
from quotedesk.gui.formatting import LANGUAGES
from quotedesk.gui.main_window import MainWindow, read_quote_file
from quotedesk.gui.recovery import RecoveryFile, default_recovery_path
from quotedesk.gui.settings import Settings
from quotedesk.store import StoreError, open_store


def run(args: argparse.Namespace) -> int:
    language = getattr(args, "lang", None)
    if language is not None and language not in LANGUAGES:
        raise UsageError(f"--lang {language!r} is not one of {', '.join(LANGUAGES)}")
    size = _size(getattr(args, "size", None))
    # Read every input before any window exists: a bad file is one line on stderr.
    quote = None
    if args.quote:
        try:
            quote = read_quote_file(Path(args.quote))
        except QuoteFileError as exc:
            raise UsageError(str(exc)) from None
    catalog: PriceBook | None = None
    if args.catalog:
        try:
            catalog = load_price_book(Path(args.catalog))
        except PriceBookError as exc:
            raise UsageError(str(exc)) from None
    try:
        store = open_store(Path(args.db) if args.db else None)
    except StoreError as exc:
        if args.screenshot:
            raise UsageError(str(exc)) from None
        _application()
        QMessageBox.critical(None, "Quote Desk", str(exc))
        return 2

    app = _application()
    language = language or store.profile().default_language
    if language not in LANGUAGES:
        language = "en"
    _translate_qt(app, language)
    window = MainWindow(
        store, Settings(), RecoveryFile(default_recovery_path()),
        language=language, catalog=catalog,
    )  # fmt: skip
    if quote is not None:
        window.open_data(quote)
    else:
        window.restore_session(offer_recovery=not args.screenshot)
    if args.screenshot:
        return _screenshot(app, window, Path(args.screenshot), size)
    if size is not None:
        window.resize(*size)
    window.show()
    sys.excepthook = _excepthook(window)
    return app.exec()


def _application() -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    app.setApplicationName("Quote Desk")
    app.setOrganizationName("QuoteDesk")
    app.setDesktopFileName("quotedesk")
    return app


def _translate_qt(app: QApplication, language: str) -> None:
    """Qt's own strings (OK, Cancel, calendar) and widget dates in the chosen language."""
    locale = QLocale(language.replace("-", "_"))
    QLocale.setDefault(locale)
    translator = QTranslator(app)
    if translator.load(
        locale, "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    ):
        app.installTranslator(translator)


def _size(text: str | None) -> tuple[int, int] | None:
    if text is None:
        return None
    match = re.fullmatch(r"(\d{3,5})x(\d{3,5})", text)
    if not match:
        raise UsageError(f"--size {text!r} is not WIDTHxHEIGHT, e.g. 1280x800")
    return int(match[1]), int(match[2])


def _screenshot(
    app: QApplication, window: MainWindow, out: Path, size: tuple[int, int] | None
) -> int:
    window.resize(*(size or (1280, 800)))
    window.show()
    # Let layouts, fonts and the first paint settle before grabbing.
    for _ in range(5):
        app.processEvents()
    if not window.grab().save(str(out), "PNG"):
        print(f"quotedesk gui: cannot write {out}", file=sys.stderr)
        return 2
    window.hide()
    app.exit(0)  # not quit(): that would close the window and remember its geometry
    return 0


def _excepthook(window: MainWindow) -> Any:
    """A failure inside a Qt callback is shown as a message, not a traceback."""

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        print(f"quotedesk: {kind.__name__}: {exc}", file=sys.stderr)
        window.tell(window.tr("Something went wrong: {0}").format(exc), QMessageBox.Icon.Critical)

    return hook
