"""R-PEAK-*: monthly peak-user billing (Portuguese seed)."""

from datetime import date
from decimal import Decimal as D

from tests.core.conftest import JIRA_MONTHLY, amounts, codes

CYCLE = {"start_date": "2026-12-01"}  # cycle 2026-12-01 → 2027-01-01, 31 days


def test_R_PEAK_1_first_cycle_billed_on_the_count_at_its_start(priced):
    # 40 users: 10 × 8.00 + 30 × 7.00 = 290.00
    q = priced([{**JIRA_MONTHLY, "users": 40}], **CYCLE)
    assert amounts(q) == [D("290.00")]


def test_R_PEAK_2_mid_cycle_addition_charged_pro_rata_at_the_band_rate(priced):
    # 40 → 45 users on 2026-12-10, 22 of 31 days left; units 41–45 at 7.00:
    # 5 × 7.00 × 22 / 31 = 24.838… → 24.84, on its own line.
    q = priced(
        [{**JIRA_MONTHLY, "users": 40, "additions": [{"date": "2026-12-10", "users": 5}]}], **CYCLE
    )
    assert amounts(q) == [D("290.00"), D("24.84")]
    peak = q.lines[1]
    assert peak.kind == "peak_addition" and peak.units == 5 and peak.index == 0
    assert (peak.period_start, peak.period_end) == (date(2026, 12, 10), date(2027, 1, 1))


def test_R_PEAK_2_addition_across_bands_uses_each_band_rate(priced):
    # 95 → 105 on 2026-12-01 (31/31 days): units 96–100 at 7.00, 101–105 at 6.00 = 65.00
    q = priced(
        [{**JIRA_MONTHLY, "users": 95, "additions": [{"date": "2026-12-01", "users": 10}]}], **CYCLE
    )
    assert amounts(q)[1] == D("65.00")


def test_R_PEAK_2_removals_give_no_credit_and_re_adding_up_to_the_peak_is_free(priced):
    # 40, −5 on 12-05, +5 on 12-10 (back to the peak: free), +3 on 12-20 (43 > 40):
    # 3 × 7.00 × 12 / 31 = 8.129… → 8.13
    q = priced(
        [
            {
                **JIRA_MONTHLY,
                "users": 40,
                "additions": [
                    {"date": "2026-12-05", "users": -5},
                    {"date": "2026-12-10", "users": 5},
                    {"date": "2026-12-20", "users": 3},
                ],
            }
        ],
        **CYCLE,
    )
    assert amounts(q) == [D("290.00"), D("8.13")]


def test_R_PEAK_2_changes_outside_the_first_cycle_are_errors(priced):
    q = priced(
        [{**JIRA_MONTHLY, "users": 40, "additions": [{"date": "2027-01-05", "users": 5}]}], **CYCLE
    )
    assert "R-PEAK-2" in codes(q.errors)


def test_R_PEAK_3_discounts_apply_to_peak_charges(priced):
    # Partner 10% on the 24.84 charge: 2.48 off, net 22.36
    q = priced(
        [{**JIRA_MONTHLY, "users": 40, "additions": [{"date": "2026-12-10", "users": 5}]}],
        partner_discount_pct="10",
        **CYCLE,
    )
    peak = q.lines[1]
    assert [(d.kind, d.amount) for d in peak.discounts] == [("partner", D("2.48"))]
    assert peak.net == D("22.36")


def test_R_PEAK_1_peak_billing_does_not_cover_jsm(priced):
    q = priced(
        [
            {
                "product": "jsm",
                "deployment": "cloud",
                "edition": "standard",
                "billing": "monthly",
                "users": 5,
                "additions": [{"date": "2026-12-10", "users": 1}],
            }
        ],
        **CYCLE,
    )
    assert "R-PEAK-1" in codes(q.errors)


def test_R_LIM_2_limit_counts_the_peak_reached_by_additions(priced):
    q = priced(
        [
            {
                "product": "jsm",
                "deployment": "cloud",
                "edition": "standard",
                "billing": "monthly",
                "users": 9999,
                "additions": [{"date": "2026-12-10", "users": 2}],
            }
        ],
        **CYCLE,
    )
    assert "R-LIM-2" in codes(q.errors)
