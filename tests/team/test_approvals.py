"""R-TEAM-5 end to end: a rep's laptop asks for approval of a draft R-DISC-MANUAL holds
back, a manager's laptop approves or rejects it, and the rep signs off offline what was
approved. Every command runs in its own process against the session's real PostgreSQL;
each laptop has its own store and config folder, and no keyring (a password file)."""

from __future__ import annotations

import json
import socket
import sqlite3
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import psycopg
import pytest

from quotedesk.store import open_store
from quotedesk.store import team as local_team

from .conftest import PASSWORDS, quotedesk

# Jira Cloud Standard, 50 users, annual, with a 30% manual discount: the default approval
# threshold is 15%, so R-DISC-MANUAL holds it back.
QUOTE = {
    "schema": 1, "quote_date": "2026-12-07",
    "customer": {"name": "ACME Ltda", "country": "BR"},
    "lines": [{"product": "jira", "deployment": "cloud", "edition": "standard",
               "billing": "annual", "users": 50, "discount_pct": "30"}],
}  # fmt: skip


@dataclass
class Laptop:
    login: str
    folder: Path

    @property
    def db(self) -> Path:
        return self.folder / "quotes.db"

    @property
    def env(self) -> dict[str, str]:
        return {
            "XDG_CONFIG_HOME": str(self.folder / "config"),
            "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
            "QUOTEDESK_DB": str(self.db),
        }

    def run(self, *args: str | Path):
        return quotedesk(*args, env=self.env)

    def ok(self, *args: str | Path) -> str:
        done = self.run(*args)
        assert done.returncode == 0, done.stderr
        return done.stdout

    def add_quote(self, quote: dict = QUOTE) -> str:
        path = self.folder / "quote.json"
        path.write_text(json.dumps(quote))
        return self.ok("quotes", "add", path).strip()

    def membership(self) -> local_team.Membership:
        with open_store(self.db) as store:
            member = local_team.membership(store)
        assert member is not None
        return member


@pytest.fixture
def laptops(team, tmp_path):
    """ana's (a rep) and max's (a manager) laptops, joined to the team. ana's has synced
    once: it holds the block of numbers 1 to 20, so its quotes are numbered at once."""
    made = {}
    for login in ("ana", "max"):
        laptop = Laptop(login, tmp_path / login)
        laptop.folder.mkdir()
        secret = laptop.folder / "password.txt"
        secret.write_text(PASSWORDS[login] + "\n")
        laptop.ok("team", "join", team.db.url(login), "--user", login, "--password-file", secret)
        made[login] = laptop
    made["ana"].ok("team", "sync")
    return made


def _server_approvals(team) -> list[tuple]:
    with team.db.connect() as conn:  # the database's owner sees every row
        return conn.execute(
            "SELECT q.number, a.requested_by, a.decision, a.decided_by, a.decided_at IS NOT NULL, "
            "a.decision_comment FROM quotedesk.approvals a JOIN quotedesk.quotes q "
            "ON q.id = a.quote_id ORDER BY a.id"
        ).fetchall()


def test_a_rep_requests_a_manager_approves_with_their_login_and_the_rep_signs_off_offline(
    team, laptops
):
    ana, max_ = laptops["ana"], laptops["max"]
    number = ana.add_quote()
    assert number == "QD-2026-00001"
    held = ana.run("quotes", "sign-off", number, "--by", "Ana Lima")
    assert held.returncode == 1
    assert "R-TEAM-5" in held.stderr and f"quotedesk approvals request {number}" in held.stderr

    assert ana.ok("approvals", "request", number).startswith(f"asked for approval of {number}")
    pending = json.loads(max_.ok("approvals", "list", "--json"))
    assert [(p["number"], p["requested_by"], p["owner"], p["decision"]) for p in pending] == [
        (number, "ana", "ana", None)
    ]
    approved = max_.ok("approvals", "approve", number, "--comment", "ok this once")
    assert "approved by max" in approved and "ok this once" in approved
    assert _server_approvals(team) == [(number, "ana", "approved", "max", True, "ok this once")]
    assert json.loads(max_.ok("approvals", "list", "--json")) == []  # nothing waits any more

    ana.ok("approvals", "list")  # the decision reaches ana's laptop
    _go_offline(ana)
    ana.ok("quotes", "sign-off", number, "--by", "Ana Lima")
    shown = json.loads(ana.ok("quotes", "show", number))
    assert (shown["status"], shown["signed_off_by"], shown["approver"]) == (
        "signed_off", "Ana Lima", "max",
    )  # fmt: skip


