"""R-DISC-*: programs, partner and manual discounts, in that order."""

from decimal import Decimal as D

from tests.core.conftest import JIRA_CLOUD, JIRA_DC, codes

CONFLUENCE_4000 = {
    "product": "confluence",
    "deployment": "cloud",
    "edition": "standard",
    "billing": "annual",
    "users": 100,
}  # 4,000.00 for 12 months


def kinds(line):
    return [(d.kind, d.pct, d.amount) for d in line.discounts]


def test_R_DISC_order_program_then_partner_each_on_what_is_left(priced):
    # R-DISC: 75% program, then 10% partner on 4,000.00: 3,000.00 off, then 100.00, net 900.00
    q = priced([CONFLUENCE_4000], program="community", partner_discount_pct="10")
    line = q.lines[0]
    assert kinds(line) == [("program", D(75), D("3000.00")), ("partner", D(10), D("100.00"))]
    assert line.net == D("900.00")
    assert (q.subtotal, q.discount_total, q.net_total) == (D("4000.00"), D("3100.00"), D("900.00"))


def test_R_DISC_MANUAL_applies_last(priced):
    # … then a 5% manual discount on the 900.00 left: 45.00, net 855.00
    q = priced(
        [{**CONFLUENCE_4000, "discount_pct": "5"}], program="community", partner_discount_pct="10"
    )
    assert kinds(q.lines[0])[-1] == ("manual", D(5), D("45.00"))
    assert q.lines[0].net == D("855.00")


def test_R_DISC_COMMUNITY_100_percent_on_data_center_and_bitbucket_cloud_standard(priced):
    q = priced(
        [
            {**JIRA_DC, "users": 1000},
            {"product": "bitbucket", "deployment": "cloud", "edition": "standard", "users": 100},
        ],
        program="community",
    )
    assert [line.net for line in q.lines] == [D("0.00"), D("0.00")]
    assert kinds(q.lines[1]) == [("program", D(100), D("3650.00"))]


def test_R_DISC_COMMUNITY_ineligible_product_is_warned_not_silent(priced):
    q = priced(
        [{"product": "crowd", "deployment": "datacenter", "users": 500}], program="community"
    )
    assert q.lines[0].discounts == ()
    assert ("R-DISC-COMMUNITY", 0) in [(p.code, p.line) for p in q.warnings]


def test_R_DISC_ACADEMIC_confluence_data_center_only_above_10000_users(priced):
    small = {"product": "confluence", "deployment": "datacenter", "users": 10000}
    q = priced([small, {**small, "users": 12000}], program="academic")
    assert q.lines[0].discounts == ()
    assert ("R-DISC-ACADEMIC", 0) in [(p.code, p.line) for p in q.warnings]
    assert kinds(q.lines[1]) == [("program", D(75), D("270000.00"))]  # 75% of 360,000.00


def test_R_DISC_ACADEMIC_confluence_apps_75_other_apps_50(priced):
    q = priced(
        [
            CONFLUENCE_4000,
            {"product": "app:com.example.macros", "deployment": "cloud", "parent": 0},
            {**JIRA_CLOUD, "users": 100},
            {"product": "app:com.example.timesheets", "deployment": "cloud", "parent": 2},
        ],
        program="academic",
    )
    assert [d.pct for line in q.lines for d in line.discounts] == [D(75), D(75), D(50), D(50)]
    assert q.lines[1].net == D("500.00")  # 2,000.00 − 75%
    assert q.lines[3].net == D("500.00")  # 1,000.00 − 50%


def test_R_DISC_CLASSROOM_is_cloud_only(priced):
    q = priced([{**JIRA_DC, "users": 1000}, {**JIRA_CLOUD, "users": 100}], program="classroom")
    assert q.lines[0].discounts == ()
    assert ("R-DISC-CLASSROOM", 0) in [(p.code, p.line) for p in q.warnings]
    assert q.lines[1].net == D("2000.00")  # 8,000.00 − 75%


def test_R_DISC_OSS_free_cloud_standard_only(priced):
    q = priced(
        [{**JIRA_CLOUD, "users": 100}, {**JIRA_CLOUD, "edition": "premium", "users": 100}],
        program="open_source",
    )
    assert q.lines[0].net == D("0.00")
    assert q.lines[1].net == D("16000.00")
    assert ("R-DISC-OSS", 1) in [(p.code, p.line) for p in q.warnings]


def test_R_DISC_GOV_commercial_prices_and_us_government_reseller_note(priced):
    q = priced(
        [{**JIRA_CLOUD, "users": 100}],
        program="government",
        customer={"name": "City", "country": "US", "subdivision": "OR"},
    )
    assert q.lines[0].discounts == ()
    assert codes(q.warnings).count("R-DISC-GOV") == 2


def test_R_DISC_PARTNER_custom_lines_get_only_manual_discounts(priced):
    q = priced(
        [{"custom": "Workshop", "unit_price": "1500.00", "quantity": 2, "discount_pct": "10"}],
        program="community",
        partner_discount_pct="10",
    )
    assert kinds(q.lines[0]) == [("manual", D(10), D("300.00"))]
    assert q.lines[0].net == D("2700.00")


def test_R_DISC_DUAL_data_center_renewal_free_for_up_to_12_months(priced):
    dual = {
        **JIRA_DC,
        "users": 1000,
        "action": "renew",
        "current_end_date": "2027-01-31",
        "dual_licensing": True,
    }
    q = priced([dual])
    assert kinds(q.lines[0]) == [("dual_licensing", D(100), D("73000.00"))]
    assert q.lines[0].net == D("0.00")
    too_long = priced([{**dual, "months": 13}])
    assert "R-DISC-DUAL" in codes(too_long.errors)
    not_renewal = priced([{**JIRA_DC, "users": 1000, "dual_licensing": True}])
    assert "R-DISC-DUAL" in codes(not_renewal.errors)
