"""R-TEAM-2 to R-TEAM-5 enforced by the server itself: each person connects with the real
`psql` and their own password, as anyone with a login could, and gets no further than
Quote Desk would let them. Reps ana and bea, managers max and mia (conftest.Team)."""

from __future__ import annotations

import psycopg
import pytest

from quotedesk.team.server import put_revision, reserve_numbers

from .conftest import OWNER, OWNER_PASSWORD, quote_file, revision


def _lines(done) -> list[str]:
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def _refused(done, *words: str) -> str:
    assert done.returncode != 0, done.stdout
    assert all(word in done.stderr for word in words), done.stderr
    return done.stderr


# --- R-TEAM-4: who sees and changes what ----------------------------------------------


def test_a_rep_with_psql_sees_and_changes_only_their_own_quotes(team):
    team.new_quote("ana", "Ana's customer")
    bea_quote, _ = team.new_quote("bea", "Bea's customer")

    assert _lines(team.psql("ana", "SELECT customer FROM quotedesk.quotes")) == ["Ana's customer"]
    assert _lines(team.psql("ana", f"SELECT count(*) FROM quotedesk.revisions "
                                   f"WHERE quote_id = '{bea_quote}'")) == ["0"]  # fmt: skip
    for change in (
        f"UPDATE quotedesk.quotes SET customer = 'taken' WHERE id = '{bea_quote}' RETURNING id",
        f"UPDATE quotedesk.revisions SET quote_file = '{{}}' WHERE quote_id = '{bea_quote}' "
        "RETURNING revision",
        f"DELETE FROM quotedesk.revisions WHERE quote_id = '{bea_quote}' RETURNING revision",
        f"DELETE FROM quotedesk.quotes WHERE id = '{bea_quote}' RETURNING id",
    ):
        assert _lines(team.psql("ana", change)) == []  # no row of hers to touch
    _refused(team.psql("ana", f"INSERT INTO quotedesk.revisions (quote_id, revision, status, "
                              f"quote_file, priced, price_book, price_book_sha256, created_at, "
                              f"updated_at) VALUES ('{bea_quote}', 2, 'draft', '{{}}', '{{}}', "
                              f"'b', 'x', now(), now())"),
             "row-level security")  # fmt: skip

    assert _lines(team.psql("bea", "SELECT customer FROM quotedesk.quotes")) == ["Bea's customer"]
    assert _lines(team.psql("bea", "SELECT count(*) FROM quotedesk.revisions")) == ["1"]


def test_a_rep_cannot_give_their_quote_to_someone_else(team):
    quote, _ = team.new_quote("ana")
    _refused(team.psql("ana", f"UPDATE quotedesk.quotes SET owner = 'bea' WHERE id = '{quote}'"),
             "row-level security")  # fmt: skip
    _refused(team.psql("ana", "INSERT INTO quotedesk.quotes (id, owner) "
                              "VALUES (gen_random_uuid(), 'bea')"),
             "row-level security")  # fmt: skip


def test_a_manager_sees_and_changes_every_quote(team):
    team.new_quote("ana", "Ana's customer")
    bea_quote, _ = team.new_quote("bea", "Bea's customer")
    assert _lines(team.psql("max", "SELECT customer FROM quotedesk.quotes ORDER BY customer")) == [
        "Ana's customer",
        "Bea's customer",
    ]
    changed = team.psql("max", f"UPDATE quotedesk.quotes SET customer = 'Bea''s, by max' "
                               f"WHERE id = '{bea_quote}' RETURNING owner")  # fmt: skip
    assert _lines(changed) == ["bea"]  # still hers


def test_team_visibility_lets_reps_read_but_not_change_their_colleagues_quotes(team):
    bea_quote, _ = team.new_quote("bea", "Bea's customer")
    _refused(team.psql("ana", "INSERT INTO quotedesk.profile (key, value) "
                              "VALUES ('quote_visibility', 'team')"),
             "permission denied")  # fmt: skip
    _lines(team.psql("max", "INSERT INTO quotedesk.profile (key, value) "
                            "VALUES ('quote_visibility', 'team')"))  # fmt: skip

    assert _lines(team.psql("ana", "SELECT customer FROM quotedesk.quotes")) == ["Bea's customer"]
    assert _lines(team.psql("ana", "SELECT count(*) FROM quotedesk.revisions")) == ["1"]
    assert _lines(team.psql("ana", f"UPDATE quotedesk.quotes SET customer = 'taken' "
                                   f"WHERE id = '{bea_quote}' RETURNING id")) == []  # fmt: skip


