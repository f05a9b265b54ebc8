"""The quote model: the quote file, schema 1 (tests/schemas/quote.schema.json).

`parse_quote` turns the decoded JSON into immutable named tuples. A file that is not a
quote at all (not an object, wrong schema version, no `lines` list) raises
`QuoteFileError`; a field with a bad value becomes an ``R-INPUT`` problem kept on the
quote, so the rest of the quote still prices and every problem is reported at once.
"""

import json
import re
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from quotedesk.core.dates import parse_iso_date
from quotedesk.core.io.files import MB, DuplicateKey, read_file, unique_keys
from quotedesk.core.money import FloatLiteral, parse_decimal
from quotedesk.core.problems import Invalid, Message, Problem, shown

SCHEMA_VERSION = 1
MAX_QUOTE_FILE_BYTES = 10 * MB
# Sane bounds on a quote's numbers: users, quantities and line indexes; terms in months.
MAX_COUNT = 10_000_000
MAX_MONTHS = 1200

DEPLOYMENTS = ("cloud", "datacenter")
EDITIONS = ("free", "standard", "premium", "enterprise")
BILLINGS = ("monthly", "annual")
ACTIONS = ("new", "renew", "upgrade", "downgrade")
MODES = ("prorate", "new_term", "coterm")
PROGRAMS = ("none", "community", "academic", "classroom", "open_source", "government")
CURRENCIES = ("USD", "AUD", "JPY")
BILLING_EXPERIENCES = ("improved", "original")
# R-RESELL-2: what names a licence (the quote schema's patterns), and a contact's email.
# Compiled by `re` on first use: most quotes name no licence, and a compile at import
# would slow every `quotedesk price` run for nothing.
SEN_PATTERN = r"SEN-[0-9]{4,12}"
SITE_URL_PATTERN = r"https://[A-Za-z0-9.-]+(/\S*)?"
EMAIL_PATTERN = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")
MAX_ADDRESS = 1000
MAX_NAME = 200
MAX_EMAIL = 254
MAX_SITE_URL = 300


class QuoteFileError(ValueError):
    """The input is not a readable schema-1 quote (exit 2 on the command line)."""


class Contact(NamedTuple):
    """A person at the customer (R-RESELL-2): the technical contact receives the licence,
    the billing contact the invoice."""

    name: str = ""
    email: str | None = None


class Customer(NamedTuple):
    name: str = ""
    country: str | None = None
    subdivision: str | None = None
    ship_to_subdivision: str | None = None
    city: str | None = None
    tax_id: str | None = None
    exemptions: tuple[str, ...] = ()
    address: str | None = None  # postal address, lines separated by "\n"
    technical_contact: Contact | None = None
    billing_contact: Contact | None = None


class Addition(NamedTuple):
    """R-PEAK-2: a change of the unit count within the first monthly cycle."""

    date: date
    users: int


class MigratingFrom(NamedTuple):
    """R-MIG-1: the Data Center subscription a cloud line replaces."""

    paid_amount: Decimal
    period_start: date
    period_end: date


class ProductLine(NamedTuple):
    product: str
    deployment: str
    edition: str | None = None
    billing: str | None = None
    users: int | None = None
    months: int | None = None
    start_date: date | None = None
    action: str | None = None  # None: "new", or the parent's action for an app line
    from_users: int | None = None
    current_end_date: date | None = None
    mode: str | None = None
    coterm_with: int | None = None
    parent: int | None = None
    paid_amount: Decimal | None = None
    paid_months: int | None = None
    migrating_from: MigratingFrom | None = None
    additions: tuple[Addition, ...] = ()
    list_price: Decimal | None = None
    override_reason: str | None = None
    discount_pct: Decimal | None = None
    dual_licensing: bool = False
    sen: str | None = None  # the Data Center licence renewed or upgraded (R-RESELL-2)
    site_url: str | None = None  # the cloud site renewed or upgraded (R-RESELL-2)

    @property
    def is_app(self) -> bool:
        return self.product.startswith("app:")


class CustomLine(NamedTuple):
    """A free-text line: quantity × unit price, no program or partner discount."""

    description: str
    unit_price: Decimal
    quantity: int = 1
    taxable: bool = True
    discount_pct: Decimal | None = None


class BrokenLine(NamedTuple):
    """A line that could not be read; kept so later line indexes stay stable."""

    raw: object


Line = ProductLine | CustomLine | BrokenLine


