"""PDFs: a quote as a document, exported (plain, signed, many at once) in the customer's
language, timestamps added to signed exports later, and a PDF's quote read back and
imported. ReportLab and pyHanko load only when a PDF is made, signed or read."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from quotedesk.core import PriceBook, PricedQuote, Quote, RuleTables, parse_quote
from quotedesk.core.money import format_amount
from quotedesk.core.problems import Refused
from quotedesk.core.quotes.lifecycle import Status
from quotedesk.core.quotes.number import QuoteNumber
from quotedesk.core.records import ResellerProfile, StoredRevision
from quotedesk.operations.changes import OpChanges
from quotedesk.operations.quotes import Stored, compare_scenarios, price_quote, save

if TYPE_CHECKING:
    from pyhanko.sign.signers import Signer
    from pyhanko.sign.timestamps.api import TimeStamper

    from quotedesk.pdf import QuoteDocument
    from quotedesk.store import QuoteStore

    # A PKCS#12 file and its password, or a ready signer (a token's, from pdf.tokens).
    SignWith = tuple[Path, bytes] | Signer

# The language of a PDF when neither the person nor the customer's last export says one.
DEFAULT_LANGUAGE = "en"


def file_document(
    quote: Quote,
    book: PriceBook,
    rules: RuleTables,
    today: date,
    profile: ResellerProfile,
    *,
    compare: bool = False,
) -> QuoteDocument:
    """A quote file as an unsaved draft document, priced now; with `compare`, its
    alternatives for a comparison page, as `quotedesk compare` prices them."""
    from quotedesk.pdf import QuoteDocument

    priced = price_quote(quote, book, rules, today, profile)
    scenarios: tuple[dict[str, Any], ...] = ()
    if compare:
        scenarios = tuple(
            {k: v for k, v in s.to_dict().items() if k != "quote"}
            for s in compare_scenarios(dict(quote.source), book, rules, today, profile)
        )
    return QuoteDocument(
        quote.source, priced.to_dict(), None, None, Status.DRAFT, profile, scenarios=scenarios
    )


def stored_document(
    store: QuoteStore, number: str, rev: int | None = None, today: date | None = None
) -> QuoteDocument:
    """A stored revision as it was saved: it is never re-priced."""
    from quotedesk.pdf import QuoteDocument

    return QuoteDocument.from_revision(store.get(number, rev, today=today), store.profile())


def shown_document(
    store: QuoteStore,
    quote_file: Mapping[str, Any],
    priced: dict[str, Any],
    stored: StoredRevision | None,
    final: bool,
) -> QuoteDocument:
    """The quote as the window shows it: a `final` (signed-off) revision exactly as it
    was saved, anything else as priced on screen, with the DRAFT watermark."""
    from quotedesk.pdf import QuoteDocument

    profile = store.profile()
    if stored is not None and final:
        return QuoteDocument.from_revision(stored, profile)
    return QuoteDocument(
        quote_file=quote_file,
        priced=priced,
        number=stored.number if stored else None,
        revision=stored.revision if stored else None,
        status=stored.status if stored else Status.DRAFT,
        profile=profile,
    )


def check_signable(document: QuoteDocument) -> None:
    """Only a commitment to the customer is signed: a draft is Refused (checked before a
    token asks for its PIN, too)."""
    if document.draft:
        raise Refused(f"{document.label or 'the quote'} is a draft; sign it off before "
                      "exporting it signed")  # fmt: skip


def export_pdf(
    document: QuoteDocument,
    language: str,
    sign_with: SignWith | None = None,
    *,
    timestamper: TimeStamper | None = None,
) -> bytes:
    """The document as PDF bytes; with `sign_with` (PKCS#12 file and password, or a
    signer) PAdES-signed, timestamped by `timestamper` if given; a draft is Refused then.
    Raises PdfError (NoTimestamp when the timestamper gives none)."""
    if sign_with is not None:
        check_signable(document)
    from quotedesk.pdf.render import render_quote_pdf

    pdf = render_quote_pdf(document, language)
    if sign_with is None:
        return pdf
    from quotedesk.pdf.signing import sign_pdf  # pyHanko is slow to import: only to sign

    if isinstance(sign_with, tuple):
        return sign_pdf(pdf, *sign_with, timestamper=timestamper)
    return sign_pdf(pdf, sign_with, timestamper=timestamper)


NO_AUTHORITY = "no timestamp authority is set"


class SignedPdf(NamedTuple):
    data: bytes
    level: str  # PAdES "B-T" with a timestamp, "B-B" without
    no_timestamp: str | None  # why it has no timestamp yet


def export_signed(
    document: QuoteDocument,
    language: str,
    sign_with: SignWith,
    timestamp_url: str | None = None,
) -> SignedPdf:
    """export_pdf signed, with a timestamp from `timestamp_url` (else the reseller
    profile's authority): B-T. Offline, or with no authority set, it is signed all the
    same, B-B, and says why there is no timestamp (`extend_signed` adds one later)."""
    url = timestamp_url or document.profile.timestamp_url
    if not url:
        return SignedPdf(export_pdf(document, language, sign_with), "B-B", NO_AUTHORITY)
    from quotedesk.pdf.signing import NoTimestamp, timestamper

    try:
        pdf = export_pdf(document, language, sign_with, timestamper=timestamper(url))
    except NoTimestamp as exc:
        return SignedPdf(export_pdf(document, language, sign_with), "B-B", str(exc))
    return SignedPdf(pdf, "B-T", None)


def record_signed_export(
    store: QuoteStore, document: QuoteDocument, path: Path, level: str
) -> None:
    """Remember a stored revision's signed PDF and its level, by the file's real path."""
    if document.number is not None and document.revision is not None:
        store.record_signed_export(document.number, document.revision, path.resolve(), level)


class Exported(NamedTuple):
    path: Path  # the file written
    size: int  # its bytes
    language: str  # the language it is in
    level: str | None  # signed: its PAdES level, "B-T" or "B-B"
    no_timestamp: str | None  # signed without a timestamp: why
    changes: OpChanges


def export(
    store: QuoteStore | None,
    document: QuoteDocument,
    path: Path,
    language: str | None = None,
    sign_with: SignWith | None = None,
    *,
    timestamp_url: str | None = None,
) -> Exported:
    """Write `document` as a PDF at `path`, whole or not at all: in `language`, else in
    the one the quote's customer last had, else English; with `sign_with` signed as
    export_signed signs (a draft is Refused). Then the store, for a quote it holds,
    remembers the customer's language and a signed export with its level (for timestamps
    added later). Raises PdfError, or OSError when the file cannot be written."""
    from quotedesk.pdf import write_pdf

    number = document.number if store is not None else None
    if language is None:
        remembered = store.customer_language(number) if store and number else None
        language = remembered or DEFAULT_LANGUAGE
    level = no_timestamp = None
    if sign_with is None:
        data = export_pdf(document, language)
    else:
        data, level, no_timestamp = export_signed(document, language, sign_with, timestamp_url)
    write_pdf(path, data)
    if store is None or number is None:
        return Exported(path, len(data), language, level, no_timestamp, OpChanges())
    store.set_customer_language(number, language)
    if level is not None:
        record_signed_export(store, document, path, level)
    return Exported(path, len(data), language, level, no_timestamp, OpChanges(quote=number))


def export_shown(
    store: QuoteStore,
    quote_file: Mapping[str, Any],
    priced: dict[str, Any],
    stored: StoredRevision | None,
    final: bool,
    path: Path,
    language: str,
    sign_with: SignWith | None = None,
) -> Exported:
    """The window's Export PDF and Export signed PDF: `export` of the quote as shown
    (shown_document), signed with the profile's timestamp authority."""
    document = shown_document(store, quote_file, priced, stored, final)
    return export(store, document, path, language, sign_with)