def _go_offline(laptop: Laptop) -> None:
    """The laptop's server becomes a port nobody listens on."""
    with open_store(laptop.db) as store, socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        offline = f"host=127.0.0.1 port={closed.getsockname()[1]} dbname=team"
        local_team.remember(store, replace(laptop.membership(), server=offline))


def test_a_team_sync_brings_the_managers_decision_home_for_a_sign_off_offline(team, laptops):
    ana, max_ = laptops["ana"], laptops["max"]
    number = ana.add_quote()
    ana.ok("approvals", "request", number)
    max_.ok("approvals", "approve", number, "--comment", "fine")
    with open_store(ana.db) as store:  # asked, not yet decided, as ana's laptop saw it
        seen = store.conn.execute("SELECT decision FROM approvals").fetchall()
    assert seen == [(None,)]

    ana.ok("team", "sync")  # no `approvals list`, no Approvals view
    with open_store(ana.db) as store:
        seen = store.conn.execute("SELECT number, decision, decided_by FROM approvals").fetchall()
    assert seen == [(number, "approved", "max")]
    _go_offline(ana)
    ana.ok("quotes", "sign-off", number, "--by", "Ana Lima")
    shown = json.loads(ana.ok("quotes", "show", number))
    assert (shown["status"], shown["approver"]) == ("signed_off", "max")


