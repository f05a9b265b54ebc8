"""R-UPG-*, R-MIG-1: upgrades, downgrades and credits."""

from datetime import date
from decimal import Decimal as D

from tests.core.conftest import JIRA_CLOUD, JIRA_DC, amounts, codes


def test_R_UPG_1_cloud_upgrade_prorated_to_the_current_end(priced):
    # 100 → 200 users on 2026-11-01, licence ends 2027-05-01: 181 days left.
    # (14,600.00 − 8,000.00) × 181 / 365 = 3,272.876… → 3,272.88
    q = priced(
        [
            {
                **JIRA_CLOUD,
                "users": 200,
                "action": "upgrade",
                "from_users": 100,
                "current_end_date": "2027-05-01",
                "start_date": "2026-11-01",
            }
        ]
    )
    line = q.lines[0]
    assert q.errors == ()
    assert line.list_price == D("3272.88")
    assert (line.period_start, line.period_end) == (date(2026, 11, 1), date(2027, 5, 1))


def test_R_UPG_1_monthly_lines_change_through_additions_not_upgrades(priced):
    q = priced(
        [
            {
                "product": "jira",
                "deployment": "cloud",
                "edition": "standard",
                "billing": "monthly",
                "users": 20,
                "action": "upgrade",
                "from_users": 10,
                "current_end_date": "2027-01-01",
            }
        ]
    )
    assert "R-UPG-1" in codes(q.errors)


def test_R_UPG_2_extending_upgrade_runs_at_least_12_months(priced):
    q = priced(
        [
            {
                **JIRA_DC,
                "users": 2000,
                "action": "upgrade",
                "from_users": 1000,
                "current_end_date": "2027-05-01",
                "mode": "new_term",
                "months": 6,
            }
        ]
    )
    assert "R-UPG-2" in codes(q.errors)


def test_R_UPG_2_coterm_upgrade_needs_a_line_to_coterm_with(priced):
    q = priced(
        [
            {
                **JIRA_DC,
                "users": 2000,
                "action": "upgrade",
                "from_users": 1000,
                "current_end_date": "2027-05-01",
                "mode": "coterm",
            }
        ]
    )
    assert "R-UPG-2" in codes(q.errors)


def test_R_UPG_3_data_center_new_term_credits_remaining_full_months_paid(priced):
    # New 2000-user term: 120,000.00. Paid 73,000.00 for 12 months; 2026-11-01 →
    # 2027-05-01 leaves 6 full months: credit 73,000.00 × 6 / 12 = 36,500.00.
    q = priced(
        [
            {
                **JIRA_DC,
                "users": 2000,
                "action": "upgrade",
                "from_users": 1000,
                "current_end_date": "2027-05-01",
                "start_date": "2026-11-01",
                "paid_amount": "73000.00",
                "paid_months": 12,
            }
        ]
    )
    assert q.errors == ()
    assert [line.kind for line in q.lines] == ["product", "upgrade_credit"]
    assert amounts(q) == [D("120000.00"), D("-36500.00")]
    assert q.net_total == D("83500.00")
    assert q.lines[0].period_end == date(2027, 11, 1)


def test_R_UPG_3_without_paid_amount_old_tier_list_price_stands_in_with_warning(priced):
    # 2026-11-15 → 2027-05-01 is 5 full months: 73,000.00 × 5 / 12 = 30,416.67
    q = priced(
        [
            {
                **JIRA_DC,
                "users": 2000,
                "action": "upgrade",
                "from_users": 1000,
                "current_end_date": "2027-05-01",
                "start_date": "2026-11-15",
            }
        ]
    )
    assert amounts(q) == [D("120000.00"), D("-30416.67")]
    assert "R-UPG-3" in codes(q.warnings)


def test_R_UPG_4_downgrade_only_within_90_days_before_expiry(priced):
    down = {**JIRA_DC, "users": 500, "action": "downgrade", "from_users": 1000}
    late = priced([{**down, "current_end_date": "2027-06-30"}])  # 222 days ahead
    assert "R-UPG-4" in codes(late.errors)
    ok = priced([{**down, "current_end_date": "2027-01-31"}])  # 72 days ahead
    assert ok.errors == ()
    line = ok.lines[0]
    assert (line.period_start, line.list_price) == (date(2027, 1, 31), D("36500.00"))


def test_R_MIG_1_acceleration_credit_for_unused_data_center_days(priced):
    # Paid 73,000.00 for 2026-06-01 → 2027-06-01 (365 days); cloud starts 2026-12-01,
    # 182 days unused: 73,000.00 × 182 / 365 = 36,400.00, its own negative line.
    q = priced(
        [
            {
                **JIRA_CLOUD,
                "users": 200,
                "start_date": "2026-12-01",
                "migrating_from": {
                    "paid_amount": "73000.00",
                    "period_start": "2026-06-01",
                    "period_end": "2027-06-01",
                },
            }
        ]
    )
    assert [line.kind for line in q.lines] == ["product", "migration_credit"]
    assert amounts(q) == [D("14600.00"), D("-36400.00")]
    assert "R-MIG-1" in codes(q.warnings)  # free migration trial note