def render_shown(
    store: QuoteStore,
    quote_file: Mapping[str, Any],
    priced: dict[str, Any],
    stored: StoredRevision | None,
    final: bool,
    language: str,
) -> bytes:
    """The quote as shown as PDF bytes, written nowhere (the window's preview)."""
    return export_pdf(shown_document(store, quote_file, priced, stored, final), language)


class Extended(NamedTuple):
    path: Path  # the file written
    level: str | None  # its PAdES level now (the quote's own signature's)


def extend_signed(
    path: Path, url: str, store: QuoteStore | None = None, output: Path | None = None
) -> Extended:
    """Add validation data and a document timestamp from `url` to the signed PDF at
    `path` (B-LT / B-LTA), written over it (whole or not at all, keeping its permissions)
    or to `output`; the store records the new level of an export it knows. Refused for
    a file that is not a signed quote verify finds unchanged. Raises OSError, PdfError
    (not a PDF) or NoTimestamp (the authority gave none); nothing is written then."""
    from quotedesk.core.io.files import MAX_PDF_BYTES, TooLarge, read_at_most
    from quotedesk.core.io.output import replacing
    from quotedesk.pdf.document import PdfError
    from quotedesk.pdf.longterm import extend_pdf
    from quotedesk.pdf.signing import verify_pdf

    try:
        data = read_at_most(path, MAX_PDF_BYTES, "a quote PDF")
    except TooLarge as exc:
        raise PdfError(f"{path}: {exc}") from None
    verification = verify_pdf(data, None, str(path))
    if not verification.signatures and not verification.problem:
        raise Refused(f"{path} is not signed: there is nothing to extend")
    if verification.tampering:  # a timestamp would seal the change
        raise Refused(f"{path} fails verify ({'; '.join(verification.tampering)}): not extended")
    extended = extend_pdf(data, url)
    level = verify_pdf(extended, None, str(path)).level
    target = (output or path).resolve()
    with replacing(target) as partial:
        partial.write_bytes(extended)
        if output is None:  # the same file, updated: as readable by the same people
            partial.chmod(path.stat().st_mode & 0o7777)
    if store is not None and level is not None:
        store.set_signed_level(target, level)
    return Extended(target, level)


