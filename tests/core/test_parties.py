"""R-RESELL-2: the quote names the end-user licensee, its contacts, and on each renewal or
upgrade line the licence it renews (SEN for Data Center, site URL for cloud)."""

import json
from pathlib import Path

import jsonschema
import pytest

from quotedesk.core import parse_quote, price
from quotedesk.core.quotes.model import Contact, load_quote_file
from tests.core.conftest import JIRA_CLOUD, TODAY, codes

SCHEMAS = Path(__file__).parents[1] / "schemas"
RENEWAL = Path(__file__).parents[1] / "fixtures" / "renewal_quote.json"
JIRA_DC_RENEWAL = {
    "product": "jira",
    "deployment": "datacenter",
    "users": 500,
    "action": "renew",
    "current_end_date": "2027-01-31",
}
JIRA_CLOUD_RENEWAL = {
    **JIRA_CLOUD,
    "users": 50,
    "action": "renew",
    "current_end_date": "2027-01-31",
}
TIMESHEETS_DC = {"product": "app:com.example.timesheets", "deployment": "datacenter", "parent": 0}


def resell_2(q) -> list[int | None]:
    """The lines warned under R-RESELL-2."""
    return [w.line for w in q.warnings if w.code == "R-RESELL-2"]


def test_R_RESELL_2_customer_address_and_contacts_are_read():
    quote = load_quote_file(RENEWAL)
    customer = quote.customer
    assert customer.address == "Rua Augusta 1500, 8º andar\nConsolação\n01304-001 São Paulo - SP"
    assert customer.technical_contact == Contact("Ana Lima", "ana.lima@acme.example")
    assert customer.billing_contact == Contact("Bruno Costa", "financeiro@acme.example")
    assert [getattr(line, "sen", None) for line in quote.lines] == [
        "SEN-12345678",
        None,
        None,
        None,
    ]
    assert quote.lines[2].site_url == "https://acme.atlassian.net"
    assert quote.problems == ()


def test_R_RESELL_2_parties_are_optional():
    customer = parse_quote({"lines": [], "customer": {"name": "ACME"}}).customer
    assert (customer.address, customer.technical_contact, customer.billing_contact) == (
        None, None, None
    )  # fmt: skip


@pytest.mark.parametrize(
    ("contact", "message"),
    [
        (
            {"name": "Ana", "email": "ana@acme"},
            "customer.technical_contact.email: 'ana@acme' is not an email address such as "
            "ana@example.com",
        ),
        (
            {"name": "Ana", "email": "ana lima@acme.example"},
            "customer.technical_contact.email: 'ana lima@acme.example' is not an email "
            "address such as ana@example.com",
        ),
        (
            {"name": 7},
            "customer.technical_contact.name: 7 is not text",
        ),
        ("Ana", "customer.technical_contact must be an object with name and email"),
    ],
)
def test_R_INPUT_a_bad_contact_is_an_error_naming_its_field(priced, contact, message):
    q = priced([{**JIRA_CLOUD, "users": 10}], customer={"technical_contact": contact})
    assert [(e.code, e.message, e.line) for e in q.errors] == [("R-INPUT", message, None)]


def test_R_INPUT_bad_billing_email_is_an_error_and_the_name_is_kept():
    quote = parse_quote(
        {"lines": [], "customer": {"billing_contact": {"name": "Bruno", "email": "@acme.example"}}}
    )
    assert quote.customer.billing_contact == Contact("Bruno", None)
    assert [p.message for p in quote.problems] == [
        "customer.billing_contact.email: '@acme.example' is not an email address such as "
        "ana@example.com"
    ]


def test_R_INPUT_an_address_over_1000_characters_is_an_error():
    quote = parse_quote({"lines": [], "customer": {"address": "x" * 1001}})
    assert quote.customer.address is None
    assert [p.message for p in quote.problems] == [
        "customer.address: is longer than 1,000 characters"
    ]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("sen", "SEN-12", "line 0: sen: 'SEN-12' is not a SEN: SEN- followed by 4 to 12 digits"),
        ("sen", "sen-1234567", "line 0: sen: 'sen-1234567' is not a SEN: SEN- followed by "
                               "4 to 12 digits"),
        ("sen", 12345678, "line 0: sen: 12345678 is not text"),
        ("site_url", "http://acme.atlassian.net", "line 0: site_url: 'http://acme.atlassian.net' "
                                                  "is not a site address such as "
                                                  "https://acme.atlassian.net"),
    ],
)  # fmt: skip
def test_R_INPUT_a_bad_licence_reference_is_an_error_naming_line_and_field(
    priced, field, value, message
):
    line = JIRA_DC_RENEWAL if field == "sen" else JIRA_CLOUD_RENEWAL
    q = priced([{**line, field: value}])
    assert [(e.code, e.message, e.line) for e in q.errors] == [("R-INPUT", message, 0)]
    # The bad value is the problem; no second warning that the reference is missing.
    assert resell_2(q) == []


def test_R_RESELL_2_a_renewal_or_upgrade_without_its_licence_is_warned(priced):
    q = priced(
        [
            JIRA_DC_RENEWAL,  # no SEN
            {**JIRA_DC_RENEWAL, "sen": "SEN-1234"},
            JIRA_CLOUD_RENEWAL,  # no site
            {**JIRA_CLOUD_RENEWAL, "site_url": "https://acme.atlassian.net"},
            {**JIRA_CLOUD_RENEWAL, "sen": "SEN-1234"},  # a cloud line needs its site
            {**JIRA_CLOUD_RENEWAL, "action": "upgrade", "from_users": 25},
            {**JIRA_CLOUD, "users": 10},  # a new purchase renews nothing
        ]
    )
    assert resell_2(q) == [0, 2, 4, 5]
    assert q.warnings[[w.code for w in q.warnings].index("R-RESELL-2")].message == (
        "this renewal or upgrade does not name the licence it renews: add its SEN "
        "(support entitlement number, SEN- and digits)"
    )
    cloud = next(w for w in q.warnings if w.code == "R-RESELL-2" and w.line == 2)
    assert cloud.message == (
        "this renewal or upgrade does not name the cloud site it renews: add its site URL "
        "(https://…)"
    )
    assert not q.errors


def test_R_RESELL_2_an_app_renews_with_its_parents_licence(priced):
    named = priced([{**JIRA_DC_RENEWAL, "sen": "SEN-1234"}, TIMESHEETS_DC])
    assert resell_2(named) == []
    unnamed = priced([JIRA_DC_RENEWAL, TIMESHEETS_DC])
    assert resell_2(unnamed) == [0, 1]
    own = priced([JIRA_DC_RENEWAL, {**TIMESHEETS_DC, "sen": "SEN-98765"}])
    assert resell_2(own) == [0]


def test_R_RESELL_2_the_renewal_quote_file_and_its_priced_json_validate_against_the_schemas(
    book, rules
):
    data = json.loads(RENEWAL.read_text())
    jsonschema.validate(data, json.loads((SCHEMAS / "quote.schema.json").read_text()))
    out = price(parse_quote(data), book, rules, TODAY).to_dict()
    jsonschema.validate(
        json.loads(json.dumps(out)), json.loads((SCHEMAS / "priced.schema.json").read_text())
    )
    assert out["errors"] == []
    assert "R-RESELL-2" not in codes(price(parse_quote(data), book, rules, TODAY).warnings)
