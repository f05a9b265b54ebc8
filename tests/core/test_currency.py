"""R-CUR-*: quote currencies and the no-silent-conversion rule."""

from decimal import Decimal as D

from tests.core.conftest import JIRA_CLOUD, JIRA_DC, codes

JP = {"name": "K.K.", "country": "JP"}
AU = {"name": "Pty", "country": "AU"}


def test_R_CUR_1_usd_is_the_default_currency(priced):
    assert priced([{**JIRA_DC, "users": 1000}]).currency == "USD"


def test_R_CUR_1_aud_only_for_australia_and_jpy_only_for_japan(priced):
    assert "R-CUR-1" in codes(priced([{**JIRA_DC, "users": 1000}], currency="AUD").errors)
    assert "R-CUR-1" in codes(priced([{**JIRA_DC, "users": 1000}], currency="JPY").errors)


def test_R_CUR_1_jpy_amounts_have_no_decimals(priced):
    # 10,950,000 × 18 / 12 = 16,425,000 yen; JCT 10% = 1,642,500
    q = priced([{**JIRA_DC, "users": 1000, "months": 18}], currency="JPY", customer=JP)
    assert q.errors == ()
    data = q.to_dict()
    assert data["lines"][0]["list_price"] == "16425000"
    assert data["taxes"][0]["amount"] == "1642500"
    assert data["total"] == "18067500"


def test_R_CUR_2_bitbucket_cloud_orders_are_usd_only(priced):
    q = priced(
        [{"product": "bitbucket", "deployment": "cloud", "edition": "standard", "users": 100}],
        currency="JPY",
        customer=JP,
    )
    assert "R-CUR-2" in codes(q.errors)


def test_R_CUR_3_cloud_and_apps_never_in_aud(priced):
    q = priced([{**JIRA_CLOUD, "users": 100}], currency="AUD", customer=AU)
    assert "R-CUR-3" in codes(q.errors)


def test_R_CUR_4_improved_billing_settles_cloud_in_usd_only(priced):
    q = priced([{**JIRA_CLOUD, "users": 100}], currency="JPY", customer=JP)
    assert "R-CUR-4" in codes(q.errors)
    assert q.billing_experience == "improved"


def test_R_CUR_4_enterprise_or_bitbucket_means_original_billing(priced):
    q = priced(
        [{"product": "bitbucket", "deployment": "cloud", "edition": "standard", "users": 100}]
    )
    assert q.billing_experience == "original"


def test_R_CUR_5_no_price_in_the_quote_currency_is_an_error_not_a_conversion(priced):
    q = priced(
        [{"product": "confluence", "deployment": "datacenter", "users": 500}],
        currency="AUD",
        customer=AU,
    )
    assert "R-CUR-5" in codes(q.errors)
    assert q.total == D("0.00")
