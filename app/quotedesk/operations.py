"""What a person does with quotes, for every front end: price with the reseller profile's
defaults, save, sign off, revise, create renewal quotes, export (PDF, signed PDF), import a
PDF, export many.

The command line (commands/) and the window (gui/) both call these, much as Anki's
aqt/operations call the collection, so a quote saved, exported or imported is priced the
same way whichever front end did it. No Qt here; the store, ReportLab and pyHanko load
only when an operation needs them (`quotedesk price` and the window's start-up need none).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from quotedesk.core import PriceBook, PricedQuote, Quote, RuleTables, load_price_book, parse_quote
from quotedesk.core.defaults import price_with_profile
from quotedesk.core.lifecycle import Status
from quotedesk.core.money import format_amount
from quotedesk.core.quote_number import QuoteNumber
from quotedesk.core.records import ResellerProfile, StoredRevision
from quotedesk.core.resources import sample_price_book_path

if TYPE_CHECKING:
    from pyhanko.sign.signers import Signer
    from pyhanko.sign.timestamps.api import TimeStamper

    from quotedesk.core.renewals import Licence, Renewal
    from quotedesk.core.scenarios import Scenario
    from quotedesk.pdf import QuoteDocument
    from quotedesk.store import QuoteStore

    # A PKCS#12 file and its password, or a ready signer (a token's, from pdf.tokens).
    SignWith = tuple[Path, bytes] | Signer


class Refused(Exception):
    """A rule refuses the operation; the message says why in one line (exit code 1)."""


def price_book_for(catalog: str | Path | None, store: QuoteStore | None = None) -> PriceBook:
    """The book to price with: the `--catalog` file, else the store's active book (the one
    chosen in the window), else the illustrative sample. Raises PriceBookError."""
    if catalog:
        return load_price_book(Path(catalog))
    active = store.active_price_book() if store is not None else None
    return active or load_price_book(sample_price_book_path())


def price_quote(
    quote: Quote,
    book: PriceBook,
    rules: RuleTables,
    today: date,
    profile: ResellerProfile | None = None,
) -> PricedQuote:
    """Price with the profile's validity, partner discount and reseller status."""
    return price_with_profile(quote, book, rules, today, profile or ResellerProfile())


def compare_scenarios(
    data: dict[str, Any],
    book: PriceBook,
    rules: RuleTables,
    today: date,
    profile: ResellerProfile | None = None,
) -> tuple[Scenario, ...]:
    """The quote's scenarios (core.scenarios), each priced as `price_quote` prices it."""
    from quotedesk.core.scenarios import compare

    return compare(data, book, rules, today, profile=profile or ResellerProfile())


class Saved(NamedTuple):
    revision: StoredRevision
    priced: PricedQuote


def save(
    store: QuoteStore,
    quote: Quote,
    book: PriceBook,
    rules: RuleTables,
    today: date,
    number: str | None = None,
) -> Saved:
    """Price `quote` with the store's profile and save it: a new quote (draft revision 1)
    without `number`, else over the draft `number` (R-Q-2 refuses a signed-off one)."""
    priced = price_quote(quote, book, rules, today, store.profile())
    if number is None:
        return Saved(store.add_quote(quote, priced, book, today=today), priced)
    return Saved(store.save_draft(number, quote, priced, book), priced)


def sign_off(
    store: QuoteStore,
    number: str,
    by: str,
    approver: str | None = None,
    *,
    require_seller: bool = False,
) -> StoredRevision:
    """Freeze the latest draft of `number` (the store checks every sign-off rule)."""
    return store.sign_off(number, by, approver, require_seller=require_seller)


def revise(store: QuoteStore, number: str) -> StoredRevision:
    """Copy the latest signed-off revision of `number` to a new draft (R-Q-2)."""
    return store.revise(number)


def renew(
    store: QuoteStore,
    licences: Sequence[Licence],
    book: PriceBook,
    rules: RuleTables,
    today: date,
    coterm: date | None = None,
    step: Callable[[int, int], bool] | None = None,
) -> list[tuple[Renewal, StoredRevision]]:
    """Save one draft renewal quote per customer (core.renewals plans them), priced as
    `save` prices a quote: with `book` as in force on `today` and the store's profile, so
    the list, the editor and sign-off's re-pricing (R-Q-5) agree. Each line that cost
    something else in the licence's last period records that price as `was_list_price`.
    `step(done, total)` is told of each quote saved and stops the run when it returns
    False (the quotes saved so far stay)."""
    from quotedesk.core.renewals import build_renewals, was_prices

    plans = build_renewals(licences, today, rules.core_products, coterm)
    profile = store.profile()
    made: list[tuple[Renewal, StoredRevision]] = []
    for plan in plans:
        if step is not None and not step(len(made), len(plans)):
            break
        priced = price_quote(parse_quote(plan.quote, plan.customer), book, rules, today, profile)
        current = {line.index: line.list_price for line in priced.lines if line.kind == "product"}
        for i, amount in was_prices(plan.quote, current, book, rules).items():
            plan.quote["lines"][i]["was_list_price"] = format_amount(amount)
        # The same quote, now as stored: a "was" price is shown, never priced.
        quote = parse_quote(plan.quote, plan.customer)
        made.append((plan, store.add_quote(quote, priced, book, today=today)))
    if step is not None and len(made) == len(plans):
        step(len(made), len(plans))
    return made


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
    alternatives for a comparison page (issue 15 §3), as `quotedesk compare` prices them."""
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
    from quotedesk.core.files import MAX_PDF_BYTES, TooLarge, read_at_most
    from quotedesk.core.output import replacing
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


def record_acceptance(store: QuoteStore, accepted: Accepted) -> StoredRevision | None:
    """Mark the revision the customer accepted as accepted in the store; None when the
    store does not hold it (no such number, or that revision's data is not the PDF's).
    Raises RuleRefused when it is no longer the quote's latest revision."""
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
    return store.set_status(number.key, Status.ACCEPTED)


class Imported(NamedTuple):
    revision: StoredRevision
    priced: PricedQuote
    repriced_total: str | None  # today's total when it differs from the printed one


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
    """Write the latest revision of each quote as `<label>.pdf` into `folder`, as saved.
    A quote that fails is listed with its reason and the others still go; `cancelled` is
    asked between quotes, and the files already written stay. With `customer_languages`
    a quote whose last export's language the store remembers is written in it."""
    from quotedesk.pdf import PdfError, write_pdf
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
            write_pdf(path, export_pdf(document, remembered or language))
            written.append(path)
        except (StoreError, PdfError) as exc:
            failed.append((number, str(exc)))
        except OSError as exc:
            failed.append((number, f"cannot write in {folder} ({exc.strerror})"))
        progress(count * 100 // len(numbers))
    return BatchResult(tuple(written), tuple(failed))