def test_reps_read_the_shared_data_and_only_managers_change_it(team):
    book = (
        "INSERT INTO quotedesk.price_books (sha256, source, label, imported_at, row_count, csv, "
        "published_by) VALUES (encode(sha256('product,price'::bytea), 'hex'), 'team.csv', "
        "'Team book', now(), 1, 'product,price', 'somebody else') RETURNING published_by"
    )
    assert _lines(team.psql("max", book)) == ["max"]  # the login that published, whatever said
    _lines(team.psql("max", "INSERT INTO quotedesk.profile (key, value) "
                            "VALUES ('company', 'Nordlicht Partners')"))  # fmt: skip
    _lines(team.psql("max", "INSERT INTO quotedesk.licences (id, licence, product, deployment, "
                            "edition, billing, users, end_date, customer, country, subdivision, "
                            "source, updated_at) VALUES (gen_random_uuid(), 'SEN-1', 'jira', "
                            "'cloud', 'standard', 'annual', 50, '2027-06-30', 'ACME', 'BR', '', "
                            "'import', now())"))  # fmt: skip

    assert _lines(team.psql("ana", "SELECT label, published_by FROM quotedesk.price_books")) == [
        "Team book|max"
    ]
    assert _lines(
        team.psql("ana", "SELECT value FROM quotedesk.profile WHERE key = 'company'")
    ) == ["Nordlicht Partners"]
    assert _lines(team.psql("ana", "SELECT licence FROM quotedesk.licences")) == ["SEN-1"]
    for change in (
        book.replace("product,price", "product,price,x"),
        "UPDATE quotedesk.profile SET value = 'Mine'",
        "DELETE FROM quotedesk.licences",
        "UPDATE quotedesk.licences SET users = 1",
        "DELETE FROM quotedesk.price_books",
    ):
        _refused(team.psql("ana", change), "permission denied")
    _refused(team.psql("max", "DELETE FROM quotedesk.price_books"), "permission denied")


# --- R-TEAM-5: approvals ----------------------------------------------------------------


def _request(team, login: str, quote: str) -> str:
    """Request approval of revision 1 as `login` with psql; returns the approval id."""
    (approval,) = _lines(team.psql(login, f"INSERT INTO quotedesk.approvals (quote_id, revision, "
                                          f"request_comment) VALUES ('{quote}', 1, 'please') "
                                          f"RETURNING id"))  # fmt: skip
    return approval


def test_a_rep_cannot_approve_nor_write_an_approval(team):
    quote, _ = team.new_quote("ana", discount_pct="30")
    forged = (
        "INSERT INTO quotedesk.approvals (quote_id, revision, decision, decided_by, decided_at) "
        f"VALUES ('{quote}', 1, 'approved', 'max', now())"
    )
    _refused(team.psql("ana", forged), "permission denied")
    approval = _request(team, "ana", quote)
    for decide in (
        f"UPDATE quotedesk.approvals SET decision = 'approved' WHERE id = {approval}",
        f"UPDATE quotedesk.approvals SET decided_by = 'max' WHERE id = {approval}",
    ):
        _refused(team.psql("ana", decide), "permission denied")
    _refused(team.psql("bea", f"INSERT INTO quotedesk.approvals (quote_id, revision) "
                              f"VALUES ('{quote}', 1)"))  # fmt: skip
    assert _lines(team.psql("max", "SELECT requested_by, decision IS NULL, decided_by IS NULL "
                                   "FROM quotedesk.approvals")) == ["ana|t|t"]  # fmt: skip


def test_an_approval_carries_the_managers_own_login_and_time_and_is_final(team):
    quote, _ = team.new_quote("ana", discount_pct="30")
    approval = _request(team, "ana", quote)
    _refused(team.psql("max", f"UPDATE quotedesk.approvals SET decision = 'approved', "
                              f"decided_by = 'mia' WHERE id = {approval}"),
             "permission denied")  # fmt: skip
    approved = team.psql("max", f"UPDATE quotedesk.approvals SET decision = 'approved', "
                                f"decision_comment = 'ok this once' WHERE id = {approval} "
                                f"RETURNING decided_by, decided_at IS NOT NULL")  # fmt: skip
    assert _lines(approved) == ["max|t"]
    _refused(team.psql("mia", f"UPDATE quotedesk.approvals SET decision = 'rejected', "
                              f"decision_comment = 'no' WHERE id = {approval}"),
             "R-TEAM-5", "already approved")  # fmt: skip
    assert _lines(team.psql("ana", "SELECT decision, decided_by FROM quotedesk.approvals")) == [
        "approved|max"
    ]


