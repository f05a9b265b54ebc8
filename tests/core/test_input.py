"""R-INPUT: bad quote and price-book input gives clear, specific problems."""

import pytest

from quotedesk.core import PriceBookError, QuoteFileError, parse_price_book, parse_quote_text
from tests.core.conftest import JIRA_CLOUD, codes


def test_broken_json_names_line_and_column():
    with pytest.raises(QuoteFileError, match=r"broken JSON at line 1, column 12"):
        parse_quote_text('{"lines": [}', "q.json")


def test_wrong_schema_version_is_refused():
    with pytest.raises(QuoteFileError, match="schema version 2 is not supported"):
        parse_quote_text('{"schema": 2, "lines": []}')


def test_quote_without_lines_is_refused():
    with pytest.raises(QuoteFileError, match='no "lines" list'):
        parse_quote_text('{"schema": 1}')


def test_R_INPUT_every_bad_field_is_reported_with_its_line(priced):
    q = priced(
        [
            {**JIRA_CLOUD, "users": "many"},
            {**JIRA_CLOUD, "users": 10, "discount_pct": "150"},
            "not a line",
            {"product": "nosuch", "deployment": "cloud", "users": 5},
            {"custom": "Workshop"},
        ]
    )
    assert {(p.code, p.line) for p in q.errors} == {("R-INPUT", i) for i in range(5)}
    assert any("150" in p.message and p.line == 1 for p in q.errors)
    assert any("nosuch" in p.message and p.line == 3 for p in q.errors)


def test_R_INPUT_json_float_where_spec_wants_a_decimal_string_is_refused():
    quote = parse_quote_text(
        '{"partner_discount_pct": 10.0, "lines": [{"custom": "x", "unit_price": 1500.5,'
        ' "discount_pct": 5.5}, {"product": "jira", "deployment": "cloud", "users": 1e30}]}'
    )
    assert {
        ("R-INPUT", 0, 'line 0: unit_price: 1500.5 must be written as a string, e.g. "1500.00"'),
        ("R-INPUT", 0, 'line 0: discount_pct: 5.5 must be written as a string, e.g. "1500.00"'),
        ("R-INPUT", 1, "line 1: users: 1e30 is not a whole number ≥ 0"),
        ("R-INPUT", None, 'partner_discount_pct: 10.0 must be written as a string, e.g. "1500.00"'),
    } <= {(p.code, p.line, p.message) for p in quote.problems}


def test_R_INPUT_bad_parent_reference(priced):
    q = priced([{"product": "app:com.example.timesheets", "deployment": "cloud", "parent": 7}])
    assert ("R-INPUT", 0) in [(p.code, p.line) for p in q.errors]


def test_R_INPUT_edition_must_exist_in_the_price_book(priced):
    q = priced([{**JIRA_CLOUD, "edition": "enterprise", "users": 10}])
    assert "R-INPUT" in codes(q.errors)
    assert "available" in q.errors[0].message


HEADER = (
    "product,name,deployment,edition,billing,unit,tier_max,price_kind,currency,price,"
    "effective_from\n"
)


def test_price_book_missing_column_is_named():
    with pytest.raises(PriceBookError, match="lacks column effective_from"):
        parse_price_book(HEADER.replace(",effective_from", "").encode(), "book.csv")


def test_price_book_bad_rows_are_listed_with_line_numbers():
    data = (
        HEADER
        + "jira,Jira,cloud,standard,annual,users,10,flat,USD,abc,2025-01-01\n"
        + "jira,Jira,moon,standard,annual,users,10,flat,USD,1,2025-01-01\n"
        + "jira,Jira,cloud,standard,annual,users,10,flat,USD,1.00,2025-01-01\n"
    ).encode()
    book, errors = parse_price_book(data, "book.csv")
    assert [(e.line, e.message.split(" ")[0]) for e in errors] == [(2, "price"), (3, "deployment")]
    assert len(book.rows) == 1
