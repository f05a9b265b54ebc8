"""The licence register: the customer's current licences, filled from a CSV
file or by signing off a quote (operations.renewals.renew makes renewal quotes from them).

CSV header (README "Licence register"): `licence,product,deployment,edition,billing,
users,end_date,customer,country,subdivision`. A file with any bad row imports nothing.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, NamedTuple

from quotedesk.core.dates import parse_iso_date
from quotedesk.core.io.files import MB
from quotedesk.core.messages import counted
from quotedesk.core.price_book import PriceBook, RowError, excel_csv, read_header
from quotedesk.core.problems import Invalid, Message, shown
from quotedesk.core.quotes.model import (
    EDITIONS,
    MAX_COUNT,
    MAX_SITE_URL,
    SEN_PATTERN,
    SITE_URL_PATTERN,
)
from quotedesk.core.renewals import Licence
from quotedesk.store import rows
from quotedesk.store.database import OpenDatabase, translate_errors, write_transaction
from quotedesk.store.errors import StoreError

if TYPE_CHECKING:
    from sqlite_utils import Database

COLUMNS = (
    "licence",
    "product",
    "deployment",
    "edition",
    "billing",
    "users",
    "end_date",
    "customer",
    "country",
    "subdivision",
)
MAX_CSV_BYTES = 50 * MB
IMPORT_STEP = 500  # rows between progress reports (and chances to cancel)
COUNTRY = re.compile(r"[A-Z]{2}")
_SELECT = (
    "SELECT licence, product, deployment, edition, billing, users, end_date, customer, "
    "country, subdivision, id FROM licences"
)


class ImportCancelled(Exception):
    """An import its caller cancelled; its transaction was rolled back."""


class LicenceImportError(StoreError):
    """A CSV file with bad rows: nothing was imported; `errors` lists every bad row."""

    def __init__(self, source: str, errors: list[RowError]) -> None:
        super().__init__(f"{source}: nothing imported, {counted(len(errors), 'bad row')}")
        self.source, self.errors = source, errors


class Imported(NamedTuple):
    added: int
    updated: int  # rows already in the register (same licence and product), replaced


class Filters(NamedTuple):
    """What the register lists: end dates from `today` up to `within` days ahead (all
    licences when None), a customer name containing `customer`, exact product and
    deployment."""

    today: date
    within: int | None = None
    customer: str = ""
    product: str = ""
    deployment: str = ""

    def where(self) -> tuple[str, dict[str, Any]]:
        clauses: list[str] = []
        params: dict[str, Any] = {}
        if self.within is not None:
            clauses.append("end_date BETWEEN :start AND :end")
            params["start"] = self.today.isoformat()
            params["end"] = (self.today + timedelta(days=self.within)).isoformat()
        if self.customer:
            clauses.append("instr(lower(customer), lower(:customer)) > 0")
            params["customer"] = self.customer
        if self.product:
            clauses.append("product = :product")
            params["product"] = self.product
        if self.deployment:
            clauses.append("deployment = :deployment")
            params["deployment"] = self.deployment
        return ("WHERE " + " AND ".join(clauses) if clauses else ""), params


def parse_csv(data: bytes, source: str, book: PriceBook) -> tuple[list[Licence], list[RowError]]:
    """The licences of a register CSV and the errors of its bad rows (line numbers as in
    the file, the header being line 1). A wrong header raises StoreError."""
    if len(data) > MAX_CSV_BYTES:
        raise StoreError.coded("licence.file.too_large", source=source, limit=MAX_CSV_BYTES // MB)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise StoreError.coded("licence.file.not_utf8", source=source) from None
    if not text.strip():
        raise StoreError.coded("licence.file.empty", source=source, columns=",".join(COLUMNS))
    reader, _ = excel_csv(text, COLUMNS)
    try:
        header = read_header(reader, COLUMNS)
        if len(header.missing) == len(COLUMNS):
            raise StoreError.coded(
                "licence.file.not_header", source=source, columns=",".join(COLUMNS)
            )
        problem = header.problem(source, COLUMNS)
        if problem is not None:
            raise StoreError(problem.text(), problem)
        positions = header.positions
        licences: list[Licence] = []
        errors: list[RowError] = []
        seen: dict[tuple[str, str], int] = {}
        for line_no, record in enumerate(reader, start=2):
            if not any(cell.strip() for cell in record):
                continue
            if len(record) != len(header.names):
                expected = len(header.names)
                fields = Message("row.fields", {"count": len(record), "expected": expected})
                errors.append(RowError(line_no, fields))
                continue
            try:
                licence = _parse_row([record[p].strip() for p in positions], book)
            except Invalid as exc:
                errors.append(RowError(line_no, exc.reason))
                continue
            key = (licence.licence, licence.product)
            if key in seen:
                same: dict[str, object] = {
                    "earlier": str(seen[key]),
                    "licence": licence.licence,
                    "product": licence.product,
                }
                errors.append(RowError(line_no, Message("licence.duplicate", same)))
                continue
            seen[key] = line_no
            licences.append(licence)
    except csv.Error as exc:
        raise StoreError.coded(
            "licence.file.unreadable", source=source, line=reader.line_num, detail=str(exc)
        ) from None
    if not licences and not errors:
        raise StoreError.coded("licence.file.no_rows", source=source)
    return licences, errors


def _parse_row(cells: list[str], book: PriceBook) -> Licence:
    ref, product, deployment, edition, billing, users, end, customer, country, sub = cells
    product = product.lower()
    if deployment not in ("cloud", "datacenter"):
        raise Invalid("licence.deployment", value=shown(deployment))
    if deployment == "datacenter":
        if not re.fullmatch(SEN_PATTERN, ref):
            raise Invalid("licence.not_sen", value=shown(ref))
        if edition:
            raise Invalid("licence.dc_edition")
        if billing not in ("", "annual"):
            raise Invalid("licence.dc_billing", value=shown(billing))
        billing = "annual"
    else:
        if not (re.fullmatch(SITE_URL_PATTERN, ref) and len(ref) <= MAX_SITE_URL):
            raise Invalid("licence.not_site", value=shown(ref))
        if edition not in EDITIONS:
            raise Invalid("licence.edition", value=shown(edition), choices=", ".join(EDITIONS))
        billing = billing or "annual"
        if billing not in ("annual", "monthly"):
            raise Invalid("licence.billing", value=shown(billing))
    if not book.options(product, deployment, billing):
        raise Invalid(
            "licence.product", value=shown(product), deployment=deployment, billing=billing
        )
    if not (users.isascii() and users.isdigit() and 1 <= int(users) <= MAX_COUNT):
        raise Invalid("licence.users", value=shown(users), max=MAX_COUNT)
    try:
        end_date = parse_iso_date(end)
    except Invalid as exc:
        raise Invalid("licence.end_date", reason=exc.reason) from None
    if not customer or len(customer) > 200:
        raise Invalid("licence.customer_empty" if not customer else "licence.customer_long")
    if not COUNTRY.fullmatch(country):
        raise Invalid("licence.country", value=shown(country))
    return Licence(ref, product, deployment, edition, billing, int(users), end_date,
                   customer, country, sub)  # fmt: skip


class LicenceRegister:
    """The licences table of an open QuoteStore (same connection, same thread)."""

    def __init__(self, store: OpenDatabase) -> None:
        self.store = store
        self.conn = store.conn

    def import_csv(
        self,
        data: bytes,
        source: str,
        book: PriceBook,
        step: Callable[[int, int], bool] | None = None,
    ) -> Imported:
        """All rows or none: any bad row raises LicenceImportError listing every one. A
        licence already in the register (same SEN or site and product) is replaced.
        `step(done, total)` is told every IMPORT_STEP rows; when it returns False the
        import is rolled back and ImportCancelled raised."""
        licences, errors = parse_csv(data, source, book)
        if errors:
            raise LicenceImportError(source, errors)
        with translate_errors(self.store.path), write_transaction(self.store.db):
            before = self._count("")
            for done, licence in enumerate(licences):
                if step and done % IMPORT_STEP == 0 and not step(done, len(licences)):
                    raise ImportCancelled(source)
                _upsert(self.store.db, licence, f"import {source}")
            added = self._count("") - before
        return Imported(added, len(licences) - added)

    def count(self, filters: Filters) -> int:
        where, params = filters.where()
        with translate_errors(self.store.path):
            return self._count(where, params)

    def rows(self, filters: Filters, limit: int = -1, offset: int = 0) -> list[tuple[Any, ...]]:
        """Raw rows in COLUMNS order plus the id, soonest end first (the window's model
        reads pages of these without building objects)."""
        where, params = filters.where()
        with translate_errors(self.store.path):
            return self.conn.execute(
                f"{_SELECT} {where} ORDER BY end_date, id LIMIT :limit OFFSET :offset",
                {**params, "limit": limit, "offset": offset},
            ).fetchall()

    def licences(self, filters: Filters) -> list[Licence]:
        return [_licence(row) for row in self.rows(filters)]

    def by_ids(self, ids: Iterable[int]) -> list[Licence]:
        wanted = list(ids)
        with translate_errors(self.store.path):
            found = {
                row[-1]: _licence(row)
                for row in self.conn.execute(
                    f"{_SELECT} WHERE id IN (SELECT value FROM json_each(?))", [str(wanted)]
                )
            }
        return [found[i] for i in wanted if i in found]

    def by_references(self, references: Sequence[str]) -> list[Licence]:
        """Every licence with one of these SENs or site URLs; an unknown one is an error."""
        found: list[Licence] = []
        with translate_errors(self.store.path):
            for ref in references:
                rows_ = self.conn.execute(
                    f"{_SELECT} WHERE licence = ? ORDER BY product", [ref.strip()]
                ).fetchall()
                if not rows_:
                    raise StoreError(f"no licence {ref!r} in the register")
                found += [_licence(row) for row in rows_ if _licence(row) not in found]
        return found

    def _count(self, where: str, params: dict[str, Any] | None = None) -> int:
        return int(
            self.conn.execute(f"SELECT count(*) FROM licences {where}", params or {}).fetchone()[0]
        )


def record_sale(
    db: Database, number: str, quote_file: dict[str, Any], priced: dict[str, Any]
) -> None:
    """At sign-off: each new purchase line becomes a licence, and a renewal line naming
    its licence moves that licence's end date. Call inside the sign-off's transaction."""
    # A later revision of the same quote replaces the licences it sold without a SEN or site.
    db.execute("DELETE FROM licences WHERE source = ? AND licence = ''", [number])
    customer = quote_file.get("customer")
    customer = customer if isinstance(customer, dict) else {}
    ends = {
        line["index"]: line
        for line in priced.get("lines", ())
        if line.get("kind") == "product" and line.get("period_end")
    }
    for i, line in enumerate(quote_file.get("lines", ())):
        if not isinstance(line, dict) or i not in ends or "custom" in line:
            continue
        action = line.get("action", "new")
        ref = line.get("sen") if line.get("deployment") == "datacenter" else line.get("site_url")
        ref = ref if isinstance(ref, str) else ""
        if action not in ("new", "renew") or (action == "renew" and not ref):
            continue
        p = ends[i]
        licence = Licence(
            ref, p["product"], p["deployment"], p.get("edition") or "",
            p.get("billing") or "annual",
            int(p.get("units") or 0), date.fromisoformat(p["period_end"]),
            _text(customer.get("name")), _text(customer.get("country")),
            _text(customer.get("subdivision")),
        )  # fmt: skip
        _upsert(db, licence, number)


def _upsert(db: Database, licence: Licence, source: str) -> None:
    values = {**licence._asdict(), "end_date": licence.end_date.isoformat()}
    del values["id"]
    values.update(source=source, updated_at=rows.now())
    db.execute(_UPSERT if licence.licence else _INSERT, values)


_NAMES = (*COLUMNS, "source", "updated_at")
_INSERT = (
    f"INSERT INTO licences ({', '.join(_NAMES)}) VALUES ({', '.join(':' + k for k in _NAMES)})"
)
# A licence already in the register (same SEN or site, same product) is replaced.
_UPSERT = f"{_INSERT} ON CONFLICT (licence, product) WHERE licence <> '' DO UPDATE SET " + (
    ", ".join(f"{k} = excluded.{k}" for k in _NAMES[2:])
)


def _licence(row: Sequence[Any]) -> Licence:
    return Licence._make([*row[:6], date.fromisoformat(row[6]), *row[7:10], row[10]])


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""
