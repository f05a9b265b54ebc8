"""Quotes and revisions (R-Q-1..3): numbering, drafts, sign-off rules, revise, status."""

from __future__ import annotations

import dataclasses
import sqlite3
from datetime import date
from decimal import Decimal

import pytest

from quotedesk.core.problems import Refused
from quotedesk.core.records import ResellerProfile
from quotedesk.store import NotFound, StoreError, open_store


def test_new_quote_gets_next_number_of_the_year_as_draft_revision_1(store, make_quote):
    first = store.add_quote(*make_quote("ACME Ltda"), today=date(2026, 3, 1))
    second = store.add_quote(*make_quote("Globex"), today=date(2026, 3, 2))
    next_year = store.add_quote(*make_quote("Initech"), today=date(2027, 1, 2))
    assert [first.label, second.label, next_year.label] == [
        "QD-2026-00001",
        "QD-2026-00002",
        "QD-2027-00001",
    ]
    assert (first.revision, first.status, first.editable) == (1, "draft", True)


def test_number_prefix_comes_from_the_reseller_profile(store, make_quote):
    store.save_profile(dataclasses.replace(ResellerProfile(), number_prefix="ACME"))
    stored = store.add_quote(*make_quote(), today=date(2026, 5, 5))
    assert stored.number == "ACME-2026-00001"
    assert store.get("ACME-2026-00001").label == "ACME-2026-00001"


def test_reopened_revision_is_exactly_what_was_saved_never_repriced(db_path, make_quote):
    quote, priced, book = make_quote(lines=[{"custom": "Workshop", "unit_price": "1234.05"}])
    with open_store(db_path) as store:
        number = store.add_quote(quote, priced, book).number
    with open_store(db_path) as store:
        stored = store.get(number)
    assert stored.quote_file == quote.source
    assert stored.priced == priced.to_dict()
    assert stored.priced["total"] == "1234.05"
    assert stored.price_book == book.label
    assert stored.price_book_sha256 == book.sha256
    assert stored.quote() == quote


def test_money_is_stored_as_integer_minor_units_and_json_text_never_real(
    store, db_path, make_quote
):
    store.add_quote(*make_quote(lines=[{"custom": "Workshop", "unit_price": "1234.05"}]))
    with sqlite3.connect(db_path) as raw:
        row = raw.execute(
            "SELECT total_minor, typeof(total_minor), minor_digits FROM quotes"
        ).fetchone()
        real_columns = raw.execute(
            "SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p "
            "WHERE m.type = 'table' AND p.type IN ('REAL', 'FLOAT', 'DOUBLE')"
        ).fetchall()
    assert row == (123405, "integer", 2)
    assert real_columns == []
    assert store.list_quotes()[0].total == Decimal("1234.05")


def test_save_draft_overwrites_the_draft_and_updates_the_list(store, make_quote):
    number = store.add_quote(*make_quote("ACME Ltda")).number
    saved = store.save_draft(number, *make_quote("ACME Brasil Ltda"))
    assert (saved.revision, saved.status) == (1, "draft")
    assert saved.quote_file["customer"]["name"] == "ACME Brasil Ltda"
    assert [q.customer for q in store.list_quotes()] == ["ACME Brasil Ltda"]
    assert len(store.revisions(number)) == 1


def test_signed_off_revision_cannot_be_saved_over(store, make_quote):
    number = store.add_quote(*make_quote()).number
    store.sign_off(number, by="Ana")
    with pytest.raises(Refused, match="R-Q-2") as refused:
        store.save_draft(number, *make_quote("Someone else"))
    assert refused.value.rule == "R-Q-2"
    assert store.get(number).quote_file["customer"]["name"] == "ACME Ltda"


def test_sign_off_records_who_and_when(store, make_quote):
    number = store.add_quote(*make_quote()).number
    signed = store.sign_off(number, by="  Ana Souza ")
    assert (signed.status, signed.signed_off_by, signed.approver) == (
        "signed_off",
        "Ana Souza",
        None,
    )
    assert signed.signed_off_at is not None and signed.signed_off_at.tzinfo is not None
    assert signed.editable is False


def test_sign_off_is_refused_while_the_priced_quote_has_errors(store, make_quote):
    bad_line = {"product": "nope", "deployment": "cloud", "edition": "standard", "users": 5}
    number = store.add_quote(*make_quote(lines=[bad_line])).number
    with pytest.raises(Refused, match="unknown product 'nope'") as refused:
        store.sign_off(number, by="Ana")
    assert refused.value.rule == "R-INPUT"
    assert store.get(number).status == "draft"


def test_manual_discount_over_threshold_needs_an_approver_other_than_the_signer(store, make_quote):
    line = {"product": "jira", "deployment": "cloud", "edition": "standard",
            "billing": "annual", "users": 50, "discount_pct": "20"}  # fmt: skip
    number = store.add_quote(*make_quote(lines=[line])).number
    with pytest.raises(Refused, match=r"line 1 .* 20%.* approval threshold of 15%"):
        store.sign_off(number, by="Ana")
    with pytest.raises(Refused, match="someone other than"):
        store.sign_off(number, by="Ana", approver="ana")
    signed = store.sign_off(number, by="Ana", approver="Bruno")
    assert (signed.status, signed.approver) == ("signed_off", "Bruno")


