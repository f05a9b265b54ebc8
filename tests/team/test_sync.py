"""`quotedesk team sync` between laptops (each its own SQLite store) and the session's
real PostgreSQL: the outbox, number blocks, conflicts, shared data, and the faults a team
meets (a laptop killed mid-push, the server stopped mid-sync)."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from quotedesk.core import load_price_book, load_rules, parse_quote
from quotedesk.core import price as price_quote
from quotedesk.core.problems import Refused
from quotedesk.store import approvals, open_store, restore_backup
from quotedesk.team.sync import SyncReport, conflicts, status, sync

from .conftest import PASSWORDS, quotedesk

FIXTURES = Path(__file__).parents[1] / "fixtures"
TODAY = date(2026, 11, 23)
YEAR = date.today().year  # the store numbers a quote in the year it is made
SQL_NAME = "'); DROP TABLE quotes;--"


@dataclass
class Laptop:
    path: Path
    login: str
    env: dict[str, str]

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        return quotedesk(*args, "--db", self.path, env=self.env)

    def add(self, customer: str = "ACME Ltda", **fields: Any) -> str:
        with open_store(self.path) as store:
            return store.add_quote(*_priced(customer, **fields)).number

    def edit(self, number: str, customer: str) -> None:
        with open_store(self.path) as store:
            store.save_draft(number, *_priced(customer))

    def sync(self) -> SyncReport:
        with open_store(self.path) as store:
            return sync(store)

    def query(self, sql: str, params: Any = ()) -> list[tuple[Any, ...]]:
        conn = sqlite3.connect(self.path)
        try:
            return conn.execute(sql, params).fetchall()
        finally:
            conn.close()


_book = load_price_book(FIXTURES / "test_book.csv")
_rules = load_rules()


def _priced(customer: str, **fields: Any):
    data = {
        "schema": 1, "quote_date": "2026-11-20", "customer": {"name": customer, "country": "BR"},
        "lines": [{"product": "jira", "deployment": "cloud", "edition": "standard",
                   "billing": "annual", "users": 50}],
        **fields,
    }  # fmt: skip
    quote = parse_quote(data)
    return quote, price_quote(quote, _book, _rules, TODAY), _book


@pytest.fixture
def laptops(team, tmp_path, monkeypatch) -> Callable[[str, str], Laptop]:
    """join(login, name): a laptop of `login` joined to the team, with its own store; no
    keyring here, so each one's password is in its own libpq password file."""
    env = {
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)

    def join(login: str, name: str) -> Laptop:
        laptop = Laptop(tmp_path / f"{name}.db", login, env)
        secret = tmp_path / f"{login}.password"
        secret.write_text(PASSWORDS[login])
        joined = laptop.cli("team", "join", team.db.url(login), "--user", login,
                            "--password-file", str(secret))  # fmt: skip
        assert joined.returncode == 0, joined.stderr
        return laptop

    return join


def _server(team, sql: str, params: Any = ()) -> list[tuple[Any, ...]]:
    with team.db.connect() as conn:  # the database's owner: sees every row
        return conn.execute(sql, params).fetchall()


def test_a_single_user_store_records_nothing_for_the_team(tmp_path):
    laptop = Laptop(tmp_path / "alone.db", "", {})
    number = laptop.add()
    laptop.edit(number, "ACME Brasil")
    assert number == f"QD-{YEAR}-00001"
    for table in ("team_outbox", "team_quotes", "team_revisions", "team_number_blocks"):
        assert laptop.query(f"SELECT count(*) FROM {table}") == [(0,)]


def test_quotes_made_before_joining_stay_local_and_their_numbers_are_passed_over(
    laptops, team, tmp_path
):
    alone = Laptop(tmp_path / "ana.db", "ana", {})
    before = [alone.add("Mine alone"), alone.add("Mine too")]
    laptop = laptops("ana", "ana")  # the same store, now joined
    assert laptop.path == alone.path
    laptop.sync()  # numbers 1 to 20: 1 and 2 are this store's own already
    made = laptop.add("For the team")
    report = laptop.sync()
    assert before == [f"QD-{YEAR}-00001", f"QD-{YEAR}-00002"]
    assert made == f"QD-{YEAR}-00003"
    assert report.sent == 1
    assert _server(team, "SELECT number, customer FROM quotedesk.quotes") == [
        (made, "For the team")
    ]


