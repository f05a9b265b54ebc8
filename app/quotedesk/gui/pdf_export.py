"""PDF jobs of the window, in the background: many stored quotes, and timestamps for the
signed ones waiting for them."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

from quotedesk.core.problems import Refused
from quotedesk.gui.background import StoreWorker
from quotedesk.operations.pdf import BatchResult, ExtendResult, export_many, extend_waiting
from quotedesk.store import QuoteStore, StoreError


class BatchExport(StoreWorker):
    """export_many, each quote in its customer's language; stops between quotes
    when cancelled, keeping the files written."""

    def __init__(
        self, db_path: Path, numbers: list[str], folder: Path, language: str, today: date
    ) -> None:
        super().__init__(db_path)
        self.numbers, self.folder = numbers, folder
        self.language, self.today = language, today

    def work_on(self, store: QuoteStore) -> BatchResult:
        return export_many(
            store, self.numbers, self.folder, self.language, self.today,
            cancelled=lambda: self.cancelled, progress=self.progress.emit,
            customer_languages=True,
        )  # fmt: skip

    def failed(self, error: StoreError | Refused) -> BatchResult:
        return BatchResult((), tuple((number, str(error)) for number in self.numbers))


class AddTimestamps(StoreWorker):
    """extend_waiting with the profile's timestamp authority; stops between
    files when cancelled, keeping those done."""

    def __init__(self, db_path: Path, url: str) -> None:
        super().__init__(db_path)
        self.url = url

    def work_on(self, store: QuoteStore) -> ExtendResult:
        # pyHanko logs every untrusted certificate it meets with a traceback: noise in the
        # log, as trust is verify's matter, not extending's.
        logging.getLogger("pyhanko").setLevel(logging.CRITICAL)
        return extend_waiting(
            store, self.url, cancelled=lambda: self.cancelled, progress=self.progress.emit
        )

    def failed(self, error: StoreError | Refused) -> ExtendResult:
        return ExtendResult((), (("", str(error)),))
