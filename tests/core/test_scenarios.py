"""Scenarios side by side, priced with the round-number test book
(tests/fixtures/test_book.csv); Brazilian customer, so no tax: total = net."""

import copy
from decimal import Decimal as D

import pytest

from quotedesk.core import QuoteFileError, parse_quote, price
from quotedesk.core.records import ResellerProfile
from quotedesk.core.scenarios import compare
from tests.core.conftest import JIRA_CLOUD, JIRA_DC, TODAY

CONFLUENCE_MONTHLY = {
    "product": "confluence",
    "deployment": "cloud",
    "edition": "standard",
    "billing": "monthly",
}


def quote(*lines: dict, **fields) -> dict:
    return {
        "schema": 1,
        "quote_date": "2026-11-20",
        "start_date": "2026-12-01",
        "customer": {"name": "Test", "country": "BR"},
        **fields,
        "lines": list(lines),
    }


def summary(scenarios) -> list[tuple]:
    return [(s.key, s.changed_lines, s.priced.total, s.per_user_month) for s in scenarios]


def test_annual_quote_against_monthly_24_months_data_center_and_the_next_tier(book, rules):
    data = quote({**JIRA_CLOUD, "users": 51, "months": 12})
    scenarios = compare(data, book, rules, TODAY)
    assert summary(scenarios) == [
        # tier 100: 8,000.00; 8,000.00 / 51 users / 12 months = 13.0718… → 13.07
        ("as_quoted", (), D("8000.00"), D("13.07")),
        # 10 × 8.00 + 41 × 7.00 = 367.00 a month; / 51 = 7.196… → 7.20
        ("monthly", (0,), D("367.00"), D("7.20")),
        # 8,000.00 × 24 / 12 = 16,000.00; / 51 / 24 = 13.07
        ("24_months", (0,), D("16000.00"), D("13.07")),
        # Jira Data Center tier 500 from 2026-02-17: 36,500.00; / 51 / 12 = 59.640… → 59.64
        ("datacenter", (0,), D("36500.00"), D("59.64")),
        # the next tier, 200 users: 14,600.00; / 200 / 12 = 6.083… → 6.08
        ("next_tier", (0,), D("14600.00"), D("6.08")),
    ]
    assert [s.label for s in scenarios] == [
        "As quoted", "Monthly billing", "24 months", "Data Center", "Next tier up"
    ]  # fmt: skip
    as_quoted, monthly, _, datacenter, next_tier = scenarios
    assert [h.message for h in as_quoted.headroom] == [
        "tier 100: up to 49 more users at no extra cost"
    ]
    assert monthly.headroom == () and next_tier.headroom == ()
    assert monthly.quote["lines"] == [{**JIRA_CLOUD, "users": 51, "billing": "monthly"}]
    assert datacenter.quote["lines"] == [{**JIRA_DC, "users": 51, "months": 12}]
    assert [(w.code, w.line) for w in datacenter.priced.warnings] == [("R-DC-EOL", 0)]
    assert next_tier.users == 200


def test_monthly_quote_against_annual_and_data_center_with_the_peak_count(book, rules):
    # As quoted: 10 × 5.00 + 30 × 4.00 = 170.00, plus 5 users from 2026-12-10:
    # 5 × 4.00 × 22 / 31 days = 14.19; 184.19 / 40 users / 1 month = 4.60475 → 4.60.
    additions = [{"date": "2026-12-10", "users": 5}]
    data = quote({**CONFLUENCE_MONTHLY, "users": 40, "additions": additions})
    scenarios = compare(data, book, rules, TODAY, profile=ResellerProfile(company="Reseller Ltda"))
    assert summary(scenarios) == [
        ("as_quoted", (), D("184.19"), D("4.60")),
        # a tier is bought whole: the peak, 45 users, in tier 100: 4,000.00; / 45 / 12 = 7.41
        ("annual", (0,), D("4000.00"), D("7.41")),
        # Confluence Data Center tier 500: 36,500.00; / 45 / 12 = 67.59
        ("datacenter", (0,), D("36500.00"), D("67.59")),
    ]
    as_quoted, annual, datacenter = scenarios
    assert annual.quote["lines"] == [{**CONFLUENCE_MONTHLY, "billing": "annual", "users": 45}]
    assert datacenter.quote["lines"] == [
        {"product": "confluence", "deployment": "datacenter", "users": 45}
    ]
    # R-RESELL-1 applies to the monthly quote only.
    assert [w.code for w in as_quoted.priced.warnings] == ["R-RESELL-1"]
    assert annual.priced.warnings == ()
    assert [h.message for h in annual.headroom] == [
        "tier 100: up to 55 more users at no extra cost"
    ]


def test_a_data_center_renewal_moved_to_cloud_is_a_new_purchase_from_the_old_end(book, rules):
    renewal = {**JIRA_DC, "users": 1000, "action": "renew", "current_end_date": "2027-01-31",
               "sen": "SEN-1234567", "months": 12}  # fmt: skip
    scenarios = compare(quote(renewal), book, rules, TODAY)
    cloud = next(s for s in scenarios if s.key == "cloud")
    assert cloud.quote["lines"] == [
        {**JIRA_CLOUD, "users": 1000, "months": 12, "start_date": "2027-01-31"}
    ]
    # Jira Cloud Standard 1000 users: the 50000 tier, 730,000.00, from 2027-01-31.
    assert cloud.priced.total == D("730000.00")
    assert cloud.priced.lines[0].period_start.isoformat() == "2027-01-31"
    # As quoted: renewal at the 1000 tier, 73,000.00, and it is already 12 months → 24.
    assert summary(scenarios)[:2] == [
        ("as_quoted", (), D("73000.00"), D("6.08")),
        ("24_months", (0,), D("146000.00"), D("6.08")),
    ]


