"""PDF quotes from the app: the quote being edited, and many stored quotes in the
background. ReportLab loads with this module, never at start-up."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import NamedTuple

from quotedesk.core.records import ResellerProfile
from quotedesk.gui.background import Worker
from quotedesk.gui.draft import QuoteDraft
from quotedesk.pdf import PdfError, QuoteDocument, render_quote_pdf, write_pdf
from quotedesk.store import StoreError, open_store


def draft_document(draft: QuoteDraft, profile: ResellerProfile) -> QuoteDocument:
    """The quote as shown: a stored revision prints exactly as it was saved, anything not
    signed off prints with the DRAFT watermark."""
    stored = draft.stored
    if stored is not None and draft.read_only:
        return QuoteDocument.from_revision(stored, profile)
    return QuoteDocument(
        quote_file=draft.data,
        priced=draft.view,
        number=stored.number if stored else None,
        revision=stored.revision if stored else None,
        status=stored.status if stored else "draft",
        profile=profile,
    )


class BatchResult(NamedTuple):
    written: tuple[Path, ...]
    failed: tuple[tuple[str, str], ...]  # (quote number, reason)
    cancelled: bool = False


class BatchExport(Worker):
    """Writes each chosen revision (a bare number: the latest) as `<label>.pdf` into a
    folder, in its customer's language, else `language`. Runs in a QThread with its own
    database connection (an SQLite connection belongs to the thread that opened it);
    stops between quotes when cancelled, keeping the files written."""

    def __init__(
        self, db_path: Path, numbers: list[str], folder: Path, language: str, today: date
    ) -> None:
        super().__init__()
        self.db_path, self.numbers, self.folder = db_path, numbers, folder
        self.language, self.today = language, today

    def work(self) -> BatchResult:
        written: list[Path] = []
        failed: list[tuple[str, str]] = []
        try:
            store = open_store(self.db_path)
        except StoreError as exc:
            return BatchResult((), tuple((number, str(exc)) for number in self.numbers))
        with store:
            profile = store.profile()
            for count, number in enumerate(self.numbers, 1):
                if self.cancelled:
                    return BatchResult(tuple(written), tuple(failed), cancelled=True)
                try:
                    document = QuoteDocument.from_revision(
                        store.get(number, today=self.today), profile
                    )
                    path = self.folder / f"{document.label}.pdf"
                    # Each customer's language when an export remembered one.
                    language = store.customer_language(number) or self.language
                    write_pdf(path, render_quote_pdf(document, language))
                    written.append(path)
                except (StoreError, PdfError) as exc:
                    failed.append((number, str(exc)))
                except OSError as exc:
                    failed.append((number, f"cannot write in {self.folder} ({exc.strerror})"))
                self.progress.emit(count * 100 // len(self.numbers))
        return BatchResult(tuple(written), tuple(failed))
