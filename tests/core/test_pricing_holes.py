"""Pricing holes: additions on tiered lines (R-TIER-1), Net-14 beside Data
Center (R-PAY-4), the list-price upgrade credit (R-UPG-3), line names from their own
price-book row, and monthly cloud lines sold by a reseller (R-RESELL-1)."""

from decimal import Decimal as D

from quotedesk.core import parse_price_book, parse_quote, price
from tests.core.conftest import JIRA_CLOUD, JIRA_DC, JIRA_MONTHLY, TODAY, amounts, codes

CROWD_DC = {"product": "crowd", "deployment": "datacenter"}


def _additions(users: int) -> list[dict[str, object]]:
    return [{"date": "2026-12-10", "users": users}]


def test_R_TIER_1_additions_above_an_annual_tier_are_an_error_naming_the_line(priced):
    # 95 users are in the 100 tier (8,000.00); +10 would need the 200 tier: an upgrade.
    q = priced(
        [{**JIRA_CLOUD, "users": 10}, {**JIRA_CLOUD, "users": 95, "additions": _additions(10)}]
    )
    assert [(p.code, p.line) for p in q.errors] == [("R-TIER-1", 1)]
    assert q.errors[0].message == (
        "Jira Cloud Standard: additions apply to monthly lines only; 105 users are above the "
        "100 tier and licences cannot be combined into a higher tier: quote an upgrade"
    )
    assert amounts(q) == [D("1000.00"), D("8000.00")]  # priced without the additions


def test_R_TIER_1_additions_on_a_data_center_line_are_an_error(priced):
    # 400 users: the 500 tier, 36,500.00 from 2026-02-17; 400 + 200 = 600 is above it.
    q = priced([{**JIRA_DC, "users": 400, "additions": _additions(200)}])
    assert codes(q.errors) == ["R-TIER-1"]
    assert "600 users are above the 500 tier" in q.errors[0].message
    assert amounts(q) == [D("36500.00")]


def test_R_TIER_1_additions_within_the_tier_are_an_error_too(priced):
    q = priced([{**JIRA_CLOUD, "users": 45, "additions": _additions(3)}])
    assert [(p.code, p.line) for p in q.errors] == [("R-TIER-1", 0)]
    assert q.errors[0].message == (
        "Jira Cloud Standard: additions apply to monthly lines only; "
        "the 100 tier already covers 48 users: remove them"
    )


def test_R_PAY_4_no_net_14_on_an_order_with_a_data_center_line(priced):
    # Jira Cloud 10 users 1,000.00 + Crowd DC 500 users 3,000.00 = USD 4,000.00 pre-tax:
    # Net-14 range on improved billing, but the Data Center line brings R-PAY-5's
    # original-billing threshold (USD 10,000), which it does not reach.
    q = priced([{**JIRA_CLOUD, "users": 10}, {**CROWD_DC, "users": 500}])
    assert q.net_total == D("4000.00")
    assert not {m.method for m in q.payment_methods} & {"net_14", "net_30", "net_terms"}
    # 8,000.00 + 3,000.00 = 11,000.00 reaches it: Net-30.
    q = priced([{**JIRA_CLOUD, "users": 100}, {**CROWD_DC, "users": 500}])
    assert [(m.method, m.label, m.rule) for m in q.payment_methods if "net" in m.method] == [
        ("net_30", "Net-30 terms", "R-PAY-5")
    ]


def test_R_PAY_4_no_net_14_subject_to_approval_with_data_center(priced):
    q = priced(
        [{**JIRA_DC, "users": 1000}], currency="JPY", customer={"name": "K", "country": "JP"}
    )
    labels = [m.label for m in q.payment_methods if m.method == "net_terms"]
    assert labels == ["Net-30 terms subject to approval (no USD exchange rate on the quote)"]


def test_R_UPG_3_list_price_stands_in_for_the_period_paid(priced):
    # Paid for 24 months, amount unknown: the 1000 tier's list 73,000.00 × 24 / 12 =
    # 146,000.00 stands in for it; 2026-11-01 → 2027-05-01 leaves 6 full months:
    # 146,000.00 × 6 / 24 = 36,500.00 (not 73,000.00 × 6 / 24 = 18,250.00).
    q = priced(
        [
            {
                **JIRA_DC,
                "users": 2000,
                "action": "upgrade",
                "from_users": 1000,
                "current_end_date": "2027-05-01",
                "start_date": "2026-11-01",
                "paid_months": 24,
            }
        ]
    )
    assert amounts(q) == [D("120000.00"), D("-36500.00")]
    assert q.net_total == D("83500.00")
    assert [(p.code, p.line) for p in q.warnings if p.code == "R-UPG-3"] == [("R-UPG-3", 0)]
    assert "check it against what was paid" in q.warnings[-1].message


_NAMED_BOOK = b"""\
product,name,deployment,edition,billing,unit,tier_max,price_kind,currency,price,effective_from
jira,Jira,cloud,standard,annual,users,100,flat,USD,8000.00,2025-01-01
jira,Jira Data Center,datacenter,,annual,users,1000,flat,USD,73000.00,2025-01-01
"""


def test_a_line_is_described_by_its_own_rows_name(rules):
    book, row_errors = parse_price_book(_NAMED_BOOK, "named.csv")
    assert row_errors == []
    quote = parse_quote(
        {
            "quote_date": "2025-11-20",
            "customer": {"name": "Test", "country": "BR"},
            "lines": [{**JIRA_CLOUD, "users": 100}, {**JIRA_DC, "users": 1000}],
        }
    )
    q = price(quote, book, rules, TODAY)
    assert [line.name for line in q.lines] == ["Jira Cloud Standard", "Jira Data Center"]
    assert book.name_of("jira") == "Jira"  # the product as a whole: its cloud name


def test_R_RESELL_1_monthly_cloud_lines_warned_when_a_reseller_sells(book, rules):
    quote = parse_quote(
        {
            "quote_date": "2026-11-20",
            "customer": {"name": "Test", "country": "BR"},
            "lines": [{**JIRA_CLOUD, "users": 100}, {**JIRA_MONTHLY, "users": 20}],
        }
    )
    q = price(quote, book, rules, TODAY, reseller=True)
    assert [(p.code, p.line, p.message) for p in q.warnings if p.code == "R-RESELL-1"] == [
        (
            "R-RESELL-1",
            1,
            "resellers cannot buy monthly cloud subscriptions: the customer must subscribe "
            "directly, or choose annual billing",
        )
    ]
    # Monthly line: 10 × 8.00 + 10 × 7.00 = 150.00; prices do not change.
    assert amounts(q) == [D("8000.00"), D("150.00")]
    assert "R-RESELL-1" not in codes(price(quote, book, rules, TODAY).warnings)
