"""Price books: CSV files with the COLUMNS below, versioned by `effective_from`.

For each (product, deployment, edition, billing, currency) the newest version that is
not after the quote date applies. Annual cloud and Data Center rows are tiers (price for
12 months); monthly rows are bands of a graduated per-month price.
"""

import csv
import io
import re
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

try:  # hashlib loads OpenSSL, a good part of a `quotedesk price` run, for this one digest
    from _sha256 import sha256  # type: ignore[import-not-found]  # CPython 3.11 (3.12: _sha2)
except ImportError:
    from hashlib import sha256

from quotedesk.core.dates import parse_iso_date
from quotedesk.core.deployment import terms_fit
from quotedesk.core.io.files import MB, read_file
from quotedesk.core.io.resources import sample_price_book_path
from quotedesk.core.money import (
    MAX_DECIMAL_PLACES,
    MAX_INTEGER_DIGITS,
    NotADecimal,
    parse_decimal,
)
from quotedesk.core.problems import Invalid, Message, render, shown
from quotedesk.core.quotes.model import MAX_COUNT

if TYPE_CHECKING:
    from _csv import Reader as CsvReader  # what csv.reader returns (typeshed's name)

COLUMNS = (
    "product",
    "name",
    "deployment",
    "edition",
    "billing",
    "unit",
    "tier_max",
    "price_kind",
    "currency",
    "price",
    "effective_from",
)
MAX_PRICE_BOOK_BYTES = 20 * MB
PROGRESS_ROWS = 2000  # rows between two calls of parse_price_book's `progress`
SAVE_AS_UTF8 = "in Excel, use File → Save As → “CSV UTF-8 (Comma delimited)” and import that file"
# "8.000" in a semicolon-separated file: eight thousand (pt-BR, de) or eight?
_THOUSANDS_ONLY = r"\d{1,3}(\.\d{3})+"  # compiled by `re` when a semicolon file needs it
_DECIMAL_COMMA = r"\d{1,3}(\.\d{3})*,\d+|\d+,\d+"

Key = tuple[
    str, str, str, str, str
]  # product, deployment, edition ("" for none), billing, currency


class PriceBookError(ValueError):
    """The price book cannot be used at all (exit 2 on the command line)."""


class PriceRow(NamedTuple):
    product: str
    name: str
    deployment: str
    edition: str  # "" for Data Center and edition-less apps
    billing: str
    unit: str
    tier_max: int | None  # None: unlimited tier / last band
    price_kind: str  # flat | per_unit
    currency: str
    price: Decimal
    effective_from: date
    source_line: int

    @property
    def key(self) -> Key:
        return (self.product, self.deployment, self.edition, self.billing, self.currency)


class RowError(NamedTuple):
    """A bad row of a CSV file (a price book, a licence register) by its line in the file
    (the header is line 1) and its reason by code, which each front end shows in its
    language."""

    line: int
    reason: Message

    @property
    def message(self) -> str:
        return self.reason.text()

    def text(
        self, language: str = "en", value: Callable[[str, object], object] | None = None
    ) -> str:
        params = {"line_no": self.line, "reason": self.reason}
        return render("row.line", params, language, value)

    def __str__(self) -> str:
        return self.text()


class Schedule(NamedTuple):
    """The rows of one key at one version: a tier ladder or a ladder of monthly bands."""

    effective_from: date
    rows: tuple[PriceRow, ...]  # sorted by tier_max, unlimited last

    def tier_for(self, count: int) -> PriceRow | None:
        """R-TIER-1: the smallest tier whose size is at least `count`."""
        for row in self.rows:
            if row.tier_max is None or row.tier_max >= count:
                return row
        return None

    def monthly_amount(self, count: int) -> Decimal:
        """R-TIER-2 with graduated bands: each unit at its band's rate; a flat band costs
        its amount once any unit falls in it. Unrounded."""
        total, below = Decimal(0), 0
        for row in self.rows:
            if count <= below:
                break
            top = count if row.tier_max is None else min(count, row.tier_max)
            total += row.price if row.price_kind == "flat" else row.price * (top - below)
            if row.tier_max is None:
                break
            below = row.tier_max
        return total

    @property
    def max_count(self) -> int | None:
        """Largest count the ladder prices; None when the last tier is unlimited."""
        return self.rows[-1].tier_max if self.rows else 0


