"""The quote file and priced result travel inside the PDF as file attachments, so
`quotedesk import` can recreate the quote and `quotedesk verify` can check them against
what the pages print (fingerprint text and QR code)."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, NamedTuple

from reportlab.graphics.barcode import qrencoder
from reportlab.pdfbase.pdfdoc import (
    PDFArray,
    PDFDictionary,
    PDFDocument,
    PDFName,
    PDFStream,
    PDFString,
    PDFZCompress,
    xObjectName,
)
from reportlab.pdfgen.canvas import Canvas

from quotedesk.core.io.files import MB, DuplicateKey, unique_keys
from quotedesk.core.io.resources import translations
from quotedesk.core.messages import LANGUAGES
from quotedesk.core.quotes.model import MAX_QUOTE_FILE_BYTES, read_quote_json
from quotedesk.pdf.document import (
    PdfError,
    QuoteDocument,
    canonical_json,
    canonical_priced_json,
    fingerprint,
    fingerprint_of,
)

# pypdf reads PDFs (verify, import, signing) and is imported there: an export, which only
# writes with ReportLab, would spend a fifth of its time importing it.
if TYPE_CHECKING:
    from pypdf import PageObject, PdfReader

QUOTE_FILE, PRICED_FILE = "quote.json", "priced.json"
SUBJECT_PREFIX = "sha256:"  # the Info /Subject carries the fingerprint printed in the footer
SIGNATURE_FIELD = "QuoteDeskSignature"  # the reseller's signature field, certified on export
ACCEPTANCE_FIELD = "CustomerAcceptance"  # the one field the customer may sign afterwards
QR_FORM = "QuoteDeskFingerprintQR"  # the form XObject every page draws its QR code with
# An attached file unpacks to at most what `price` accepts as a quote file.
MAX_ATTACHMENT_BYTES = MAX_QUOTE_FILE_BYTES
FINGERPRINT_TEXT = re.compile(r"\b[0-9a-f]{64}\b")
# What verify and import read of the pages: a few seconds of pypdf's text extraction at
# most. A quote's page is about 40 KB to parse (drawing, fonts, QR form), 200 lines take 11
# pages; a stream of tiny text operators parses four times slower per byte.
MAX_PAGES = 100
MAX_PAGE_CONTENT = 3 * MB // 2  # decoded, summed over the pages: a quote of ~35 pages
WATERMARK_MIN_SIZE = 48  # points: the DRAFT watermark is 96, no other text comes near


class MissingData(PdfError):
    """The PDF carries no Quote Desk data (another program made it)."""


@dataclass(frozen=True, slots=True)
class Embedded:
    """The attached data; unpacks as `quote_file, priced = read_embedded(pdf)`."""

    quote_file: dict[str, Any]
    priced: dict[str, Any]

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
        return cls(canonical_json(doc.quote_file), canonical_priced_json(doc.priced))

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
                "EF": PDFDictionary({"F": document.Reference(stream)}),  # type: ignore[no-untyped-call]
            }
        )
        names += [PDFString(name), document.Reference(spec)]  # type: ignore[no-untyped-call]
    tree = PDFDictionary({"Names": PDFArray(names)})
    document.Catalog.Names = PDFDictionary({"EmbeddedFiles": tree})  # type: ignore[attr-defined]


def add_signature_field(
    canvas: Canvas,
    rect: tuple[float, float, float, float],
    name: str = SIGNATURE_FIELD,
    tooltip: str | None = None,
) -> None:
    """An empty signature field on the current page: `sign_pdf` fills the reseller's,
    so the visible signature lands in the space the layout kept for it; the customer
    signs the acceptance field."""
    entries: dict[str, Any] = {
        "Type": PDFName("Annot"),
        "Subtype": PDFName("Widget"),
        "FT": PDFName("Sig"),
        "T": PDFString(name),
        "F": 4,  # printable
        "Rect": PDFArray([round(v, 2) for v in rect]),
    }
    if tooltip:
        entries["TU"] = PDFString(tooltip)
    # ReportLab has no public call for a bare signature widget: its private annotation
    # API is what its own form fields use.
    canvas._addAnnotation(PDFDictionary(entries), name=name)  # type: ignore[attr-defined]
    doc = canvas._doc  # type: ignore[attr-defined]
    ref = doc.refAnnotation(name)
    form = getattr(doc.Catalog, "AcroForm", None)
    if form is None:
        doc.Catalog.AcroForm = PDFDictionary({"Fields": PDFArray([ref])})
    else:
        form["Fields"].sequence.append(ref)


def open_pdf(data: bytes, name: str = "the file") -> PdfReader:
    from pypdf import PdfReader  # pypdf: only when reading a PDF

    if not data.startswith(b"%PDF-"):
        raise PdfError(f"{name} is not a PDF file")
    try:
        with _bounded():
            return PdfReader(io.BytesIO(data))
    except Exception as exc:  # pypdf raises many kinds on a damaged file: all mean the same
        raise PdfError(f"{name} is a damaged PDF: {one_line(exc)}") from None


def read_embedded(data: bytes, name: str = "the file") -> Embedded:
    return embedded_of(open_pdf(data, name), name)


def embedded_of(reader: PdfReader, name: str = "the file") -> Embedded:
    """Raises MissingData when the PDF carries no quote data, PdfError when it cannot be
    read (unpacked larger than MAX_ATTACHMENT_BYTES, not JSON objects, twice attached)."""
    from pypdf.errors import LimitReachedError  # pypdf: only when reading a PDF

    try:
        with _bounded():
            files = reader.attachments
            if QUOTE_FILE not in files or PRICED_FILE not in files:
                raise MissingData(f"{name} has no Quote Desk data attached (not made by it?)")
            quote_file = _json_object(files[QUOTE_FILE], QUOTE_FILE, name, read_quote_json)
            priced = _json_object(files[PRICED_FILE], PRICED_FILE, name, _read_json)
    except PdfError:
        raise
    except LimitReachedError:
        raise PdfError(
            f"{name}: an attached file unpacks to more than {MAX_ATTACHMENT_BYTES // 2**20} MB"
        ) from None
    except Exception as exc:  # a damaged attachment or name tree, in any of pypdf's ways
        problem = one_line(exc)
        raise PdfError(f"{name}: the attached quote data cannot be read ({problem})") from None
    return Embedded(quote_file, priced)


def _json_object(copies: list[bytes], file: str, name: str, loads: Any) -> dict[str, Any]:
    """`loads` is read_quote_json for the quote file: its numbers stay as given (R-Q-5)."""
    if len(copies) != 1:
        raise PdfError(f"{name}: {file} is attached {len(copies)} times")
    try:
        value = loads(copies[0])
    except DuplicateKey as exc:
        raise PdfError(f"{name}: the attached {file}: {exc}") from None
    except (ValueError, RecursionError):
        raise PdfError(f"{name}: the attached {file} is not valid JSON") from None
    if not isinstance(value, dict):
        raise PdfError(f"{name}: the attached {file} is not a JSON object")
    return value


def _read_json(data: bytes) -> Any:
    return json.loads(data, object_pairs_hook=unique_keys)


@contextmanager
def _bounded() -> Iterator[None]:
    """pypdf's own caps are 75 MB per stream, enough for a zlib bomb to hurt: a quote's
    streams are far smaller, so no stream may unpack to more than MAX_ATTACHMENT_BYTES."""
    from pypdf import apply_configuration  # pypdf: only when reading a PDF

    with apply_configuration(
        zlib_maximum_output_length=MAX_ATTACHMENT_BYTES,
        lzw_maximum_output_length=MAX_ATTACHMENT_BYTES,
        run_length_maximum_output_length=MAX_ATTACHMENT_BYTES,
        brotli_maximum_output_length=MAX_ATTACHMENT_BYTES,
        stream_decoding_work_maximum_length=MAX_ATTACHMENT_BYTES,
    ):
        yield


@dataclass(frozen=True, slots=True)
class Pages:
    """What the pages show a reader: a problem with the printed fingerprint, or None
    when every page prints the expected one as text and as QR code; and the DRAFT mark."""

    print_problem: str | None
    draft: bool


def read_pages(reader: PdfReader, fingerprint: str | None, name: str = "the file") -> Pages:
    """Reads the pages the way a person sees them (text and QR code), never a metadata
    field: what verify compares with the attached data."""
    expected = _dark_cells(qr_modules(fingerprint)) if fingerprint else None
    problem, draft = None, False
    try:
        with _bounded():
            _check_size(reader, name)
            for number, page in enumerate(reader.pages, start=1):
                text, qr_form, watermark = _read_page(page, number, name)
                draft = draft or watermark
                if problem or expected is None:
                    continue
                printed = set(FINGERPRINT_TEXT.findall(text))
                if printed != {fingerprint}:
                    problem = f"page {number} prints fingerprint {', '.join(printed) or 'none'}"
                elif qr_form is None:
                    problem = f"page {number} shows no fingerprint QR code"
                elif _qr_cells(qr_form) != expected:
                    problem = f"page {number}: its QR code is not the code of {fingerprint}"
    except PdfError:
        raise
    except Exception as exc:  # a damaged page, in any of pypdf's ways
        raise PdfError(f"{name} is a damaged PDF: {one_line(exc)}") from None
    return Pages(problem, draft)


def _check_size(reader: PdfReader, name: str) -> None:
    """Refuse, before reading any page, a PDF whose pages make pypdf's text extraction
    parse more than a quote's would. It parses a page's content and fonts again for every
    page, and a form with its fonts each time it is drawn, in time that grows with their
    size (faster for a stream of tiny text operators than for a quote's). A quote's page
    draws one form, its QR code; `_read_page` refuses a page that draws more."""
    pages = reader.pages
    if len(pages) > MAX_PAGES:
        raise PdfError(
            f"{name} has {len(pages):,} pages, more than verify and import read "
            f"({MAX_PAGES}); not read"
        )
    left = MAX_PAGE_CONTENT
    for page in pages:
        contents = page.get_contents()
        left -= len(contents.get_data()) if contents is not None else 0
        left -= _fonts_size(page) + max(map(_form_size, _forms(page)), default=0)
        if left < 0:
            raise PdfError(
                f"{name}: its pages draw more than {MAX_PAGE_CONTENT / MB:g} MB, more than "
                "verify and import read (a quote of about 35 pages); not read"
            )


def _read_page(page: PageObject, number: int, name: str) -> tuple[str, Any, bool]:
    """The page's text, the QR form it draws (None if it draws none), and whether it
    carries the DRAFT watermark."""
    form_name = "/" + xObjectName(QR_FORM)
    drawn, draft, draws = False, False, 0

    def on_text(text: str, _cm: Any, _tm: Any, _font: Any, size: float) -> None:
        nonlocal draft
        draft = draft or (size >= WATERMARK_MIN_SIZE and text.strip() in _draft_words())

    def on_operator(op: bytes, operands: list[Any], _cm: Any, _tm: Any) -> None:
        nonlocal drawn, draws
        if op == b"Do":
            draws += 1
            if draws > 1:  # before pypdf parses the next form: stop here
                raise PdfError(too_many)
            drawn = drawn or (bool(operands) and operands[0] == form_name)

    too_many = f"{name}: page {number} draws more than its QR code; not read"
    text = page.extract_text(visitor_text=on_text, visitor_operand_before=on_operator)
    if draws > 1:  # pypdf logs and skips what is raised inside a form
        raise PdfError(too_many)
    resources: Any = page["/Resources"]  # pypdf types it as any PdfObject
    form = resources["/XObject"][form_name].get_object() if drawn else None
    return text, form, draft


def _forms(page: PageObject) -> list[Any]:
    """The forms in the page's resources (images are not parsed for text)."""
    from pypdf.generic import StreamObject  # pypdf: only when reading a PDF

    xobjects = _dictionary(_dictionary(page.get("/Resources")).get("/XObject")).values()
    found = (value.get_object() for value in xobjects)
    return [f for f in found if isinstance(f, StreamObject) and f.get("/Subtype") == "/Form"]


def _form_size(form: Any) -> int:
    return len(form.get_data()) + _fonts_size(form)


def _fonts_size(holder: Any) -> int:
    """About what pypdf reads of the fonts of a page or form each time it reads its text:
    each font's ToUnicode map, and its widths and encoding differences at 8 bytes each."""
    from pypdf.generic import StreamObject  # pypdf: only when reading a PDF

    size = 0
    for font in _dictionary(_dictionary(holder.get("/Resources")).get("/Font")).values():
        font = _dictionary(font)
        for part in (font, *map(_dictionary, _array(font.get("/DescendantFonts")))):
            to_unicode = part.get("/ToUnicode")
            to_unicode = to_unicode.get_object() if to_unicode is not None else None
            if isinstance(to_unicode, StreamObject):
                size += len(to_unicode.get_data())
            differences = _array(_dictionary(part.get("/Encoding")).get("/Differences"))
            widths = (*_array(part.get("/Widths")), *_array(part.get("/W")), *differences)
            size += 8 * sum(len(_array(w)) or 1 for w in widths) + 256
    return size


def _dictionary(value: Any) -> Any:
    from pypdf.generic import DictionaryObject  # pypdf: only when reading a PDF

    value = value.get_object() if value is not None else None
    return value if isinstance(value, DictionaryObject) else {}


def _array(value: Any) -> Any:
    from pypdf.generic import ArrayObject  # pypdf: only when reading a PDF

    value = value.get_object() if value is not None else None
    return value if isinstance(value, ArrayObject) else ()


def qr_modules(text: str) -> list[list[bool]]:
    """The QR code of `text` as rows of dark modules. One mask, always the same, so the
    code printed for a fingerprint can be recomputed and compared module for module."""
    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    # Upper-case hex fits QR's alphanumeric mode: a smaller code.
    code.addData(text.upper())
    # A fixed mask: any of the eight is a valid code, and trying all eight to score
    # them took longer than laying out a 200-line table.
    code.version = code.calculate_version()  # type: ignore[no-untyped-call]
    code.makeImpl(False, 0)
    return [[bool(dark) for dark in row] for row in code.modules]


def _dark_cells(modules: list[list[bool]]) -> frozenset[tuple[int, int]]:
    return frozenset((r, c) for r, row in enumerate(modules) for c, dark in enumerate(row) if dark)


def _qr_cells(form: Any) -> frozenset[tuple[int, int]] | None:
    """The dark modules the QR form draws, read back from its rectangles (one per run of
    dark modules in a row); None when they do not sit on one square grid."""
    from pypdf.generic import ContentStream  # pypdf: only when reading a PDF

    rects = [
        [float(v) for v in operands]
        for operands, op in ContentStream(form, None).operations
        if op == b"re" and len(operands) == 4
    ]
    if not rects or rects[0][3] <= 0:
        return None
    module = rects[0][3]
    top, left = max(r[1] for r in rects), min(r[0] for r in rects)
    cells: set[tuple[int, int]] = set()
    for x, y, width, height in rects:
        grid = ((top - y) / module, (x - left) / module, width / module, height / module)
        if any(abs(v - round(v)) > 0.05 for v in grid) or round(grid[3]) != 1:
            return None
        row, col, run = (round(v) for v in grid[:3])
        cells.update((row, col + i) for i in range(run))
    return frozenset(cells)


@cache
def _draft_words() -> frozenset[str]:
    return frozenset(translations("pdf", lang).get("DRAFT", "DRAFT") for lang in LANGUAGES)


def one_line(exc: BaseException) -> str:
    """An exception's message on one line, short enough for a terminal."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 160 else text[:157] + "..."
