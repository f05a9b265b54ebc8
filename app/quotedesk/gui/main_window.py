"""The main window: stored quotes on the left, the quote editor on the right. It composes
the menu (main_menu), the PDF actions (pdf_actions) and the price-book actions
(price_book_actions), and keeps the quote lifecycle: new, open, save, sign off, revise."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QUndoGroup
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QWidget,
)

from quotedesk.core import PriceBook, load_quote_file, load_rules, parse_quote
from quotedesk.core.priced import priced_totals
from quotedesk.core.problems import Refused
from quotedesk.core.quotes.editing import new_quote
from quotedesk.core.quotes.lifecycle import Status
from quotedesk.core.quotes.signoff import Refusal, discounts_over, sign_off_refusals
from quotedesk.core.records import ResellerProfile, StoredRevision
from quotedesk.gui.context import give_focus_back
from quotedesk.gui.draft import QuoteDraft
from quotedesk.gui.main_menu import MainMenu
from quotedesk.gui.open_quote import OpenQuote
from quotedesk.gui.pdf_actions import PdfActions
from quotedesk.gui.pdf_language import PdfLanguagePicker
from quotedesk.gui.price_book_actions import PriceBookActions
from quotedesk.gui.problems_panel import error_text, refusal_text
from quotedesk.gui.quote_editor import QuoteEditor
from quotedesk.gui.quote_list import QuoteListPanel
from quotedesk.gui.read_only import ReadOnlyNotice, SignedOffRevision
from quotedesk.gui.recovery import RecoveryFile, ask_to_recover
from quotedesk.gui.screen_fit import fit_to_screen
from quotedesk.gui.settings import Settings
from quotedesk.i18n import Formatter
from quotedesk.logs import log
from quotedesk.operations import profile as profile_ops
from quotedesk.operations import quotes as quote_ops
from quotedesk.operations.changes import OpChanges
from quotedesk.operations.price_books import price_book_for

# Dialogs and the import worker load when first used: start-up draws the window only.
if TYPE_CHECKING:  # sqlite-utils loads with the store, after the window is drawn
    from quotedesk.gui.background import BackgroundJob, Work
    from quotedesk.gui.history_dialog import HistoryDialog
    from quotedesk.store import QuoteStore

AUTOSAVE_MS = 3000
T = TypeVar("T")


class MainWindow(QMainWindow):
    message_shown = Signal(str)  # every message box's text, for tests and logs
    price_book_changed = Signal()
    refreshed = Signal(object)  # an OpChanges, after the views were drawn again for what changed

    def __init__(
        self,
        store: QuoteStore | None,
        settings: Settings,
        recovery: RecoveryFile,
        *,
        language: str = "en",
        price_book: PriceBook | None = None,
        today: date | None = None,
    ) -> None:
        super().__init__()
        self.settings, self.recovery = settings, recovery
        self._store = store
        self._price_book_given = price_book  # `--catalog`: the store's choice does not replace it
        self.today = today or date.today()
        self.formatter = Formatter(language)
        self.rules = load_rules()
        # Until the database is open (after the first paint), the sample; then its book.
        self.book = price_book or price_book_for(None, store)
        self.draft: OpenQuote | None = None  # a draft, or a signed-off revision read only
        self.dirty = False
        self.message_box: QMessageBox | None = None
        self._field_said = ""  # the last problem a field said in the status bar
        self._jobs: dict[str, BackgroundJob] = {}  # "import" / "export" while one runs
        self.setWindowTitle(self.tr("Quote Desk"))

        self.quotes = QuoteListPanel(self.formatter)
        self.quotes.quote_chosen.connect(lambda n: self.run(lambda: self.open_stored(n)))
        self.editor = QuoteEditor()
        self.editor.field_problem.connect(self._field_problem)
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
        self._autosave.timeout.connect(lambda: self.run(self.autosave))
        self.pdf_language = PdfLanguagePicker(self)
        self.pdf_actions = PdfActions(self, self.pdf_language.language, self.quotes.selected)
        self.price_book_actions = PriceBookActions(self)
        self.menu = MainMenu(self)
        if store is not None:
            show_team(self, store)
            self.quotes.set_store(store)
            self.menu.show_team_actions(store)
        fit_to_screen(self, QSize(1280, 800), settings.geometry)
        splitter_state = settings.splitter_state
        if splitter_state is None or not self.splitter.restoreState(splitter_state):
            width = self.width()
            self.splitter.setSizes([width * 28 // 100, width - width * 28 // 100])

    def run(self, slot: Callable[[], Any]) -> Any:
        """Every action goes through here: a failure is a message, never a traceback."""
        try:
            return slot()
        except Refused as exc:
            self.tell(str(exc), QMessageBox.Icon.Warning)
        except store_error() as exc:
            self.tell(error_text(exc, self.formatter), QMessageBox.Icon.Warning)
        except Exception as exc:
            log.exception("action failed")  # the traceback goes to the log file
            self.tell(
                self.tr("Something went wrong: {0}").format(exc or type(exc).__name__),
                QMessageBox.Icon.Critical,
            )
        return None

    def tell(
        self,
        text: str,
        icon: QMessageBox.Icon = QMessageBox.Icon.Information,
        over: QWidget | None = None,
    ) -> None:
        """A window-modal message that does not block the caller; with `over` (the
        control that led to it) it is modal to that control's window, which has the
        focus back on that control once the message is closed."""
        parent = over.window() if over is not None else self
        box = QMessageBox(icon, self.tr("Quote Desk"), text, QMessageBox.StandardButton.Ok, parent)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if over is not None:
            box.finished.connect(lambda _result: give_focus_back(over))
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
        language = store.profile().default_language
        if self.settings.language != language:  # a write is a file saved and synced to disk
            self.settings.language = language
            self.settings.sync()
        show_team(self, store)
        self.quotes.set_store(store)
        self.menu.show_team_actions(store)
        if self._price_book_given is None:  # a busy database is a message
            self.run(lambda: self._use_book(price_book_for(None, store)))

    def refresh(self, changes: OpChanges, *, reprice_open_quote: bool = True) -> None:
        """The one slot that draws the views again after an operation, from what it says
        it changed: the quote list, the Renewals view, the book the open quote is priced
        with, the profile's defaults on the open draft."""
        if changes.quotes:
            self.quotes.reload()
        if changes.licences:
            from quotedesk.gui.renewals_view import RenewalsView

            view = self.findChild(RenewalsView)
            if view is not None:
                view.licences_changed()
        if changes.price_books:
            self._use_book(price_book_for(None, self._store), reprice_open_quote)
        if changes.profile:
            self._use_profile(self.store.profile())
        self.refreshed.emit(changes)

    def _use_book(self, book: PriceBook, reprice_open_quote: bool = True) -> None:
        same = book.sha256 == self.book.sha256
        self.book = book
        old = self.draft
        if reprice_open_quote and not same and old is not None and not old.read_only:
            unsaved = self.dirty
            self._show(self._make_draft(old.data, old.stored, book))
            if unsaved:  # edits not yet saved stay to save
                self._edited()
        self.price_book_changed.emit()

    def _use_profile(self, profile: ResellerProfile) -> None:
        self.settings.language = profile.default_language
        draft = self.draft
        if draft is not None and not draft.read_only:
            draft.profile = profile  # its validity and partner discount apply now
            draft.reprice()
            self._mark_if_repriced()
            self._show_partner_default(profile)

    def _show_book(self) -> None:
        draft = self.draft
        illustrative = draft.illustrative if draft is not None else self.book.illustrative
        self.sample_label.setVisible(illustrative)
        label = draft.view.get("price_book", "") if draft is not None else self.book.label
        self.book_label.setText(label.split(" sha256:")[0])
        self.book_label.setToolTip(label)

    def ask_file(self, title: str, kinds: str, start: str = "") -> Path | None:
        """A file to read, chosen in the platform's dialog; None when cancelled."""
        path, _ = QFileDialog.getOpenFileName(self, title, start, kinds)
        return Path(path) if path else None

    def widget(self) -> QMainWindow:
        return self

    def show_status(self, text: str, timeout_ms: int) -> None:
        self.statusBar().showMessage(text, timeout_ms)

    def announce(self, text: str) -> None:
        self.message_shown.emit(text)

    def start_job(
        self, kind: str, work: Work[T], label: str, finish: Callable[[T], None], busy: str
    ) -> None:
        """Run `work` in the background unless a job of this kind runs (then say `busy`)."""
        if kind in self._jobs:
            self.tell(busy)
            return
        from quotedesk.gui.background import BackgroundJob  # not needed to draw the window

        job = BackgroundJob(work, label, self)
        self._jobs[kind] = job

        def finished(result: T) -> None:
            del self._jobs[kind]
            self.run(lambda: finish(result))

        job.finished.connect(finished)
        job.start()

    # Quotes

    def _make_draft(
        self,
        data: dict[str, Any],
        stored: StoredRevision | None = None,
        book: PriceBook | None = None,
    ) -> OpenQuote:
        """A stored revision is priced with the book it was saved with, so it opens at the
        totals the list and the store have; re-pricing it with another is `book`."""
        if book is None:
            book = self.book if stored is None else self._book_of(stored)
        profile = self._store.profile() if self._store is not None else None
        if stored is not None and not stored.editable:
            return SignedOffRevision(
                stored, book, self.rules, self.formatter, today=self.today, profile=profile
            )
        return QuoteDraft(
            data, book, self.rules, self.formatter, stored=stored, today=self.today, profile=profile
        )

    def _book_of(self, stored: StoredRevision) -> PriceBook:
        """The book `stored` was priced with; the window's when the database lacks it, or
        for a signed-off revision, which shows its stored prices and is never re-priced."""
        same = stored.price_book_sha256 == self.book.sha256
        if same or not stored.editable or self._store is None:
            return self.book
        return self._store.price_book_by_sha256(stored.price_book_sha256) or self.book

    def _show(self, draft: OpenQuote) -> None:
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
        self.pdf_language.show_quote(draft)
        self._show_partner_default(draft.profile)
        self.quotes.mark(draft.stored)
        self.dirty = False
        self._update_state()
        self._show_book()
        self._mark_if_repriced()

    def _mark_if_repriced(self) -> None:
        """A stored draft priced anew, with another price book or a profile changed since
        it was saved, is a change to save: shown and autosaved as an edit is, so the list
        and the store follow the editor."""
        draft = self.draft
        if draft is None or draft.stored is None or draft.read_only or self.dirty:
            return
        stored = draft.stored
        printed = priced_totals(draft.view) != priced_totals(stored.priced)
        if printed or draft.book.sha256 != stored.price_book_sha256:
            self._edited()

    def _title(self) -> str:
        draft = self.draft
        if draft is None or draft.stored is None:
            return self.tr("New quote (not saved)")
        stored = draft.stored
        status = {Status.DRAFT: self.tr("draft"), Status.SIGNED_OFF: self.tr("signed off")}.get(
            stored.status, stored.status.replace("_", " ")
        )
        return f"{stored.label} — {status}"

    def _update_state(self) -> None:
        self.menu.update_state(self.draft)
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

    def _field_problem(self, problem: str) -> None:
        """What is wrong with a field's text, shown until it is fixed (or 8 s)."""
        status = self.statusBar()
        if problem:
            self._refused(problem)
        elif status.currentMessage() == self._field_said:
            status.clearMessage()
        self._field_said = problem

    def new_quote(self) -> None:
        currency = self._store.profile().default_currency if self._store else "USD"
        self._show(self._make_draft(new_quote(self.today, currency)))
        self.editor.header.customer_name.setFocus()  # a new quote starts with its customer

    def open_file_dialog(self) -> None:
        path = self.ask_file(self.tr("Open quote file"), self.tr("Quote file (*.json)"))
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
        number = draft.stored.number if draft.stored is not None else None
        saved = quote_ops.save(
            self.store, parse_quote(draft.data), draft.book, self.rules, self.today, number
        )
        revision = saved.revision
        draft.stored = revision
        self.dirty = False
        self._autosave.stop()
        self.recovery.clear()
        self.settings.last_quote = revision.number
        self._update_state()
        self.quotes.mark(revision)
        self.refresh(saved.changes)
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
        profile = self.store.profile()
        threshold = profile.approval_threshold_pct
        approved: str | None = None  # in a team: the manager who approved this draft

        def check(by: str, approver: str | None) -> list[Refusal]:
            return sign_off_refusals(
                draft.data, draft.view, seller=profile.company, threshold=threshold,
                by=by, approver=approver or approved,
            )  # fmt: skip

        # What no name typed in the dialog can fix is said first, and nothing is saved.
        blocking = [r for r in check("-", None) if r.field not in ("signed_by", "approver")]
        if blocking:
            reasons = "\n".join(
                f"• {r.code} — {refusal_text(r, self.formatter)}" if r.code.startswith("R-")
                else f"• {refusal_text(r, self.formatter)}"
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
        from quotedesk.gui.sign_off_dialog import SignOffDialog  # a dialog: when first used
        from quotedesk.store.approvals import approver_in_team

        approved = approver_in_team(self.store, revision.number)

        (by, approver), accepted = SignOffDialog.ask(
            revision.label, check, discounts_over(draft.data, threshold), threshold, self,
            self.formatter,
        )  # fmt: skip
        if not accepted:
            return
        signed = quote_ops.sign_off(
            self.store, revision.number, by, approver or approved, require_seller=True
        )
        self._show(self._make_draft(signed.revision.quote_file, signed.revision))
        self.refresh(signed.changes)

    def revise(self) -> None:
        draft = self.draft
        if draft is None or draft.stored is None:
            return
        latest = self.store.get(draft.stored.number)
        if latest.editable:  # an earlier revision is shown, and a later draft exists
            self.open_stored(latest.key)
            text = self.tr("{0} is already the draft to change").format(latest.label)
            self.statusBar().showMessage(text, 5000)
            return
        revised = quote_ops.revise(self.store, draft.stored.number)
        revision = revised.revision
        self._show(self._make_draft(revision.quote_file, revision))
        self.refresh(revised.changes)
        self.statusBar().showMessage(self.tr("{0} is a new draft").format(revision.label), 5000)

    def show_history(self) -> HistoryDialog | None:
        draft = self.draft
        if draft is None or draft.stored is None:
            return None
        from quotedesk.gui.history_dialog import HistoryDialog  # a dialog: when first used

        number = draft.stored.number
        dialog = HistoryDialog(
            self.store.revisions(number), self.formatter, self, self.store.signed_exports(number)
        )
        dialog.revision_chosen.connect(lambda key: self.run(lambda: self.open_stored(key)))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def edit_profile(self) -> None:
        from quotedesk.gui.profile_dialog import ProfileDialog  # a dialog: when first used

        profile, accepted = ProfileDialog.edit(self.store.profile(), self)
        if accepted:
            self.apply_profile(profile)

    def apply_profile(self, profile: ResellerProfile) -> None:
        changes = self.run(lambda: profile_ops.save_profile(self.store, profile))
        if changes is not None:  # else refused: the message is shown, nothing changes
            self.refresh(changes)

    def _show_partner_default(self, profile: ResellerProfile | None) -> None:
        """The quote's partner discount field shows the profile's, which applies while the
        quote sets none (R-DISC-PARTNER)."""
        pct = profile.partner_discount_pct if profile is not None else 0
        self.editor.header.partner_discount.setPlaceholderText(str(pct))

    def find_quotes(self) -> None:
        self.quotes.search.setFocus()
        self.quotes.search.selectAll()

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
                self.run(lambda: self._recover(yes, data, number))

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

    def unsaved_quote_box(self) -> QMessageBox:
        """Save, Discard or Cancel closing, each with its key (Alt+S, Alt+D, Alt+C)."""
        buttons = QMessageBox.StandardButton
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Unsaved quote"),
            self.tr("Save the new quote before closing?"),
            buttons.Save | buttons.Discard | buttons.Cancel,
            self,
        )
        for button, text in (
            (buttons.Save, self.tr("&Save")),
            (buttons.Discard, self.tr("&Discard")),
            (buttons.Cancel, self.tr("&Cancel")),
        ):
            box.button(button).setText(text)
        box.setDefaultButton(buttons.Save)
        return box

    def closeEvent(self, event: QCloseEvent) -> None:
        draft = self.draft
        if draft is not None and self.dirty:
            if draft.stored is not None and not draft.read_only:
                self.run(self.save)
            elif draft.stored is None and draft.data.get("lines"):
                box = self.unsaved_quote_box()
                box.exec()
                answer = box.standardButton(box.clickedButton())
                if answer == QMessageBox.StandardButton.Cancel:
                    event.ignore()
                    return
                if answer == QMessageBox.StandardButton.Save and self.run(self.save) is None:
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


def show_team(window: MainWindow, store: QuoteStore) -> None:
    """Team mode's status, menu, syncs and Owner column, on a laptop that joined a team:
    psycopg loads then only."""
    from quotedesk.store.team import membership

    if membership(store) is not None:
        from quotedesk.gui import team_status

        team_status.install(window)


def store_error() -> type[Exception]:
    """The store's error class. An except clause evaluates this only when something was
    raised, so a window that never touched the store never loads it."""
    from quotedesk.store import StoreError  # the store loads after the window is drawn

    return StoreError


def read_quote_file(path: Path) -> dict[str, Any]:
    """The quote file as a dict, exactly as written (R-Q-5: numbers keep their text, so a
    float stays the R-INPUT error it is); raises QuoteFileError with the reason when it is
    not a readable quote."""
    return dict(load_quote_file(path).source)
