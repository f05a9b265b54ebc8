"""The priced quote: what `price()` returns and `quotedesk price` prints.

Every amount is a `Decimal` already rounded to the currency's minor unit, so the JSON
form is simply each amount's plain decimal text (JPY without decimals).
"""

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from quotedesk.core.messages import catalog, text
from quotedesk.core.money import format_amount
from quotedesk.core.problems import Problem, Severity, message_of


class Discount(NamedTuple):
    kind: str  # program | partner | manual | dual_licensing
    pct: Decimal
    amount: Decimal
    rule: str


class PricedLine(NamedTuple):
    """One row of the priced quote. Charge rows (upgrade credits, migration credits,
    peak-user additions) repeat the `index` of the quote line they belong to."""

    index: int  # type: ignore[assignment]  # the quote line's index; shadows tuple.index
    kind: str  # product | custom | upgrade_credit | migration_credit | peak_addition
    product: str
    name: str
    deployment: str | None
    edition: str | None
    billing: str | None
    tier: int | str | None
    units: int | None
    period_start: date | None
    period_end: date | None
    list_price: Decimal
    discounts: tuple[Discount, ...]
    net: Decimal
    taxable: bool
    # The price-book amount the line was priced from and its version: re-opening an old
    # quote shows exactly what it was priced with.
    book_price: Decimal | None = None
    price_effective_from: date | None = None
    basis: str = ""  # how list_price was computed, e.g. "12-month tier price × 24 / 12"
    # The price-book row's own product name ("Jira", "Jira Data Center"): a PDF in
    # another language describes the line from it and the deployment and edition codes.
    product_name: str = ""

    @property
    def discount_total(self) -> Decimal:
        return sum((d.amount for d in self.discounts), Decimal(0))


class TaxLine(NamedTuple):
    name: str
    jurisdiction: str
    rule: str
    rate: Decimal  # percent, like discount percentages
    base: Decimal
    amount: Decimal
    estimated: bool = False
    exempt_reason: str | None = None
    local_currency: str | None = None
    local_amount: Decimal | None = None
    exchange_rate: Decimal | None = None
    label: str = ""  # text code of the name, which front ends show translated
    exempt_code: str | None = None  # text code of exempt_reason, with its parameters
    exempt_params: tuple[tuple[str, str], ...] = ()


class PaymentMethod(NamedTuple):
    """A way to pay; its words are the text `code` with `params` (core.messages)."""

    method: str
    code: str
    params: dict[str, Any]
    rule: str
    # Saved before texts had codes (a stored revision, R-Q-5): the English label, code "".
    saved_label: str = ""

    @property
    def label(self) -> str:
        return text(self.code, "en", **self.params) if self.code else self.saved_label


class Term(NamedTuple):
    """A term printed on the quote: the text `code` with `params`."""

    rule: str
    code: str
    params: dict[str, Any]
    saved_text: str = ""  # as PaymentMethod.saved_label

    @property
    def text(self) -> str:
        return text(self.code, "en", **self.params) if self.code else self.saved_text


class PricedQuote(NamedTuple):
    currency: str
    quote_date: date
    start_date: date
    valid_until: date
    billing_experience: str
    lines: tuple[PricedLine, ...]
    subtotal: Decimal
    discount_total: Decimal
    net_total: Decimal
    admin_fee: Decimal
    admin_fee_rule: str | None
    admin_fee_rate: Decimal | None
    taxes: tuple[TaxLine, ...]
    tax_total: Decimal
    total: Decimal
    payment_methods: tuple[PaymentMethod, ...]
    terms: tuple[Term, ...]
    warnings: tuple[Problem, ...]
    errors: tuple[Problem, ...]
    price_book: str
    illustrative_prices: bool

    def to_dict(self) -> dict[str, Any]:
        """The JSON document `quotedesk price` prints (tests/schemas/priced.schema.json)."""
        return {
            "currency": self.currency,
            "quote_date": self.quote_date.isoformat(),
            "start_date": self.start_date.isoformat(),
            "valid_until": self.valid_until.isoformat(),
            "billing_experience": self.billing_experience,
            "price_book": self.price_book,
            "illustrative_prices": self.illustrative_prices,
            "lines": [_line_dict(line) for line in self.lines],
            "subtotal": format_amount(self.subtotal),
            "discount_total": format_amount(self.discount_total),
            "net_total": format_amount(self.net_total),
            "admin_fee": format_amount(self.admin_fee),
            "admin_fee_detail": None
            if self.admin_fee_rule is None
            else {
                "rule": self.admin_fee_rule,
                "rate": format_amount(self.admin_fee_rate or Decimal(0)),
            },
            "taxes": [_tax_dict(tax) for tax in self.taxes],
            "tax_total": format_amount(self.tax_total),
            "total": format_amount(self.total),
            "payment_methods": [
                {
                    "method": m.method,
                    "label": m.label,
                    "rule": m.rule,
                    "code": m.code,
                    "params": m.params,
                }
                for m in self.payment_methods
            ],
            "terms": [
                {"rule": t.rule, "text": t.text, "code": t.code, "params": t.params}
                for t in self.terms
            ],
            "warnings": [p.to_dict() for p in self.warnings],
            "errors": [p.to_dict() for p in self.errors],
        }


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _line_dict(line: PricedLine) -> dict[str, Any]:
    return {
        "index": line.index,
        "kind": line.kind,
        "product": line.product,
        "name": line.name,
        "deployment": line.deployment,
        "edition": line.edition,
        "billing": line.billing,
        "tier": line.tier,
        "units": line.units,
        "period_start": _iso(line.period_start),
        "period_end": _iso(line.period_end),
        "list_price": format_amount(line.list_price),
        "discounts": [
            {
                "kind": d.kind,
                "pct": format_amount(d.pct),
                "amount": format_amount(d.amount),
                "rule": d.rule,
            }
            for d in line.discounts
        ],
        "net": format_amount(line.net),
        "taxable": line.taxable,
        "book_price": None if line.book_price is None else format_amount(line.book_price),
        "price_effective_from": _iso(line.price_effective_from),
        "basis": line.basis,
        "product_name": line.product_name,
    }


