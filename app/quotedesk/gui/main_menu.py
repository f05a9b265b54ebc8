"""The main window's actions, menus, toolbar and shortcuts; the slots live in the window
and its PDF and price-book actions, which the window hands over as a MenuHost."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenuBar

from quotedesk.gui.about import install_help_menu
from quotedesk.gui.context import WindowContext

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance
    from PySide6.QtGui import QUndoGroup

    from quotedesk.core.records import StoredRevision
    from quotedesk.gui.compare_view import CompareDialog
    from quotedesk.gui.open_quote import OpenQuote
    from quotedesk.gui.pdf_actions import PdfActions
    from quotedesk.gui.pdf_language import PdfLanguagePicker
    from quotedesk.gui.price_book_actions import PriceBookActions
    from quotedesk.gui.quote_editor import QuoteEditor
    from quotedesk.gui.quote_list import QuoteListPanel
    from quotedesk.store import QuoteStore


class MenuHost(WindowContext, Protocol):
    """The window as its menu sees it: the context and the slots and parts the menu
    offers, which (unlike the context) only the menu needs."""

    @property
    def pdf_actions(self) -> PdfActions: ...
    @property
    def price_book_actions(self) -> PriceBookActions: ...
    @property
    def pdf_language(self) -> PdfLanguagePicker: ...
    @property
    def editor(self) -> QuoteEditor: ...
    @property
    def quotes(self) -> QuoteListPanel: ...
    @property
    def undo_group(self) -> QUndoGroup: ...
    @property
    def price_book_changed(self) -> SignalInstance: ...
    def new_quote(self) -> None: ...
    def open_file_dialog(self) -> None: ...
    def save(self) -> StoredRevision | None: ...
    def find_quotes(self) -> None: ...
    def sign_off(self) -> None: ...
    def revise(self) -> None: ...
    def show_history(self) -> object: ...
    def edit_profile(self) -> None: ...


class MainMenu(QMenuBar):
    """Installs itself as the window's menu bar and adds the toolbar."""

    def __init__(self, host: MenuHost) -> None:
        window = host.widget()
        super().__init__(window)
        window.setMenuBar(self)
        pdf, books, editor = host.pdf_actions, host.price_book_actions, host.editor
        self.compare_dialog: CompareDialog | None = None  # the last one opened

        def action(
            text: str,
            slot: Callable[[], Any],
            shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
        ) -> QAction:
            act = QAction(text, window)
            act.setIconText(toolbar_text(text))
            if shortcut is not None:
                act.setShortcut(QKeySequence(shortcut))
            act.triggered.connect(lambda _=False: host.run(slot))
            return act

        self.new_action = action(
            self.tr("&New quote"), host.new_quote, QKeySequence.StandardKey.New
        )
        self.open_action = action(self.tr("&Open quote file…"), host.open_file_dialog, "Ctrl+O")
        self.save_action = action(self.tr("&Save"), host.save, QKeySequence.StandardKey.Save)
        self.export_action = action(self.tr("&Export PDF…"), pdf.export_pdf_dialog, "Ctrl+E")
        self.preview_action = action(self.tr("Pre&view PDF"), pdf.preview_pdf, "Ctrl+Shift+P")
        self.export_signed_action = action(
            self.tr("Export si&gned PDF…"), pdf.export_signed_dialog, "Ctrl+Shift+G"
        )
        self.export_selected_action = action(
            self.tr("Export selected &quotes as PDF…"), pdf.export_selected_dialog, "Ctrl+Shift+E"
        )
        self.timestamps_action = action(self.tr("Add &timestamps now"), pdf.add_timestamps)
        self.timestamps_action.setToolTip(
            self.tr("Timestamp and add validation data to every signed PDF still waiting "
                    "for it (needs the network)")
        )  # fmt: skip
        self.quit_action = action(self.tr("&Quit"), window.close, QKeySequence.StandardKey.Quit)
        self.undo_action = host.undo_group.createUndoAction(window, self.tr("&Undo"))
        self.undo_action.setShortcut(QKeySequence("Ctrl+Z"))
        self.redo_action = host.undo_group.createRedoAction(window, self.tr("&Redo"))
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        for act in (self.undo_action, self.redo_action):
            act.setIconText(toolbar_text(act.text()))
        self.find_action = action(
            self.tr("&Find quotes"), host.find_quotes, QKeySequence.StandardKey.Find
        )
        self.sign_off_action = action(self.tr("Sign &off…"), host.sign_off, "Ctrl+Shift+S")
        self.revise_action = action(self.tr("&Revise"), host.revise, "Ctrl+R")
        self.history_action = action(self.tr("&History…"), host.show_history, "Ctrl+H")
        self.compare_action = action(
            self.tr("Co&mpare scenarios…"), lambda: self._compare(host), "Ctrl+Shift+M"
        )
        self.import_action = action(
            self.tr("&Import price book…"), books.import_price_book_dialog, "Ctrl+I"
        )
        self.choose_book_action = action(self.tr("&Choose price book…"), books.choose_price_book)
        self.profile_action = action(self.tr("Reseller &profile…"), host.edit_profile)
        self.renewals_action = action(
            self.tr("Re&newals…"), lambda: _renewals(host), "Ctrl+Shift+R"
        )
        # Team mode only (in the Team menu, shown by show_team_actions): R-TEAM-5's approvals.
        self.request_approval_action = action(
            self.tr("Request &approval"), lambda: _request_approval(host), "Ctrl+Shift+A"
        )
        self.approvals_action = action(
            self.tr("Appro&vals…"), lambda: _approvals(host), "Ctrl+Shift+V"
        )
        for act in (self.request_approval_action, self.approvals_action):
            act.setVisible(False)

        self.file_menu = self.addMenu(self.tr("&File"))
        for entry in (
            self.new_action, self.open_action, self.save_action, None,
            self.preview_action, self.export_action, self.export_signed_action,
            self.export_selected_action, self.timestamps_action,
        ):  # fmt: skip
            if entry is None:
                self.file_menu.addSeparator()
            else:
                self.file_menu.addAction(entry)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)
        self.edit_menu = self.addMenu(self.tr("&Edit"))
        for act in (self.undo_action, self.redo_action):
            self.edit_menu.addAction(act)
        self.edit_menu.addSeparator()
        self.edit_menu.addAction(editor.add_line_action)
        self.edit_menu.addAction(editor.add_custom_action)
        self.edit_menu.addAction(editor.remove_line_action)
        self.edit_menu.addSeparator()
        self.edit_menu.addAction(self.find_action)
        self.quote_menu = self.addMenu(self.tr("&Quote"))
        for act in (
            self.sign_off_action, self.revise_action, self.history_action, self.compare_action,
            self.renewals_action,
        ):  # fmt: skip
            self.quote_menu.addAction(act)
        self.settings_menu = self.addMenu(self.tr("&Settings"))
        for act in (self.import_action, self.choose_book_action, self.profile_action):
            self.settings_menu.addAction(act)
        self.data_age_warning = install_help_menu(self, host, host.price_book_changed)

        # Right-click on the selected quotes.
        host.quotes.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        host.quotes.table.addAction(self.export_selected_action)

        self.toolbar = window.addToolBar(self.tr("Main"))
        self.toolbar.setObjectName("main-toolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for entry in (
            self.new_action, self.open_action, self.save_action, None,
            self.undo_action, self.redo_action, None,
            self.sign_off_action, self.revise_action, self.history_action, None,
            self.preview_action, self.export_action,
        ):  # fmt: skip
            if entry is None:
                self.toolbar.addSeparator()
            else:
                self.toolbar.addAction(entry)
        self.toolbar.insertWidget(self.preview_action, host.pdf_language)
        menus = (self.file_menu, self.edit_menu, self.quote_menu, self.settings_menu)
        for menu in menus:
            for act in menu.actions():
                keys = act.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
                if keys:
                    act.setToolTip(f"{act.text().replace('&', '').rstrip('…')} ({keys})")

    def _compare(self, context: WindowContext) -> None:
        from quotedesk.gui.compare_view import open_compare_dialog  # loads when first used

        self.compare_dialog = open_compare_dialog(context)

    def show_team_actions(self, store: QuoteStore) -> None:
        """The approvals' actions, on a laptop that joined a team."""
        from quotedesk.store.team import membership

        joined = membership(store) is not None
        for act in (self.request_approval_action, self.approvals_action):
            act.setVisible(joined)

    def update_state(self, draft: OpenQuote | None) -> None:
        """Enable what the quote being edited allows."""
        stored = draft.stored if draft is not None else None
        editable = draft is not None and not draft.read_only
        self.save_action.setEnabled(editable)
        self.sign_off_action.setEnabled(editable)
        self.request_approval_action.setEnabled(editable)
        self.revise_action.setEnabled(stored is not None and not stored.editable)
        self.history_action.setEnabled(stored is not None)
        # Only a commitment to the customer is signed: a draft exports with its watermark.
        self.export_signed_action.setEnabled(draft is not None and draft.read_only)


def _renewals(context: WindowContext) -> None:
    from quotedesk.gui.renewals_view import show_renewals  # the store's modules load late

    show_renewals(context)


def _request_approval(context: MenuHost) -> None:
    from quotedesk.gui.approvals_view import request_approval  # team mode only

    request_approval(context)


def _approvals(context: WindowContext) -> None:
    from quotedesk.gui.approvals_view import show_approvals

    show_approvals(context)


def toolbar_text(text: str) -> str:
    """A menu text as a toolbar button says it: no mnemonic ("&S", or "(&S)" in CJK
    menus) and no "…". (Plain string work: compiling a regex took longer at start-up.)"""
    start = text.find("(&")
    if start >= 0 and text[start + 3 : start + 4] == ")":
        text = text[:start] + text[start + 4 :]
    return text.replace("&", "").replace("…", "")
