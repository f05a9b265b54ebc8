"""Bounded fuzzing: generated quote files and price books, from the
quote schema's fields mixed with junk values, go through what `quotedesk price` runs
(parse_quote_text / parse_price_book, price(), the JSON it prints). Each either is refused
as a whole (QuoteFileError / PriceBookError, exit 2) or prices to UTF-8 JSON valid against
the priced schema; nothing else may escape.

A bigger campaign, outside the suite:
    QUOTEDESK_FUZZ_EXAMPLES=5000 ./dev test tests/core/test_fuzz.py -q
"""

from __future__ import annotations

import csv
import io
import json
import os
from datetime import date
from pathlib import Path

import jsonschema
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from quotedesk.core import (
    PriceBookError,
    QuoteFileError,
    parse_price_book,
    parse_quote,
    parse_quote_text,
    price,
)
from quotedesk.core.price_book import COLUMNS
from tests.core.conftest import TODAY

SCHEMAS = Path(__file__).parents[1] / "schemas"
PRICED_SCHEMA = json.loads((SCHEMAS / "priced.schema.json").read_text())
FUZZ = settings(
    max_examples=int(os.environ.get("QUOTEDESK_FUZZ_EXAMPLES", "200")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Values that broke parsing or pricing once, and values of every JSON type.
junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
    st.sampled_from(
        ["\ud800", "a\udfff", "9" * 40, "-500", "1e5", "NaN", "0.000000001", "٣", "", " 5 "]
    ),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)
dates = st.one_of(
    st.dates().map(date.isoformat),
    st.dates(date(2024, 1, 1), date(2028, 12, 31)).map(date.isoformat),
    st.sampled_from(["2026-W05-1", "20261120", "9999-12-31", "0001-01-01", "2026-02-30"]),
)
decimals = st.one_of(
    st.decimals(min_value=-(10**30), max_value=10**30, allow_nan=False, places=2).map(str),
    st.integers(min_value=0, max_value=100).map(str),
    st.decimals(allow_nan=False, allow_infinity=False).map(str),
)
counts = st.one_of(st.integers(min_value=0, max_value=60000), st.integers())
small_index = st.integers(min_value=-1, max_value=5)


def field(valid: st.SearchStrategy) -> st.SearchStrategy:
    return st.one_of(valid, valid, valid, junk)


product_line = st.fixed_dictionaries(
    {
        "product": field(st.sampled_from(["jira", "confluence", "jsm", "app:com.example.x"])),
        "deployment": field(st.sampled_from(["cloud", "datacenter", "server"])),
    },
    optional={
        "edition": field(st.sampled_from(["free", "standard", "premium", "enterprise"])),
        "billing": field(st.sampled_from(["monthly", "annual"])),
        "users": field(counts),
        "months": field(st.sampled_from([1, 12, 24, 36, 10**30])),
        "start_date": field(dates),
        "action": field(st.sampled_from(["new", "renew", "upgrade", "downgrade"])),
        "from_users": field(counts),
        "current_end_date": field(dates),
        "mode": field(st.sampled_from(["prorate", "new_term", "coterm"])),
        "coterm_with": field(small_index),
        "parent": field(small_index),
        "paid_amount": field(decimals),
        "paid_months": field(st.integers(min_value=-1, max_value=40)),
        "migrating_from": field(
            st.fixed_dictionaries(
                {"paid_amount": field(decimals), "period_start": dates, "period_end": dates}
            )
        ),
        "additions": field(
            st.lists(st.fixed_dictionaries({"date": dates, "users": field(counts)}), max_size=3)
        ),
        "list_price": field(decimals),
        "override_reason": field(st.text(max_size=10)),
        "discount_pct": field(decimals),
        "dual_licensing": field(st.booleans()),
    },
)
custom_line = st.fixed_dictionaries(
    {"custom": field(st.text(max_size=30)), "unit_price": field(decimals)},
    optional={
        "quantity": field(counts),
        "taxable": field(st.booleans()),
        "discount_pct": field(decimals),
    },
)
quotes = st.fixed_dictionaries(
    {
        "schema": st.sampled_from([1, 1, 1, 2]),
        "lines": field(
            st.lists(st.one_of(product_line, product_line, custom_line, junk), max_size=6)
        ),
    },
    optional={
        "quote_date": field(dates),
        "start_date": field(dates),
        "currency": field(st.sampled_from(["USD", "AUD", "JPY", "EUR"])),
        "billing_experience": field(st.sampled_from(["improved", "original"])),
        "program": field(st.sampled_from(["none", "community", "academic", "government"])),
        "partner_discount_pct": field(decimals),
        "local_currency": field(st.sampled_from(["INR", "BRL", "inr"])),
        "exchange_rate": field(decimals),
        "po_number": field(st.text(max_size=10)),
        "notes": field(st.text()),
        "customer": field(
            st.fixed_dictionaries(
                {},
                optional={
                    "name": field(st.text(max_size=20)),
                    "country": field(st.sampled_from(["BR", "IN", "AU", "JP", "US", "DE", "CA"])),
                    "subdivision": field(st.sampled_from(["CA", "NY", "BC", "QC", "ON"])),
                    "city": field(st.text(max_size=10)),
                    "tax_id": field(st.text(max_size=15)),
                    "exemptions": field(st.lists(st.text(max_size=10), max_size=2)),
                },
            )
        ),
    },
)


def price_as_the_command_does(text: str, book, rules) -> None:
    """What `quotedesk price` does after reading the file; raises only QuoteFileError."""
    priced = price(parse_quote_text(text, "q.json"), book, rules, TODAY)
    out = json.dumps(priced.to_dict(), ensure_ascii=False).encode("utf-8")
    jsonschema.validate(json.loads(out), PRICED_SCHEMA)
    event("exit 1" if priced.errors else "exit 0")


@FUZZ
@given(data=quotes, mangle=st.sampled_from(["", "deep", "bigint", "cut"]))
def test_fuzz_generated_quote_files_price_or_are_refused_in_one_line(book, rules, data, mangle):
    text = json.dumps(data)  # floats stay float literals, surrogates stay \ud800 escapes
    if mangle == "deep":
        text = text.replace('"lines": [', '"lines": [' + "[" * 5000 + "]" * 5000 + ",", 1)
    elif mangle == "bigint":
        text = text.replace('"schema": 1', '"schema": 1, "po_number": ' + "7" * 4500, 1)
    elif mangle == "cut":
        text = text[: len(text) // 2]
    try:
        price_as_the_command_does(text, book, rules)
    except QuoteFileError as exc:
        assert "\n" not in str(exc) and len(str(exc)) < 200
        event("exit 2")


csv_cell = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        [
            "jira",
            "cloud",
            "datacenter",
            "standard",
            "annual",
            "monthly",
            "flat",
            "per_unit",
            "USD",
            "JPY",
            "10",
            "",
            "100.00",
            "2025-01-01",
            "9999-12-31",
            "9" * 40,
            "-1",
            "1e3",
        ]
    ),
)
valid_row = st.tuples(
    st.sampled_from(["jira", "confluence"]),
    st.just("Jira"),
    st.sampled_from(["cloud", "datacenter"]),
    st.sampled_from(["", "standard", "premium"]),
    st.sampled_from(["annual", "monthly"]),
    st.just("users"),
    st.sampled_from(["", "10", "100", "50000"]),
    st.sampled_from(["flat", "per_unit"]),
    st.sampled_from(["USD", "AUD", "JPY"]),
    decimals,
    dates,
).map(list)
book_rows = st.lists(
    st.one_of(valid_row, valid_row, st.lists(csv_cell, min_size=0, max_size=13)), max_size=12
)


