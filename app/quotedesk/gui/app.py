"""`quotedesk gui`: start the desktop app, or save a screenshot of it and exit."""

from __future__ import annotations

import argparse
import gc
import logging
import os
import re
import sys
import traceback
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QLocale, Qt, QTimer
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication, QMessageBox

from quotedesk.cli import UsageError
from quotedesk.core import PriceBook, PriceBookError, QuoteFileError
from quotedesk.core.io.resources import resources_dir
from quotedesk.core.messages import LANGUAGES
from quotedesk.gui.about import app_version
from quotedesk.gui.main_window import MainWindow, read_quote_file
from quotedesk.gui.problems_panel import error_text
from quotedesk.gui.recovery import RecoveryFile, default_recovery_path
from quotedesk.gui.settings import Settings
from quotedesk.gui.translation import install_translations
from quotedesk.logs import log, start_logging
from quotedesk.operations.price_books import price_book_for

APP_ID = "io.quotedesk.QuoteDesk"  # the desktop file and AppStream id (packaging/)
# Qt's PNG "quality" 80 is zlib level 1: a third faster than the default, and for a
# window's flat colours the file is no larger.
SCREENSHOT_QUALITY = 80
# How often the GUI thread runs the cycle collector's due collections.
GC_INTERVAL_MS = 500

if TYPE_CHECKING:  # sqlite-utils loads after the window is drawn
    from quotedesk.store import QuoteStore


def run(args: argparse.Namespace) -> int:
    _check_display()
    log_path = start_logging()
    log.info("Quote Desk %s starting (%s)", app_version(), sys.version.split()[0])
    app, window, store = show_window(args)
    if args.screenshot:
        code = _screenshot(app, window, Path(args.screenshot))
        # Tearing down Qt and every module takes Python about as long as the rest of a
        # screenshot: with the database closed and the log written, end at once.
        window.store.close()
        window.settings.sync()
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    if store is None:
        QTimer.singleShot(0, lambda: _attach_or_quit(app, window, args))
    else:
        QTimer.singleShot(0, lambda: _first_run(window))
    QTimer.singleShot(0, lambda: _collect_in_the_gui_thread(app))
    sys.excepthook = _excepthook(window, log_path)
    return app.exec()


