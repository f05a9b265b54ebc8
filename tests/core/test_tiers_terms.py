"""R-TIER-*, R-TERM-*, R-LIM-*: tiers, terms, co-termination and limits."""

from datetime import date
from decimal import Decimal as D

from tests.core.conftest import JIRA_CLOUD, JIRA_DC, JIRA_MONTHLY, amounts, codes


def test_R_TIER_1_count_is_priced_at_the_smallest_tier_that_contains_it(priced):
    # 150 users fall in the 200-user tier: 14,600.00 for 12 months, same as 200 users.
    q150 = priced([{**JIRA_CLOUD, "users": 150}])
    q200 = priced([{**JIRA_CLOUD, "users": 200}])
    assert q150.lines[0].tier == 200
    assert amounts(q150) == amounts(q200) == [D("14600.00")]


def test_R_TIER_1_unlimited_tier_above_the_last_sized_tier(priced):
    q = priced([{**JIRA_DC, "users": 60000}])
    assert q.lines[0].tier == "unlimited"
    assert q.lines[0].list_price == D("900000.00")


def test_R_TIER_1_count_above_the_largest_tier_is_an_error(priced):
    q = priced([{"product": "confluence", "deployment": "datacenter", "users": 20000}])
    assert "R-TIER-1" in codes(q.errors)
    assert q.lines == ()


def test_R_TIER_2_monthly_line_priced_per_unit_through_graduated_bands(priced):
    # 15 users: 10 × 8.00 + 5 × 7.00 = 115.00
    q = priced([{**JIRA_MONTHLY, "users": 15}], start_date="2026-12-01")
    assert q.lines[0].list_price == D("115.00")
    assert q.lines[0].tier == 15
    assert (q.lines[0].period_start, q.lines[0].period_end) == (date(2026, 12, 1), date(2027, 1, 1))


def test_R_TIER_2_flat_band_costs_its_amount_once_reached(priced):
    # App monthly: 10.00 flat up to 10 users, then 1.50 per user: 25 users = 10.00 + 15 × 1.50
    q = priced(
        [
            {**JIRA_MONTHLY, "users": 25},
            {"product": "app:com.example.timesheets", "deployment": "cloud", "parent": 0},
        ]
    )
    assert q.lines[1].list_price == D("32.50")


def test_R_TERM_1_price_is_annual_price_times_months_over_twelve(priced):
    q = priced(
        [{**JIRA_CLOUD, "users": 200, "months": 18}, {**JIRA_CLOUD, "users": 200, "months": 24}]
    )
    assert amounts(q) == [D("21900.00"), D("29200.00")]  # 14,600 × 18/12 and × 24/12
    assert q.lines[1].period_end == date(2028, 11, 20)


def test_R_TERM_1_terms_outside_12_to_24_months_are_errors(priced):
    q = priced(
        [{**JIRA_CLOUD, "users": 200, "months": 11}, {**JIRA_CLOUD, "users": 200, "months": 25}]
    )
    assert [(p.code, p.line) for p in q.errors] == [("R-TERM-1", 0), ("R-TERM-1", 1)]


def test_R_TERM_2_renewal_starts_at_the_previous_end_whatever_the_purchase_date(priced):
    q = priced([{**JIRA_CLOUD, "users": 200, "action": "renew", "current_end_date": "2027-03-15"}])
    line = q.lines[0]
    assert (line.period_start, line.period_end) == (date(2027, 3, 15), date(2028, 3, 15))


def test_R_TERM_3_renewal_coterms_with_a_core_line_priced_by_days(priced):
    # Jira DC bought 2026-12-01 for 12 months ends 2027-12-01. Confluence DC renewing on
    # 2027-03-01 co-terms to it: 275 days × 36,500.00 / 365 = 27,500.00.
    q = priced(
        [
            {**JIRA_DC, "users": 1000, "start_date": "2026-12-01"},
            {
                "product": "confluence",
                "deployment": "datacenter",
                "users": 500,
                "action": "renew",
                "current_end_date": "2027-03-01",
                "coterm_with": 0,
            },
        ]
    )
    assert q.errors == ()
    renewal = q.lines[1]
    assert (renewal.period_start, renewal.period_end) == (date(2027, 3, 1), date(2027, 12, 1))
    assert renewal.list_price == D("27500.00")


