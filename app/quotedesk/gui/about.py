"""Help menu (About Quote Desk, Open log folder) and the status-bar warning that the price
book or the rule tables have not been reviewed for a long time."""

from __future__ import annotations

import html
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QSettings, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMenuBar,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from quotedesk.core import PriceBook, RuleTables
from quotedesk.core.io.resources import resources_dir, user_rules_dir
from quotedesk.gui.screen_fit import fit_to_screen
from quotedesk.logs import log_dir, log_file

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance

    from quotedesk.gui.context import WindowContext
    from quotedesk.i18n import Formatter

STALE_AFTER_DAYS = 365  # README "Keeping prices and rules current"
NOTICES = "THIRD-PARTY-NOTICES.md"


def app_version() -> str:
    """pyproject.toml's version as installed: the name of the quotedesk-VERSION.dist-info
    folder that importlib.metadata reads, found the same way along sys.path but without
    importing importlib.metadata, a noticeable share of every start-up."""
    for folder in sys.path:
        for found in Path(folder or ".").glob("quotedesk-*.dist-info"):
            return found.name.removeprefix("quotedesk-").removesuffix(".dist-info")
    return "unknown"  # run from a source tree that was never installed


def install_help_menu(
    menu_bar: QMenuBar, context: WindowContext, book_changed: SignalInstance
) -> QLabel:
    """The Help menu, and the data-age warning kept up to date in the status bar (returned)
    each time `book_changed` says the window prices with another book."""
    window = context.widget()
    menu = menu_bar.addMenu(menu_bar.tr("&Help"))
    about = menu.addAction(menu_bar.tr("&About Quote Desk…"))
    about.triggered.connect(lambda _=False: AboutDialog(window).open())
    open_logs = menu.addAction(menu_bar.tr("Open &log folder"))
    open_logs.triggered.connect(lambda _=False: open_log_folder())

    warning = QLabel()
    warning.setObjectName("data-age-warning")
    warning.setStyleSheet("background: #fde7e9; color: #750b1c; padding: 1px 6px;")
    window.statusBar().addPermanentWidget(warning)

    def update() -> None:
        text = stale_warning(warning, context.formatter, context.book, context.rules,
                             context.today)  # fmt: skip
        warning.setText(text or "")
        warning.setVisible(bool(text))

    book_changed.connect(update)
    update()
    return warning


def stale_warning(
    widget: QWidget, formatter: Formatter, book: PriceBook, rules: RuleTables, today: date
) -> str | None:
    """A warning when the newest prices or the oldest rule table are older than
    STALE_AFTER_DAYS on `today`; None when both are recent enough."""
    parts = []
    if book.versions and (today - book.versions[-1]).days > STALE_AFTER_DAYS:
        parts.append(
            widget.tr("Price book prices are from {0}").format(formatter.day(book.versions[-1]))
        )
    if (today - rules.reviewed).days > STALE_AFTER_DAYS:
        parts.append(
            widget.tr("Rule tables were reviewed on {0}").format(formatter.day(rules.reviewed))
        )
    return "; ".join(parts) or None


def open_log_folder() -> bool:
    folder = log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


def data_paths(widget: QWidget) -> list[tuple[str, Path | str]]:
    """(what, where) for the About box: where Quote Desk keeps and reads its files."""
    from quotedesk.store.database import default_db_path  # the store loads after start-up

    return [
        (widget.tr("Database"), default_db_path()),
        (widget.tr("Settings"), QSettings().fileName()),
        (widget.tr("Log file"), log_file()),
        (widget.tr("Rule overrides"), user_rules_dir()),
        (widget.tr("Resources"), resources_dir()),
    ]


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("About Quote Desk"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        heading = QLabel(f"<h3>Quote Desk {app_version()}</h3>")
        facts = QLabel(
            self.tr("Offline quote builder for Atlassian licence resellers.")
            + f"<br>Python {sys.version.split()[0]}, PySide6 {pyside_version}"
            + "<br>"
            + self.tr("Licensed under the MIT licence. Qt and PySide6 are used under the LGPL 3.0.")
        )
        facts.setWordWrap(True)
        paths = QLabel(
            "<table>"
            + "".join(
                f"<tr><td>{what}:&nbsp;</td><td>{html.escape(str(where))}</td></tr>"
                for what, where in data_paths(self)
            )
            + "</table>"
        )
        paths.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notices = QPlainTextEdit(notices_text())
        self.notices.setReadOnly(True)
        self.notices.setMinimumSize(560, 220)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (heading, facts, paths, self.notices, buttons):
            layout.addWidget(widget)
        fit_to_screen(self)


def notices_text() -> str:
    """LICENSE and the third-party notices, shipped inside the package (resources/)."""
    texts = []
    for name in ("LICENSE", NOTICES):
        path = resources_dir() / "licenses" / name
        texts.append(path.read_text(encoding="utf-8") if path.is_file() else f"({name} missing)")
    return "\n\n".join(texts)
