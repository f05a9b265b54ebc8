"""Properties of every priced quote: totals are the sum of their parts, in Decimal,
rounded to the currency's minor unit, and the output matches the schema."""

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quotedesk.core import parse_quote, price

SCHEMA = json.loads((Path(__file__).parents[1] / "schemas" / "priced.schema.json").read_text())

product_lines = st.one_of(
    st.fixed_dictionaries(
        {
            "product": st.sampled_from(["jira", "confluence", "jsm"]),
            "deployment": st.just("cloud"),
            "edition": st.just("standard"),
            "billing": st.sampled_from(["annual", "monthly"]),
            "users": st.integers(1, 600),
        },
        optional={
            "months": st.integers(12, 24),
            "discount_pct": st.decimals(0, 100, places=2).map(str),
        },
    ),
    st.fixed_dictionaries(
        {
            "product": st.just("jira"),
            "deployment": st.just("datacenter"),
            "users": st.integers(1, 5000),
            "months": st.integers(12, 24),
        },
        optional={"discount_pct": st.decimals(0, 100, places=1).map(str)},
    ),
    st.fixed_dictionaries(
        {
            "custom": st.text(max_size=20),
            "quantity": st.integers(0, 50),
            "unit_price": st.decimals(-1000, 100000, places=2).map(str),
        },
        optional={"taxable": st.booleans()},
    ),
)
quotes = st.fixed_dictionaries(
    {
        "schema": st.just(1),
        "quote_date": st.dates(date(2021, 1, 1), date(2027, 12, 31)).map(date.isoformat),
        "program": st.sampled_from(["none", "community", "academic", "classroom"]),
        "partner_discount_pct": st.sampled_from(["0", "5", "10", "12.5"]),
        "customer": st.fixed_dictionaries(
            {
                "name": st.just("Prop"),
                "country": st.sampled_from(["US", "CA", "IN", "TR", "DE", "AU", "BR", "CH"]),
                "subdivision": st.sampled_from(["BC", "QC", "ON", "TX", "IL", None]),
                "city": st.sampled_from(["Chicago", None]),
            }
        ),
        "lines": st.lists(product_lines, max_size=8),
    }
)


def assert_no_float(value) -> None:
    assert not isinstance(value, float)
    if isinstance(value, tuple | list):  # the priced quote and its parts are named tuples
        for item in value:
            assert_no_float(item)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=quotes)
def test_totals_are_the_sum_of_their_parts_and_never_floats(book, rules, data):
    q = price(parse_quote(data), book, rules, date(2026, 11, 23))
    assert_no_float(q)
    cent = Decimal("0.01")
    assert q.subtotal == sum((line.list_price for line in q.lines), Decimal(0))
    assert q.discount_total == sum((line.discount_total for line in q.lines), Decimal(0))
    assert q.net_total == sum((line.net for line in q.lines), Decimal(0))
    assert q.tax_total == sum((t.amount for t in q.taxes), Decimal(0))
    assert q.total == q.net_total + q.admin_fee + q.tax_total
    for amount in (
        q.subtotal,
        q.net_total,
        q.admin_fee,
        q.tax_total,
        q.total,
        *(line.net for line in q.lines),
        *(t.amount for t in q.taxes),
    ):
        assert amount.as_tuple().exponent == cent.as_tuple().exponent
    for line in q.lines:
        assert line.net == line.list_price - line.discount_total
    jsonschema.validate(q.to_dict(), SCHEMA)
