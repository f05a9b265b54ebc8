"""What the helpers around the main window (its PDF and price-book actions, menus, About,
Compare, Renewals, the PDF language picker, first run) may use of it. They are given this
narrow context, which the window provides, instead of the window itself: so no helper
imports main_window (which imports them), and none reaches into the window's widgets."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from PySide6.QtWidgets import QMainWindow, QMessageBox, QWidget

if TYPE_CHECKING:
    from quotedesk.core import PriceBook, RuleTables
    from quotedesk.gui.background import Work
    from quotedesk.gui.open_quote import OpenQuote
    from quotedesk.gui.settings import Settings
    from quotedesk.i18n import Formatter
    from quotedesk.operations.changes import OpChanges
    from quotedesk.store import QuoteStore

T = TypeVar("T")


class WindowContext(Protocol):
    @property
    def settings(self) -> Settings: ...

    @property
    def formatter(self) -> Formatter:
        """The window's language: dates, amounts and plurals as it shows them."""

    @property
    def rules(self) -> RuleTables: ...

    @property
    def today(self) -> date: ...

    @property
    def book(self) -> PriceBook:
        """The price book new quotes are priced with."""

    @property
    def store(self) -> QuoteStore:
        """The window's open quote database (GUI thread only; a job opens its own from
        `store.path`). Reading it before it is open raises the store's error."""

    @property
    def draft(self) -> OpenQuote | None:
        """The quote shown: a draft, or a signed-off revision read only."""

    def widget(self) -> QMainWindow:
        """The window, as the parent of dialogs and messages."""

    def tell(
        self,
        text: str,
        icon: QMessageBox.Icon = QMessageBox.Icon.Information,
        over: QWidget | None = None,
    ) -> None:
        """A window-modal message that does not block; `over`: the control that led to it,
        which has the focus back once the message is closed."""

    def show_status(self, text: str, timeout_ms: int) -> None:
        """A passing message in the status bar."""

    def announce(self, text: str) -> None:
        """Report a message shown another way (a status-bar line, a question) to the
        window's listeners: its log and tests."""

    def run(self, slot: Callable[[], Any]) -> Any:
        """Call `slot`; a failure becomes a message, never a traceback."""

    def ask_file(self, title: str, kinds: str, start: str = "") -> Path | None:
        """A file to read, chosen in the platform's dialog; None when cancelled."""

    def start_job(
        self, kind: str, work: Work[T], label: str, finish: Callable[[T], None], busy: str
    ) -> None:
        """Run `work` in the background behind a progress dialog with Cancel, then
        `finish` its result on the GUI thread; while a job of this `kind` runs, say `busy`
        instead."""

    def refresh(self, changes: OpChanges, *, reprice_open_quote: bool = True) -> None:
        """Draw the views again for what an operation says it changed."""

    def open_stored(self, number: str, rev: int | None = None) -> None: ...


def give_focus_back(control: QWidget) -> None:
    """Activate the control's window and focus it: a dialog closing hands the focus to
    its parent window's last focused widget, which is not always where the person was."""
    window = control.window()
    window.raise_()
    window.activateWindow()
    control.setFocus()
