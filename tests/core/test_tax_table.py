"""R-TAX-*: the tax-component table is data only. A jurisdiction is added, or a rate changed
on a date, by a rule file in the user's rules folder; a malformed file is refused with its
path and the entry at fault."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal as D

import pytest

from quotedesk.core import parse_quote, price
from quotedesk.core.io.resources import resources_dir
from quotedesk.core.pricing.taxes import tax_name
from quotedesk.core.rules import RulesError, load_rules
from tests.core.conftest import JIRA_CLOUD, JIRA_DC

SHIPPED = resources_dir() / "rules"


def shipped(name):
    return json.loads((SHIPPED / name).read_text(encoding="utf-8"))


def write(folder, name, table):
    (folder / name).write_text(json.dumps(table), encoding="utf-8")


def priced_with(book, rules, customer, quote_date="2026-11-20", lines=None):
    data = {
        "schema": 1,
        "quote_date": quote_date,
        "customer": {"name": "Test", **customer},
        "lines": lines or [{**JIRA_CLOUD, "users": 100}],  # 8,000.00
    }
    return price(parse_quote(data), book, rules, date(2026, 11, 23))


def test_R_TAX_a_new_jurisdiction_added_only_as_data_prices_correctly(user_rules, book):
    """Norway: 25% VAT, and a made-up Oslo city levy of 2% on cloud lines only, in place of
    nothing (both are new: no code knows Norway)."""
    table = shipped("taxes.json")
    table["groups"].append(
        {
            "shared": {"rule": "R-TAX-NO", "country": "NO"},
            "components": [
                {
                    "id": "NO-VAT",
                    "label": "tax.vat",
                    "rates": [["2005-01-01", "25"]],
                    "exempt_if": ["vat_exemption"],
                    "exempt_reason": "tax.exempt.documents",
                },
                {
                    "id": "NO-Oslo",
                    "label": "tax.sales_tax",
                    "subdivisions": ["03"],
                    "city": "Oslo",
                    "applies_to": {"deployments": ["cloud"], "admin_fee": False},
                    "estimated": True,
                    "rates": [["2020-01-01", "2"]],
                },
            ],
        }
    )
    write(user_rules, "taxes.json", table)
    rules = load_rules()
    oslo = {"country": "NO", "subdivision": "NO-03", "city": "oslo"}
    # Cloud 8,000.00 + Data Center 73,000.00: VAT 25% of 81,000.00 = 20,250.00;
    # the city levy 2% of the cloud 8,000.00 only = 160.00.
    q = priced_with(
        book, rules, oslo, lines=[{**JIRA_CLOUD, "users": 100}, {**JIRA_DC, "users": 1000}]
    )
    assert [(t.name, t.jurisdiction, t.base, t.amount) for t in q.taxes] == [
        ("VAT", "NO", D("81000.00"), D("20250.00")),
        ("Sales tax (estimated)", "NO-03-Oslo", D("8000.00"), D("160.00")),
    ]
    assert q.total == D("101410.00")
    bergen = priced_with(book, rules, {"country": "NO", "subdivision": "46"})
    assert [(t.name, t.amount) for t in bergen.taxes] == [("VAT", D("2000.00"))]
    exempt = priced_with(book, rules, {"country": "NO", "exemptions": ["vat_exemption"]})
    assert (exempt.taxes[0].amount, exempt.taxes[0].exempt_reason) == (
        D("0.00"),
        "exemption documents on file",
    )


def test_R_TAX_US_a_rate_change_applies_from_its_date(user_rules, book):
    """Texas 6.25% until 2025-12-31, then (the adviser's figure) 7%: 8,000.00 × 6.25% = 500.00
    on the last old day, 8,000.00 × 7% = 560.00 from the change on."""
    table = shipped("us_sales_tax.json")
    texas = next(c for c in table["groups"][0]["components"] if c["id"] == "US-TX")
    texas["rates"] = [["2014-04-01", "6.25"], ["2026-01-01", "7"]]
    write(user_rules, "us_sales_tax.json", table)
    rules = load_rules()
    tx = {"country": "US", "subdivision": "TX"}
    before = priced_with(book, rules, tx, quote_date="2025-12-31")
    after = priced_with(book, rules, tx, quote_date="2026-01-01")
    assert (before.taxes[0].rate, before.taxes[0].amount) == (D("6.25"), D("500.00"))
    assert (after.taxes[0].rate, after.taxes[0].amount) == (D(7), D("560.00"))


def _component(table, component_id):
    for group in table["groups"]:
        for component in group["components"]:
            if component["id"] == component_id:
                return component
    raise KeyError(component_id)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda c: c.update(rates=[["2014-04-01", "six"]]), r"rate 'six' is not a percentage"),
        (lambda c: c.update(rates=[["April", "6.25"]]), r"Invalid isoformat string: 'April'"),
        (lambda c: c.update(rates=[]), r"rates is not a list of \[from date, percent\]"),
        (lambda c: c.update(label="tax.mva"), r"'tax.mva' is not a text code of messages.json"),
        (lambda c: c.update(level="state"), r"'state' is not one of country, subdivision, city"),
        (lambda c: c.update(rate="6.25"), r"unknown field rate"),
        (lambda c: c.pop("subdivisions") and c.update(level="subdivision"), r"needs subdivisions"),
    ],
)
def test_R_TAX_US_a_malformed_component_names_its_file_and_entry(user_rules, change, message):
    table = shipped("us_sales_tax.json")
    change(_component(table, "US-TX"))
    write(user_rules, "us_sales_tax.json", table)
    with pytest.raises(RulesError, match=message) as caught:
        load_rules()
    path = user_rules / "us_sales_tax.json"
    assert str(caught.value).startswith(f"rule table {path}, groups[0].components[")
    assert "(US-TX): " in str(caught.value)


def test_R_TAX_a_component_without_a_rate_history_or_twice_is_refused(user_rules):
    table = shipped("taxes.json")
    del _component(table, "DE-VAT")["rates"]
    write(user_rules, "taxes.json", table)
    path = user_rules / "taxes.json"
    with pytest.raises(RulesError) as caught:
        load_rules()
    # DE is the EU group's 11th member state.
    assert (
        str(caught.value)
        == f"rule table {path}, groups[1].components[10] (DE-VAT): rates is missing"
    )
    table = shipped("taxes.json")
    table["groups"][1]["components"].append(_component(table, "DE-VAT"))
    write(user_rules, "taxes.json", table)
    with pytest.raises(RulesError, match=r"component id DE-VAT twice"):
        load_rules()


def test_R_TAX_tax_lines_carry_their_label_code_and_english_name(priced):
    q = priced(
        [{**JIRA_CLOUD, "users": 100}],
        customer={"name": "Ltée", "country": "CA", "subdivision": "QC", "exemptions": ["qst"]},
    )
    taxes = q.to_dict()["taxes"]
    assert [(t["name"], t["label"]) for t in taxes] == [("GST", "tax.gst"), ("QST", "tax.qst")]
    assert taxes[1]["exempt_reason"] == "QST number on file"
    assert taxes[1]["exempt"] == {"code": "tax.exempt.qst_number", "params": {}}
    assert tax_name("tax.sales_tax", True, "ja") == "売上税（概算）"
    assert tax_name("tax.vat", False, "pt-BR") == "IVA"


def test_R_TAX_problems_are_codes_with_texts_in_every_language(priced):
    q = priced([{**JIRA_CLOUD, "users": 100}], customer={"name": "Inc", "country": "US"})
    (missing,) = [p for p in q.warnings if p.code == "R-TAX-US"]
    assert missing.key == "R-TAX-US.state_missing"
    assert missing.message == "the customer's state is missing: no sales tax estimated"
    assert missing.text("ja") == "顧客の州がありません：売上税は概算されません"
    bad_id = priced(
        [{**JIRA_CLOUD, "users": 100}],
        customer={"name": "GmbH", "country": "DE", "tax_id": "DE136695977"},
    )
    (invalid,) = [p for p in bad_id.warnings if p.code == "R-TAX-EU"]
    assert invalid.key == "R-TAX-EU.tax_id_invalid"
    assert invalid.text("pt-BR").endswith("): o IVA é cobrado")