def test_quotes_made_offline_reach_the_server_once_and_the_persons_other_laptop(laptops, team):
    office, home = laptops("ana", "office"), laptops("ana", "home")
    office.sync()  # the first sync hands the laptop its block: 1 to 20
    made = [office.add(f"Customer {n}") for n in range(3)]
    office.edit(made[0], "Customer 0, renamed")
    assert made == [f"QD-{YEAR}-00001", f"QD-{YEAR}-00002", f"QD-{YEAR}-00003"]
    # three quotes, one of them edited twice: three changes waiting, the newest state each
    assert office.query("SELECT count(*) FROM team_outbox") == [(3,)]

    report = office.sync()
    assert (report.sent, report.numbered, report.conflicts) == (3, [], [])
    assert office.query("SELECT count(*) FROM team_outbox") == [(0,)]
    assert _server(team, "SELECT number, customer, owner FROM quotedesk.quotes ORDER BY seq") == [
        (made[0], "Customer 0, renamed", "ana"),
        (made[1], "Customer 1", "ana"),
        (made[2], "Customer 2", "ana"),
    ]
    assert office.sync().sent == 0  # nothing twice

    home.sync()
    assert home.query("SELECT number, customer, revision, status FROM quotes ORDER BY seq") == [
        (made[0], "Customer 0, renamed", 1, "draft"),
        (made[1], "Customer 1", 1, "draft"),
        (made[2], "Customer 2", 1, "draft"),
    ]
    # the revisions are the office laptop's text, byte for byte
    texts = "SELECT r.quote_file, r.priced FROM revisions r JOIN quotes q ON q.id = r.quote_id " \
        "ORDER BY q.seq"  # fmt: skip
    assert home.query(texts) == office.query(texts)
    # pulled, not made here: nothing goes back
    assert home.query("SELECT count(*) FROM team_outbox") == [(0,)]


def test_a_quote_signed_off_and_revised_on_one_laptop_arrives_whole_on_another(laptops):
    office, home = laptops("ana", "office"), laptops("ana", "home")
    office.sync()
    number = office.add("ACME")
    with open_store(office.path) as store:
        store.sign_off(number, by="Ana Lima")
        store.set_status(number, "sent")
        store.revise(number)
    office.edit(number, "ACME, second offer")
    office.sync()
    home.sync()
    shown = (
        "SELECT r.revision, r.status, r.signed_off_by, json_extract(r.quote_file, "
        "'$.customer.name'), q.revision, q.status, q.customer FROM revisions r "
        "JOIN quotes q ON q.id = r.quote_id ORDER BY r.revision"
    )
    assert home.query(shown) == [
        (1, "sent", "Ana Lima", "ACME", 2, "draft", "ACME, second offer"),
        (2, "draft", None, "ACME, second offer", 2, "draft", "ACME, second offer"),
    ]
    assert home.query(shown) == office.query(shown)


def test_a_quote_made_with_the_block_empty_is_provisional_until_a_sync_numbers_it(laptops, team):
    laptop = laptops("ana", "plane")  # joined, never synced: no numbers in hand
    device = laptop.query("SELECT device_id FROM team")[0][0].replace("-", "")[:8]
    made = [laptop.add(f"Customer {n}") for n in range(25)]
    assert made == [f"QD-DRAFT-{device}-{n}" for n in range(1, 26)]
    with open_store(laptop.path) as store, pytest.raises(Refused, match="R-TEAM-2"):
        store.sign_off(made[0], by="Ana Lima")

    report = laptop.sync()
    # one reservation for the 25 quotes and a block of 20 to keep: numbers 1 to 45
    assert report.numbered == [(made[n], f"QD-{YEAR}-{n + 1:05d}") for n in range(25)]
    assert _server(team, "SELECT min(seq), max(seq), count(*) FROM quotedesk.quotes") == [
        (1, 25, 25)
    ]
    assert _server(team, "SELECT first_number, last_number FROM quotedesk.number_blocks") == [
        (1, 45)
    ]
    with open_store(laptop.path) as store:
        assert status(store).numbers_left == 20
        assert store.add_quote(*_priced("Next")).number == f"QD-{YEAR}-00026"
        signed = store.sign_off(f"QD-{YEAR}-00001", by="Ana Lima")
    assert signed.status == "signed_off"
    assert laptop.sync().sent == 2
    assert _server(team, "SELECT status FROM quotedesk.revisions r JOIN quotedesk.quotes q "
                         "ON q.id = r.quote_id WHERE q.seq = 1") == [("signed_off",)]  # fmt: skip