class PriceBook:
    def __init__(self, rows: tuple[PriceRow, ...], source: str, data: bytes) -> None:
        self.rows = rows
        self.source = source
        self.data = data  # the CSV as read: the store keeps it with the quotes priced by it
        self.sha256 = sha256(data).hexdigest()
        self.illustrative = data == _sample_data()
        grouped: dict[Key, dict[date, list[PriceRow]]] = {}
        for row in rows:
            grouped.setdefault(row.key, {}).setdefault(row.effective_from, []).append(row)
        # Newest version first, so effective_on stops at the first one not after the date.
        self._versions: dict[Key, tuple[Schedule, ...]] = {
            key: tuple(
                Schedule(when, tuple(sorted(v, key=_tier_order)))
                for when, v in sorted(by_date.items(), reverse=True)
            )
            for key, by_date in grouped.items()
        }
        # A product may be named per deployment ("Jira", "Jira Data Center"); the product
        # as a whole goes by its cloud name. A line uses its own row's name (lines.py).
        self._names: dict[str, str] = {}
        for row in rows:
            if row.deployment == "cloud" or row.product not in self._names:
                self._names[row.product] = row.name
        self._keys_by_product: dict[str, list[Key]] = {}
        for key in self._versions:
            self._keys_by_product.setdefault(key[0], []).append(key)
        # Pricing asks the same few questions for every line: answer each once.
        self._options: dict[tuple[str, str | None, str | None], tuple[Key, ...]] = {}

    def schedule(self, key: Key, on: date) -> Schedule | None:
        for schedule in self._versions.get(key, ()):
            if schedule.effective_from <= on:
                return schedule
        return None

    def has_key(self, key: Key) -> bool:
        return key in self._versions

    def keys(self) -> tuple[Key, ...]:
        return tuple(self._versions)

    def name_of(self, product: str) -> str | None:
        return self._names.get(product)

    def options(
        self, product: str, deployment: str | None = None, billing: str | None = None
    ) -> tuple[Key, ...]:
        question = (product, deployment, billing)
        if question not in self._options:
            self._options[question] = tuple(
                k
                for k in self._keys_by_product.get(product, ())
                if deployment in (None, k[1]) and billing in (None, k[3])
            )
        return self._options[question]

    @property
    def versions(self) -> tuple[date, ...]:
        return tuple(sorted({row.effective_from for row in self.rows}))

    @property
    def label(self) -> str:
        suffix = " (illustrative sample)" if self.illustrative else ""
        return f"{Path(self.source).name} sha256:{self.sha256[:12]}{suffix}"


def _tier_order(row: PriceRow) -> tuple[int, int]:
    return (1, 0) if row.tier_max is None else (0, row.tier_max)


@cache
def _sample_data() -> bytes | None:
    try:
        return sample_price_book_path().read_bytes()
    except OSError:
        return None


def load_price_book(path: Path) -> PriceBook:
    """Read a CSV price book; any bad row makes the whole book unusable."""
    data = read_file(path, MAX_PRICE_BOOK_BYTES, "a price book", PriceBookError)
    book, errors = parse_price_book(data, str(path))
    if errors:
        listed = "; ".join(str(e) for e in errors[:3])
        more = f" (and {len(errors) - 3} more)" if len(errors) > 3 else ""
        raise PriceBookError(f"{path}: {listed}{more}")
    return book


def parse_price_book(
    data: bytes, source: str, progress: Callable[[int], None] | None = None
) -> tuple[PriceBook, list[RowError]]:
    """Parse CSV bytes, comma- or (Excel in pt-BR, de, ...) semicolon-separated. A wrong
    header raises PriceBookError; bad rows are returned as RowErrors (the app lists them)
    and left out of the book. `progress` gets the percentage read every PROGRESS_ROWS rows
    (it may raise to stop)."""
    text = _decode(data, source)
    nul = data.find(b"\0")
    if nul >= 0:  # not text: no product, name or price holds one
        line = data.count(b"\n", 0, nul) + 1
        raise PriceBookError(f"{source}: line {line}: a NUL byte")
    reader, semicolons = excel_csv(text, COLUMNS)
    lines = text.count("\n") + 1
    try:
        return _parse_records(reader, data, source, semicolons, progress, lines)
    except csv.Error as exc:  # e.g. a field over csv.field_size_limit()
        raise PriceBookError(f"{source}: line {reader.line_num}: unreadable CSV ({exc})") from None