def _tax_dict(tax: TaxLine) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": tax.name,
        "jurisdiction": tax.jurisdiction,
        "rule": tax.rule,
        "rate": format_amount(tax.rate),
        "base": format_amount(tax.base),
        "amount": format_amount(tax.amount),
        "estimated": tax.estimated,
        "exempt_reason": tax.exempt_reason,
        "label": tax.label,
    }
    if tax.exempt_code is not None:
        out["exempt"] = {"code": tax.exempt_code, "params": dict(tax.exempt_params)}
    if tax.local_currency is not None and tax.local_amount is not None:
        out["local"] = {
            "currency": tax.local_currency,
            "amount": format_amount(tax.local_amount),
            "exchange_rate": format_amount(tax.exchange_rate or Decimal(0)),
        }
    return out


def discounts_by_kind(lines: tuple[PricedLine, ...]) -> dict[str, Decimal]:
    """Each kind of discount summed over the lines, in the order the kinds first appear
    (program, partner, manual: how the totals list them)."""
    totals: dict[str, Decimal] = {}
    for line in lines:
        for d in line.discounts:
            totals[d.kind] = totals.get(d.kind, Decimal(0)) + d.amount
    return totals


def amounts_by_line(lines: tuple[PricedLine, ...]) -> dict[int, tuple[Decimal, Decimal]]:
    """(list price, net) of each quote line with its charge rows (upgrade credits, peak
    additions) added in, by the quote line's index."""
    amounts: dict[int, tuple[Decimal, Decimal]] = {}
    for line in lines:
        gross, net = amounts.get(line.index, (Decimal(0), Decimal(0)))
        amounts[line.index] = (gross + line.list_price, net + line.net)
    return amounts


def lines_left_out(error_lines: Iterable[int | None], lines: tuple[PricedLine, ...]) -> list[int]:
    """The quote lines the totals leave out: those with an error (`error_lines`: the
    line of each error) that have no priced row. The totals are the sums of the priced
    rows, so a line priced despite its error (an invalid discount ignored) is in them."""
    priced = {line.index for line in lines}
    return sorted({i for i in error_lines if i is not None and i not in priced})


def priced_lines(document: Mapping[str, Any]) -> tuple[PricedLine, ...]:
    """The lines of a priced document (as `to_dict` wrote it and the store
    keeps it) as typed values: amounts Decimal, dates dates."""
    return tuple(
        PricedLine(
            index=line["index"],
            kind=line["kind"],
            product=line["product"],
            name=line["name"],
            deployment=line.get("deployment"),
            edition=line.get("edition"),
            billing=line.get("billing"),
            tier=line.get("tier"),
            units=line.get("units"),
            period_start=_date(line.get("period_start")),
            period_end=_date(line.get("period_end")),
            list_price=Decimal(line["list_price"]),
            discounts=tuple(
                Discount(d["kind"], Decimal(d["pct"]), Decimal(d["amount"]), d.get("rule", ""))
                for d in line["discounts"]
            ),
            net=Decimal(line["net"]),
            taxable=bool(line.get("taxable", True)),
            book_price=None if line.get("book_price") is None else Decimal(line["book_price"]),
            price_effective_from=_date(line.get("price_effective_from")),
            basis=line.get("basis") or "",
            product_name=line.get("product_name") or "",
        )
        for line in document.get("lines", ())
    )


