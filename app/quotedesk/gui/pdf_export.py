"""PDF jobs of the window, in the background: many stored quotes, and timestamps for the
signed ones waiting for them."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

from quotedesk.gui.background import Cancelled, Progress, Work, on_store
from quotedesk.operations.pdf import BatchResult, ExtendResult, export_many, extend_waiting
from quotedesk.store import QuoteStore


def batch_export(
    db_path: Path, numbers: list[str], folder: Path, language: str, today: date
) -> Work[BatchResult]:
    """export_many, each quote in its customer's language; stops between quotes
    when cancelled, keeping the files written."""

    def work(store: QuoteStore, progress: Progress, cancelled: Cancelled) -> BatchResult:
        return export_many(
            store, numbers, folder, language, today,
            cancelled=cancelled, progress=progress, customer_languages=True,
        )  # fmt: skip

    return on_store(
        db_path, work, lambda error: BatchResult((), tuple((n, str(error)) for n in numbers))
    )


def add_timestamps(db_path: Path, url: str) -> Work[ExtendResult]:
    """extend_waiting with the profile's timestamp authority; stops between
    files when cancelled, keeping those done."""

    def work(store: QuoteStore, progress: Progress, cancelled: Cancelled) -> ExtendResult:
        # pyHanko logs every untrusted certificate it meets with a traceback: noise in the
        # log, as trust is verify's matter, not extending's.
        logging.getLogger("pyhanko").setLevel(logging.CRITICAL)
        return extend_waiting(store, url, cancelled=cancelled, progress=progress)

    return on_store(db_path, work, lambda error: ExtendResult((), (("", str(error)),)))