def excel_csv(text: str, columns: Sequence[str]) -> "tuple[CsvReader, bool]":
    """A CSV reader of `text` and whether it is semicolon-separated, as Excel saves CSV in
    pt-BR, de and other languages: told apart by the header line (no column name, and no
    field the price book or licence register reads, holds a semicolon)."""
    first = text.partition("\n")[0]
    semicolons = len(first.split(";")) >= len(columns) > len(first.split(","))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";" if semicolons else ",")
    return reader, semicolons


class Header(NamedTuple):
    names: list[str]  # as the file's first row has them
    missing: list[str]  # expected columns it lacks
    unknown: list[str]  # its columns that are not expected
    positions: list[int]  # where each expected column is; empty when one is missing

    def problem(self, source: str, columns: Sequence[str]) -> Message | None:
        """Why the rows cannot be read, worded alike for every CSV file the app imports."""
        if self.missing:
            return Message(
                f"csv.lacks.{'one' if len(self.missing) == 1 else 'other'}",
                {
                    "source": source,
                    "missing": ", ".join(self.missing),
                    "columns": ",".join(columns),
                },
            )
        if self.unknown:
            return Message(
                "csv.unknown_column", {"source": source, "columns": shown(", ".join(self.unknown))}
            )
        return None


def read_header(reader: Iterator[list[str]], columns: Sequence[str]) -> Header:
    names = [h.strip() for h in next(reader, [])]
    missing = [c for c in columns if c not in names]
    positions = [] if missing else [names.index(c) for c in columns]
    return Header(names, missing, [c for c in names if c not in columns], positions)


def _decode(data: bytes, source: str) -> str:
    """UTF-8 text; any other encoding is refused with what to do about it (the store
    keeps the file as given, and everything reading it back expects UTF-8)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise PriceBookError(
            f"{source}: UTF-16, not UTF-8 text (Excel's “Unicode Text”): {SAVE_AS_UTF8}"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise PriceBookError(
            f"{source}: line {line}: not UTF-8 text, probably Latin-1 / Windows-1252 (Excel's "
            f"plain “CSV” in Portuguese, German and other languages): {SAVE_AS_UTF8}"
        ) from None


def _parse_records(
    reader: Iterator[list[str]],
    data: bytes,
    source: str,
    decimal_comma: bool,
    progress: Callable[[int], None] | None,
    lines: int,
) -> tuple[PriceBook, list[RowError]]:
    header = read_header(reader, COLUMNS)
    problem = header.problem(source, COLUMNS)
    if problem is not None:
        raise PriceBookError(problem.text())
    positions = header.positions
    rows: list[PriceRow] = []
    errors: list[RowError] = []
    seen: dict[tuple[Key, date, int | None], int] = {}  # -> its line
    known = _Known()
    for line_no, record in enumerate(reader, start=2):
        if progress is not None and line_no % PROGRESS_ROWS == 1:
            progress(min(100, line_no * 100 // lines))
        if len(record) != len(header.names):
            if any(cell.strip() for cell in record):
                fields: dict[str, object] = {"count": len(record), "expected": len(header.names)}
                errors.append(RowError(line_no, Message("row.fields", fields)))
            continue
        cells = [record[p].strip() for p in positions]
        if not any(cells):
            continue
        try:
            if decimal_comma:
                cells[9] = _comma_price(cells[9])
            row = _parse_row(cells, line_no, known)
        except Invalid as exc:
            errors.append(RowError(line_no, exc.reason))
            continue
        identity = (row.key, row.effective_from, row.tier_max)
        if identity in seen:
            earlier: dict[str, object] = {"earlier": str(seen[identity])}
            errors.append(RowError(line_no, Message("price_book.duplicate", earlier)))
            continue
        seen[identity] = line_no
        rows.append(row)
    if not rows and not errors:
        raise PriceBookError(f"{source}: no price rows")
    return PriceBook(tuple(rows), source, data), errors


def _comma_price(price: str) -> str:
    """A semicolon-separated file's price: "1.234,56" and "1234,56" are 1234.56."""
    if re.fullmatch(_DECIMAL_COMMA, price):
        return price.replace(".", "").replace(",", ".")
    if re.fullmatch(_THOUSANDS_ONLY, price):
        raise Invalid(
            "price_book.thousands_or_decimals",
            value=shown(price),
            thousands=price.replace(".", ""),
            decimals=price.replace(".", ","),
        )
    return price


