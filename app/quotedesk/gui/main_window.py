"""The main window: stored quotes on the left, the quote editor on the right."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QUndoGroup
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QWidget,
)

from quotedesk.core import (
    PriceBook,
    load_price_book,
    load_quote_file,
    load_rules,
    parse_quote,
)
from quotedesk.core.records import StoredRevision
from quotedesk.core.resources import sample_price_book_path
from quotedesk.gui.about import install_help_menu
from quotedesk.gui.draft import QuoteDraft, new_quote_data
from quotedesk.gui.formatting import Formatter
from quotedesk.gui.problems_panel import counted_from_1
from quotedesk.gui.quote_editor import QuoteEditor
from quotedesk.gui.quote_list import QuoteListPanel
from quotedesk.gui.read_only import ReadOnlyNotice
from quotedesk.gui.recovery import RecoveryFile, ask_to_recover
from quotedesk.gui.settings import Settings
from quotedesk.logs import log

# Dialogs and the import worker load when first used: start-up draws the window only.
if TYPE_CHECKING:  # sqlite-utils loads with the store, after the window is drawn
    from quotedesk.core.signoff import Refusal
    from quotedesk.gui.background import BackgroundJob, Worker
    from quotedesk.gui.history_dialog import HistoryDialog
    from quotedesk.gui.pdf_export import BatchResult
    from quotedesk.gui.pdf_preview import PdfPreview
    from quotedesk.gui.price_book_import import CheckResult, FailedRowsDialog
    from quotedesk.store import QuoteStore

AUTOSAVE_MS = 3000


class MainWindow(QMainWindow):
    message_shown = Signal(str)  # every message box's text, for tests and logs
    price_book_changed = Signal()

    def __init__(
        self,
        store: QuoteStore | None,
        settings: Settings,
        recovery: RecoveryFile,
        *,
        language: str = "en",
        catalog: PriceBook | None = None,
        today: date | None = None,
    ) -> None:
        super().__init__()
        self.settings, self.recovery = settings, recovery
        self._store = store
        self._catalog = catalog
        self.today = today or date.today()
        self.formatter = Formatter(language)
        self.rules = load_rules()
        self.book = catalog or self._remembered_book()
        self.draft: QuoteDraft | None = None
        self.dirty = False
        self.message_box: QMessageBox | None = None
        self.failed_rows: FailedRowsDialog | None = None
        self.preview: PdfPreview | None = None
        self._jobs: dict[str, BackgroundJob] = {}  # "import" / "export" while one runs
        self.setWindowTitle(self.tr("Quote Desk"))

        self.quotes = QuoteListPanel(self.formatter)
        self.quotes.quote_chosen.connect(lambda n: self._run(lambda: self.open_stored(n)))
        self.editor = QuoteEditor()
        self.read_only_notice = ReadOnlyNotice(self.editor)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.quotes)
        self.splitter.addWidget(self.editor)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 3)
        self.setCentralWidget(self.splitter)

        self.undo_group = QUndoGroup(self)
        self.sample_label = QLabel(self.tr("Illustrative sample prices"))
        self.sample_label.setStyleSheet(
            "background: #fff4ce; color: #5c4400; padding: 1px 6px; border-radius: 3px;"
        )
        self.book_label = QLabel()
        self.save_label = QLabel()
        status = self.statusBar()
        status.addPermanentWidget(self.save_label)
        status.addPermanentWidget(self.book_label)
        status.addPermanentWidget(self.sample_label)

        self._autosave = QTimer(self, singleShot=True, interval=AUTOSAVE_MS)
        self._autosave.timeout.connect(lambda: self._run(self.autosave))
        self._build_actions()
        if store is not None:
            self.quotes.set_store(store)
        geometry = settings.geometry
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        splitter_state = settings.splitter_state
        if splitter_state is None or not self.splitter.restoreState(splitter_state):
            width = self.width()
            self.splitter.setSizes([width * 28 // 100, width - width * 28 // 100])

    # Actions, menus, toolbar

    def _build_actions(self) -> None:
        def action(
            text: str, slot: Callable[[], Any], shortcut: QKeySequence | str | None = None
        ) -> QAction:
            act = QAction(text, self)
            act.setIconText(toolbar_text(text))
            if shortcut is not None:
                act.setShortcut(QKeySequence(shortcut))
            act.triggered.connect(lambda _=False: self._run(slot))
            return act

        self.new_action = action(
            self.tr("&New quote"), self.new_quote, QKeySequence.StandardKey.New
        )
        self.open_action = action(self.tr("&Open quote file…"), self.open_file_dialog, "Ctrl+O")
        self.save_action = action(self.tr("&Save"), self.save, QKeySequence.StandardKey.Save)
        self.export_action = action(self.tr("&Export PDF…"), self.export_pdf_dialog, "Ctrl+E")
        self.preview_action = action(self.tr("Pre&view PDF"), self.preview_pdf, "Ctrl+Shift+P")
        self.export_signed_action = action(
            self.tr("Export si&gned PDF…"), self.export_signed_dialog, "Ctrl+Shift+G"
        )
        self.export_selected_action = action(
            self.tr("Export selected &quotes as PDF…"), self.export_selected_dialog, "Ctrl+Shift+E"
        )
        self.quit_action = action(self.tr("&Quit"), self.close, QKeySequence.StandardKey.Quit)
        self.undo_action = self.undo_group.createUndoAction(self, self.tr("&Undo"))
        self.undo_action.setShortcut(QKeySequence("Ctrl+Z"))
        self.redo_action = self.undo_group.createRedoAction(self, self.tr("&Redo"))
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        for act in (self.undo_action, self.redo_action):
            act.setIconText(toolbar_text(act.text()))
        self.find_action = action(self.tr("&Find quotes"), self.find, QKeySequence.StandardKey.Find)
        self.sign_off_action = action(self.tr("Sign &off…"), self.sign_off, "Ctrl+Shift+S")
        self.revise_action = action(self.tr("&Revise"), self.revise, "Ctrl+R")
        self.history_action = action(self.tr("&History…"), self.show_history, "Ctrl+H")
        self.import_action = action(
            self.tr("&Import price book…"), self.import_price_book_dialog, "Ctrl+I"
        )
        self.choose_book_action = action(self.tr("&Choose price book…"), self.choose_price_book)
        self.profile_action = action(self.tr("Reseller &profile…"), self.edit_profile)

        menus = self.menuBar()
        file_menu = menus.addMenu(self.tr("&File"))
        for act in (
            self.new_action, self.open_action, self.save_action, None,
            self.preview_action, self.export_action, self.export_signed_action,
            self.export_selected_action,
        ):  # fmt: skip
            if act is None:
                file_menu.addSeparator()
            else:
                file_menu.addAction(act)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = menus.addMenu(self.tr("&Edit"))
        for act in (self.undo_action, self.redo_action):
            edit_menu.addAction(act)
        edit_menu.addSeparator()
        edit_menu.addAction(self.editor.add_line_action)
        edit_menu.addAction(self.editor.add_custom_action)
        edit_menu.addAction(self.editor.remove_line_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.find_action)
        quote_menu = menus.addMenu(self.tr("&Quote"))
        for act in (self.sign_off_action, self.revise_action, self.history_action):
            quote_menu.addAction(act)
        books_menu = menus.addMenu(self.tr("&Settings"))
        for act in (self.import_action, self.choose_book_action, self.profile_action):
            books_menu.addAction(act)
        install_help_menu(self)

        # Right-click on the selected quotes.
        self.quotes.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.quotes.table.addAction(self.export_selected_action)

        toolbar = self.addToolBar(self.tr("Main"))
        toolbar.setObjectName("main-toolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for act in (
            self.new_action, self.open_action, self.save_action, None,
            self.undo_action, self.redo_action, None,
            self.sign_off_action, self.revise_action, self.history_action, None,
            self.preview_action, self.export_action,
        ):  # fmt: skip
            if act is None:
                toolbar.addSeparator()
            else:
                toolbar.addAction(act)
        for act in self.findChildren(QAction):
            keys = act.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            if keys:
                act.setToolTip(f"{act.text().replace('&', '').rstrip('…')} ({keys})")

    def _run(self, slot: Callable[[], Any]) -> Any:
        """Every action goes through here: a failure is a message, never a traceback."""
        try:
            return slot()
        except store_error() as exc:
            self.tell(str(exc), QMessageBox.Icon.Warning)
        except Exception as exc:
            log.exception("action failed")  # the traceback goes to the log file
            self.tell(
                self.tr("Something went wrong: {0}").format(exc or type(exc).__name__),
                QMessageBox.Icon.Critical,
            )
        return None

    def tell(self, text: str, icon: QMessageBox.Icon = QMessageBox.Icon.Information) -> None:
        """A window-modal message that does not block the caller."""
        box = QMessageBox(icon, self.tr("Quote Desk"), text, QMessageBox.StandardButton.Ok, self)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.message_box = box
        self.message_shown.emit(text)
        box.open()

    # Price books

    @property
    def store(self) -> QuoteStore:
        if self._store is None:
            raise store_error()(self.tr("The quote database is still opening; try again."))
        return self._store

    def attach_store(self, store: QuoteStore) -> None:
        """Use the quote database opened after the window was first drawn."""
        self._store = store
        self.settings.language = store.profile().default_language
        self.settings.sync()
        self.quotes.set_store(store)
        if self._catalog is None and self.settings.price_book_id is not None:
            remembered = self._remembered_book()
            if remembered.sha256 != self.book.sha256:
                self.set_price_book(remembered, self.settings.price_book_id)

    def _remembered_book(self) -> PriceBook:
        version = self.settings.price_book_id
        if version is not None and self._store is not None:
            try:
                return self.store.price_book(version)
            except store_error():
                self.settings.price_book_id = None  # deleted or from another database
        return load_price_book(sample_price_book_path())

    def set_price_book(self, book: PriceBook, version_id: int | None) -> None:
        self.book = book
        self.settings.price_book_id = version_id
        if self.draft is not None and not self.draft.read_only:
            self._show(self._make_draft(self.draft.data, self.draft.stored), keep_undo=False)
        self.price_book_changed.emit()

    def _show_book(self) -> None:
        draft = self.draft
        illustrative = draft.illustrative if draft is not None else self.book.illustrative
        self.sample_label.setVisible(illustrative)
        label = draft.view.get("price_book", "") if draft is not None else self.book.label
        self.book_label.setText(label.split(" sha256:")[0])
        self.book_label.setToolTip(label)

    def _ask_file(self, title: str, kinds: str, start: str = "") -> Path | None:
        """A file to read, chosen in the platform's dialog; None when cancelled."""
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getOpenFileName(self, title, start, kinds)
        return Path(path) if path else None

    def import_price_book_dialog(self) -> None:
        path = self._ask_file(self.tr("Import price book"), self.tr("Price book (*.csv)"))
        if path:
            self.import_price_book(path)

    def import_price_book(self, path: Path) -> None:
        """Check the CSV in a worker thread; import and activate it when every row passes."""
        from quotedesk.gui.price_book_import import PriceBookCheck

        self._start_job(
            "import", PriceBookCheck(path), self.tr("Checking {0}…").format(path.name),
            self._finish_import, busy=self.tr("A price book is already being imported."),
        )  # fmt: skip

    def _start_job(
        self, kind: str, worker: Worker, label: str, finish: Callable[[Any], None], busy: str
    ) -> None:
        """Run `worker` in the background unless a job of this kind runs (then say `busy`)."""
        if kind in self._jobs:
            self.tell(busy)
            return
        from quotedesk.gui.background import BackgroundJob

        job = BackgroundJob(worker, label, self)
        self._jobs[kind] = job

        def finished(result: Any) -> None:
            del self._jobs[kind]
            self._run(lambda: finish(result))

        job.finished.connect(finished)
        job.start()

    def _finish_import(self, result: CheckResult) -> None:
        if result.cancelled:
            self.statusBar().showMessage(self.tr("Price book import cancelled"), 5000)
        elif result.fatal:
            self.tell(result.fatal, QMessageBox.Icon.Warning)
        elif result.errors:
            from quotedesk.gui.price_book_import import FailedRowsDialog

            self.failed_rows = FailedRowsDialog(result, self)
            self.failed_rows.setWindowModality(Qt.WindowModality.WindowModal)
            self.message_shown.emit(self.failed_rows.windowTitle())
            self.failed_rows.open()
        else:
            version, created = self.store.import_price_book(result.data, str(result.path))
            self.set_price_book(self.store.price_book(version.id), version.id)
            self.statusBar().showMessage(
                self.tr("Price book {0} imported ({1} rows)").format(
                    result.path.name, version.row_count
                )
                if created
                else self.tr("Price book {0} was already imported: now in use").format(
                    result.path.name
                ),
                8000,
            )

    def choose_price_book(self) -> None:
        versions = self.store.price_books()
        items = [self.tr("Illustrative sample price book")] + [
            f"{v.label.split(' sha256:')[0]} — {self.formatter.day(v.imported_at.date())}"
            for v in versions
        ]
        current = self.settings.price_book_id
        index = next((i + 1 for i, v in enumerate(versions) if v.id == current), 0)
        from PySide6.QtWidgets import QInputDialog

        item, ok = QInputDialog.getItem(
            self, self.tr("Price book"), self.tr("Price quotes with:"), items, index, False
        )
        if not ok:
            return
        chosen = items.index(item)
        if chosen == 0:
            self.set_price_book(load_price_book(sample_price_book_path()), None)
        else:
            version = versions[chosen - 1]
            self.set_price_book(self.store.price_book(version.id), version.id)

    # Quotes

    def _make_draft(self, data: dict[str, Any], stored: StoredRevision | None = None) -> QuoteDraft:
        reseller = self._store is not None and bool(self._store.profile().company.strip())
        return QuoteDraft(
            data,
            self.book,
            self.rules,
            self.formatter,
            stored=stored,
            today=self.today,
            reseller=reseller,
        )

    def _show(self, draft: QuoteDraft, keep_undo: bool = False) -> None:
        old = self.draft
        if old is not None:
            self.undo_group.removeStack(old.undo_stack)
            old.edited.disconnect(self._edited)
            old.refused.disconnect(self._refused)
            old.repriced.disconnect(self._show_book)
        self.draft = draft
        self.undo_group.addStack(draft.undo_stack)
        self.undo_group.setActiveStack(draft.undo_stack)
        draft.edited.connect(self._edited)
        draft.refused.connect(self._refused)
        draft.repriced.connect(self._show_book)
        self.editor.set_draft(draft, self._title())
        self.read_only_notice.update()
        self.quotes.mark(draft.stored)
        self.dirty = False
        self._update_state()
        self._show_book()

    def _title(self) -> str:
        draft = self.draft
        if draft is None or draft.stored is None:
            return self.tr("New quote (not saved)")
        stored = draft.stored
        status = {"draft": self.tr("draft"), "signed_off": self.tr("signed off")}.get(
            stored.status, stored.status.replace("_", " ")
        )
        return f"{stored.label} — {status}"

    def _update_state(self) -> None:
        draft = self.draft
        stored = draft.stored if draft is not None else None
        editable = draft is not None and not draft.read_only
        self.save_action.setEnabled(editable)
        self.sign_off_action.setEnabled(editable)
        self.revise_action.setEnabled(stored is not None and not stored.editable)
        self.history_action.setEnabled(stored is not None)
        # Only a commitment to the customer is signed: a draft exports with its watermark.
        self.export_signed_action.setEnabled(draft is not None and draft.read_only)
        self.editor.title.setText(self._title())
        self.setWindowTitle(f"{'*' if self.dirty else ''}{self._title()} — {self.tr('Quote Desk')}")
        self.save_label.setText(self.tr("Unsaved changes") if self.dirty else "")

    def _edited(self) -> None:
        draft = self.draft
        assert draft is not None
        self.dirty = True
        self.recovery.write(draft.data, draft.stored.number if draft.stored else None)
        if draft.stored is not None:
            self._autosave.start()
        self._update_state()

    def _refused(self, message: str) -> None:
        self.statusBar().showMessage(message, 8000)
        self.message_shown.emit(message)

    def new_quote(self) -> None:
        currency = self._store.profile().default_currency if self._store else "USD"
        self._show(self._make_draft(new_quote_data(self.today, currency)))
        self.editor.header.customer_name.setFocus()  # a new quote starts with its customer

    def open_file_dialog(self) -> None:
        path = self._ask_file(self.tr("Open quote file"), self.tr("Quote file (*.json)"))
        if path:
            self.open_file(path)

    def open_file(self, path: Path) -> None:
        """Open a quote file as a new, unsaved quote. QuoteFileError for unreadable files."""
        self.open_data(read_quote_file(path))

    def open_data(self, data: dict[str, Any]) -> None:
        """Show a quote file's dict as a new, unsaved quote."""
        self._show(self._make_draft(data))

    def open_stored(self, number: str, rev: int | None = None) -> None:
        if self.draft is not None and self.dirty:
            self.autosave()
        revision = self.store.get(number, rev)
        self._show(self._make_draft(revision.quote_file, revision))
        self.settings.last_quote = revision.number

    def save(self) -> StoredRevision | None:
        draft = self.draft
        if draft is None:
            return None
        if draft.read_only:
            draft.set_field(("notes",), None)  # shows the "signed off" refusal
            return None
        quote = parse_quote(draft.data)
        if draft.stored is None:
            revision = self.store.add_quote(quote, draft.priced, draft.book, today=self.today)
        else:
            revision = self.store.save_draft(draft.stored.number, quote, draft.priced, draft.book)
        draft.stored = revision
        self.dirty = False
        self._autosave.stop()
        self.recovery.clear()
        self.settings.last_quote = revision.number
        self._update_state()
        self.quotes.mark(revision)
        self.quotes.reload()
        self.statusBar().showMessage(self.tr("Saved {0}").format(revision.label), 4000)
        return revision

    def autosave(self) -> None:
        draft = self.draft
        if draft is not None and self.dirty and draft.stored is not None and not draft.read_only:
            self.save()

    def sign_off(self) -> None:
        draft = self.draft
        if draft is None or draft.read_only:
            return
        from quotedesk.core.signoff import discounts_over, sign_off_refusals

        profile = self.store.profile()
        threshold = profile.approval_threshold_pct

        def check(by: str, approver: str | None) -> list[Refusal]:
            return sign_off_refusals(
                draft.data, draft.view, seller=profile.company, threshold=threshold,
                by=by, approver=approver,
            )  # fmt: skip

        # What no name typed in the dialog can fix is said first, and nothing is saved.
        blocking = [r for r in check("-", None) if r.field not in ("signed_by", "approver")]
        if blocking:
            reasons = "\n".join(
                f"• {r.code} — {counted_from_1(r.message)}" if r.code.startswith("R-")
                else f"• {counted_from_1(r.message)}"
                for r in blocking
            )  # fmt: skip
            if any(r.field == "profile" for r in blocking):
                reasons += "\n" + self.tr("Set your company name in Settings → Reseller profile.")
            self.tell(
                self.tr("This quote cannot be signed off yet:") + "\n" + reasons,
                QMessageBox.Icon.Warning,
            )
            return
        revision = self.save()
        if revision is None:
            return
        from quotedesk.gui.sign_off_dialog import SignOffDialog

        (by, approver), accepted = SignOffDialog.ask(
            revision.label, check, discounts_over(draft.data, threshold), threshold, self
        )
        if not accepted:
            return
        signed = self.store.sign_off(revision.number, by, approver, require_seller=True)
        self._show(self._make_draft(signed.quote_file, signed))
        self.quotes.reload()

    def revise(self) -> None:
        draft = self.draft
        if draft is None or draft.stored is None:
            return
        revision = self.store.revise(draft.stored.number)
        self._show(self._make_draft(revision.quote_file, revision))
        self.quotes.reload()
        self.statusBar().showMessage(self.tr("{0} is a new draft").format(revision.label), 5000)

    def show_history(self) -> HistoryDialog | None:
        draft = self.draft
        if draft is None or draft.stored is None:
            return None
        from quotedesk.gui.history_dialog import HistoryDialog

        dialog = HistoryDialog(self.store.revisions(draft.stored.number), self.formatter, self)
        dialog.revision_chosen.connect(lambda key: self._run(lambda: self.open_stored(key)))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def edit_profile(self) -> None:
        from quotedesk.gui.profile_dialog import ProfileDialog

        profile, accepted = ProfileDialog.edit(self.store.profile(), self)
        if accepted:
            self.store.save_profile(profile)
            self.settings.language = profile.default_language

    def find(self) -> None:
        self.quotes.search.setFocus()
        self.quotes.search.selectAll()

    # PDF: export, preview, batch export (ReportLab and QtPdf load on first use)

    def export_pdf_dialog(self) -> None:
        if self.draft is None or not self._export_despite_errors():
            return
        path = self._ask_pdf_path(self.tr("Export PDF"))
        if path:
            self.export_pdf(path)

    def _export_despite_errors(self) -> bool:
        """A line in error is not in the PDF nor its total: say which, and ask."""
        assert self.draft is not None
        left_out = self.draft.lines_left_out()
        if not left_out:
            return True
        text = self.tr(
            "Not in the PDF and its total, because of an error: {0}. Export without it?"
        ).format("; ".join(left_out))
        self.message_shown.emit(text)
        answer = QMessageBox.question(
            self, self.tr("Export PDF"), text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )  # fmt: skip
        return answer == QMessageBox.StandardButton.Yes

    def _render_pdf(self) -> bytes | None:
        """The quote being edited as PDF bytes, or None after saying why not."""
        draft = self.draft
        if draft is None:
            return None
        try:  # ReportLab loads only when a PDF is made, never at start-up
            from quotedesk.gui.pdf_export import draft_document
            from quotedesk.pdf import PdfError, render_quote_pdf
        except ImportError:
            self.tell(self.tr("PDF export is not available in this build."))
            return None
        try:
            return render_quote_pdf(
                draft_document(draft, self.store.profile()), self.formatter.language
            )
        except PdfError as exc:
            self.tell(str(exc), QMessageBox.Icon.Warning)
            return None

    def export_pdf(self, path: Path, data: bytes | None = None) -> None:
        """Write the quote as shown (a signed-off revision exactly as it was saved)."""
        data = data if data is not None else self._render_pdf()
        if data is None:
            return
        from quotedesk.pdf import write_pdf

        try:
            write_pdf(path, data)
        except OSError as exc:
            self.tell(
                self.tr("Cannot write {0}: {1}").format(path, exc.strerror),
                QMessageBox.Icon.Warning,
            )
            return
        self.statusBar().showMessage(self.tr("Exported {0}").format(path), 5000)

    def export_signed_dialog(self) -> None:
        if self.draft is None or not self.draft.read_only:
            return
        from PySide6.QtWidgets import QInputDialog, QLineEdit

        title = self.tr("Signing certificate")
        p12 = self._ask_file(
            title, self.tr("PKCS#12 certificate (*.p12 *.pfx)"), self.settings.certificate
        )
        if p12 is None:
            return
        password, ok = QInputDialog.getText(
            self, title, self.tr("Password of {0}:").format(p12.name),
            QLineEdit.EchoMode.Password,
        )  # fmt: skip
        if not ok:
            return
        path = self._ask_pdf_path(self.tr("Export signed PDF"))
        if path:
            self.settings.certificate = str(p12)
            self.export_signed_pdf(path, p12, password.encode())

    def export_signed_pdf(self, path: Path, p12: Path, password: bytes) -> None:
        """The signed-off revision as a PAdES-signed PDF (the stamp in its signature box)."""
        data = self._render_pdf()
        if data is None:
            return
        from quotedesk.pdf import PdfError, sign_pdf

        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)  # pyHanko loads: a moment
        try:
            signed = sign_pdf(data, p12, password)
        except PdfError as exc:
            self.tell(str(exc), QMessageBox.Icon.Warning)
            return
        finally:
            QApplication.restoreOverrideCursor()
        self.export_pdf(path, signed)

    def preview_pdf(self) -> PdfPreview | None:
        data = self._render_pdf()
        if data is None:
            return None
        from quotedesk.gui.pdf_preview import PdfPreview

        if self.preview is not None:
            self.preview.close()
        stored = self.draft.stored if self.draft is not None else None
        preview = PdfPreview(data, stored.label if stored else self.tr("new quote"), self)
        preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        preview.save_requested.connect(lambda pdf: self._run(lambda: self._save_preview(pdf)))
        preview.finished.connect(lambda _result: self._forget_preview(preview))
        self.preview = preview
        preview.show()
        return preview

    def _forget_preview(self, preview: PdfPreview) -> None:
        if self.preview is preview:  # not a newer preview opened since
            self.preview = None

    def _save_preview(self, data: bytes) -> None:
        if self.draft is None or not self._export_despite_errors():
            return
        path = self._ask_pdf_path(self.tr("Export PDF"), self.preview)
        if path:
            self.export_pdf(path, data)

    def _ask_pdf_path(self, title: str, parent: QWidget | None = None) -> Path | None:
        """Where to write the quote's PDF, proposing the quote's label as the name."""
        from PySide6.QtWidgets import QFileDialog

        stored = self.draft.stored if self.draft is not None else None
        name = (stored.label if stored else self.tr("quote")) + ".pdf"
        path, _ = QFileDialog.getSaveFileName(parent or self, title, name, self.tr("PDF (*.pdf)"))
        return Path(path) if path else None

    def export_selected_dialog(self) -> None:
        chosen = self.quotes.selected()
        if not chosen:
            self.tell(self.tr("Select the quotes to export in the list first "
                              "(Ctrl+click or Shift+click selects several)."))  # fmt: skip
            return
        from PySide6.QtWidgets import QFileDialog

        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Export {0} quote(s) as PDF to").format(len(chosen))
        )
        if not folder:
            return
        existing = [q.label for q in chosen if (Path(folder) / f"{q.label}.pdf").exists()]
        if existing:
            answer = QMessageBox.question(
                self,
                self.tr("Replace files"),
                self.tr("The folder already has {0}. Replace?").format(
                    ", ".join(f"{label}.pdf" for label in existing[:3])
                    + (self.tr(" and {0} more").format(len(existing) - 3) if existing[3:] else "")
                ),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.export_quotes([q.key for q in chosen], Path(folder))

    def export_quotes(self, numbers: list[str], folder: Path) -> None:
        """Write the latest revision of each quote as a PDF into `folder`, in the background."""
        from quotedesk.gui.pdf_export import BatchExport

        worker = BatchExport(self.store.path, numbers, folder, self.formatter.language, self.today)
        label = self.tr("Exporting {0} quote(s) to {1}…").format(len(numbers), folder.name)
        self._start_job(
            "export", worker, label,
            lambda result: self._quotes_exported(result, len(numbers), folder),
            busy=self.tr("Quotes are already being exported."),
        )  # fmt: skip

    def _quotes_exported(self, result: BatchResult, asked: int, folder: Path) -> None:
        written = len(result.written)
        if result.cancelled:
            text = self.tr("Export cancelled: {0} of {1} PDF(s) written to {2}.")
        else:
            text = self.tr("{0} of {1} PDF(s) written to {2}.")
        text = text.format(written, asked, folder)
        if result.failed:
            failures = [f"{number}: {reason}" for number, reason in result.failed]
            text = "\n".join([text, "", self.tr("Not exported:"), *failures])
            self.tell(text, QMessageBox.Icon.Warning)
        elif result.cancelled:
            self.tell(text)
        else:
            self.statusBar().showMessage(text, 8000)
            self.message_shown.emit(text)

    # Start and close

    def restore_session(self, offer_recovery: bool = True) -> None:
        """At start: offer a quote left behind by a crash, else reopen the last quote."""
        left = self.recovery.read() if offer_recovery else None
        last = self.settings.last_quote
        if last:
            try:
                self.open_stored(last)
            except store_error():
                self.settings.last_quote = ""
        if self.draft is None:
            self.new_quote()
        if left is not None:  # asked over the window once it is drawn
            data, number = left

            def answer(yes: bool) -> None:
                self._run(lambda: self._recover(yes, data, number))

            QTimer.singleShot(0, lambda: ask_to_recover(self, data, number, answer))

    def _recover(self, yes: bool, data: dict[str, Any], number: str | None) -> None:
        if not yes:
            self.recovery.clear()
            return
        stored = self.store.get(number) if number else None
        if stored is not None and not stored.editable:
            stored = None  # it was signed off meanwhile: recover as a new quote
        self._show(self._make_draft(data, stored))
        self._edited()

    def closeEvent(self, event: QCloseEvent) -> None:
        draft = self.draft
        if draft is not None and self.dirty:
            if draft.stored is not None and not draft.read_only:
                self._run(self.save)
            elif draft.stored is None and draft.data.get("lines"):
                answer = QMessageBox.question(
                    self,
                    self.tr("Unsaved quote"),
                    self.tr("Save the new quote before closing?"),
                    QMessageBox.StandardButton.Save
                    | QMessageBox.StandardButton.Discard
                    | QMessageBox.StandardButton.Cancel,
                )
                if answer == QMessageBox.StandardButton.Cancel:
                    event.ignore()
                    return
                if answer == QMessageBox.StandardButton.Save and self._run(self.save) is None:
                    event.ignore()
                    return
                if answer == QMessageBox.StandardButton.Discard:
                    self.dirty = False
        if not self.dirty:
            self.recovery.clear()
        for job in self._jobs.values():
            job.stop()  # files already exported stay; an unfinished import is dropped
        self._jobs.clear()
        self.settings.geometry = self.saveGeometry()
        self.settings.splitter_state = self.splitter.saveState()
        self.settings.sync()
        event.accept()


def toolbar_text(text: str) -> str:
    """A menu text as a toolbar button says it: no mnemonic ("&S", or "(&S)" in CJK
    menus) and no "…"."""
    return re.sub(r"\(&\w\)|&|…", "", text)


def store_error() -> type[Exception]:
    """The store's error class. An except clause evaluates this only when something was
    raised, so a window that never touched the store never loads it."""
    from quotedesk.store import StoreError

    return StoreError


def read_quote_file(path: Path) -> dict[str, Any]:
    """The quote file as a dict, exactly as written (R-Q-5: numbers keep their text, so a
    float stays the R-INPUT error it is); raises QuoteFileError with the reason when it is
    not a readable quote."""
    return dict(load_quote_file(path).source)
