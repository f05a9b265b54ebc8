"""The quote file and priced result travel inside the PDF as file attachments, so
`quotedesk import` can recreate the quote and `quotedesk verify` can check the print."""

from __future__ import annotations

import io
import json
from typing import Any, NamedTuple

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError

from quotedesk.pdf.document import (
    PdfError,
    QuoteDocument,
    canonical_json,
    fingerprint,
    fingerprint_of,
)

QUOTE_FILE, PRICED_FILE = "quote.json", "priced.json"
FINGERPRINT_KEY = "/QuoteDeskFingerprint"
SIGNATURE_BOX_KEY = "/QuoteDeskSignatureBox"  # "page x1 y1 x2 y2", where signing puts the stamp


class Embedded(NamedTuple):
    quote_file: dict[str, Any]
    priced: dict[str, Any]
    printed_fingerprint: str | None  # as recorded when the PDF was made

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.quote_file, self.priced)


class Attachments(NamedTuple):
    """The two attached files, made once per PDF: the fingerprint is their hash."""

    quote_json: bytes
    priced_json: bytes

    @classmethod
    def of(cls, doc: QuoteDocument) -> Attachments:
        return cls(canonical_json(doc.quote_file), canonical_json(doc.priced))

    @property
    def fingerprint(self) -> str:
        return fingerprint_of(self.quote_json, self.priced_json)


def attach(
    pdf: bytes,
    files: Attachments,
    signature_box: tuple[int, float, float, float, float] | None,
) -> bytes:
    # Incremental: the rendered file is kept as it is and the additions appended.
    writer = PdfWriter(io.BytesIO(pdf), incremental=True)
    writer.add_attachment(QUOTE_FILE, files.quote_json)
    writer.add_attachment(PRICED_FILE, files.priced_json)
    metadata = {FINGERPRINT_KEY: files.fingerprint}
    if signature_box is not None:
        metadata[SIGNATURE_BOX_KEY] = " ".join(f"{v:g}" for v in signature_box)
    writer.add_metadata(metadata)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def open_pdf(data: bytes, name: str = "the file") -> PdfReader:
    if not data.startswith(b"%PDF-"):
        raise PdfError(f"{name} is not a PDF file")
    try:
        return PdfReader(io.BytesIO(data))
    except (PdfReadError, ValueError, KeyError) as exc:
        raise PdfError(f"{name} is a damaged PDF: {exc}") from None


def read_embedded(data: bytes, name: str = "the file") -> Embedded:
    reader = open_pdf(data, name)
    try:
        files = reader.attachments
        quote_file = json.loads(files[QUOTE_FILE][-1])
        priced = json.loads(files[PRICED_FILE][-1])
        metadata = reader.metadata or {}
    except KeyError:
        raise PdfError(
            f"{name} has no Quote Desk data attached (not made by Quote Desk?)"
        ) from None
    except (PdfReadError, ValueError) as exc:
        raise PdfError(f"{name}: the attached quote data cannot be read ({exc})") from None
    printed = metadata.get(FINGERPRINT_KEY)
    return Embedded(quote_file, priced, str(printed) if printed else None)


def signature_box(reader: PdfReader) -> tuple[int, float, float, float, float] | None:
    value = (reader.metadata or {}).get(SIGNATURE_BOX_KEY)
    if not value:
        return None
    page, *coords = str(value).split()
    x1, y1, x2, y2 = (float(c) for c in coords)
    return int(page), x1, y1, x2, y2