def test_discount_at_the_threshold_needs_no_approver(store, make_quote):
    line = {"product": "jira", "deployment": "cloud", "edition": "standard",
            "billing": "annual", "users": 50, "discount_pct": "15"}  # fmt: skip
    number = store.add_quote(*make_quote(lines=[line])).number
    assert store.sign_off(number, by="Ana").status == "signed_off"


def test_approval_threshold_is_the_profiles(store, make_quote):
    store.save_profile(dataclasses.replace(ResellerProfile(), approval_threshold_pct=Decimal(5)))
    line = {"product": "jira", "deployment": "cloud", "edition": "standard",
            "billing": "annual", "users": 50, "discount_pct": "10"}  # fmt: skip
    number = store.add_quote(*make_quote(lines=[line])).number
    with pytest.raises(Refused, match="approval threshold of 5%"):
        store.sign_off(number, by="Ana")


def test_sign_off_needs_a_name(store, make_quote):
    number = store.add_quote(*make_quote()).number
    with pytest.raises(Refused, match="name of the person"):
        store.sign_off(number, by="  ")


def test_revise_copies_the_signed_off_revision_to_a_new_draft(store, make_quote):
    number = store.add_quote(*make_quote()).number
    first = store.sign_off(number, by="Ana")
    second = store.revise(number)
    assert (second.label, second.status, second.signed_off_by) == (f"{number}-R2", "draft", None)
    assert (second.quote_file, second.priced) == (first.quote_file, first.priced)
    edited = store.save_draft(number, *make_quote("ACME Norte"))
    assert edited.label == f"{number}-R2"
    old = store.get(number, 1)
    assert (old.status, old.quote_file["customer"]["name"]) == ("signed_off", "ACME Ltda")
    assert [r.label for r in store.revisions(number)] == [number, f"{number}-R2"]


def test_revise_is_refused_while_the_latest_is_a_draft(store, make_quote):
    number = store.add_quote(*make_quote()).number
    with pytest.raises(Refused, match="still a draft"):
        store.revise(number)


def test_get_accepts_the_printed_label_with_revision_suffix(store, make_quote):
    number = store.add_quote(*make_quote()).number
    store.sign_off(number, by="Ana")
    store.revise(number)
    assert store.get(f"{number}-R2").revision == 2
    assert store.get(number, 1).revision == 1
    assert store.get(f"{number}-R1").revision == 1
    with pytest.raises(StoreError, match="names revision 2, but revision 1"):
        store.get(f"{number}-R2", 1)


def test_unknown_number_is_a_key_error_like_store_error(store):
    with pytest.raises(NotFound, match="no quote QD-2026-00042") as missing:
        store.get("QD-2026-00042")
    assert isinstance(missing.value, KeyError) and isinstance(missing.value, StoreError)
    with pytest.raises(KeyError, match="not a quote number"):
        store.get("hello")


def test_older_revision_cannot_change_even_if_named_explicitly(store, make_quote):
    number = store.add_quote(*make_quote()).number
    store.sign_off(number, by="Ana")
    store.revise(number)
    with pytest.raises(Refused, match="not the latest revision"):
        store.save_draft(f"{number}-R1", *make_quote("X"))


def test_status_moves_forward_sent_then_accepted(store, make_quote):
    number = store.add_quote(*make_quote()).number
    with pytest.raises(Refused, match="sign it off before"):
        store.set_status(number, "sent")
    store.sign_off(number, by="Ana")
    assert store.set_status(number, "sent").status == "sent"
    assert store.set_status(number, "accepted").status == "accepted"
    with pytest.raises(Refused, match="only moves forward"):
        store.set_status(number, "sent")
    with pytest.raises(StoreError, match="cannot be set by hand"):
        store.set_status(number, "expired")


def test_signed_off_quote_past_valid_until_lists_as_expired(store, make_quote):
    # quote date 2026-11-20 + 30 days: valid until 2026-12-20
    number = store.add_quote(*make_quote()).number
    store.sign_off(number, by="Ana")
    assert store.list_quotes(today=date(2026, 12, 20))[0].status == "signed_off"
    assert store.list_quotes(today=date(2026, 12, 21))[0].status == "expired"
    assert store.count_quotes(status="expired", today=date(2026, 12, 21)) == 1
    assert store.count_quotes(status="signed_off", today=date(2026, 12, 21)) == 0
    assert store.get(number, today=date(2026, 12, 21)).status == "expired"
    assert store.get(number, today=date(2026, 12, 21)).editable is False


def test_draft_never_expires(store, make_quote):
    store.add_quote(*make_quote())
    assert store.list_quotes(today=date(2027, 6, 1))[0].status == "draft"