class PricedTotals(NamedTuple):
    """A stored priced document's amounts as typed values: what a PDF or view prints,
    never re-parsed or added up by it."""

    currency: str
    quote_date: date
    valid_until: date
    lines: tuple[PricedLine, ...]
    subtotal: Decimal
    discount_total: Decimal
    net_total: Decimal
    admin_fee: Decimal
    admin_fee_rate: Decimal | None
    taxes: tuple[TaxLine, ...]
    tax_total: Decimal
    total: Decimal
    illustrative_prices: bool


def priced_totals(document: Mapping[str, Any]) -> PricedTotals:
    """The amounts of a priced document (as `to_dict` wrote it and the
    store keeps it) as typed values, its lines as `priced_lines` reads them."""
    detail = document.get("admin_fee_detail") or {}
    return PricedTotals(
        currency=document["currency"],
        quote_date=date.fromisoformat(document["quote_date"]),
        valid_until=date.fromisoformat(document["valid_until"]),
        lines=priced_lines(document),
        subtotal=Decimal(document["subtotal"]),
        discount_total=Decimal(document["discount_total"]),
        net_total=Decimal(document["net_total"]),
        admin_fee=Decimal(document["admin_fee"]),
        admin_fee_rate=Decimal(detail["rate"]) if detail.get("rate") else None,
        taxes=tuple(read_tax(tax) for tax in document.get("taxes") or ()),
        tax_total=Decimal(document["tax_total"]),
        total=Decimal(document["total"]),
        illustrative_prices=bool(document.get("illustrative_prices")),
    )


def read_priced(document: Mapping[str, Any]) -> PricedQuote:
    """A saved priced document (as `to_dict` wrote it, in this or an earlier version) as
    the typed priced quote: what a PDF prints. Texts saved before they had codes keep
    their English wording."""
    totals = priced_totals(document)
    detail = document.get("admin_fee_detail") or {}
    return PricedQuote(
        currency=totals.currency,
        quote_date=totals.quote_date,
        start_date=_date(document.get("start_date")) or totals.quote_date,
        valid_until=totals.valid_until,
        billing_experience=document.get("billing_experience") or "",
        lines=totals.lines,
        subtotal=totals.subtotal,
        discount_total=totals.discount_total,
        net_total=totals.net_total,
        admin_fee=totals.admin_fee,
        admin_fee_rule=detail.get("rule"),
        admin_fee_rate=totals.admin_fee_rate,
        taxes=totals.taxes,
        tax_total=totals.tax_total,
        total=totals.total,
        payment_methods=tuple(
            PaymentMethod(m.get("method", ""), *_coded(m), m.get("rule", ""), _saved(m, "label"))
            for m in document.get("payment_methods") or ()
        ),
        terms=tuple(
            Term(t.get("rule", ""), *_coded(t), _saved(t, "text"))
            for t in document.get("terms") or ()
        ),
        warnings=tuple(_problem(p, "warning") for p in document.get("warnings") or ()),
        errors=tuple(_problem(p, "error") for p in document.get("errors") or ()),
        price_book=document.get("price_book") or "",
        illustrative_prices=totals.illustrative_prices,
    )


def _coded(item: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    """A saved text's code and parameters; ("", {}) for one saved without a code the
    catalog knows."""
    code = item.get("code")
    if isinstance(code, str) and code in catalog():
        return code, dict(item.get("params") or {})
    return "", {}


def _saved(item: Mapping[str, Any], field: str) -> str:
    """The English text of a saved text without a code ("" for one with a code)."""
    return "" if _coded(item)[0] else str(item.get(field, ""))


def _problem(problem: Mapping[str, Any], severity: Severity) -> Problem:
    said = message_of(problem)
    code, line = problem.get("code", ""), problem.get("line")
    if isinstance(said, str):
        return Problem(code, "", {}, line, severity, said)
    return Problem(code, said.key, said.params, line, severity)


def read_tax(tax: Mapping[str, Any]) -> TaxLine:
    """A saved priced tax line as a typed value."""
    local = tax.get("local")
    exempt = tax.get("exempt")
    return TaxLine(
        name=tax["name"],
        jurisdiction=tax["jurisdiction"],
        rule=tax["rule"],
        rate=Decimal(tax["rate"]),
        base=Decimal(tax["base"]),
        amount=Decimal(tax["amount"]),
        estimated=bool(tax.get("estimated")),
        exempt_reason=tax.get("exempt_reason"),
        local_currency=local["currency"] if local else None,
        local_amount=Decimal(local["amount"]) if local else None,
        exchange_rate=Decimal(local["exchange_rate"]) if local else None,
        label=tax.get("label") or "",
        exempt_code=exempt["code"] if exempt else None,
        exempt_params=tuple(exempt["params"].items()) if exempt else (),
    )


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None