def test_R_TERM_3_new_purchase_cannot_coterm(priced):
    q = priced(
        [
            {**JIRA_DC, "users": 1000},
            {"product": "confluence", "deployment": "datacenter", "users": 500, "coterm_with": 0},
        ]
    )
    assert ("R-TERM-3", 1) in [(p.code, p.line) for p in q.errors]


def test_R_TERM_3_only_core_lines_bought_for_12_months_are_coterm_targets(priced):
    q = priced(
        [
            {"product": "trello", "deployment": "cloud", "edition": "standard", "users": 100},
            {
                **JIRA_CLOUD,
                "users": 100,
                "action": "renew",
                "current_end_date": "2027-01-01",
                "coterm_with": 0,
            },
        ]
    )
    assert ("R-TERM-3", 1) in [(p.code, p.line) for p in q.errors]


def test_R_TERM_3_target_end_at_most_24_months_ahead(priced):
    q = priced(
        [
            {**JIRA_DC, "users": 1000, "months": 24, "start_date": "2027-06-01"},
            {
                "product": "confluence",
                "deployment": "datacenter",
                "users": 500,
                "action": "renew",
                "current_end_date": "2027-01-01",
                "coterm_with": 0,
            },
        ]
    )  # target ends 2029-06-01, 29 months after 2027-01-01
    assert "R-TERM-3" in codes(q.errors)


def test_R_TERM_4_cloud_and_data_center_never_coterm(priced):
    q = priced(
        [
            {**JIRA_DC, "users": 1000},
            {
                **JIRA_CLOUD,
                "users": 100,
                "action": "renew",
                "current_end_date": "2027-01-01",
                "coterm_with": 0,
            },
        ]
    )
    assert ("R-TERM-4", 1) in [(p.code, p.line) for p in q.errors]


def test_R_LIM_1_cloud_free_is_at_most_10_users_and_costs_nothing(priced):
    free = {"product": "jira", "deployment": "cloud", "edition": "free", "billing": "annual"}
    ok = priced([{**free, "users": 10}])
    assert ok.errors == () and ok.lines[0].list_price == D("0.00")
    too_many = priced([{**free, "users": 11}])
    assert "R-LIM-1" in codes(too_many.errors)


def test_R_LIM_1_jsm_free_is_at_most_3_agents(priced):
    q = priced([{"product": "jsm", "deployment": "cloud", "edition": "free", "users": 4}])
    assert "R-LIM-1" in codes(q.errors)


def test_R_LIM_2_jira_cloud_at_most_50000_and_jsm_10000_agents(priced):
    q = priced(
        [
            {**JIRA_CLOUD, "edition": "premium", "users": 50001},
            {"product": "jsm", "deployment": "cloud", "edition": "standard", "users": 10001},
        ]
    )
    assert [(p.code, p.line) for p in q.errors] == [("R-LIM-2", 0), ("R-LIM-2", 1)]


def test_R_LIM_3_bitbucket_data_center_at_most_30000_jira_unlimited(priced):
    q = priced(
        [
            {"product": "bitbucket", "deployment": "datacenter", "users": 30001},
            {**JIRA_DC, "users": 250000},
        ]
    )
    assert [(p.code, p.line) for p in q.errors] == [("R-LIM-3", 0)]


def test_R_LIM_4_app_takes_parent_count_and_term(priced):
    q = priced(
        [
            {**JIRA_DC, "users": 800, "months": 24},
            {"product": "app:com.example.timesheets", "deployment": "datacenter", "parent": 0},
        ]
    )
    app = q.lines[1]
    assert app.tier == 1000 and app.units == 800
    assert app.list_price == D("14600.00")  # 7,300.00 × 24/12
    assert app.period_end == q.lines[0].period_end


def test_R_LIM_4_app_needs_a_parent_and_at_least_its_tier(priced):
    app = {"product": "app:com.example.timesheets", "deployment": "datacenter"}
    q = priced([{**JIRA_DC, "users": 1500}, {**app}, {**app, "parent": 0, "users": 900}])
    assert [(p.code, p.line) for p in q.errors] == [("R-LIM-4", 1), ("R-LIM-4", 2)]