def test_a_rep_cannot_approve_their_own_request_nor_forge_a_decision(team, laptops):
    ana = laptops["ana"]
    number = ana.add_quote()
    ana.ok("approvals", "request", number)
    refused = ana.run("approvals", "approve", number)
    assert refused.returncode == 1
    assert refused.stderr == (
        "quotedesk approvals approve: R-TEAM-5: only a manager approves or rejects\n"
    )
    with team.connect("ana") as conn:  # the rep's own login, straight to the server
        (request_id,) = conn.execute("SELECT id FROM quotedesk.approvals").fetchone()
        conn.commit()
        for forged in (
            f"UPDATE quotedesk.approvals SET decision = 'approved' WHERE id = {request_id}",
            f"UPDATE quotedesk.approvals SET decided_by = 'max', decided_at = now() "
            f"WHERE id = {request_id}",
            "INSERT INTO quotedesk.approvals (quote_id, revision, decision, decided_by, "
            "decided_at) SELECT quote_id, revision, 'approved', 'max', now() "
            "FROM quotedesk.approvals",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(forged)
            conn.rollback()
    assert _server_approvals(team) == [(number, "ana", None, None, False, None)]

    # An approval written into the laptop's own file lets that laptop sign off, but the
    # server refuses the signed-off revision: the approval is the server's to record.
    with sqlite3.connect(ana.db) as raw:
        raw.execute("UPDATE approvals SET decision = 'approved', decided_by = 'max', "
                    "decided_at = '2026-12-07T10:00:00+00:00'")  # fmt: skip
    raw.close()
    ana.ok("quotes", "sign-off", number, "--by", "Ana Lima")
    report = json.loads(ana.ok("team", "sync", "--json"))
    assert [r["what"] for r in report["refused"]] == [number]
    assert "R-TEAM-5" in report["refused"][0]["reason"]
    with team.db.connect() as conn:
        assert conn.execute("SELECT status, approver FROM quotedesk.revisions").fetchall() == [
            ("draft", None)
        ]


def test_a_provisional_quote_is_numbered_by_its_request_and_nobody_approves_their_own(
    team, laptops
):
    max_ = laptops["max"]  # a manager's laptop that never synced: no numbers in hand
    label = max_.add_quote()
    assert label.startswith("QD-DRAFT-")
    asked = max_.ok("approvals", "request", label)
    # ana's laptop reserved 1 to 20; max's request syncs first, which reserves 21 to 40
    assert asked.startswith("asked for approval of QD-2026-00021 ")
    own = max_.run("approvals", "approve", "QD-2026-00021")
    assert (own.returncode, own.stderr) == (
        1, "quotedesk approvals approve: R-TEAM-5: max cannot decide on their own quote\n",
    )  # fmt: skip
    assert _server_approvals(team) == [("QD-2026-00021", "max", None, None, False, None)]


def test_a_rejection_needs_a_comment_and_leaves_the_quote_held_back(team, laptops):
    ana, max_ = laptops["ana"], laptops["max"]
    number = ana.add_quote()
    ana.ok("approvals", "request", number, "--comment", "strategic customer")
    no_comment = max_.run("approvals", "reject", number)
    assert no_comment.returncode == 2
    assert "--comment" in no_comment.stderr
    blank = max_.run("approvals", "reject", number, "--comment", "  ")
    assert (blank.returncode, blank.stderr) == (
        2, "quotedesk approvals reject: a rejection needs a comment saying why\n",
    )  # fmt: skip
    assert "rejected by max" in max_.ok("approvals", "reject", number, "--comment", "20% at most")
    mine = json.loads(ana.ok("approvals", "list", "--json"))
    seen = [(m["request_comment"], m["decision"], m["decided_by"], m["decision_comment"])
            for m in mine]  # fmt: skip
    assert seen == [("strategic customer", "rejected", "max", "20% at most")]
    still = ana.run("quotes", "sign-off", number, "--by", "Ana Lima")
    assert still.returncode == 1 and "R-TEAM-5" in still.stderr
    nothing = max_.run("approvals", "approve", number)
    assert (nothing.returncode, nothing.stderr) == (
        1, f"quotedesk approvals approve: no approval request waiting for {number}\n",
    )  # fmt: skip


def test_a_draft_changed_after_its_approval_needs_a_new_one(team, laptops):
    from quotedesk.core import load_rules, parse_quote
    from quotedesk.operations import quotes as quote_ops
    from quotedesk.operations.price_books import price_book_for

    ana, max_ = laptops["ana"], laptops["max"]
    number = ana.add_quote()
    ana.ok("approvals", "request", number)
    max_.ok("approvals", "approve", number)
    ana.ok("approvals", "list")
    changed = json.loads(json.dumps(QUOTE))
    changed["lines"][0]["discount_pct"] = "40"
    with open_store(ana.db) as store:  # as the window saves an edit
        book = price_book_for(None, store)
        quote_ops.save(store, parse_quote(changed), book, load_rules(), date(2026, 12, 7),
                        number=number)  # fmt: skip
    refused = ana.run("quotes", "sign-off", number, "--by", "Ana Lima")
    assert refused.returncode == 1
    assert "the draft changed after max approved it" in refused.stderr
    ana.ok("approvals", "request", number)
    with team.db.connect() as conn:
        approved_text = conn.execute(
            "SELECT quotedesk.approved_by(quote_id, revision, quote_file) FROM quotedesk.revisions"
        ).fetchone()
    assert approved_text == (None,)  # the server holds the 40% text, which nobody approved
    max_.ok("approvals", "approve", number)
    ana.ok("approvals", "list")
    ana.ok("quotes", "sign-off", number, "--by", "Ana Lima")


def test_only_a_quote_held_back_is_requested(team, laptops):
    ana = laptops["ana"]
    small = json.loads(json.dumps(QUOTE))
    small["lines"][0]["discount_pct"] = "15"  # at the threshold: no approval needed
    number = ana.add_quote(small)
    refused = ana.run("approvals", "request", number)
    assert (refused.returncode, refused.stderr) == (
        1, f"quotedesk approvals request: {number} needs no approval: no manual discount is "
        "above the approval threshold of 15%\n",
    )  # fmt: skip
    ana.ok("quotes", "sign-off", number, "--by", "Ana Lima")  # and is signed off as before


def test_the_server_unreachable_is_exit_2_in_one_line_and_nothing_local_changes(laptops):
    ana = laptops["ana"]
    number = ana.add_quote()
    with open_store(ana.db) as store, socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        offline = f"host=127.0.0.1 port={closed.getsockname()[1]} dbname=team"
        local_team.remember(store, replace(ana.membership(), server=offline))
        for args in (("request", number), ("list",), ("approve", number)):
            done = ana.run("approvals", *args)
            assert done.returncode == 2
            assert done.stderr.startswith(
                f"quotedesk approvals {args[0]}: cannot connect to the team server: "
            )
            assert len(done.stderr.splitlines()) == 1
    with sqlite3.connect(ana.db) as raw:
        assert raw.execute("SELECT count(*) FROM approvals").fetchone() == (0,)
    raw.close()


def test_outside_a_team_approvals_are_bad_usage(tmp_path):
    done = quotedesk("approvals", "list", "--db", tmp_path / "quotes.db")
    assert done.returncode == 2
    assert done.stderr == (
        "quotedesk approvals: this laptop is not in a team: join one with "
        "`quotedesk team join URL --user NAME`\n"
    )
