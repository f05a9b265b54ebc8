"""The licence register: CSV import all-or-nothing with per-row errors,
listing by end date, renewal quotes co-termed per customer (R-TERM-2/3/4, R-RESELL-2)
with "was" prices, and signed-off sales recorded as licences."""

from __future__ import annotations

import sqlite3
from datetime import date
from decimal import Decimal

import pytest

from quotedesk.core.price_book import PriceBookError, parse_price_book
from quotedesk.core.renewals import was_price
from quotedesk.operations.renewals import renew
from quotedesk.store.errors import StoreError
from quotedesk.store.licences import Filters, LicenceImportError, LicenceRegister, parse_csv

from .conftest import FIXTURES

TODAY = date(2026, 12, 1)
HEADER = "licence,product,deployment,edition,billing,users,end_date,customer,country,subdivision"


@pytest.fixture
def register(store, book):
    reg = LicenceRegister(store)
    reg.import_csv((FIXTURES / "licences.csv").read_bytes(), "licences.csv", book)
    return reg


def test_import_adds_every_row_and_a_second_import_updates_them(store, book, register):
    assert register.count(Filters(TODAY)) == 6
    again = register.import_csv((FIXTURES / "licences.csv").read_bytes(), "again.csv", book)
    assert (again.added, again.updated) == (0, 6)
    assert register.count(Filters(TODAY)) == 6


def test_import_with_bad_rows_lists_each_and_imports_nothing(store, book):
    data = "\n".join(
        [
            HEADER,
            "SEN-1000001,jira,datacenter,,,500,2027-01-15,ACME Ltda,BR,",
            "SEN-12,jira,datacenter,,,500,2027-01-15,ACME Ltda,BR,",
            "https://a.atlassian.net,jira,cloud,standard,annual,100,2027-02-30,ACME Ltda,BR,",
            "https://a.atlassian.net,jiraa,cloud,standard,annual,100,2027-02-10,ACME Ltda,BR,",
            "SEN-1000001,jira,datacenter,,,1000,2027-01-15,ACME Ltda,BR,",
            "http://a.atlassian.net,jira,cloud,standard,annual,100,2027-02-10,ACME Ltda,BR,",
        ]
    ).encode()
    with pytest.raises(LicenceImportError, match="nothing imported, 5 bad row") as caught:
        LicenceRegister(store).import_csv(data, "bad.csv", book)
    assert [str(e) for e in caught.value.errors] == [
        "line 3: licence 'SEN-12' is not a SEN (SEN- and 4 to 12 digits)",
        "line 4: end_date '2027-02-30' is not a date (YYYY-MM-DD)",
        "line 5: unknown product 'jiraa' (cloud, annual)",
        "line 6: duplicate of line 2 (SEN-1000001 jira)",
        "line 7: licence 'http://a.atlassian.net' is not a site URL (https://...)",
    ]
    assert LicenceRegister(store).count(Filters(TODAY)) == 0


def test_expiring_within_30_days_lists_soonest_end_first(register):
    listed = register.licences(Filters(TODAY, within=30))
    assert [(x.licence, x.product, x.end_date.isoformat()) for x in listed] == [
        ("https://acme.atlassian.net", "jira", "2026-12-10"),
        ("SEN-1000002", "confluence", "2026-12-20"),
        ("https://umbrella.atlassian.net", "jira", "2026-12-24"),
    ]
    assert register.count(Filters(TODAY, within=90, customer="acme")) == 4
    assert register.count(Filters(TODAY, deployment="datacenter", product="jira")) == 2


def test_R_TERM_3_renewal_per_customer_co_terms_each_deployment_with_was_price(
    store, register, book, rules
):
    acme = register.licences(Filters(TODAY, customer="ACME"))
    ((plan, stored),) = renew(store, acme, book, rules, TODAY).made
    lines = stored.quote_file["lines"]
    # cloud: Confluence ends last (2027-02-10), renewed 12 months; Jira co-terms with it.
    # Data Center: Jira ends last (2027-01-15); Confluence co-terms (R-TERM-4: not across).
    shape = [(x["product"], x["deployment"], x.get("months"), x.get("coterm_with")) for x in lines]
    assert shape == [
        ("jira", "cloud", None, 1),
        ("confluence", "cloud", 12, None),
        ("confluence", "datacenter", None, 3),
        ("jira", "datacenter", 12, None),
    ]  # fmt: skip
    assert plan.coterm == {"cloud": date(2028, 2, 10), "datacenter": date(2028, 1, 15)}
    # R-RESELL-2: each line names the licence it renews; R-TERM-2: starts at its end.
    assert [x.get("sen") or x.get("site_url") for x in lines] == [
        "https://acme.atlassian.net", "https://acme.atlassian.net", "SEN-1000002", "SEN-1000001",
    ]  # fmt: skip
    priced = {line["index"]: line for line in stored.priced["lines"]}
    # 8000 × 427 days / 365 = 9358.90; Confluence DC 36500 × 391 / 365 = 39100.00
    assert [priced[i]["list_price"] for i in range(4)] == [
        "9358.90", "4000.00", "39100.00", "36500.00",
    ]  # fmt: skip
    assert priced[0]["period_start"] == "2026-12-10"
    assert stored.priced["subtotal"] == "88958.90"
    # Jira DC cost 30000.00 in the book in force when its last period began (2026-01-15);
    # the 2026-02-17 book says 36500.00. The others did not change.
    assert [was_price(stored.quote_file, i) for i in range(4)] == [
        None, None, None, Decimal("30000.00"),
    ]  # fmt: skip
    assert not [w for w in stored.priced["warnings"] if w["code"] == "R-RESELL-2"]


