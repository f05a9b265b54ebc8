"""The editing rules a window applies to a quote file's lines, without any window: which
fields a line has, what each picker offers, the defaults a line takes, and the references
between lines as lines come and go (R-LIM-4)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from quotedesk.core.price_book import parse_price_book
from quotedesk.core.quotes.editing import (
    PriceBookChoices,
    clean_value,
    country_change,
    edited_line,
    fields_of,
    new_quote,
    removed_rows,
    with_line,
    without_rows,
)

HEADER = (
    "product,name,deployment,edition,billing,unit,tier_max,price_kind,currency,price,effective_from"
)
# Premium is listed before Standard and monthly before annual: the pickers keep their own
# order. Bitbucket sells only Premium, monthly; Confluence only Data Center; Crowd only
# from 2027; Statuspage's name puts it first.
BOOK_CSV = f"""{HEADER}
jira,Jira,cloud,premium,annual,users,10,flat,USD,200.00,2026-01-01
jira,Jira,cloud,standard,monthly,users,,per_unit,USD,8.00,2026-01-01
jira,Jira,cloud,standard,annual,users,10,flat,USD,100.00,2026-01-01
jira,Jira Data Center,datacenter,,annual,users,500,flat,USD,5000.00,2026-01-01
bitbucket,Bitbucket,cloud,premium,monthly,users,,per_unit,USD,6.00,2026-01-01
confluence,Confluence Data Center,datacenter,,annual,users,500,flat,USD,4000.00,2026-01-01
statuspage,Atlassian Statuspage,cloud,standard,annual,users,10,flat,USD,300.00,2026-01-01
app:com.example.timesheets,Timesheets,cloud,standard,annual,users,10,flat,USD,50.00,2026-01-01
crowd,Crowd,datacenter,,annual,users,500,flat,USD,1000.00,2027-01-01
"""
ON = date(2026, 11, 20)

JIRA = {"product": "jira", "deployment": "cloud", "edition": "standard", "billing": "annual",
        "users": 50, "months": 12}  # fmt: skip
CONFLUENCE = {"product": "confluence", "deployment": "datacenter", "users": 500, "months": 12}
APP = "app:com.example.timesheets"


@pytest.fixture(scope="module")
def choices() -> PriceBookChoices:
    book, errors = parse_price_book(BOOK_CSV.encode(), "editing-book.csv")
    assert errors == []
    return PriceBookChoices(book, ON)


def app_of(parent: int) -> dict[str, object]:
    return {"product": APP, "deployment": "cloud", "parent": parent}


# Lines coming and going (R-LIM-4: an app stays with its parent line)


def test_removing_an_app_repoints_a_later_apps_parent_to_its_line_new_row():
    lines = [JIRA, app_of(0), CONFLUENCE, app_of(2)]
    gone = removed_rows(lines, 1)
    assert gone == {1}
    after = without_rows(lines, gone)
    assert after.lines == [JIRA, CONFLUENCE, app_of(1)]
    assert after.origins == {0: 0, 1: 2, 2: 3}


def test_removing_a_product_line_removes_its_apps_and_drops_a_coterm_with_it():
    cotermed = {**CONFLUENCE, "action": "renew", "coterm_with": 0}
    lines = [JIRA, app_of(0), cotermed, app_of(2)]
    gone = removed_rows(lines, 0)
    assert gone == {0, 1}
    after = without_rows(lines, gone)
    assert after.lines == [{**CONFLUENCE, "action": "renew"}, app_of(0)]
    assert after.origins == {0: 2, 1: 3}


def test_removing_a_line_keeps_references_that_name_no_line_as_typed():
    # parent 7 names no line of three; True and "0" are not line indexes (R-Q-5: kept).
    lines = [JIRA, {**app_of(0), "parent": 7}, {**app_of(0), "parent": True}, CONFLUENCE]
    after = without_rows(lines, removed_rows(lines, 3))
    assert [line.get("parent") for line in after.lines] == [None, 7, True]


def test_adding_a_line_moves_the_lines_below_and_references_follow_them():
    lines = [JIRA, app_of(0), CONFLUENCE, app_of(2)]
    new = {"custom": "Workshop", "quantity": 1, "unit_price": "900.00"}
    after = with_line(lines, new, 1)
    assert after.lines == [JIRA, new, app_of(0), CONFLUENCE, app_of(3)]
    assert after.origins == {0: 0, 2: 1, 3: 2, 4: 3}
    assert lines[3] == app_of(2)  # what it was given is left as it was


def test_adding_a_line_without_a_row_appends_it():
    after = with_line([JIRA], CONFLUENCE)
    assert after.lines == [JIRA, CONFLUENCE]
    assert after.origins == {0: 0}


# Which fields a line has


def test_a_data_center_line_has_no_edition_or_billing_and_names_its_licence_by_sen():
    fields = fields_of(CONFLUENCE)
    assert {"product", "deployment", "users", "months", "sen"} <= fields
    assert not fields & {"edition", "billing", "site_url", "parent", "from_users", "mode"}


def test_a_cloud_upgrade_has_users_before_its_end_date_mode_and_site():
    fields = fields_of({**JIRA, "action": "upgrade"})
    assert {"edition", "billing", "from_users", "current_end_date", "mode", "site_url"} <= fields
    assert "sen" not in fields


def test_a_renewal_has_an_end_date_but_no_users_before_nor_mode():
    fields = fields_of({**CONFLUENCE, "action": "renew"})
    assert "current_end_date" in fields
    assert not fields & {"from_users", "mode"}


def test_a_downgrade_has_users_before_but_no_upgrade_mode():
    fields = fields_of({**CONFLUENCE, "action": "downgrade"})
    assert {"from_users", "current_end_date"} <= fields
    assert "mode" not in fields


def test_only_an_app_names_a_parent():
    assert "parent" in fields_of(app_of(0))
    assert "parent" not in fields_of(JIRA)


def test_a_custom_line_has_its_description_quantity_price_and_taxable():
    fields = fields_of({"custom": "Workshop", "quantity": 1, "unit_price": "900.00"})
    assert fields == {"custom", "quantity", "unit_price", "taxable", "discount_pct"}


def test_a_line_that_is_not_an_object_has_no_fields():
    assert fields_of(None) == frozenset()
    assert fields_of(["jira"]) == frozenset()


# What the pickers offer


def test_products_are_those_sold_on_the_date_in_the_order_of_their_names(choices):
    # Crowd sells from 2027 only; Confluence goes by its only (Data Center) row's name.
    assert choices.values("product", {}) == (
        "statuspage", "bitbucket", "confluence", "jira", APP,
    )  # fmt: skip


def test_deployments_editions_and_billings_are_those_the_book_sells(choices):
    assert choices.values("deployment", JIRA) == ("cloud", "datacenter")
    assert choices.values("deployment", CONFLUENCE) == ("datacenter",)
    assert choices.values("edition", JIRA) == ("standard", "premium")
    assert choices.values("billing", JIRA) == ("annual", "monthly")
    assert choices.values("billing", {**JIRA, "edition": "premium"}) == ("annual",)
    assert choices.values("edition", {"product": "bitbucket", "deployment": "cloud"}) == (
        "premium",
    )
    assert choices.values("action", JIRA) == ("new", "renew", "upgrade", "downgrade")
    assert choices.values("users", JIRA) == ()  # typed, not picked


def test_a_product_not_yet_sold_offers_nothing(choices):
    assert choices.values("deployment", {"product": "crowd"}) == ()


# The defaults a line takes


def test_a_line_moved_to_data_center_drops_its_edition_and_billing(choices):
    line = edited_line([JIRA], 0, "deployment", "datacenter", choices)
    assert line == {"product": "jira", "deployment": "datacenter", "users": 50, "months": 12}


def test_a_line_moved_to_cloud_takes_standard_edition_and_annual_billing(choices):
    dc = {"product": "jira", "deployment": "datacenter", "users": 50, "months": 12}
    line = edited_line([dc], 0, "deployment", "cloud", choices)
    assert line == {**dc, "deployment": "cloud", "edition": "standard", "billing": "annual"}


def test_a_product_sold_only_on_data_center_moves_the_line_there(choices):
    line = edited_line([JIRA], 0, "product", "confluence", choices)
    assert line == {"product": "confluence", "deployment": "datacenter", "users": 50,
                    "months": 12}  # fmt: skip


def test_a_product_without_standard_or_annual_takes_what_is_sold_and_its_term(choices):
    # Bitbucket sells Premium monthly only: monthly prices by the month, so no months.
    line = edited_line([JIRA], 0, "product", "bitbucket", choices)
    assert line == {"product": "bitbucket", "deployment": "cloud", "edition": "premium",
                    "billing": "monthly", "users": 50}  # fmt: skip


def test_an_edition_sold_annually_only_moves_a_monthly_line_to_annual_12_months(choices):
    monthly = {**JIRA, "billing": "monthly"}
    del monthly["months"]
    line = edited_line([monthly], 0, "edition", "premium", choices)
    assert line == {**JIRA, "edition": "premium"}


# The term that goes with a billing


def test_monthly_billing_drops_the_term(choices):
    line = edited_line([{**JIRA, "months": 24}], 0, "billing", "monthly", choices)
    assert "months" not in line
    assert line["billing"] == "monthly"


def test_annual_billing_after_one_month_runs_12_months(choices):
    one = {**JIRA, "billing": "monthly", "months": 1}
    assert edited_line([one], 0, "billing", "annual", choices)["months"] == 12


def test_annual_billing_keeps_a_term_longer_than_a_month(choices):
    # R-TERM-1: 12 to 24 months; a term given stays.
    longer = {**JIRA, "billing": "monthly", "months": 18}
    assert edited_line([longer], 0, "billing", "annual", choices)["months"] == 18


def test_an_app_moved_to_annual_keeps_following_its_parents_term(choices):
    app = {**app_of(0), "edition": "standard", "billing": "monthly"}
    line = edited_line([JIRA, app], 1, "billing", "annual", choices)
    assert "months" not in line


def test_the_same_billing_again_changes_no_term(choices):
    line = edited_line([{**JIRA, "months": 20}], 0, "billing", "annual", choices)
    assert line["months"] == 20


# An app's parent as a line becomes or stops being an app (R-LIM-4)


def test_a_line_made_an_app_belongs_to_the_product_line_above_and_takes_its_users(choices):
    custom = {"custom": "Workshop", "quantity": 1, "unit_price": "900.00"}
    lines = [JIRA, CONFLUENCE, custom, {**JIRA, "users": 25}]
    line = edited_line(lines, 3, "product", APP, choices)
    # The custom line above takes no apps: Confluence, row 1, is the parent.
    assert line["parent"] == 1
    assert "users" not in line


def test_an_app_with_no_product_line_above_keeps_its_users(choices):
    line = edited_line([{**JIRA, "users": 25}], 0, "product", APP, choices)
    assert "parent" not in line
    assert line["users"] == 25


def test_an_app_made_a_product_line_counts_the_users_it_followed(choices):
    lines = [JIRA, {**app_of(0), "edition": "standard", "billing": "annual"}]
    line = edited_line(lines, 1, "product", "statuspage", choices)
    assert "parent" not in line
    assert line["users"] == 50


def test_an_edit_leaves_the_lines_it_was_given_unchanged(choices):
    lines = [JIRA, app_of(0)]
    edited_line(lines, 0, "deployment", "datacenter", choices)
    edited_line(lines, 1, "product", "jira", choices)
    assert lines == [JIRA, app_of(0)]


# The line "Add line" adds


def test_a_quotes_first_line_is_jira_cloud_standard_annual_for_10_users_12_months(choices):
    assert choices.next_line([]) == {"product": "jira", "deployment": "cloud",
                                     "edition": "standard", "billing": "annual",
                                     "users": 10, "months": 12}  # fmt: skip


def test_a_book_without_jira_starts_with_its_first_product_by_name():
    row = "confluence,Confluence,datacenter,,annual,users,500,flat,USD,4000.00,2026-01-01"
    csv = f"{HEADER}\n{row}\n"
    book, _ = parse_price_book(csv.encode(), "no-jira.csv")
    assert PriceBookChoices(book, ON).next_line([]) == {
        "product": "confluence", "deployment": "datacenter", "users": 10, "months": 12,
    }  # fmt: skip


def test_a_new_line_copies_the_last_product_line_that_is_not_an_app(choices):
    bitbucket = {"product": "bitbucket", "deployment": "cloud", "edition": "premium",
                 "billing": "monthly", "users": 30, "action": "renew", "discount_pct": "5",
                 "sen": "SEN-1"}  # fmt: skip
    lines = [JIRA, bitbucket, app_of(1), {"custom": "Workshop"}]
    assert choices.next_line(lines) == {"product": "bitbucket", "deployment": "cloud",
                                        "edition": "premium", "billing": "monthly",
                                        "users": 30}  # fmt: skip


def test_a_new_quote_is_dated_today_with_no_lines():
    assert new_quote(date(2026, 12, 1), "AUD") == {
        "schema": 1, "quote_date": "2026-12-01", "start_date": "2026-12-01",
        "currency": "AUD", "customer": {"name": ""}, "lines": [],
    }  # fmt: skip


# The customer's country


def test_a_new_country_drops_the_former_countrys_state():
    customer = {"name": "ACME", "country": "CA", "subdivision": "BC"}
    assert country_change(customer, "US") == {
        ("customer", "country"): "US",
        ("customer", "subdivision"): None,
    }


def test_the_same_country_or_one_without_a_state_changes_only_the_country():
    assert country_change({"country": "CA", "subdivision": "BC"}, "CA") == {
        ("customer", "country"): "CA"
    }
    assert country_change({"country": "BR"}, "DE") == {("customer", "country"): "DE"}
    assert country_change(None, "DE") == {("customer", "country"): "DE"}


# Editor values as the quote file spells them


def test_editor_values_become_quote_file_values():
    assert clean_value("users", " 120 ") == 120
    assert clean_value("parent", "-1") == -1  # a bad reference stays visible as an error
    assert clean_value("custom", "12") == "12"  # only counts become numbers
    assert clean_value("discount_pct", Decimal("12.50")) == "12.50"
    assert clean_value("notes", "   ") is None
    assert clean_value("exemptions", []) is None
    assert clean_value("exemptions", ("pst",)) == ["pst"]
    assert clean_value("taxable", False) is False


def test_a_float_never_enters_a_quote():
    with pytest.raises(TypeError, match="discount_pct"):
        clean_value("discount_pct", 12.5)
