"""R-FEE-*, R-TAX-*: administration fees and taxes by sold-to location."""

from decimal import Decimal as D

from tests.core.conftest import JIRA_CLOUD, JIRA_DC, codes

# The seed's two lines: Confluence Cloud 100 − 10 and Jira DC 200 − 20 (list prices set by
# override so the amounts are exactly the seed's).
SEED_LINES = [
    {
        "product": "confluence",
        "deployment": "cloud",
        "edition": "standard",
        "users": 100,
        "list_price": "100.00",
        "override_reason": "seed example",
        "discount_pct": "10",
    },
    {
        **JIRA_DC,
        "users": 500,
        "list_price": "200.00",
        "override_reason": "seed example",
        "discount_pct": "10",
    },
]


def tax(q, name):
    return next(t for t in q.taxes if t.name == name)


def test_R_FEE_1_india_fee_2_percent_and_R_FEE_2_gst_on_price_plus_fee(priced):
    # fee (300 − 30) × 2% = 5.40; GST (270 + 5.40) × 18% = 49.572 → 49.57
    q = priced(SEED_LINES, quote_date="2022-06-01", customer={"name": "Pvt", "country": "IN"})
    assert q.net_total == D("270.00")
    assert q.admin_fee == D("5.40")
    gst = tax(q, "GST")
    assert (gst.base, gst.rate, gst.amount) == (D("275.40"), D(18), D("49.57"))
    assert q.total == D("324.97")


def test_R_FEE_1_turkey_fee_7_5_percent_on_data_center_only(priced):
    # fee (200 − 20) × 7.5% = 13.50; VAT (270 + 13.50) × 18% = 51.03 (18% before 2023-07-10)
    q = priced(SEED_LINES, quote_date="2022-06-01", customer={"name": "AS", "country": "TR"})
    assert q.admin_fee == D("13.50")
    vat = tax(q, "VAT")
    assert (vat.base, vat.amount) == (D("283.50"), D("51.03"))


def test_R_FEE_1_quotes_dated_on_or_before_2021_10_12_have_no_fee(priced):
    q = priced(SEED_LINES, quote_date="2021-10-12", customer={"name": "Pvt", "country": "IN"})
    assert q.admin_fee == D("0.00")
    later = priced(SEED_LINES, quote_date="2021-10-13", customer={"name": "Pvt", "country": "IN"})
    assert later.admin_fee == D("5.40")


def test_R_TAX_TR_rate_is_effective_dated(priced):
    q = priced(SEED_LINES, quote_date="2023-07-10", customer={"name": "AS", "country": "TR"})
    assert tax(q, "VAT").rate == D(20)


def test_R_TAX_AU_gst_10_percent(priced):
    q = priced(
        [{**JIRA_DC, "users": 1000}], currency="AUD", customer={"name": "Pty", "country": "AU"}
    )
    assert [(t.name, t.amount) for t in q.taxes] == [("GST", D("11000.00"))]


def test_R_TAX_EU_vat_at_member_state_rate(priced):
    q = priced([{**JIRA_CLOUD, "users": 100}], customer={"name": "GmbH", "country": "DE"})
    assert [(t.jurisdiction, t.rate, t.amount) for t in q.taxes] == [("DE", D(19), D("1520.00"))]


def test_R_TAX_EU_valid_vat_id_means_reverse_charge(priced):
    q = priced(
        [{**JIRA_CLOUD, "users": 100}],
        customer={"name": "GmbH", "country": "DE", "tax_id": "DE 136 695 976"},
    )
    vat = q.taxes[0]
    assert (vat.amount, vat.rate) == (D("0.00"), D(0))
    assert "reverse charge" in (vat.exempt_reason or "")


def test_R_TAX_EU_invalid_vat_id_is_named_and_vat_charged(priced):
    q = priced(
        [{**JIRA_CLOUD, "users": 100}],
        customer={"name": "GmbH", "country": "DE", "tax_id": "DE136695977"},
    )
    assert q.taxes[0].amount == D("1520.00")
    assert "R-TAX-EU" in codes(q.warnings)


def test_R_TAX_VAT_switzerland_unless_exemption_documents(priced):
    ch = {"name": "AG", "country": "CH"}
    q = priced([{**JIRA_CLOUD, "users": 100}], customer=ch)
    assert q.taxes[0].amount == D("648.00")  # 8.1% of 8,000.00
    exempt = priced(
        [{**JIRA_CLOUD, "users": 100}], customer={**ch, "exemptions": ["vat_exemption"]}
    )
    assert exempt.tax_total == D("0.00")


def test_R_TAX_JP_consumption_tax(priced):
    q = priced(
        [{**JIRA_DC, "users": 1000}], currency="JPY", customer={"name": "KK", "country": "JP"}
    )
    assert q.taxes[0].name == "JCT" and q.taxes[0].rate == D(10)


