"""The quote file and priced result travel inside the PDF as file attachments, so
`quotedesk import` can recreate the quote and `quotedesk verify` can check the print."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple

from pypdf import PdfReader
from pypdf.errors import PdfReadError
from reportlab.pdfbase.pdfdoc import (
    PDFArray,
    PDFDictionary,
    PDFDocument,
    PDFName,
    PDFStream,
    PDFString,
    PDFZCompress,
)
from reportlab.pdfgen.canvas import Canvas

from quotedesk.core.quote import read_quote_json
from quotedesk.pdf.document import (
    PdfError,
    QuoteDocument,
    canonical_json,
    fingerprint,
    fingerprint_of,
)

QUOTE_FILE, PRICED_FILE = "quote.json", "priced.json"
SUBJECT_PREFIX = "sha256:"  # the Info /Subject carries the fingerprint printed in the footer
SIGNATURE_FIELD = "QuoteDeskSignature"  # the empty signature field the renderer leaves


@dataclass(frozen=True, slots=True)
class Embedded:
    """The attached data; unpacks as `quote_file, priced = read_embedded(pdf)`."""

    quote_file: dict[str, Any]
    priced: dict[str, Any]
    printed_fingerprint: str | None  # as recorded when the PDF was made

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter((self.quote_file, self.priced))

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


def attach(document: PDFDocument, files: Attachments) -> None:
    """Add the files to a ReportLab document being written (the catalog's EmbeddedFiles
    name tree, PDF 32000-1 section 7.11.4): written in the same pass, where re-opening
    the finished PDF with pypdf to attach them cost as much as the whole footer."""
    names: list[Any] = []
    for name, data in ((QUOTE_FILE, files.quote_json), (PRICED_FILE, files.priced_json)):
        stream = PDFStream(
            PDFDictionary(
                {
                    "Type": PDFName("EmbeddedFile"),
                    "Subtype": PDFName("application#2Fjson"),
                    "Params": PDFDictionary({"Size": len(data)}),
                }
            ),
            data,
            filters=[PDFZCompress],
        )
        spec = PDFDictionary(
            {
                "Type": PDFName("Filespec"),
                "F": PDFString(name),
                "UF": PDFString(name),
                "AFRelationship": PDFName("Data"),
                "EF": PDFDictionary({"F": document.Reference(stream)}),
            }
        )
        names += [PDFString(name), document.Reference(spec)]
    tree = PDFDictionary({"Names": PDFArray(names)})
    document.Catalog.Names = PDFDictionary({"EmbeddedFiles": tree})


def add_signature_field(canvas: Canvas, rect: tuple[float, float, float, float]) -> None:
    """An empty signature field on the current page: `sign_pdf` fills it, so the visible
    signature lands in the space the layout kept for it."""
    field = PDFDictionary(
        {
            "Type": PDFName("Annot"),
            "Subtype": PDFName("Widget"),
            "FT": PDFName("Sig"),
            "T": PDFString(SIGNATURE_FIELD),
            "F": 4,  # printable
            "Rect": PDFArray([round(v, 2) for v in rect]),
        }
    )
    canvas._addAnnotation(field, name=SIGNATURE_FIELD)
    ref = canvas._doc.refAnnotation(SIGNATURE_FIELD)
    canvas._doc.Catalog.AcroForm = PDFDictionary({"Fields": PDFArray([ref])})


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
        quote_file = read_quote_json(files[QUOTE_FILE][-1])  # numbers kept as given
        priced = json.loads(files[PRICED_FILE][-1])
        metadata = reader.metadata or {}
    except KeyError:
        raise PdfError(
            f"{name} has no Quote Desk data attached (not made by Quote Desk?)"
        ) from None
    except (PdfReadError, ValueError) as exc:
        raise PdfError(f"{name}: the attached quote data cannot be read ({exc})") from None
    subject = str(metadata.get("/Subject") or "")
    printed = subject.removeprefix(SUBJECT_PREFIX) if subject.startswith(SUBJECT_PREFIX) else None
    return Embedded(quote_file, priced, printed)