def test_scenarios_keep_every_field_they_do_not_change_and_leave_the_input_alone(book, rules):
    data = quote({**JIRA_CLOUD, "users": 51, "note_to_self": "ask about SSO"}, notes="draft 2")
    before = copy.deepcopy(data)
    for s in compare(data, book, rules, TODAY):
        assert s.quote["notes"] == "draft 2"
        assert s.quote["lines"][0]["note_to_self"] == "ask about SSO"
        # Each scenario is a quote file that prices as shown.
        assert price(parse_quote(s.quote), book, rules, TODAY).total == s.priced.total
    assert data == before


def test_a_kind_that_changes_nothing_is_left_out(book, rules):
    custom = {"custom": "Workshop", "quantity": 1, "unit_price": "1500.00"}
    [only] = compare(quote(custom), book, rules, TODAY)
    assert (only.key, only.priced.total, only.users, only.per_user_month) == (
        "as_quoted", D("1500.00"), None, None
    )  # fmt: skip


def test_not_a_quote_file_is_refused(book, rules):
    with pytest.raises(QuoteFileError):
        compare({"schema": 1}, book, rules, TODAY)


def test_R_DISC_PARTNER_the_profiles_partner_discount_prices_every_scenario(book, rules):
    # The quote sets no partner discount, so the profile's 10% applies to each scenario
    # as to the draft itself: 90% of each total above.
    data = quote({**JIRA_CLOUD, "users": 51, "months": 12})
    profile = ResellerProfile(company="Reseller Ltda", partner_discount_pct=D("10"))
    scenarios = compare(data, book, rules, TODAY, profile=profile)
    assert summary(scenarios) == [
        # 8,000.00 - 800.00 = 7,200.00; / 51 users / 12 months = 11.764… → 11.76
        ("as_quoted", (), D("7200.00"), D("11.76")),
        # 367.00 - 36.70 = 330.30 a month; / 51 = 6.476… → 6.48
        ("monthly", (0,), D("330.30"), D("6.48")),
        # 16,000.00 - 1,600.00 = 14,400.00; / 51 / 24 = 11.76
        ("24_months", (0,), D("14400.00"), D("11.76")),
        # 36,500.00 - 3,650.00 = 32,850.00; / 51 / 12 = 53.676… → 53.68
        ("datacenter", (0,), D("32850.00"), D("53.68")),
        # 14,600.00 - 1,460.00 = 13,140.00; / 200 / 12 = 5.475 → 5.48 (half-up)
        ("next_tier", (0,), D("13140.00"), D("5.48")),
    ]
    assert all([d.kind for d in s.priced.lines[0].discounts] == ["partner"] for s in scenarios)
    # A quote's own partner discount, even "0", wins over the profile's.
    own = compare({**data, "partner_discount_pct": "0"}, book, rules, TODAY, profile=profile)
    assert own[0].priced.total == D("8000.00")


def test_R_TERM_1_the_annual_scenario_of_a_monthly_line_runs_12_months(book, rules):
    # A monthly line written with `months: 1`: annual billing for one month would break
    # R-TERM-1 and leave the line out of the total.
    data = quote({**CONFLUENCE_MONTHLY, "users": 40, "months": 1})
    as_quoted, annual, _datacenter = compare(data, book, rules, TODAY)
    assert annual.quote["lines"] == [{**CONFLUENCE_MONTHLY, "billing": "annual", "users": 40,
                                      "months": 12}]  # fmt: skip
    assert annual.priced.errors == () and annual.complete
    assert annual.priced.total == D("4000.00")  # Confluence tier 100, 12 months
    # As quoted: 10 × 5.00 + 30 × 4.00 = 170.00 a month; annual costs 3,830.00 more.
    assert annual.difference(as_quoted) == D("3830.00")


def test_a_scenario_priced_with_errors_is_incomplete_and_has_no_difference(book, rules):
    # Macros for Confluence has annual prices only: its parent moved to monthly takes it
    # along (R-LIM-4), and the app cannot be priced.
    macros = {"product": "app:com.example.macros", "deployment": "cloud", "parent": 0}
    data = quote({**CONFLUENCE_MONTHLY, "billing": "annual", "users": 50, "months": 12}, macros)
    as_quoted, monthly, *_ = compare(data, book, rules, TODAY)
    assert monthly.key == "monthly"
    assert [e.line for e in monthly.priced.errors] == [1]
    assert not monthly.complete and as_quoted.complete
    # Its total (Confluence alone: 10 × 5.00 + 40 × 4.00 = 210.00) is no saving on 6,000.00.
    assert monthly.priced.total == D("210.00")
    assert monthly.difference(as_quoted) is None
    assert as_quoted.difference(monthly) is None
    assert monthly.to_dict()["complete"] is False and as_quoted.to_dict()["complete"] is True