class ExtendResult(NamedTuple):
    extended: tuple[tuple[str, str | None], ...]  # (quote label, level now)
    failed: tuple[tuple[str, str], ...]  # (quote label, reason)
    left: int = 0  # not tried: the authority gave no timestamp, or cancelled


def extend_waiting(
    store: QuoteStore,
    url: str,
    *,
    cancelled: Callable[[], bool] = lambda: False,
    progress: Callable[[int], None] = lambda percent: None,
) -> ExtendResult:
    """extend_signed for every signed export below B-LTA, oldest first. A file that fails
    is listed with its reason and the others still go, except when the authority gives
    no timestamp: then the rest would fail alike, and wait for the next try."""
    from quotedesk.pdf import PdfError
    from quotedesk.pdf.signing import NoTimestamp

    waiting = store.signed_exports(waiting=True)
    extended: list[tuple[str, str | None]] = []
    failed: list[tuple[str, str]] = []
    for count, export in enumerate(waiting, 1):
        if cancelled():
            return ExtendResult(tuple(extended), tuple(failed), len(waiting) - count + 1)
        try:
            extended.append((export.label, extend_signed(export.path, url, store).level))
        except NoTimestamp as exc:
            failed.append((export.label, str(exc)))
            return ExtendResult(tuple(extended), tuple(failed), len(waiting) - count)
        except (PdfError, Refused) as exc:
            failed.append((export.label, str(exc)))
        except FileNotFoundError:
            failed.append((export.label, f"{export.path} is no longer there"))
        except OSError as exc:
            failed.append((export.label, f"{export.path}: {exc.strerror or exc}"))
        progress(count * 100 // len(waiting))
    return ExtendResult(tuple(extended), tuple(failed))


class Accepted(NamedTuple):
    """The customer's signature in a certified quote's acceptance field."""

    signer: str
    at: datetime | None  # when they signed, by their own clock
    label: str | None  # the quote's number and revision, as the PDF's certified title names it
    fingerprint: str  # of the attached quote: ties the PDF to a stored revision

    @property
    def said(self) -> str:
        when = self.at.isoformat(timespec="seconds") if self.at else "an unknown time"
        return f"accepted by {self.signer} at {when}"


class PdfQuote(NamedTuple):
    """The quote embedded in an exported PDF, checked against the PDF."""

    quote: Quote
    printed_total: str | None  # the total the PDF shows
    tampering: tuple[str, ...]  # why verify fails (imported only when forced)
    accepted: Accepted | None = None  # only in a PDF that verifies as valid


def read_pdf_quote(data: bytes, name: str, *, force: bool = False) -> PdfQuote:
    """The quote an exported PDF carries. A PDF changed since it was made or signed is
    Refused unless `force`; an unsigned PDF (or a draft) passes on the strength of its
    printed fingerprint. Raises PdfError or QuoteFileError when it holds no readable quote."""
    from quotedesk.pdf.embedded import embedded_of, open_pdf
    from quotedesk.pdf.signing import verify_pdf  # pyHanko is slow to import: only here

    reader = open_pdf(data, name)
    embedded = embedded_of(reader, name)
    quote = parse_quote(embedded.quote_file, name)
    verification = verify_pdf(data, None, name)
    tampering = tuple(verification.tampering)
    if tampering and not force:
        raise Refused(f"{name} fails verify ({'; '.join(tampering)})")
    accepted, check = None, verification.acceptance
    if check is not None and verification.valid:
        title = reader.metadata.title if reader.metadata else None
        label = title.rsplit(" ", 1)[-1] if title else None  # "Quote QD-2026-00042-R2"
        accepted = Accepted(check.signer, check.signed_at, label, embedded.fingerprint)
    return PdfQuote(quote, embedded.priced.get("total"), tampering, accepted)


def record_acceptance(store: QuoteStore, accepted: Accepted) -> Stored | None:
    """Mark the revision the customer accepted as accepted in the store; None when the
    store does not hold it (no such number, or that revision's data is not the PDF's).
    Refused when it is no longer the quote's latest revision."""
    from quotedesk.pdf.document import fingerprint
    from quotedesk.store import NotFound

    number = QuoteNumber.parse(accepted.label or "")
    if number is None:
        return None
    try:
        stored = store.get(number.key)
    except NotFound:
        return None
    if fingerprint(stored.quote_file, stored.priced) != accepted.fingerprint:
        return None
    accepted_revision = store.set_status(number.key, Status.ACCEPTED)
    return Stored(accepted_revision, OpChanges(quotes=True, quote=accepted_revision.number))


class Imported(NamedTuple):
    revision: StoredRevision
    priced: PricedQuote
    repriced_total: str | None  # today's total when it differs from the printed one

    @property
    def changes(self) -> OpChanges:
        return OpChanges(quotes=True, quote=self.revision.number)


def import_pdf(
    store: QuoteStore, pdf: PdfQuote, book: PriceBook, rules: RuleTables, today: date
) -> Imported:
    """Save a PDF's quote as a new draft, priced today with `book` and the profile."""
    revision, priced = save(store, pdf.quote, book, rules, today)
    total = format_amount(priced.total)
    return Imported(revision, priced, None if total == pdf.printed_total else total)


class BatchResult(NamedTuple):
    written: tuple[Path, ...]
    failed: tuple[tuple[str, str], ...]  # (quote number, reason)
    cancelled: bool = False


def export_many(
    store: QuoteStore,
    numbers: Sequence[str],
    folder: Path,
    language: str,
    today: date,
    *,
    cancelled: Callable[[], bool] = lambda: False,
    progress: Callable[[int], None] = lambda percent: None,
    customer_languages: bool = False,
) -> BatchResult:
    """Write the latest revision of each quote as `<label>.pdf` into `folder`, as saved,
    each as `export` writes one. A quote that fails is listed with its reason and the
    others still go; `cancelled` is asked between quotes, and the files already written
    stay. With `customer_languages` a quote whose last export's language the store
    remembers is written in it."""
    from quotedesk.pdf import PdfError
    from quotedesk.store import StoreError

    written: list[Path] = []
    failed: list[tuple[str, str]] = []
    for count, number in enumerate(numbers, 1):
        if cancelled():
            return BatchResult(tuple(written), tuple(failed), cancelled=True)
        try:
            document = stored_document(store, number, today=today)
            path = folder / f"{document.label}.pdf"
            remembered = store.customer_language(number) if customer_languages else None
            written.append(export(store, document, path, remembered or language).path)
        except (StoreError, PdfError) as exc:
            failed.append((number, str(exc)))
        except OSError as exc:
            failed.append((number, f"cannot write in {folder} ({exc.strerror})"))
        progress(count * 100 // len(numbers))
    return BatchResult(tuple(written), tuple(failed))
