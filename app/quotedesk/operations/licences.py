"""The licence register: importing a licence CSV (renewals.py makes quotes from it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from quotedesk.core import PriceBook
from quotedesk.operations.changes import OpChanges

if TYPE_CHECKING:
    from quotedesk.store import QuoteStore
    from quotedesk.store.licences import Imported


class ImportedLicences(NamedTuple):
    imported: Imported  # how many were added, how many updated
    changes: OpChanges


def import_licences(
    store: QuoteStore,
    data: bytes,
    source: str,
    book: PriceBook,
    step: Callable[[int, int], bool] | None = None,
) -> ImportedLicences:
    """Add or replace the CSV's licences, all rows or none (LicenceRegister.import_csv:
    LicenceImportError lists every bad row; `step` returning False cancels)."""
    from quotedesk.store.licences import LicenceRegister

    imported = LicenceRegister(store).import_csv(data, source, book, step)
    return ImportedLicences(imported, OpChanges(licences=True))