@FUZZ
@given(
    rows=book_rows,
    header=st.sampled_from([list(COLUMNS), list(COLUMNS)[::-1], list(COLUMNS)[:-1]]),
    raw=st.one_of(st.just(b""), st.binary(max_size=20)),
)
def test_fuzz_generated_price_books_load_or_are_refused_in_one_line(rules, rows, header, raw):
    out = io.StringIO()
    csv.writer(out).writerows([header, *rows])
    data = out.getvalue().encode("utf-8", "surrogatepass") + raw
    try:
        book, errors = parse_price_book(data, "book.csv")
    except PriceBookError as exc:
        assert "\n" not in str(exc) and len(str(exc)) < 300
        event("refused")
        return
    event("loaded with row errors" if errors else "loaded")
    assert all(len(str(e)) < 300 for e in errors)
    lines = [
        {"product": p, "deployment": d, "edition": e or None, "billing": b, "users": 7}
        for p, d, e, b, _ in book.keys()  # noqa: SIM118 (a PriceBook, not a dict)
    ]
    quote = parse_quote({"schema": 1, "quote_date": "2026-11-20", "lines": lines})
    priced = price(quote, book, rules, TODAY)
    jsonschema.validate(json.loads(json.dumps(priced.to_dict())), PRICED_SCHEMA)
