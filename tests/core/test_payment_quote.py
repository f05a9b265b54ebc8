"""R-PAY-*, R-Q-*, R-DC-EOL, R-SAMPLE and list-price overrides."""

from datetime import date
from decimal import Decimal as D

from quotedesk.core import load_price_book, load_rules, parse_quote, price
from quotedesk.core.io.resources import sample_price_book_path
from tests.core.conftest import JIRA_CLOUD, JIRA_DC, JIRA_MONTHLY, codes


def methods(q):
    return [m.method for m in q.payment_methods]


def test_R_PAY_1_monthly_cloud_is_card_or_paypal_only(priced):
    assert methods(priced([{**JIRA_MONTHLY, "users": 20}])) == ["credit_card", "paypal"]


def test_R_PAY_2_no_card_or_check_for_aud_orders(priced):
    q = priced(
        [{**JIRA_DC, "users": 1000}], currency="AUD", customer={"name": "P", "country": "AU"}
    )
    assert "credit_card" not in methods(q) and "check" not in methods(q)
    assert "bank_transfer" in methods(q)


def test_R_PAY_3_bank_transfer_check_and_ach_with_their_clearing_times(priced):
    q = priced([{**JIRA_CLOUD, "users": 10}])  # tier 10: 1,000.00
    labels = {m.method: m.label for m in q.payment_methods}
    assert labels["bank_transfer"] == "Bank transfer (7–14 business days)"
    assert labels["check"] == "Check (7–14 business days)"
    assert labels["ach"] == "ACH (5–7 business days)"
    assert {m.rule for m in q.payment_methods if m.method in labels} >= {"R-PAY-3"}


def test_R_PAY_4_net_14_for_improved_annual_cloud_from_1000_to_under_20000(priced):
    assert "net_14" in methods(priced([{**JIRA_CLOUD, "users": 100}]))  # 8,000.00
    assert "net_14" not in methods(priced([{**JIRA_CLOUD, "users": 10, "months": 11}]))


def test_R_PAY_5_net_30_improved_from_20000_after_credit_check(priced):
    q = priced([{**JIRA_CLOUD, "users": 500}])  # 36,500.00
    net30 = [m for m in q.payment_methods if m.method == "net_30"]
    assert net30 and "credit check" in net30[0].label


def test_R_PAY_5_net_30_for_data_center_from_10000(priced):
    assert "net_30" in methods(priced([{**JIRA_DC, "users": 1000}]))


def test_R_PAY_5_non_usd_without_rate_terms_subject_to_approval(priced):
    q = priced(
        [{**JIRA_DC, "users": 1000}], currency="JPY", customer={"name": "K", "country": "JP"}
    )
    assert "net_terms" in methods(q)
    with_rate = priced(
        [{**JIRA_DC, "users": 1000}],
        currency="JPY",
        exchange_rate="150",
        customer={"name": "K", "country": "JP"},
    )
    assert "net_30" in methods(with_rate)  # 10,950,000 / 150 = USD 73,000


def test_R_Q_1_atlassian_reference_is_AT_and_9_digits(priced):
    assert priced([], atlassian_ref="AT-123456789").errors == ()
    assert "R-Q-1" in codes(priced([], atlassian_ref="AT-12345").errors)


def test_R_Q_3_valid_30_days_and_expired_quotes_warned(priced):
    q = priced([{**JIRA_CLOUD, "users": 100}], today=date(2026, 12, 21))
    assert q.valid_until == date(2026, 12, 20)
    assert "R-Q-3" in codes(q.warnings)


def test_R_Q_4_terms_name_refunds_and_trials(priced):
    texts = " ".join(t.text for t in priced([{**JIRA_CLOUD, "users": 100}]).terms)
    assert "refunded within 30 days" in texts and "14 days" in texts


def test_R_DC_EOL_new_data_center_customers_warned_after_2026_03_30(priced):
    q = priced([{**JIRA_DC, "users": 1000}])
    assert ("R-DC-EOL", 0) in [(p.code, p.line) for p in q.warnings]
    before = priced([{**JIRA_DC, "users": 1000}], quote_date="2026-03-29")
    assert "R-DC-EOL" not in codes(before.warnings)


def test_R_DC_EOL_no_period_past_end_of_life(priced):
    q = priced([{**JIRA_DC, "users": 1000, "action": "renew", "current_end_date": "2028-06-01"}])
    assert "R-DC-EOL" in codes(q.errors)


def test_R_DC_EOL_server_and_stack_are_not_sold(priced):
    q = priced(
        [
            {"product": "jira", "deployment": "server", "users": 10},
            {"product": "stack", "deployment": "datacenter", "users": 10},
        ]
    )
    assert [(p.code, p.line) for p in q.errors] == [("R-DC-EOL", 0), ("R-DC-EOL", 1)]


def test_list_price_override_needs_a_reason_and_is_reported(priced):
    q = priced([{**JIRA_CLOUD, "users": 100, "list_price": "7000.00"}])
    assert q.lines[0].list_price == D("7000.00")
    assert "R-INPUT" in codes(q.errors) and "R-PRICE-OVERRIDE" in codes(q.warnings)


def test_R_SAMPLE_sample_price_book_is_flagged_illustrative():
    book = load_price_book(sample_price_book_path())
    q = price(
        parse_quote({"lines": [{**JIRA_CLOUD, "users": 100}]}),
        book,
        load_rules(),
        date(2026, 11, 23),
    )
    assert q.illustrative_prices is True
    assert "R-SAMPLE" in codes(q.warnings)