def test_two_laptops_of_the_same_person_editing_one_draft_offline_keep_both(laptops, team):
    office, home = laptops("ana", "office"), laptops("ana", "home")
    office.sync()
    number = office.add("ACME")
    office.sync()
    home.sync()
    office.edit(number, "ACME, as edited at the office")
    home.edit(number, "ACME, as edited at home")

    office.sync()  # first to reach the server: stays the draft
    report = home.sync()
    assert [(c.number, c.revision, c.origin["edit_of"], c.origin["login"])
            for c in report.conflicts] == [(number, 2, 1, "ana")]  # fmt: skip
    names = (
        "SELECT r.revision, r.status, json_extract(r.quote_file, '$.customer.name') "
        "FROM revisions r JOIN quotes q ON q.id = r.quote_id WHERE q.number = ? ORDER BY 1"
    )
    expected = [(1, "draft", "ACME, as edited at the office"),
                (2, "draft", "ACME, as edited at home")]  # fmt: skip
    assert home.query(names, [number]) == expected
    office.sync()
    assert office.query(names, [number]) == expected
    with open_store(office.path) as store:
        assert [(c.label, c.origin["device"]) for c in conflicts(store)] == [
            (f"{number}-R2", home.query("SELECT device_id FROM team")[0][0])
        ]
    server = "SELECT r.revision, r.conflict IS NOT NULL FROM quotedesk.revisions r " \
        "ORDER BY 1"  # fmt: skip
    assert _server(team, server) == [(1, False), (2, True)]

    resolved = home.cli("team", "conflicts", "--resolve", number)
    assert resolved.returncode == 0, resolved.stderr
    assert resolved.stdout == f"resolved {number}-R2\n"
    home.sync()
    office.sync()
    assert _server(team, server) == [(1, False), (2, False)]
    listed = office.cli("team", "conflicts")
    assert listed.stdout == "no conflicts\n"


def test_a_manager_and_a_rep_changing_the_same_quote_keep_both(laptops, team):
    rep, manager = laptops("ana", "ana"), laptops("max", "max")
    rep.sync()
    number = rep.add("ACME")
    rep.sync()
    manager.sync()
    assert manager.query("SELECT number FROM quotes") == [(number,)]
    manager.edit(number, "ACME, the manager's")
    rep.edit(number, "ACME, the rep's")

    manager.sync()
    report = rep.sync()
    assert [(c.revision, c.origin["login"]) for c in report.conflicts] == [(2, "ana")]
    assert _server(team, "SELECT owner FROM quotedesk.quotes") == [("ana",)]
    customers = "SELECT revision, quote_file::jsonb -> 'customer' ->> 'name' " \
        "FROM quotedesk.revisions ORDER BY 1"  # fmt: skip
    assert _server(team, customers) == [(1, "ACME, the manager's"), (2, "ACME, the rep's")]


def test_a_customer_name_holding_sql_is_stored_literally_on_the_server(laptops, team):
    laptop = laptops("ana", "ana")
    laptop.sync()
    number = laptop.add(SQL_NAME)
    laptop.sync()
    assert _server(team, "SELECT number, customer FROM quotedesk.quotes") == [(number, SQL_NAME)]
    name = "SELECT quote_file::jsonb -> 'customer' ->> 'name' FROM quotedesk.revisions"
    assert _server(team, name) == [(SQL_NAME,)]
    other = laptops("ana", "other")
    other.sync()
    assert other.query("SELECT customer FROM quotes") == [(SQL_NAME,)]


def test_a_managers_price_book_and_profile_reach_the_reps_laptop_with_their_age(laptops, team):
    manager, rep = laptops("max", "max"), laptops("ana", "ana")
    csv = (FIXTURES / "test_book.csv").read_bytes()
    with open_store(manager.path) as store:
        store.import_price_book(csv, "team-book.csv")
        store.save_profile(store.profile().__class__(company="Revenda Ltda"))
    manager.sync()
    with open_store(rep.path) as store:
        assert all(fetched is None for fetched in status(store).shared_fetched_at.values())
    rep.sync()
    assert rep.query("SELECT source, length(csv) FROM price_books") == [("team-book.csv", len(csv))]
    with open_store(rep.path) as store:
        assert store.profile().company == "Revenda Ltda"
        active = store.active_price_book()
        assert active is not None and active.source == "team-book.csv"
        assert all(fetched is not None for fetched in status(store).shared_fetched_at.values())
    # a rep's own profile change stays on the laptop: the server would refuse it
    assert rep.query("SELECT count(*) FROM team_outbox") == [(0,)]