def test_a_rejection_says_why(team):
    quote, _ = team.new_quote("ana", discount_pct="30")
    approval = _request(team, "ana", quote)
    _refused(team.psql("max", f"UPDATE quotedesk.approvals SET decision = 'rejected' "
                              f"WHERE id = {approval}"), "check constraint")  # fmt: skip


def test_nobody_decides_on_their_own_quote(team):
    quote, _ = team.new_quote("max", discount_pct="30")
    approval = _request(team, "max", quote)
    decide = f"UPDATE quotedesk.approvals SET decision = 'approved' WHERE id = {approval}"
    _refused(team.psql("max", decide), "R-TEAM-5", "cannot decide on their own quote")
    assert _lines(team.psql("mia", decide + " RETURNING decided_by")) == ["mia"]


def _sign_off(team, login: str, quote: str, **fields) -> None:
    with team.connect(login) as conn:
        put_revision(conn, revision(quote, status="signed_off", **fields))


def test_sign_off_above_the_threshold_needs_an_approval_of_that_very_content(team):
    quote, _ = team.new_quote("ana", discount_pct="30")  # the default threshold is 15%
    with pytest.raises(psycopg.errors.RaiseException, match="R-TEAM-5"):
        _sign_off(team, "ana", quote, discount_pct="30")
    approval = _request(team, "ana", quote)
    _lines(team.psql("max", f"UPDATE quotedesk.approvals SET decision = 'approved' "
                            f"WHERE id = {approval}"))  # fmt: skip
    with team.connect("ana") as conn:  # edited after the approval: 40% was not approved
        put_revision(conn, revision(quote, discount_pct="40"))
    with pytest.raises(psycopg.errors.RaiseException, match="R-TEAM-5"):
        _sign_off(team, "ana", quote, discount_pct="40")
    with pytest.raises(psycopg.errors.RaiseException, match="R-TEAM-5"):  # not who approved
        _sign_off(team, "ana", quote, discount_pct="30", approver="mia")
    _sign_off(team, "ana", quote, discount_pct="30")  # back to what max approved
    signed = team.psql("ana", "SELECT status, approver, signed_off_login FROM quotedesk.revisions")
    assert _lines(signed) == ["signed_off|max|ana"]


def test_a_discount_at_the_threshold_needs_no_approval_and_the_manager_sets_the_threshold(team):
    quote, _ = team.new_quote("ana", discount_pct="15")
    _sign_off(team, "ana", quote, discount_pct="15")
    _lines(team.psql("max", "INSERT INTO quotedesk.profile (key, value) "
                            "VALUES ('approval_threshold_pct', '10')"))  # fmt: skip
    second, _ = team.new_quote("ana", discount_pct="15")
    with pytest.raises(psycopg.errors.RaiseException, match="R-TEAM-5"):
        _sign_off(team, "ana", second, discount_pct="15")


def test_a_rep_cannot_name_an_approver_nobody_approved(team):
    quote, _ = team.new_quote("ana")
    with pytest.raises(psycopg.errors.RaiseException, match="R-TEAM-5"):
        _sign_off(team, "ana", quote, approver="max")


# --- R-TEAM-3: signed off is signed off everywhere --------------------------------------


def test_a_signed_off_revision_cannot_be_changed_or_deleted_by_rep_manager_or_owner(team):
    quote, _ = team.new_quote("ana", "ACME Ltda")
    _sign_off(team, "ana", quote)
    before = _lines(team.psql("max", "SELECT quote_file, priced FROM quotedesk.revisions"))
    changes = (
        f"UPDATE quotedesk.revisions SET quote_file = '{{}}' WHERE quote_id = '{quote}'",
        f"UPDATE quotedesk.revisions SET approver = 'max' WHERE quote_id = '{quote}'",
        f"UPDATE quotedesk.revisions SET status = 'draft' WHERE quote_id = '{quote}'",
        f"DELETE FROM quotedesk.revisions WHERE quote_id = '{quote}'",
        f"DELETE FROM quotedesk.quotes WHERE id = '{quote}'",
    )
    for login, password in (("ana", None), ("max", None), (OWNER, OWNER_PASSWORD)):
        for change in changes:
            if password is None:
                done = team.psql(login, change)
            else:
                done = team.db.psql(login, password, change)
            _refused(done, "R-TEAM-3")
    for table in ("revisions", "quotes"):
        _refused(team.db.psql(OWNER, OWNER_PASSWORD, f"TRUNCATE quotedesk.{table} CASCADE"),
                 "R-TEAM-3")  # fmt: skip
    assert _lines(team.psql("max", "SELECT quote_file, priced FROM quotedesk.revisions")) == before
    expected = quote_file("ACME Ltda")
    assert _lines(team.psql("ana", "SELECT quote_file FROM quotedesk.revisions")) == [expected]