class _Known:
    """What a book's earlier rows have already proved valid. Its thousands of rows share
    a few dozen products and terms, tier sizes and dates: each is checked once (a third
    of the time of `quotedesk price`'s run was this parse)."""

    def __init__(self) -> None:
        self.terms: set[tuple[str, str, str, str, str, str]] = set()
        self.tiers: dict[str, int | None] = {}
        self.dates: dict[str, date] = {}


def _parse_row(cells: list[str], line_no: int, known: _Known) -> PriceRow:
    product, name, deployment, edition, billing, unit, tier, kind, currency, price, eff = cells
    terms = (product, deployment, edition, billing, kind, currency)
    if terms not in known.terms:
        _check_terms(*terms)
        known.terms.add(terms)
    if tier not in known.tiers:
        known.tiers[tier] = _tier_max(tier)
    tier_max = known.tiers[tier]
    whole, dot, fraction = price.partition(".")
    if (  # plainly within parse_decimal's bounds: skip its general checks
        price.isascii()
        and whole.isdigit()
        and len(whole) <= MAX_INTEGER_DIGITS
        and (not dot or (fraction.isdigit() and len(fraction) <= MAX_DECIMAL_PLACES))
    ):
        amount = Decimal(price)
    else:
        try:
            amount = parse_decimal(price)
        except NotADecimal as exc:
            raise Invalid("price_book.price", reason=exc.reason) from None
        if amount < 0:
            raise Invalid("price_book.price_negative", value=shown(price))
    effective_from = known.dates.get(eff)
    if effective_from is None:
        effective_from = known.dates[eff] = parse_iso_date(eff)
    return PriceRow(product.lower(), name or product, deployment, edition, billing,
                    unit or "users", tier_max, kind, currency, amount, effective_from,
                    line_no)  # fmt: skip


def _check_terms(
    product: str, deployment: str, edition: str, billing: str, kind: str, currency: str
) -> None:
    if not product:
        raise Invalid("price_book.product_empty")
    if deployment not in ("cloud", "datacenter"):
        raise Invalid("price_book.deployment", value=shown(deployment))
    if billing not in ("monthly", "annual"):
        raise Invalid("price_book.billing", value=shown(billing))
    if not terms_fit(deployment, edition, billing):
        raise Invalid("price_book.datacenter_terms")
    if edition not in ("", "free", "standard", "premium", "enterprise"):
        raise Invalid("price_book.edition", value=shown(edition))
    if kind not in ("flat", "per_unit"):
        raise Invalid("price_book.price_kind", value=shown(kind))
    if billing == "annual" and kind != "flat":
        raise Invalid("price_book.annual_flat")
    if (
        len(currency) != 3
        or not currency.isascii()
        or not currency.isalpha()
        or not currency.isupper()
    ):
        raise Invalid("price_book.currency", value=shown(currency))


def _tier_max(tier: str) -> int | None:
    # int() alone also takes "1_000", " +5", other scripts' digits and 4,000-digit numbers
    if tier and not (tier.isascii() and tier.isdigit() and len(tier) <= 9):
        raise Invalid("price_book.tier_not_whole", value=shown(tier))
    tier_max = int(tier) if tier else None
    if tier_max is not None and not 1 <= tier_max <= MAX_COUNT:
        raise Invalid("price_book.tier_range", value=str(tier_max), max=MAX_COUNT)
    return tier_max
