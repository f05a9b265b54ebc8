"""PDF quotes from the app: the quote being edited, and many stored quotes in the
background. ReportLab loads with this module, never at start-up."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from quotedesk import operations
from quotedesk.core.records import ResellerProfile
from quotedesk.gui.background import Worker
from quotedesk.gui.draft import QuoteDraft
from quotedesk.operations import BatchResult
from quotedesk.pdf import QuoteDocument
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


class BatchExport(Worker):
    """operations.export_many, each quote in its customer's language, in a QThread with
    its own database connection (an SQLite connection belongs to the thread that opened
    it); stops between quotes when cancelled, keeping the files written."""

    def __init__(
        self, db_path: Path, numbers: list[str], folder: Path, language: str, today: date
    ) -> None:
        super().__init__()
        self.db_path, self.numbers, self.folder = db_path, numbers, folder
        self.language, self.today = language, today

    def work(self) -> BatchResult:
        try:
            store = open_store(self.db_path)
        except StoreError as exc:
            return BatchResult((), tuple((number, str(exc)) for number in self.numbers))
        with store:
            return operations.export_many(
                store, self.numbers, self.folder, self.language, self.today,
                cancelled=lambda: self.cancelled, progress=self.progress.emit,
                customer_languages=True,
            )  # fmt: skip
