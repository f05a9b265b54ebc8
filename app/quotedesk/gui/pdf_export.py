"""PDF quotes from the app: the quote being edited, many stored quotes in the background,
and timestamps for the signed ones waiting for them. ReportLab loads with this module,
never at start-up."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

from quotedesk import operations
from quotedesk.core.lifecycle import Status
from quotedesk.core.records import ResellerProfile
from quotedesk.gui.background import StoreWorker
from quotedesk.gui.open_quote import OpenQuote
from quotedesk.operations import BatchResult, ExtendResult
from quotedesk.pdf import QuoteDocument
from quotedesk.store import QuoteStore, StoreError


def draft_document(draft: OpenQuote, profile: ResellerProfile) -> QuoteDocument:
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
        status=stored.status if stored else Status.DRAFT,
        profile=profile,
    )


class BatchExport(StoreWorker):
    """operations.export_many, each quote in its customer's language; stops between quotes
    when cancelled, keeping the files written."""

    def __init__(
        self, db_path: Path, numbers: list[str], folder: Path, language: str, today: date
    ) -> None:
        super().__init__(db_path)
        self.numbers, self.folder = numbers, folder
        self.language, self.today = language, today

    def work_on(self, store: QuoteStore) -> BatchResult:
        return operations.export_many(
            store, self.numbers, self.folder, self.language, self.today,
            cancelled=lambda: self.cancelled, progress=self.progress.emit,
            customer_languages=True,
        )  # fmt: skip

    def failed(self, error: StoreError) -> BatchResult:
        return BatchResult((), tuple((number, str(error)) for number in self.numbers))


class AddTimestamps(StoreWorker):
    """operations.extend_waiting with the profile's timestamp authority; stops between
    files when cancelled, keeping those done."""

    def __init__(self, db_path: Path, url: str) -> None:
        super().__init__(db_path)
        self.url = url

    def work_on(self, store: QuoteStore) -> ExtendResult:
        # pyHanko logs every untrusted certificate it meets with a traceback: noise in the
        # log, as trust is verify's matter, not extending's.
        logging.getLogger("pyhanko").setLevel(logging.CRITICAL)
        return operations.extend_waiting(
            store, self.url, cancelled=lambda: self.cancelled, progress=self.progress.emit
        )

    def failed(self, error: StoreError) -> ExtendResult:
        return ExtendResult((), (("", str(error)),))
