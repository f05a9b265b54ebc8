"""The team story end to end: a manager (max) and two reps (ana, bea), each with their own
data folder and local store, and the team's PostgreSQL on this machine. Each step runs
the `quotedesk` command in its own process, as a person would; only editing a draft and
importing a price book, which the window does, run in this process through the
operations the window uses.

Prices hand-worked from tests/fixtures/test_book.csv (the book the manager publishes):
Jira Cloud Standard, annual, 50 users is the 100-user tier, a flat USD 8,000.00; a 30%
manual discount takes 2,400.00 off: 5,600.00. A customer in Brazil pays no fee or tax."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pypdf import PdfReader

from quotedesk.core import load_rules, parse_quote
from quotedesk.operations import quotes as quote_ops
from quotedesk.operations.price_books import import_price_book, price_book_for
from quotedesk.store import open_store

from .conftest import quotedesk

FIXTURES = Path(__file__).parent.parent / "fixtures"
TODAY = date.today()
YEAR = TODAY.year
JIRA_50 = {"product": "jira", "deployment": "cloud", "edition": "standard",
           "billing": "annual", "users": 50}  # fmt: skip


def quote(customer: str, discount_pct: str | None = None) -> dict:
    line = dict(JIRA_50, **({"discount_pct": discount_pct} if discount_pct else {}))
    return {"schema": 1, "quote_date": TODAY.isoformat(),
            "customer": {"name": customer, "country": "BR"}, "lines": [line]}  # fmt: skip


@dataclass
class Person:
    """One person's laptop: their own data folder, store and config, no keyring (the
    password goes to a 0600 file)."""

    login: str
    folder: Path

    @property
    def db(self) -> Path:
        return self.folder / "quotes.db"

    def run(self, *args: str | Path):
        env = {
            "XDG_CONFIG_HOME": str(self.folder / "config"),
            "XDG_DATA_HOME": str(self.folder / "data"),
            "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
            "QUOTEDESK_DB": str(self.db),
        }
        return quotedesk(*args, env=env)

    def ok(self, *args: str | Path) -> str:
        done = self.run(*args)
        assert done.returncode == 0, done.stderr
        return done.stdout

    def add(self, content: dict) -> str:
        path = self.folder / "quote.json"
        path.write_text(json.dumps(content))
        return self.ok("quotes", "add", path).strip()

    def show(self, number: str) -> dict:
        return json.loads(self.ok("quotes", "show", number))

    def sync(self) -> str:
        return self.ok("team", "sync")

    def edit(self, number: str, content: dict) -> None:
        """Change the draft and save it, as the window's editor does."""
        with open_store(self.db) as store:
            book = price_book_for(None, store)
            quote_ops.save(store, parse_quote(content), book, load_rules(), TODAY, number=number)


def _numbered(sync_output: str) -> dict[str, str]:
    return dict(re.findall(r"^numbered (\S+) as (\S+)$", sync_output, re.MULTILINE))