def test_R_TERM_3_coterm_date_picks_the_core_licence_whose_months_reach_it(
    store, register, book, rules
):
    acme = register.licences(Filters(TODAY, customer="ACME", deployment="datacenter"))
    ((plan, stored),) = renew(store, acme, book, rules, TODAY, date(2028, 7, 15)).made
    lines = stored.quote_file["lines"]
    assert (lines[1]["product"], lines[1]["months"]) == ("jira", 18)
    assert lines[0]["coterm_with"] == 1
    assert plan.coterm == {"datacenter": date(2028, 7, 15)}
    assert stored.priced["errors"] == []


def test_coterm_date_no_licence_can_reach_renews_each_on_its_own(store, register, book, rules):
    acme = register.licences(Filters(TODAY, customer="ACME", deployment="datacenter"))
    ((plan, stored),) = renew(store, acme, book, rules, TODAY, date(2028, 7, 16)).made
    assert plan.coterm == {}
    assert {x.licence for x in plan.separate} == {"SEN-1000001", "SEN-1000002"}
    assert all("coterm_with" not in x for x in stored.quote_file["lines"])


def test_renewal_of_several_customers_makes_one_draft_each_and_can_stop(
    store, register, book, rules
):
    everything = register.licences(Filters(TODAY))
    seen: list[tuple[int, int]] = []

    def step(done: int, total: int) -> bool:
        seen.append((done, total))
        return done < 2

    made = renew(store, everything, book, rules, TODAY, step=step).made
    assert [plan.customer for plan, _ in made] == ["ACME Ltda", "Umbrella Corp"]
    assert seen == [(0, 3), (1, 3), (2, 3)]
    assert [s.status for _, s in made] == ["draft", "draft"]
    assert store.count_quotes() == 2


def test_signed_off_new_purchase_becomes_a_licence_and_renewal_moves_its_end(
    store, register, make_quote
):
    quote, priced, book = make_quote(
        "Globex",
        lines=[
            {"product": "jira", "deployment": "cloud", "edition": "standard",
             "billing": "annual", "users": 100, "site_url": "https://globex.atlassian.net"},
            {"product": "jira", "deployment": "datacenter", "users": 500, "action": "renew",
             "current_end_date": "2027-01-15", "sen": "SEN-1000001"},
        ],
    )  # fmt: skip
    number = store.add_quote(quote, priced, book).number
    store.sign_off(number, "Ana")
    globex = register.licences(Filters(TODAY, customer="globex", deployment="cloud"))
    assert [(x.licence, x.product, x.edition, x.users, x.end_date) for x in globex] == [
        ("https://globex.atlassian.net", "jira", "standard", 100, date(2027, 11, 20))
    ]
    (renewed,) = register.by_references(["SEN-1000001"])
    assert (renewed.end_date, renewed.customer) == (date(2028, 1, 15), "Globex")


def test_migration_6_makes_the_licence_table_with_an_end_date_index(store, db_path):
    with sqlite3.connect(db_path) as raw:
        plan = raw.execute(
            "EXPLAIN QUERY PLAN SELECT * FROM licences WHERE end_date BETWEEN ? AND ? "
            "ORDER BY end_date",
            ["2026-12-01", "2027-01-01"],
        ).fetchall()
    assert "licences_by_end" in " ".join(row[-1] for row in plan)


def test_each_signed_off_revision_replaces_the_licences_it_sold_without_a_reference(
    store, make_quote
):
    quote, priced, book = make_quote("Hooli")  # Jira Cloud Standard, 50 users, no site URL
    number = store.add_quote(quote, priced, book).number
    store.sign_off(number, "Ana")
    store.revise(number)
    store.sign_off(number, "Ana")
    hooli = LicenceRegister(store).licences(Filters(TODAY, customer="hooli"))
    assert [(x.licence, x.product, x.users) for x in hooli] == [("", "jira", 50)]


LICENCE_HEADER = "licence,product,deployment,edition,billing,users,end_date,customer,country"
BOOK_HEADER = "product,name,deployment,edition,billing,unit,tier_max,price_kind,currency,price"


def test_a_licence_csv_and_a_price_book_word_a_missing_or_unknown_column_alike(book):
    def refusal(csv: str, name: str) -> StoreError | PriceBookError:
        data = f"{csv}\n".encode()
        with pytest.raises((StoreError, PriceBookError)) as caught:
            if name.startswith("licences"):
                parse_csv(data, name, book)
            else:
                parse_price_book(data, name)
        return caught.value

    lacks_one = refusal(BOOK_HEADER, "book.csv")
    assert str(lacks_one) == (
        f"book.csv: the header lacks column effective_from (expected: {BOOK_HEADER},effective_from)"
    )
    lacks_two = refusal(LICENCE_HEADER.removesuffix(",customer,country"), "licences.csv")
    assert str(lacks_two) == (
        "licences.csv: the header lacks columns customer, country, subdivision "
        f"(expected: {LICENCE_HEADER},subdivision)"
    )
    # The window shows the licence file's refusal in its own language.
    assert lacks_two.reason.text("pt-BR") == (
        "licences.csv: faltam no cabeçalho as colunas customer, country, subdivision "
        f"(esperado: {LICENCE_HEADER},subdivision)"
    )
    unknown = refusal(f"{BOOK_HEADER},effective_from,colour", "book.csv")
    assert str(unknown) == "book.csv: unknown column 'colour'"
    unknown = refusal(f"{LICENCE_HEADER},subdivision,colour", "licences.csv")
    assert str(unknown) == "licences.csv: unknown column 'colour'"