class Quote(NamedTuple):
    lines: tuple[Line, ...] = ()
    quote_date: date | None = None
    start_date: date | None = None
    currency: str | None = None
    billing_experience: str | None = None
    customer: Customer = Customer()
    program: str = "none"
    partner_discount_pct: Decimal = Decimal(0)
    local_currency: str | None = None
    exchange_rate: Decimal | None = None
    po_number: str | None = None
    notes: str | None = None
    atlassian_ref: str | None = None
    # Problems found while reading the file (R-INPUT), reported with the priced result.
    problems: tuple[Problem, ...] = ()
    # The quote file as given (R-Q-5): what is stored, shown, exported and attached.
    source: Mapping[str, Any] = MappingProxyType({})


def load_quote_file(path: Path) -> Quote:
    """Read and parse a quote file; every unreadable case is one clear QuoteFileError."""
    data = read_file(path, MAX_QUOTE_FILE_BYTES, "a quote file", QuoteFileError)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise QuoteFileError(f"{path}: not UTF-8 text") from None
    return parse_quote_text(text, str(path))


def parse_quote_text(text: str, source: str = "quote") -> Quote:
    try:
        data = read_quote_json(text)
    except json.JSONDecodeError as exc:
        raise QuoteFileError(
            f"{source}: broken JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None
    except DuplicateKey as exc:  # json keeps the last value: not the file as given (R-Q-5)
        raise QuoteFileError(f"{source}: {exc}; a quote file gives each field once") from None
    except ValueError:  # int() refuses more than sys.get_int_max_str_digits() digits
        raise QuoteFileError(f"{source}: a number has too many digits") from None
    except RecursionError:
        raise QuoteFileError(f"{source}: the JSON is nested too deeply") from None
    return parse_quote(data, source)


def read_quote_json(text: str | bytes) -> Any:
    """JSON as `parse_quote_text` reads it: a number with a fraction stays its own text,
    and a key given twice in one object is DuplicateKey (a ValueError)."""
    return json.loads(text, parse_float=FloatLiteral, object_pairs_hook=unique_keys)


def quote_json(value: Any, *, indent: int | None = None, sort_keys: bool = False) -> str:
    """`value` as JSON text (UTF-8, not ASCII-escaped). A number `read_quote_json` kept as
    text is written back as that same number, so a stored or attached quote file is the
    file as given (R-Q-5); `json.dumps` would turn it into a string."""
    colon = ":" if indent is None else ": "

    def encode(item: Any, level: int) -> str:
        if isinstance(item, FloatLiteral):
            return str.__str__(item)
        if isinstance(item, dict):
            pairs = sorted(item.items(), key=lambda kv: kv[0]) if sort_keys else item.items()
            keyed = [f"{json.dumps(k, ensure_ascii=False)}{colon}{encode(v, level + 1)}"
                     for k, v in pairs]  # fmt: skip
            return wrap("{", keyed, "}", level)
        if isinstance(item, list | tuple):
            return wrap("[", [encode(v, level + 1) for v in item], "]", level)
        return json.dumps(item, ensure_ascii=False)

    def wrap(start: str, parts: list[str], end: str, level: int) -> str:
        if indent is None or not parts:
            return start + ",".join(parts) + end
        inner = "\n" + " " * (indent * (level + 1))
        return start + inner + f",{inner}".join(parts) + "\n" + " " * (indent * level) + end

    return encode(value, 0)


def parse_quote(data: object, source: str = "quote") -> Quote:
    if not isinstance(data, dict):
        raise QuoteFileError(f"{source}: a quote file is a JSON object, not {_kind(data).text()}")
    schema = data.get("schema", SCHEMA_VERSION)
    if schema != SCHEMA_VERSION:
        raise QuoteFileError(
            f"{source}: schema version {shown(schema)} is not supported (this is schema 1)"
        )
    raw_lines = data.get("lines")
    if not isinstance(raw_lines, list):
        raise QuoteFileError(f'{source}: the quote has no "lines" list')
    reader = _Reader()
    top = reader.section(data, None)
    customer_data = data.get("customer") or {}
    if not isinstance(customer_data, dict):
        reader.problem("R-INPUT.customer_not_object", None)
        customer_data = {}
    cust = reader.section(customer_data, None, prefix="customer.")
    exemptions = cust.get("exemptions", _string_list, ())
    country = cust.get("country", _str)
    customer = Customer(
        name=cust.get("name", _str) or "",
        country=country.upper() if country else None,
        subdivision=cust.get("subdivision", _str),
        ship_to_subdivision=cust.get("ship_to_subdivision", _str),
        city=cust.get("city", _str),
        tax_id=cust.get("tax_id", _str),
        exemptions=exemptions,
        address=cust.get("address", _address),
        technical_contact=reader.contact(customer_data, "technical_contact"),
        billing_contact=reader.contact(customer_data, "billing_contact"),
    )
    quote = Quote(
        lines=tuple(reader.line(raw, i) for i, raw in enumerate(raw_lines)),
        quote_date=top.get("quote_date", parse_iso_date),
        start_date=top.get("start_date", parse_iso_date),
        currency=top.get("currency", _choice(CURRENCIES)),
        billing_experience=top.get("billing_experience", _choice(BILLING_EXPERIENCES)),
        customer=customer,
        program=top.get("program", _choice(PROGRAMS), "none"),
        partner_discount_pct=top.get("partner_discount_pct", _percent, Decimal(0)),
        local_currency=top.get("local_currency", _currency_code),
        exchange_rate=top.get("exchange_rate", _positive_decimal),
        po_number=top.get("po_number", _str),
        notes=top.get("notes", _str),
        atlassian_ref=top.get("atlassian_ref", _str),
        problems=tuple(reader.problems),
        source=data,
    )
    return quote


class _Reader:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def problem(self, key: str, at: int | None, /, **params: object) -> None:
        self.problems.append(Problem("R-INPUT", key, params, at))

    def section(self, data: Mapping[str, Any], line: int | None, prefix: str = "") -> "_Section":
        return _Section(self, data, line, prefix)

    def contact(self, customer: Mapping[str, Any], key: str) -> Contact | None:
        raw = customer.get(key)
        if raw is None:
            return None
        if not isinstance(raw, dict):
            self.problem("R-INPUT.contact_not_object", None, field=f"customer.{key}")
            return None
        s = self.section(raw, None, prefix=f"customer.{key}.")
        return Contact(name=s.get("name", _name) or "", email=s.get("email", _email))

    def line(self, raw: object, index: int) -> Line:
        if not isinstance(raw, dict):
            self.problem("R-INPUT.line_not_object", index, line=index, kind=_kind(raw))
            return BrokenLine(raw)
        before = len(self.problems)
        s = self.section(raw, index)
        if "custom" in raw:
            description = s.get("custom", _str)
            unit_price = s.get("unit_price", _amount)
            if unit_price is None:
                self.problem("R-INPUT.custom_unit_price", index, field="unit_price")
            line: Line = CustomLine(
                description=description or "",
                unit_price=unit_price if unit_price is not None else Decimal(0),
                quantity=s.get("quantity", _count, 1),
                taxable=s.get("taxable", _bool, True),
                discount_pct=s.get("discount_pct", _percent),
            )
        else:
            product = s.get("product", _str)
            deployment = s.get("deployment", _choice((*DEPLOYMENTS, "server")))
            if not product:
                self.problem("R-INPUT.product_missing", index)
            if not deployment:
                self.problem("R-INPUT.deployment_missing", index)
            line = ProductLine(
                product=(product or "").strip().lower(),
                deployment=deployment or "",
                edition=s.get("edition", _choice(EDITIONS)),
                billing=s.get("billing", _choice(BILLINGS)),
                users=s.get("users", _count),
                months=s.get("months", _months),
                start_date=s.get("start_date", parse_iso_date),
                action=s.get("action", _choice(ACTIONS)),
                from_users=s.get("from_users", _count),
                current_end_date=s.get("current_end_date", parse_iso_date),
                mode=s.get("mode", _choice(MODES)),
                coterm_with=s.get("coterm_with", _count),
                parent=s.get("parent", _count),
                paid_amount=s.get("paid_amount", _amount),
                paid_months=s.get("paid_months", _months),
                migrating_from=s.get("migrating_from", _migrating_from),
                additions=s.get("additions", _additions, ()),
                list_price=s.get("list_price", _amount),
                override_reason=s.get("override_reason", _str),
                discount_pct=s.get("discount_pct", _percent),
                dual_licensing=s.get("dual_licensing", _bool, False),
                sen=s.get("sen", _sen),
                site_url=s.get("site_url", _site_url),
            )
        if len(self.problems) > before and (
            isinstance(line, ProductLine) and not (line.product and line.deployment)
        ):
            return BrokenLine(raw)
        return line


class _Section:
    def __init__(self, reader: _Reader, data: Mapping[str, Any], line: int | None, prefix: str):
        self.reader, self.data, self.line, self.prefix = reader, data, line, prefix

    def get(self, name: str, convert: Callable[[Any], Any], default: Any = None) -> Any:
        value = self.data.get(name)
        if value is None:
            return default
        try:
            return convert(value)
        except ValueError as exc:
            reason = exc.reason if isinstance(exc, Invalid) else str(exc)
            field = self.prefix + name
            if self.line is None:
                self.reader.problem("R-INPUT.field", None, field=field, reason=reason)
            else:
                self.reader.problem(
                    "R-INPUT.line_field", self.line, line=self.line, field=field, reason=reason
                )
            return default


_KINDS: dict[type, str] = {list: "list", str: "string", dict: "object"}


def _kind(value: object) -> Message:
    return Message(f"R-INPUT.kind.{_KINDS.get(type(value), 'value')}", {})


def _str(value: object) -> str:
    if not isinstance(value, str):
        raise Invalid("R-INPUT.not_text", value=shown(value))
    # A JSON escape such as "\ud800" decodes to a lone surrogate: not text any file or
    # terminal can hold (json.dumps would write it out as invalid UTF-8).
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise Invalid("R-INPUT.surrogate", value=shown(value)) from None
    return value


def _address(value: object) -> str:
    text = _str(value)
    if len(text) > MAX_ADDRESS:
        raise Invalid("R-INPUT.too_long", max=MAX_ADDRESS)
    return text


def _name(value: object) -> str:
    text = _str(value)
    if len(text) > MAX_NAME:
        raise Invalid("R-INPUT.too_long", max=MAX_NAME)
    return text


def _email(value: object) -> str:
    text = _str(value)
    if len(text) > MAX_EMAIL or not EMAIL_PATTERN.fullmatch(text):
        raise Invalid("R-INPUT.not_email", value=shown(text))
    return text


def _sen(value: object) -> str:
    text = _str(value)
    if not re.fullmatch(SEN_PATTERN, text):
        raise Invalid("R-INPUT.not_sen", value=shown(text))
    return text


def _site_url(value: object) -> str:
    text = _str(value)
    if len(text) > MAX_SITE_URL or not re.fullmatch(SITE_URL_PATTERN, text):
        raise Invalid("R-INPUT.not_site_url", value=shown(text))
    return text


def _bool(value: object) -> bool:
    if not isinstance(value, bool):
        raise Invalid("R-INPUT.not_bool", value=shown(value))
    return value


def _count(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise Invalid("R-INPUT.not_count", value=shown(value))
    if value > MAX_COUNT:
        raise Invalid("R-INPUT.too_large", value=shown(value), max=MAX_COUNT)
    return value


def _months(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_MONTHS:
        raise Invalid("R-INPUT.not_months", value=shown(value), max=MAX_MONTHS)
    return value


def _choice(allowed: tuple[str, ...]) -> Callable[[object], str]:
    def convert(value: object) -> str:
        if not isinstance(value, str) or value not in allowed:
            raise Invalid("R-INPUT.not_choice", value=shown(value), choices=", ".join(allowed))
        return value

    return convert


def _percent(value: object) -> Decimal:
    pct = parse_decimal(value)
    if not 0 <= pct <= 100:
        raise Invalid("R-INPUT.not_percent", value=shown(value))
    return pct


def _positive_decimal(value: object) -> Decimal:
    amount = parse_decimal(value)
    if amount <= 0:
        raise Invalid("R-INPUT.not_positive", value=shown(value))
    return amount


def _amount(value: object) -> Decimal:
    """A price or paid amount: a credit is computed by pricing, never entered negative."""
    amount = parse_decimal(value)
    if amount < 0:
        raise Invalid("R-INPUT.negative", value=shown(value))
    return amount


def _currency_code(value: object) -> str:
    if not isinstance(value, str) or len(value) != 3 or not value.isascii() or not value.isalpha():
        raise Invalid("R-INPUT.not_currency", value=shown(value))
    return value.upper()


def _string_list(value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise Invalid("R-INPUT.not_string_list")
    return tuple(_str(v).strip().lower() for v in value)


def _migrating_from(value: object) -> MigratingFrom:
    if not isinstance(value, dict):
        raise Invalid("R-INPUT.not_migration")
    try:
        paid_amount = _amount(value.get("paid_amount"))
    except Invalid as exc:
        raise Invalid("R-INPUT.paid_amount", reason=exc.reason) from None
    result = MigratingFrom(
        paid_amount=paid_amount,
        period_start=parse_iso_date(value.get("period_start")),
        period_end=parse_iso_date(value.get("period_end")),
    )
    if result.period_end <= result.period_start:
        raise Invalid("R-INPUT.period_order")
    return result


def _additions(value: object) -> tuple[Addition, ...]:
    if not isinstance(value, list):
        raise Invalid("R-INPUT.not_additions")
    out = []
    for item in value:
        users = item.get("users") if isinstance(item, dict) else None
        if isinstance(users, bool) or not isinstance(users, int):
            raise Invalid("R-INPUT.addition_shape")
        if abs(users) > MAX_COUNT:
            raise Invalid("R-INPUT.addition_too_large", value=shown(users), max=MAX_COUNT)
        out.append(Addition(parse_iso_date(item.get("date")), users))
    return tuple(sorted(out, key=lambda a: a.date))