def _check_display() -> None:
    """On X11/Wayland systems, no display is a usage error said in one line: Qt would
    abort (exit 134) with a message about xcb plugin libraries instead."""
    if sys.platform in ("win32", "darwin"):
        return
    if not any(os.environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")):
        raise UsageError(
            "no display found (neither DISPLAY nor WAYLAND_DISPLAY is set): run it on the "
            "desktop, or set QT_QPA_PLATFORM=offscreen for --screenshot"
        )


def _collect_in_the_gui_thread(app: QApplication) -> None:
    """`quotedesk gui` starts with the cycle collector off (cli/gui.py) and keeps it off: a
    collection set off by a background job's allocations would run in the job's thread
    and destroy the window's dropped Qt objects there, which crashes Qt. The GUI thread
    collects instead, on a timer, as CPython would by its thresholds, and what start-up
    built is left out of every collection."""
    gc.freeze()
    timer = QTimer(app, interval=GC_INTERVAL_MS)
    timer.timeout.connect(collect_when_due)
    timer.start()


def collect_when_due() -> None:
    """One generation's collection when CPython's own thresholds would have run it."""
    young, middle, old = gc.get_count()
    first, second, third = gc.get_threshold()
    if old > third:
        gc.collect(2)
    elif middle > second:
        gc.collect(1)
    elif young > first:
        gc.collect(0)


def show_window(args: argparse.Namespace) -> tuple[QApplication, MainWindow, QuoteStore | None]:
    """Read the inputs, then build and draw the main window. The quote database (and
    sqlite-utils with it) is opened only after the first paint when the window can be
    drawn without it: a quote given on the command line and the language remembered in
    the settings (the store's price book replaces the sample once it is open). A
    screenshot shows the stored quotes, and nobody sees its window before: it opens the
    database first and draws the window once."""
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
    price_book: PriceBook | None = None
    if args.catalog:
        try:
            price_book = price_book_for(args.catalog)
        except PriceBookError as exc:
            raise UsageError(str(exc)) from None
    settings = Settings()
    store = None
    if (
        args.screenshot
        or quote is None
        or (language is None and settings.language not in LANGUAGES)
    ):
        store = _open_store(args)
    language = language or (
        settings.language if settings.language in LANGUAGES else system_language()
    )
    if store is not None and not getattr(args, "lang", None):
        language = _profile_language(store) or system_language()

    app = _application()
    install_translations(app, language)
    window = MainWindow(
        None, settings, RecoveryFile(default_recovery_path()),
        language=language, price_book=price_book,
    )  # fmt: skip
    if store is not None:
        window.attach_store(store)
    if quote is not None:
        window.open_data(quote)
    else:
        window.restore_session(offer_recovery=not args.screenshot)
    window.resize(
        *(size or ((1280, 800) if args.screenshot else (window.width(), window.height())))
    )
    if args.screenshot:  # grab() paints the window: it need not be painted on screen first
        window.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
        window.editor.header.fill_subdivisions()  # else on a timer after the first paint
    window.show()
    app.processEvents()  # the first paint
    return app, window, store


def system_language(ui_languages: list[str] | None = None) -> str:
    """The first of the system's preferred languages (QLocale.system().uiLanguages(), e.g.
    ["pt-PT", "en-GB"]) that the window speaks; English otherwise."""
    if ui_languages is None:
        ui_languages = QLocale.system().uiLanguages()
    for name in ui_languages:
        locale = QLocale(name)
        match locale.language():
            case QLocale.Language.Portuguese:
                return "pt-BR"
            case QLocale.Language.Japanese:
                return "ja"
            case QLocale.Language.Chinese if locale.script() != QLocale.Script.TraditionalHanScript:
                return "zh-CN"
            case QLocale.Language.English:
                return "en"
    return "en"


def _profile_language(store: QuoteStore) -> str | None:
    """The language the reseller chose in the profile; None when it was never set."""
    row = store.conn.execute("SELECT value FROM settings WHERE key = 'default_language'").fetchone()
    return row[0] if row is not None and row[0] in LANGUAGES else None


def _open_store(args: argparse.Namespace, window: MainWindow | None = None) -> QuoteStore:
    from quotedesk.store import StoreError, open_store  # after the window is drawn

    try:
        return open_store(args.db)
    except StoreError as exc:
        if args.screenshot or QApplication.instance() is None:
            raise UsageError(str(exc)) from None
        # Over the window, in its language, once it is drawn.
        text = error_text(exc, window.formatter) if window is not None else str(exc)
        QMessageBox.critical(window, "Quote Desk", text)
        raise SystemExit(2) from None


def _attach_or_quit(app: QApplication, window: MainWindow, args: argparse.Namespace) -> None:
    try:
        window.attach_store(_open_store(args, window))
    except SystemExit:
        app.exit(2)
        return
    _first_run(window)


def _first_run(window: MainWindow) -> None:
    from quotedesk.gui.first_run import offer_first_run  # its dialog: on a first run only

    offer_first_run(window)


def _application() -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    app.setApplicationName("Quote Desk")
    app.setOrganizationName("QuoteDesk")
    app.setDesktopFileName(APP_ID)
    app.setApplicationVersion(app_version())
    register_fonts()
    return app


def register_fonts() -> list[str]:
    """Make the fonts shipped in resources/fonts/ available to the window, so Chinese and
    Japanese labels draw where the system has no CJK font. Returns the families added."""
    families: list[str] = []
    folder = resources_dir() / "fonts"
    for path in sorted(folder.glob("*")) if folder.is_dir() else ():
        if path.suffix.lower() in (".ttf", ".ttc", ".otf"):
            font_id = QFontDatabase.addApplicationFont(str(path))
            if font_id < 0:
                log.warning("cannot load font %s", path)
            else:
                families += QFontDatabase.applicationFontFamilies(font_id)
    return families


def _size(text: str | None) -> tuple[int, int] | None:
    if text is None:
        return None
    match = re.fullmatch(r"(\d{3,5})x(\d{3,5})", text)
    if not match:
        raise UsageError(f"--size {text!r} is not WIDTHxHEIGHT, e.g. 1280x800")
    return int(match[1]), int(match[2])


def _screenshot(app: QApplication, window: MainWindow, out: Path) -> int:
    if not window.grab().save(str(out), "PNG", SCREENSHOT_QUALITY):
        print(f"quotedesk gui: cannot write {out}", file=sys.stderr)
        return 2
    window.hide()
    app.exit(0)  # not quit(): that would close the window and remember its geometry
    return 0


def _excepthook(window: MainWindow, log_path: Path) -> Any:
    """A failure inside a Qt callback is logged with its traceback and shown as a message
    that names the log file, not a traceback on a terminal nobody sees."""

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        log.error("uncaught %s", "".join(traceback.format_exception(kind, exc, tb)).rstrip())
        print(f"quotedesk: {kind.__name__}: {exc} (details in {log_path})", file=sys.stderr)
        window.tell(
            window.tr("Something went wrong: {0}\n\nThe details are in {1}").format(exc, log_path),
            QMessageBox.Icon.Critical,
        )

    return hook