def test_a_customers_pdf_language_reaches_the_team(laptops, team):
    rep, manager = laptops("ana", "ana"), laptops("max", "max")
    rep.sync()
    number = rep.add("Tanaka KK")
    with open_store(rep.path) as store:
        store.set_customer_language(number, "ja")
    rep.sync()
    languages = "SELECT customer, language, changed_by FROM quotedesk.customer_languages"
    assert _server(team, languages) == [("Tanaka KK", "ja", "ana")]
    manager.sync()
    with open_store(manager.path) as store:
        assert store.customer_language(number) == "ja"


def test_a_sign_off_the_server_refuses_waits_with_its_reason_and_the_rest_goes_on(laptops, team):
    laptop = laptops("ana", "ana")
    laptop.sync()
    big = laptop.add("Big discount", lines=[
        {"product": "jira", "deployment": "cloud", "edition": "standard", "billing": "annual",
         "users": 50, "discount_pct": "30"}])  # fmt: skip
    with open_store(laptop.path) as store:  # an approval nobody gave, written on the laptop
        text = store.conn.execute("SELECT quote_file FROM revisions").fetchone()[0]
        approvals.remember(store, [approvals.Approval(
            1, big, 1, "Big discount", "ana", approvals.content_sha256(text), "ana",
            datetime.now(UTC), "", "approved", "max", datetime.now(UTC),
        )])  # fmt: skip
        store.sign_off(big, by="Ana Lima")
    plain = laptop.add("Plain")
    report = laptop.sync()
    assert report.sent == 1
    assert [(r.what, r.reason.split(":")[0]) for r in report.refused] == [(big, "R-TEAM-5")]
    assert _server(team, "SELECT number FROM quotedesk.quotes") == [(plain,)]
    done = laptop.cli("team", "status", "--json")
    shown = json.loads(done.stdout)
    # the sync topped the block up again: 20 numbers in hand
    assert (shown["waiting"], shown["refused"], shown["numbers_left"]) == (1, 1, 20)
    assert _server(team, "SELECT first_number, last_number FROM quotedesk.number_blocks "
                         "ORDER BY 1") == [(1, 20), (21, 22)]  # fmt: skip


def test_an_unreachable_server_is_exit_2_in_one_line_and_changes_nothing_here(
    laptops, team, pg_server
):
    laptop = laptops("ana", "ana")
    laptop.add("Made offline")
    before = list(sqlite3.connect(laptop.path).iterdump())
    pg_server.stop()
    try:
        done = laptop.cli("team", "sync")
    finally:
        pg_server.start()
    assert done.returncode == 2
    assert done.stderr.startswith("quotedesk team sync: cannot connect to the team server: ")
    assert len(done.stderr.splitlines()) == 1
    assert list(sqlite3.connect(laptop.path).iterdump()) == before
    assert laptop.cli("team", "sync").returncode == 0


def _start_sync(laptop: Laptop) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "quotedesk", "team", "sync", "--db", str(laptop.path)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, **laptop.env},
    )  # fmt: skip


def _many_quotes(laptop: Laptop, count: int) -> list[str]:
    """`count` quotes made offline, with the block empty (numbered by the sync)."""
    with open_store(laptop.path) as store:
        return [store.add_quote(*_priced(f"Customer {n}")).number for n in range(count)]


def _wait_until_the_server_has_some(team, process, total: int) -> int:
    while process.poll() is None:
        applied = _server(team, "SELECT count(*) FROM quotedesk.applied_changes")[0][0]
        if 0 < applied < total:
            return int(applied)
        time.sleep(0.005)
    pytest.fail(f"the sync of {total} changes ended before it could be cut off: {process.stderr}")


def _server_matches(team, laptop: Laptop, total: int) -> None:
    """Every quote once on the server, with this laptop's numbers and text."""
    on_server = _server(
        team, "SELECT q.number, r.quote_file FROM quotedesk.quotes q JOIN quotedesk.revisions r "
        "ON r.quote_id = q.id ORDER BY q.seq")  # fmt: skip
    here = laptop.query(
        "SELECT q.number, r.quote_file FROM quotes q JOIN revisions r ON r.quote_id = q.id "
        "ORDER BY q.seq")  # fmt: skip
    assert len(on_server) == total
    assert on_server == here
    assert _server(team, "SELECT count(*) FROM quotedesk.applied_changes")[0][0] == total
    assert laptop.query("SELECT count(*) FROM team_outbox") == [(0,)]