def _pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def test_a_manager_and_two_reps_quote_offline_sync_resolve_approve_publish_and_sign_off(
    team_db, tmp_path
):
    # The database's owner sets the team up: the schema, then three logins.
    owner = Person("owner", tmp_path / "owner")
    owner.ok("team", "init", team_db.owner_url)
    people = {}
    for login, role in (("max", "manager"), ("ana", "rep"), ("bea", "rep")):
        secret = tmp_path / f"{login}.password"
        secret.write_text(f"{login}-secret\n")
        owner.ok("team", "add-user", login, "--role", role, "--url", team_db.owner_url,
                 "--password-file", secret)  # fmt: skip
        person = people[login] = Person(login, tmp_path / login)
        joined = person.ok("team", "join", team_db.url(login), "--user", login,
                           "--password-file", secret)  # fmt: skip
        assert f"as {login} ({role})" in joined
    max_, ana, bea = people["max"], people["ana"], people["bea"]

    # Offline (never synced: no numbers in hand), each rep quotes: provisional labels.
    acme = ana.add(quote("ACME Ltda"))
    beta = bea.add(quote("Beta SA"))
    assert acme.startswith("QD-DRAFT-") and beta.startswith("QD-DRAFT-")

    # The first sync numbers them: ana's reservation is 1 (the quote) and 2 to 21 (her
    # block of 20); bea's comes after it, 22 and 23 to 42.
    acme, beta = (
        _numbered(ana.sync())[acme],
        _numbered(bea.sync())[beta],
    )
    assert (acme, beta) == (f"QD-{YEAR}-00001", f"QD-{YEAR}-00022")
    max_.sync()
    listed = max_.ok("quotes", "list")  # a manager's laptop holds the team's quotes
    assert acme in listed and beta in listed
    assert beta not in ana.ok("quotes", "list")  # a rep sees only her own

    # A conflict: the manager and bea change bea's draft, both offline; the manager's
    # reaches the server first and stays the draft, bea's becomes revision 2 on top.
    max_.edit(beta, quote("Beta SA (manager's edit)"))
    bea.edit(beta, quote("Beta SA, 60 users (bea's edit)"))
    max_.sync()
    synced = bea.sync()
    assert f"conflict: {beta}-R2 is this laptop's edit of revision 1" in synced
    listed = json.loads(bea.ok("team", "conflicts", "--json"))
    assert [(c["number"], c["revision"]) for c in listed] == [(beta, 2)]
    # bea keeps her version as the latest draft and marks the conflict resolved
    assert bea.ok("team", "conflicts", "--resolve", beta).strip() == f"resolved {beta}-R2"
    bea.sync()
    max_.sync()
    assert max_.ok("team", "conflicts").strip() == "no conflicts"
    kept = [max_.show(f"{beta}-R{n}")["customer"]["name"] for n in (1, 2)]
    assert kept == ["Beta SA (manager's edit)", "Beta SA, 60 users (bea's edit)"]

    # The manager publishes a price book (imported as the window imports one); the reps
    # pick it up at their next sync and price new quotes with it.
    with open_store(max_.db) as store:
        import_price_book(store, (FIXTURES / "test_book.csv").read_bytes(), "team-2026.csv")
    max_.sync()
    ana.sync()
    gamma = ana.add(quote("Gamma Ltda", discount_pct="30"))
    assert gamma == f"QD-{YEAR}-00002"  # from ana's block, with the server out of the way
    shown = ana.show(gamma)
    assert shown["price_book"].startswith("team-2026.csv")
    assert (shown["subtotal"], shown["discount_total"], shown["total"]) == (
        "8000.00", "2400.00", "5600.00",
    )  # fmt: skip

    # 30% is above the 15% approval threshold: ana asks, max approves.
    held = ana.run("quotes", "sign-off", gamma, "--by", "Ana Lima")
    assert held.returncode == 1 and "R-TEAM-5" in held.stderr
    ana.ok("approvals", "request", gamma, "--comment", "strategic account")
    waiting = json.loads(max_.ok("approvals", "list", "--json"))
    assert [(a["number"], a["customer"], a["requested_by"]) for a in waiting] == [
        (gamma, "Gamma Ltda", "ana")
    ]
    max_.ok("approvals", "approve", gamma, "--comment", "ok for this deal")
    refused = bea.run("approvals", "approve", gamma)  # a rep approves nothing
    assert refused.returncode == 1

    # ana's sync brings the decision home; she signs off, the approver is max's login.
    ana.sync()
    ana.ok("quotes", "sign-off", gamma, "--by", "Ana Lima")
    signed = ana.show(gamma)
    assert (signed["status"], signed["signed_off_by"], signed["approver"]) == (
        "signed_off", "Ana Lima", "max",
    )  # fmt: skip
    assert "sent 1" in ana.sync()
    with team_db.connect() as conn:  # the server took the sign-off
        on_server = conn.execute(
            "SELECT q.number, r.status, r.approver FROM quotedesk.revisions r "
            "JOIN quotedesk.quotes q ON q.id = r.quote_id WHERE q.number = %s",
            [gamma],
        ).fetchall()
    assert on_server == [(gamma, "signed_off", "max")]

    # Exported on ana's laptop, and on the manager's once his sync brings it.
    ana.ok("export", gamma, "-o", tmp_path / "gamma-ana.pdf")
    max_.sync()
    max_.ok("export", gamma, "-o", tmp_path / "gamma-max.pdf")
    for pdf in ("gamma-ana.pdf", "gamma-max.pdf"):
        text = _pdf_text(tmp_path / pdf)
        assert gamma in text
        assert "5,600.00" in text
        assert "Gamma Ltda" in text