def test_a_signed_off_status_only_moves_forward(team):
    quote, _ = team.new_quote("ana")
    _sign_off(team, "ana", quote)
    move = "UPDATE quotedesk.revisions SET status = '{}' RETURNING status"
    assert _lines(team.psql("ana", move.format("sent"))) == ["sent"]
    _refused(team.psql("max", move.format("signed_off")), "R-TEAM-3", "only moves forward")
    assert _lines(team.psql("max", move.format("accepted"))) == ["accepted"]


def test_a_draft_is_changed_and_deleted_freely_by_its_owner(team):
    quote, _ = team.new_quote("ana", discount_pct="30")
    _request(team, "ana", quote)
    with team.connect("ana") as conn:
        put_revision(conn, revision(quote, "ACME Brasil"))
    deleted = team.psql("ana", f"DELETE FROM quotedesk.quotes WHERE id = '{quote}' RETURNING id")
    assert _lines(deleted) == [quote]
    assert _lines(team.psql("max", "SELECT count(*) FROM quotedesk.approvals")) == ["0"]


# --- R-TEAM-2: one numbering ------------------------------------------------------------


def test_a_quote_is_signed_off_only_once_it_has_a_number(team):
    quote, number = team.new_quote("ana", numbered=False)
    assert number is None
    with pytest.raises(psycopg.errors.RaiseException, match="R-TEAM-2"):
        _sign_off(team, "ana", quote)


def test_a_number_comes_from_a_block_of_the_login_and_stays_with_its_quote(team):
    numbered, number = team.new_quote("ana")
    with team.connect("ana") as conn:
        first, last = reserve_numbers(conn, team.devices["ana"], 5)
    ana_draft, _ = team.new_quote("ana", numbered=False)
    bea_draft, _ = team.new_quote("bea", numbered=False)

    def numbering(quote: str, seq: int, label: str | None = None) -> str:
        label = label or f"QD-2026-{seq:05d}"
        return f"UPDATE quotedesk.quotes SET seq = {seq}, number = '{label}' WHERE id = '{quote}'"

    _refused(team.psql("bea", numbering(bea_draft, first)), "R-TEAM-2",
             "not in a block reserved by bea")  # fmt: skip
    _refused(team.psql("ana", numbering(ana_draft, last + 1000)), "R-TEAM-2")
    _refused(team.psql("ana", numbering(numbered, first)), "R-TEAM-2", f"{number} keeps its number")
    _refused(team.psql("ana", numbering(ana_draft, first, "QD-2026-00999")), "check constraint")
    _lines(team.psql("ana", numbering(ana_draft, first)))
    _refused(team.psql("max", numbering(ana_draft, first + 1)), "R-TEAM-2", "keeps its number")


def test_a_device_reserves_numbers_only_for_its_own_login(team):
    with (
        team.connect("bea") as conn,
        pytest.raises(psycopg.errors.RaiseException, match="R-TEAM-2"),
    ):
        reserve_numbers(conn, team.devices["ana"], 20)
    _refused(team.psql("ana", "INSERT INTO quotedesk.number_blocks VALUES (1, 100, "
                              f"'{team.devices['ana']}', 'ana')"), "permission denied")  # fmt: skip
    _refused(team.psql("ana", "UPDATE quotedesk.numbering SET next_number = 1"),
             "permission denied")  # fmt: skip


# --- values are values ------------------------------------------------------------------


@pytest.mark.parametrize("customer", ["'); DROP TABLE quotes;--",
                                      "x'); DROP TABLE quotedesk.quotes CASCADE;--"])  # fmt: skip
def test_a_customer_named_like_sql_is_stored_literally(team, customer):
    quote, _ = team.new_quote("ana", customer)
    with team.connect("ana") as conn:  # and updated, through the same statements
        put_revision(conn, revision(quote, customer))
    assert _lines(team.psql("ana", "SELECT customer FROM quotedesk.quotes")) == [customer]
    name = "SELECT quote_file::jsonb -> 'customer' ->> 'name' FROM quotedesk.revisions"
    assert _lines(team.psql("ana", name)) == [customer]
    tables = "SELECT count(*) FROM pg_tables WHERE schemaname = 'quotedesk'"
    assert _lines(team.psql("max", tables)) == ["13"]
