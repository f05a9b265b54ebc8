"""R-INPUT at the edges: every input the fuzzer broke is now refused
with a problem that names the field and line, or one QuoteFileError/PriceBookError line."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from quotedesk.core import (
    PriceBookError,
    QuoteFileError,
    load_price_book,
    load_quote_file,
    parse_price_book,
    parse_quote,
    parse_quote_text,
    price,
)
from tests.core.conftest import JIRA_CLOUD, JIRA_MONTHLY, TODAY
from tests.core.test_input import HEADER

ROW = "jira,Jira,cloud,standard,annual,users,10,flat,USD,1000.00,2025-01-01\n"


def messages(quote) -> set[tuple[int | None, str]]:
    return {(p.line, p.message) for p in quote.problems if p.code == "R-INPUT"}


def test_R_INPUT_integer_over_4300_digits_is_one_line():
    with pytest.raises(QuoteFileError, match=r"^q.json: a number has too many digits$"):
        parse_quote_text('{"lines": [{"custom": "x", "quantity": ' + "9" * 5000 + "}]}", "q.json")


def test_R_INPUT_json_nested_100000_deep_is_one_line():
    text = '{"lines": [' + "[" * 100_000 + "]" * 100_000 + "]}"
    with pytest.raises(QuoteFileError, match=r"^q.json: the JSON is nested too deeply$"):
        parse_quote_text(text, "q.json")


@pytest.mark.parametrize(
    ("fields", "line", "message"),
    [
        (
            {**JIRA_CLOUD, "users": 10, "action": "renew", "current_end_date": "9999-12-01"},
            0,
            "line 0: current_end_date: '9999-12-01' is outside the years 1900 to 2999",
        ),
        (
            {**JIRA_CLOUD, "users": 10, "start_date": "9999-06-01"},
            0,
            "line 0: start_date: '9999-06-01' is outside the years 1900 to 2999",
        ),
        (
            {**JIRA_MONTHLY, "users": 10, "additions": [{"date": "9999-12-20", "users": 5}]},
            0,
            "line 0: additions: '9999-12-20' is outside the years 1900 to 2999",
        ),
        (
            {**JIRA_CLOUD, "users": 10, "start_date": "2026-W05-1"},
            0,
            "line 0: start_date: '2026-W05-1' is not a date (YYYY-MM-DD)",
        ),
        (
            {**JIRA_CLOUD, "users": 10, "start_date": "2026-1-05Z"},
            0,
            "line 0: start_date: '2026-1-05Z' is not a date (YYYY-MM-DD)",
        ),
    ],
)
def test_R_INPUT_dates_are_strict_YYYY_MM_DD_within_1900_to_2999(priced, fields, line, message):
    q = priced([fields])
    assert (line, message) in {(p.line, p.message) for p in q.errors}


def test_R_INPUT_quote_date_near_9999_is_refused_before_any_date_arithmetic(book, rules):
    quote = parse_quote({"quote_date": "9999-12-31", "lines": [{**JIRA_CLOUD, "users": 10}]})
    assert messages(quote) == {(None, "quote_date: '9999-12-31' is outside the years 1900 to 2999")}
    assert price(quote, book, rules, TODAY).errors  # no OverflowError in valid_until


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("unit_price", "9" * 29, f"'{'9' * 29}' is too large (at most 12 digits before the point)"),
        ("unit_price", "0.000000001", "'0.000000001' has more than 8 decimal places"),
        ("unit_price", "-500", "'-500' must not be negative"),
        ("unit_price", 1500.5, '1500.5 must be written as a string, e.g. "1500.00"'),
        ("quantity", 10**28, f"{10**28} is more than 10,000,000"),
        ("custom", "a\ud800", "'a\\ud800' holds a lone surrogate (\\ud800-\\udfff)"),
    ],
)
def test_R_INPUT_custom_line_values_out_of_bounds(field, value, message):
    quote = parse_quote({"lines": [{"custom": "x", "unit_price": "10", field: value}]})
    assert (0, f"line 0: {field}: {message}") in messages(quote)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"list_price": "-500", "override_reason": "x"}, "list_price: '-500' must not be negative"),
        ({"paid_amount": "-1000"}, "paid_amount: '-1000' must not be negative"),
        (
            {
                "migrating_from": {
                    "paid_amount": "-1",
                    "period_start": "2026-01-01",
                    "period_end": "2027-01-01",
                }
            },
            "migrating_from: paid_amount '-1' must not be negative",
        ),
        ({"months": 10**30}, f"months: {10**30} is not a number of months from 1 to 1,200"),
        ({"users": "1e30"}, "users: '1e30' is not a whole number ≥ 0"),
        ({"discount_pct": 5.5}, 'discount_pct: 5.5 must be written as a string, e.g. "1500.00"'),
    ],
)
def test_R_INPUT_never_turns_a_credit_into_a_charge_or_takes_unbounded_numbers(fields, message):
    quote = parse_quote({"lines": [{**JIRA_CLOUD, "users": 10, **fields}]})
    assert (0, f"line 0: {message}") in messages(quote)


def test_R_INPUT_lone_surrogate_in_customer_and_notes_is_refused():
    quote = parse_quote_text(
        '{"notes": "\\udfff", "customer": {"name": "A\\ud800", "exemptions": ["\\ud800"]},'
        ' "lines": []}'
    )
    assert {m for _, m in messages(quote)} == {
        "notes: '\\udfff' holds a lone surrogate (\\ud800-\\udfff)",
        "customer.name: 'A\\ud800' holds a lone surrogate (\\ud800-\\udfff)",
        "customer.exemptions: '\\ud800' holds a lone surrogate (\\ud800-\\udfff)",
    }


def test_R_INPUT_a_long_value_is_quoted_short():
    quote = parse_quote({"lines": [{**JIRA_CLOUD, "users": "x" * 1_000_000}]})
    ((_, message),) = messages(quote)
    assert message == f"line 0: users: '{'x' * 38}… is not a whole number ≥ 0"


def test_pricing_precision_holds_the_largest_bounded_local_currency_tax(book, rules):
    # Five maximal lines taxed in India and converted at a maximal rate: 9e31 rupees of
    # tax, which the default 28-digit context cannot round to paise (InvalidOperation).
    top = "999999999999.99999999"
    quote = parse_quote(
        {
            "quote_date": "2026-11-20",
            "currency": "USD",
            "local_currency": "INR",
            "exchange_rate": top,
            "customer": {"name": "x", "country": "IN"},
            "lines": [{"custom": "x", "unit_price": top, "quantity": 10_000_000}] * 5,
        }
    )
    result = price(quote, book, rules, date(2026, 11, 20))
    assert result.net_total == Decimal("49999999999999999999.50")
    (gst,) = result.taxes
    assert gst.amount == Decimal("8999999999999999999.91")
    # 8999999999999999999.91 × (10**12 − 10**-8), exact, then to paise
    assert gst.local_amount == Decimal("8999999999999999999820000000000.00")


def test_quote_file_limit_is_read_not_stat():
    with pytest.raises(QuoteFileError, match=r"too large for a quote file \(limit 10 MB\)"):
        load_quote_file(Path("/dev/zero"))
    with pytest.raises(PriceBookError, match=r"too large for a price book \(limit 20 MB\)"):
        load_price_book(Path("/dev/zero"))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            (HEADER + ROW + 'jira,"' + "x" * 140_000 + '",cloud\n').encode(),
            r"^book.csv: line 3: unreadable CSV \(field larger than field limit \(131072\)\)$",
        ),
        (
            (HEADER + ROW + ROW.replace("Jira", "Ji\0ra")).encode(),
            r"^book.csv: line 3: a NUL byte$",
        ),
        (
            (HEADER + ROW).encode("utf-16"),
            r"^book.csv: UTF-16, not UTF-8 text .*: in Excel, use File → Save As",
        ),
    ],
)
def test_price_book_csv_failures_are_one_line_naming_the_row(data, message):
    with pytest.raises(PriceBookError, match=message):
        parse_price_book(data, "book.csv")


@pytest.mark.parametrize(
    ("tier", "message"),
    [
        ("9" * 5000, f"tier_max '{'9' * 38}… is not a whole number"),
        ("1_000", "tier_max '1_000' is not a whole number"),
        ("٣", "tier_max '٣' is not a whole number"),
        ("0", "tier_max 0 must be from 1 to 10,000,000"),
    ],
)
def test_price_book_tier_max_is_plain_bounded_digits(tier, message):
    _, errors = parse_price_book((HEADER + ROW.replace(",10,", f",{tier},")).encode(), "b.csv")
    assert [str(e) for e in errors] == [f"line 2: {message}"]


def test_price_book_price_of_29_digits_is_a_row_error():
    _, errors = parse_price_book((HEADER + ROW.replace("1000.00", "9" * 29)).encode(), "b.csv")
    assert [str(e) for e in errors] == [
        f"line 2: price '{'9' * 29}' is too large (at most 12 digits before the point)"
    ]


def test_price_book_rows_sharing_terms_and_tiers_are_each_checked():
    """The parse checks a row's terms and tier size once per book: a bad value is still
    reported on every row that has it, and each price reads as parse_decimal reads it."""
    prices = ["0012.50", "1e3", "-5", "1.123456789", "１２", "999999999999.12345678", "+5"]
    prices += ["5.", ".5", "0000000000000001", "NaN"]
    rows = [
        ROW.replace(",10,", ",1_000,"),
        ROW.replace(",10,", ",1_000,").replace(",USD,", ",AUD,"),
        ROW,
        ROW.replace(",flat,", ",per_unit,"),
        ROW.replace(",flat,", ",per_unit,").replace(",10,", ",20,"),
    ] + [ROW.replace(",10,", f",{50 + i},").replace("1000.00", p) for i, p in enumerate(prices)]
    book, errors = parse_price_book((HEADER + "".join(rows)).encode(), "b.csv")
    assert [str(e) for e in errors] == [
        "line 2: tier_max '1_000' is not a whole number",
        "line 3: tier_max '1_000' is not a whole number",
        "line 5: annual tiers have price_kind=flat",
        "line 6: annual tiers have price_kind=flat",
        "line 8: price '1e3' is not a plain decimal number",
        "line 9: price '-5' is negative",
        "line 10: price '1.123456789' has more than 8 decimal places",
        "line 17: price 'NaN' is not a plain decimal number",
    ]
    assert [(r.source_line, r.tier_max, r.price) for r in book.rows] == [
        (4, 10, Decimal("1000.00")),
        (7, 50, Decimal("12.50")),
        (11, 54, Decimal("12")),
        (12, 55, Decimal("999999999999.12345678")),
        (13, 56, Decimal("5")),
        (14, 57, Decimal("5")),
        (15, 58, Decimal("0.5")),
        (16, 59, Decimal("1")),
    ]