def test_a_laptop_killed_mid_push_sends_everything_once_at_its_next_sync(laptops, team):
    laptop = laptops("ana", "ana")
    total = 600
    _many_quotes(laptop, total)
    process = _start_sync(laptop)
    _wait_until_the_server_has_some(team, process, total)
    process.send_signal(signal.SIGKILL)
    process.wait()
    cut_off = _server(team, "SELECT count(*) FROM quotedesk.quotes")[0][0]
    assert 0 < cut_off < total

    again = laptop.cli("team", "sync")
    assert again.returncode == 0, again.stderr
    _server_matches(team, laptop, total)
    # numbers from the blocks, each once, none provisional left
    assert laptop.query("SELECT count(DISTINCT seq), count(*) FROM quotes WHERE year <> 0") == [
        (total, total)
    ]


def test_the_server_stopped_mid_sync_is_exit_2_and_the_next_sync_completes(
    laptops, team, pg_server
):
    laptop = laptops("ana", "ana")
    total = 600
    _many_quotes(laptop, total)
    process = _start_sync(laptop)
    _wait_until_the_server_has_some(team, process, total)
    pg_server.stop()
    try:
        _, stderr = process.communicate(timeout=60)
    finally:
        pg_server.start()
    assert process.returncode == 2
    assert stderr.startswith("quotedesk team sync: ")
    assert "team server" in stderr
    assert len(stderr.splitlines()) == 1

    again = laptop.cli("team", "sync")
    assert again.returncode == 0, again.stderr
    _server_matches(team, laptop, total)


def test_team_status_and_sync_print_what_waits_and_what_was_done(laptops):
    laptop = laptops("ana", "ana")
    device = laptop.query("SELECT device_id FROM team")[0][0].replace("-", "")[:8]
    made = [laptop.add("First"), laptop.add("Second")]
    before = laptop.cli("team", "status")
    assert before.returncode == 0, before.stderr
    lines = before.stdout.splitlines()
    assert lines[1:6] == [
        "last sync: never",
        "changes waiting: 2",
        "numbers left in this laptop's block: 0",
        "quotes waiting for a number: 2",
        "conflicts: 0",
    ]
    done = laptop.cli("team", "sync")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "sent 2, received 0, numbered 2, conflicts 0",
        f"numbered QD-DRAFT-{device}-1 as QD-{YEAR}-00001",
        f"numbered QD-DRAFT-{device}-2 as QD-{YEAR}-00002",
    ]
    assert made == [f"QD-DRAFT-{device}-1", f"QD-DRAFT-{device}-2"]
    after = json.loads(laptop.cli("team", "status", "--json").stdout)
    assert (after["waiting"], after["numbers_left"], after["provisional"]) == (0, 20, 0)
    assert after["last_sync_at"] is not None
    again = json.loads(laptop.cli("team", "sync", "--json").stdout)
    assert again == {"sent": 0, "received": 0, "numbered": [], "conflicts": [], "refused": []}


def test_a_push_whose_reply_the_laptop_never_recorded_is_not_applied_again(laptops, team):
    laptop = laptops("ana", "ana")
    laptop.sync()
    made = [laptop.add("First"), laptop.add("Second")]
    with open_store(laptop.path) as store:  # the laptop as it was before its sync
        store.backup(laptop.path.with_name("before.db"))
    assert laptop.sync().sent == 2
    # the server committed, the laptop lost that it did (as if killed right after)
    restore_backup(laptop.path.with_name("before.db"), laptop.path)
    assert laptop.query("SELECT count(*) FROM team_outbox") == [(2,)]
    report = laptop.sync()
    assert (report.sent, report.conflicts) == (2, [])
    assert _server(team, "SELECT count(*) FROM quotedesk.revisions") == [(2,)]
    assert _server(team, "SELECT count(*) FROM quotedesk.applied_changes") == [(2,)]
    # what the server has is known as its own again: a later edit is no conflict
    laptop.edit(made[0], "First, edited")
    assert laptop.sync().conflicts == []
    assert _server(team, "SELECT customer FROM quotedesk.quotes ORDER BY seq") == [
        ("First, edited",),
        ("Second",),
    ]