def test_R_TAX_IN_no_gst_with_a_valid_gstin_pan_or_cin(priced):
    for tax_id in ("27AAPFU0939F1ZV", "AAPFU0939F", "U72200KA2004PTC034593"):
        q = priced(
            [{**JIRA_CLOUD, "users": 100}],
            customer={"name": "Pvt", "country": "IN", "tax_id": tax_id},
        )
        assert q.tax_total == D("0.00"), tax_id
        assert q.admin_fee == D("160.00")  # the fee stays: 2% of 8,000.00


def test_R_TAX_CA_bc_gst_plus_pst_on_the_same_base(priced):
    q = priced(
        [{**JIRA_CLOUD, "users": 100}],
        customer={"name": "Ltd", "country": "CA", "subdivision": "BC"},
    )
    assert [(t.name, t.amount) for t in q.taxes] == [("GST", D("400.00")), ("PST", D("560.00"))]


def test_R_TAX_CA_qc_gst_plus_qst_unless_qst_number(priced):
    qc = {"name": "Ltée", "country": "CA", "subdivision": "QC"}
    q = priced([{**JIRA_CLOUD, "users": 100}], customer=qc)
    assert [(t.name, t.amount) for t in q.taxes] == [("GST", D("400.00")), ("QST", D("798.00"))]
    exempt = priced([{**JIRA_CLOUD, "users": 100}], customer={**qc, "exemptions": ["qst"]})
    assert exempt.tax_total == D("400.00")


def test_R_TAX_CA_hst_ontario_13_and_atlantic_15(priced):
    on = priced(
        [{**JIRA_CLOUD, "users": 100}], customer={"name": "L", "country": "CA", "subdivision": "ON"}
    )
    ns = priced(
        [{**JIRA_CLOUD, "users": 100}],
        customer={"name": "L", "country": "CA", "subdivision": "CA-NS"},
    )
    assert (on.tax_total, ns.tax_total) == (D("1040.00"), D("1200.00"))


def test_R_TAX_CA_pst_follows_the_end_customers_ship_to_province(priced):
    # Reseller in ON selling to an end customer in SK: HST 13% + SK PST 6%
    q = priced(
        [{**JIRA_CLOUD, "users": 100}],
        customer={
            "name": "Reseller",
            "country": "CA",
            "subdivision": "ON",
            "ship_to_subdivision": "SK",
        },
    )
    assert [(t.name, t.jurisdiction, t.amount) for t in q.taxes] == [
        ("HST", "CA-ON", D("1040.00")),
        ("PST", "CA-SK", D("480.00")),
    ]


def test_R_TAX_CA_reseller_with_pst_number_is_exempt(priced):
    q = priced(
        [{**JIRA_CLOUD, "users": 100}],
        customer={"name": "Ltd", "country": "CA", "subdivision": "BC", "exemptions": ["pst"]},
    )
    assert q.tax_total == D("400.00")


def test_R_TAX_US_estimated_state_tax_from_its_start_date(priced):
    q = priced(
        [{**JIRA_CLOUD, "users": 100}],
        customer={"name": "Inc", "country": "US", "subdivision": "TX"},
    )
    sales = q.taxes[0]
    assert (sales.estimated, sales.rate, sales.amount) == (True, D("6.25"), D("500.00"))
    before = priced(
        [{**JIRA_CLOUD, "users": 100}],
        quote_date="2021-05-24",
        customer={"name": "Inc", "country": "US", "subdivision": "PR"},
    )
    assert before.taxes == ()


def test_R_TAX_US_exemption_certificate_on_file(priced):
    q = priced(
        [{**JIRA_CLOUD, "users": 100}],
        customer={
            "name": "Inc",
            "country": "US",
            "subdivision": "NY",
            "exemptions": ["us_resale_certificate"],
        },
    )
    assert q.tax_total == D("0.00")


def test_R_TAX_CHI_chicago_cloud_lease_tax_data_center_illinois_estimate(priced):
    # Cloud 8,000.00 × 9% = 720.00 lease tax; DC 73,000.00 × 6.25% = 4,562.50 estimate
    q = priced(
        [{**JIRA_CLOUD, "users": 100}, {**JIRA_DC, "users": 1000}],
        customer={"name": "LLC", "country": "US", "subdivision": "IL", "city": "Chicago"},
    )
    assert [(t.rule, t.base, t.amount) for t in q.taxes] == [
        ("R-TAX-US", D("73000.00"), D("4562.50")),
        ("R-TAX-CHI", D("8000.00"), D("720.00")),
    ]


def test_R_TAX_LOCAL_tax_also_in_the_customers_currency(priced):
    q = priced(
        [{**JIRA_CLOUD, "users": 100}],
        local_currency="CHF",
        exchange_rate="0.8",
        customer={"name": "AG", "country": "CH"},
    )
    vat = q.taxes[0]
    assert (vat.amount, vat.local_currency, vat.local_amount) == (D("648.00"), "CHF", D("518.40"))
