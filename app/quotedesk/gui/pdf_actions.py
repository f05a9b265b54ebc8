"""The main window's PDF actions: export, signed export, preview and the batch export of
the quotes selected in the list. ReportLab, pyHanko and QtPdf load on first use."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QObject, QStandardPaths, Qt
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QWidget,
)

from quotedesk.core.problems import Refused

if TYPE_CHECKING:
    from pyhanko.sign.signers import Signer

    from quotedesk.gui.context import WindowContext
    from quotedesk.gui.pdf_preview import PdfPreview
    from quotedesk.operations.pdf import BatchResult, Exported, ExtendResult, SignWith
    from quotedesk.pdf.tokens import TokenCertificate
    from quotedesk.store.quotes import QuoteSummary

T = TypeVar("T")


class PdfActions(QObject):
    def __init__(
        self,
        context: WindowContext,
        pdf_language: Callable[[], str],
        selected_quotes: Callable[[], list[QuoteSummary]],
    ) -> None:
        super().__init__(context.widget())
        self.context = context
        self.pdf_language = pdf_language  # the language chosen beside the PDF buttons
        self.selected_quotes = selected_quotes  # those selected in the quote list
        self.preview: PdfPreview | None = None

    def export_pdf_dialog(self) -> None:
        if self.context.draft is None or not self._export_despite_errors():
            return
        path = self._ask_pdf_path(self.tr("Export PDF"))
        if path:
            self.export_pdf(path)

    def _export_despite_errors(self) -> bool:
        """A line in error is not in the PDF nor its total: say which, and ask."""
        assert self.context.draft is not None
        left_out = self.context.draft.lines_left_out()
        if not left_out:
            return True
        text = self.tr(
            "Not in the PDF and its total, because of an error: {0}. Export without it?"
        ).format("; ".join(left_out))
        self.context.announce(text)
        answer = QMessageBox.question(
            self.context.widget(), self.tr("Export PDF"), text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )  # fmt: skip
        return answer == QMessageBox.StandardButton.Yes

    def _render_pdf(self) -> bytes | None:
        """The quote being edited as PDF bytes, or None after saying why not."""
        draft = self.context.draft
        if draft is None:
            return None

        def render() -> bytes:
            from quotedesk.operations.pdf import render_shown

            return render_shown(
                self.context.store, draft.data, draft.view, draft.stored, draft.read_only,
                self.pdf_language(),
            )  # fmt: skip

        return self._pdf_call(render)

    def _pdf_call(self, call: Callable[[], T], path: Path | None = None) -> T | None:
        """`call`'s result, or None after saying why the PDF cannot be made or written
        (to `path`)."""
        try:  # ReportLab loads only when a PDF is made, never at start-up
            from quotedesk.pdf import PdfError  # ReportLab: only when a PDF is made
        except ImportError:
            self.context.tell(self.tr("PDF export is not available in this build."))
            return None
        try:
            return call()
        except (PdfError, Refused) as exc:
            self.context.tell(str(exc), QMessageBox.Icon.Warning)
        except OSError as exc:
            self.context.tell(
                self.tr("Cannot write {0}: {1}").format(path, exc.strerror),
                QMessageBox.Icon.Warning,
            )
        return None

    def export_pdf(self, path: Path, sign_with: SignWith | None = None) -> Exported | None:
        """Write the quote as shown (a signed-off revision exactly as it was saved) in the
        PDF language chosen, which the store remembers for the quote's customer: one call
        to operations.pdf.export_shown. None after saying why not."""
        draft = self.context.draft
        if draft is None:
            return None

        def export() -> Exported:
            from quotedesk.operations.pdf import export_shown

            return export_shown(
                self.context.store, draft.data, draft.view, draft.stored, draft.read_only,
                path, self.pdf_language(), sign_with,
            )  # fmt: skip

        exported = self._pdf_call(export, path)
        if exported is None:
            return None
        self.context.refresh(exported.changes)
        if sign_with is None:
            self.context.show_status(self.tr("Exported {0}").format(path), 5000)
        return exported

    def export_signed_dialog(self) -> None:
        if self.context.draft is None or not self.context.draft.read_only:
            return
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)  # pyHanko loads: a moment
        try:
            from quotedesk.gui.signing_dialog import SigningKeyDialog  # loads pyHanko

            dialog = SigningKeyDialog(self.context.settings, self.context.widget())
        finally:
            QApplication.restoreOverrideCursor()
        if not dialog.exec():
            return
        chosen = dialog.chosen()
        if chosen is None:
            self._export_signed_with_file()
        else:
            self._export_signed_with_token(*chosen)

    def _export_signed_with_file(self) -> None:
        title = self.tr("Signing certificate")
        p12 = self.context.ask_file(
            title, self.tr("PKCS#12 certificate (*.p12 *.pfx)"), self.context.settings.certificate
        )
        if p12 is None:
            return
        # The password is checked before the save dialog: a typo is answered at once,
        # not after choosing a file name.
        ask = self.tr("Password of {0}:").format(p12.name)
        prompt = ask
        while True:
            password, ok = QInputDialog.getText(
                self.context.widget(), title, prompt, QLineEdit.EchoMode.Password
            )
            if not ok:
                return
            problem = self._certificate_problem(p12, password.encode())
            if problem is None:
                break
            prompt = f"{problem}\n\n{ask}"
        path = self._ask_pdf_path(self.tr("Export signed PDF"), signed=True)
        if path:
            self.context.settings.certificate = str(p12)
            self.context.settings.signing_with = ""
            self.export_signed_pdf(path, p12, password.encode())

    def _export_signed_with_token(self, module: Path, certificate: TokenCertificate) -> None:
        """Log in to the token with the PIN (asked again when wrong, like a password), ask
        where to save, sign: the token stays logged in only until the PDF is signed."""
        from quotedesk.pdf import PdfError  # ReportLab and pyHanko: only when signing
        from quotedesk.pdf.tokens import WrongPin, find_token, token_signer

        key = certificate.key
        with ExitStack() as session:
            try:
                token = find_token(module, key)
            except PdfError as exc:
                self.context.tell(str(exc), QMessageBox.Icon.Warning)
                return
            ask = self.tr("PIN of {0}:").format(token.label)
            prompt = ask
            while True:
                pin, ok = QInputDialog.getText(
                    self.context.widget(), self.tr("Token or smartcard"), prompt,
                    QLineEdit.EchoMode.Password,
                )  # fmt: skip
                if not ok:
                    return
                QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)  # a card is slow
                try:
                    signer = session.enter_context(token_signer(token, key, pin))
                    break
                except WrongPin as exc:
                    prompt = f"{exc}\n\n{ask}"
                except PdfError as exc:
                    self.context.tell(str(exc), QMessageBox.Icon.Warning)
                    return
                finally:
                    QApplication.restoreOverrideCursor()
            path = self._ask_pdf_path(self.tr("Export signed PDF"))
            if path:
                settings = self.context.settings
                settings.signing_with, settings.pkcs11_module = "token", str(module)
                settings.token, settings.token_key = certificate.token, certificate.label
                self.export_signed_pdf(path, signer)

    def _certificate_problem(self, p12: Path, password: bytes) -> str | None:
        from quotedesk.pdf import PdfError, load_signer  # ReportLab and pyHanko: when signing

        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)  # pyHanko loads: a moment
        try:
            load_signer(p12, password)
        except PdfError as exc:
            return str(exc)
        finally:
            QApplication.restoreOverrideCursor()
        return None

    def export_signed_pdf(self, path: Path, signer: Signer | Path, password: bytes = b"") -> None:
        """The signed-off revision as a PAdES-signed PDF (the stamp in its signature box),
        signed by `signer` or by the PKCS#12 file at that path with `password`, timestamped
        by the profile's authority when it answers. The store remembers it and its level,
        for Add timestamps now."""
        from quotedesk.operations.pdf import NO_AUTHORITY

        sign_with: SignWith = (signer, password) if isinstance(signer, Path) else signer
        # pyHanko loads, the timestamp authority answers: a moment.
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            signed = self.export_pdf(path, sign_with)
        finally:
            QApplication.restoreOverrideCursor()
        if signed is None:
            return
        if signed.no_timestamp == NO_AUTHORITY:
            text = self.tr("Exported {0}, signed without a timestamp (PAdES B-B): no timestamp "
                           "authority is set in the reseller profile.").format(path)  # fmt: skip
            self.context.show_status(text, 10000)
            self.context.announce(text)
        elif signed.no_timestamp:
            self.context.tell(
                self.tr("Exported {0}, signed without a timestamp (PAdES B-B): {1}. File > Add "
                        "timestamps now adds it once the authority answers.").format(
                    path, signed.no_timestamp
                )
            )  # fmt: skip
        else:
            text = self.tr("Exported {0}, signed with a timestamp (PAdES B-T)").format(path)
            self.context.show_status(text, 10000)

    def add_timestamps(self) -> None:
        """Extend every signed export still below B-LTA (a timestamp, validation data, the
        archival seal) in the background, with the profile's timestamp authority."""
        url = self.context.store.profile().timestamp_url
        if not url:
            self.context.tell(self.tr("Set a timestamp authority in Settings > Reseller profile "
                                     "first."))  # fmt: skip
            return
        if not self.context.store.signed_exports(waiting=True):
            self.context.tell(self.tr("No signed PDF is waiting for a timestamp."))
            return
        from quotedesk.gui.pdf_export import add_timestamps  # pyHanko: only when extending

        self.context.start_job(
            "timestamps", add_timestamps(self.context.store.path, url),
            self.tr("Adding timestamps to the signed PDFs waiting for one…"),
            self._timestamps_added,
            busy=self.tr("Timestamps are already being added."),
        )  # fmt: skip

    def _timestamps_added(self, result: ExtendResult) -> None:
        parts = [
            self.tr("Timestamped: {0} ({1})").format(label, level)
            for label, level in result.extended
        ]
        if result.failed:
            failures = [f"{label}: {reason}" for label, reason in result.failed]
            parts.append("\n".join([self.tr("Not timestamped:"), *failures]))
        if result.left:
            parts.append(self.tr("Still waiting for a timestamp: {0}").format(result.left))
        text = "\n\n".join(parts)
        if result.failed or result.left:
            self.context.tell(text, QMessageBox.Icon.Warning)
        else:
            self.context.show_status(text.replace("\n", "; "), 10000)
            self.context.announce(text)

    def preview_pdf(self) -> PdfPreview | None:
        data = self._render_pdf()
        if data is None:
            return None
        from quotedesk.gui.pdf_preview import PdfPreview  # QtPdf: only for a preview

        if self.preview is not None:
            self.preview.close()
        stored = self.context.draft.stored if self.context.draft is not None else None
        title = stored.label if stored else self.tr("new quote")
        preview = PdfPreview(data, title, self.context.widget())
        preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        preview.save_requested.connect(lambda _pdf: self.context.run(self._save_preview))
        preview.finished.connect(lambda _result: self._forget_preview(preview))
        self.preview = preview
        preview.show()
        return preview

    def _forget_preview(self, preview: PdfPreview) -> None:
        if self.preview is preview:  # not a newer preview opened since
            self.preview = None

    def _save_preview(self) -> None:
        if self.context.draft is None or not self._export_despite_errors():
            return
        path = self._ask_pdf_path(self.tr("Export PDF"), self.preview)
        if path:
            self.export_pdf(path)

    def _ask_pdf_path(
        self, title: str, parent: QWidget | None = None, signed: bool = False
    ) -> Path | None:
        """Where to write the quote's PDF: in the folder of the last export, named after
        the quote's label (the signed one apart from the plain one)."""
        stored = self.context.draft.stored if self.context.draft is not None else None
        name = stored.label if stored else self.tr("quote")
        if signed:
            name = self.tr("{0}-signed").format(name)
        path, _ = QFileDialog.getSaveFileName(
            parent or self.context.widget(), title, str(self._export_folder() / f"{name}.pdf"),
            self.tr("PDF (*.pdf)"),
        )  # fmt: skip
        if not path:
            return None
        self.context.settings.export_folder = str(Path(path).parent)
        return Path(path)

    def _export_folder(self) -> Path:
        """The folder PDFs were last exported to; the documents folder (else the home
        folder) the first time or once that folder is gone, not wherever the app was
        started from."""
        documents = QStandardPaths.StandardLocation.DocumentsLocation
        for folder in (
            self.context.settings.export_folder,
            QStandardPaths.writableLocation(documents),
        ):
            if folder and Path(folder).is_dir():
                return Path(folder)
        return Path.home()

    def export_selected_dialog(self) -> None:
        chosen = self.selected_quotes()
        if not chosen:
            self.context.tell(self.tr("Select the quotes to export in the list first "
                              "(Ctrl+click or Shift+click selects several)."))  # fmt: skip
            return
        folder = QFileDialog.getExistingDirectory(
            self.context.widget(),
            self.context.formatter.plural("ui.export_quotes_to", len(chosen)),
            str(self._export_folder()),
        )
        if not folder:
            return
        self.context.settings.export_folder = folder
        existing = [q.label for q in chosen if (Path(folder) / f"{q.label}.pdf").exists()]
        if existing:
            answer = QMessageBox.question(
                self.context.widget(),
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
        from quotedesk.gui.pdf_export import batch_export  # ReportLab: only when exporting

        work = batch_export(
            self.context.store.path,
            numbers,
            folder,
            self.context.formatter.language,
            self.context.today,
        )
        label = self.context.formatter.plural(
            "ui.exporting_quotes", len(numbers), folder=folder.name
        )
        self.context.start_job(
            "export", work, label,
            lambda result: self._quotes_exported(result, len(numbers), folder),
            busy=self.tr("Quotes are already being exported."),
        )  # fmt: skip

    def _quotes_exported(self, result: BatchResult, asked: int, folder: Path) -> None:
        written = len(result.written)
        code = "ui.export_cancelled" if result.cancelled else "ui.pdfs_written"
        # The noun goes with the number asked for: "1 of 2 PDFs", "0 of 1 PDF".
        text = self.context.formatter.plural(code, asked, written=written, folder=str(folder))
        if result.failed:
            failures = [f"{number}: {reason}" for number, reason in result.failed]
            text = "\n".join([text, "", self.tr("Not exported:"), *failures])
            self.context.tell(text, QMessageBox.Icon.Warning)
        elif result.cancelled:
            self.context.tell(text)
        else:
            self.context.show_status(text, 8000)
            self.context.announce(text)
