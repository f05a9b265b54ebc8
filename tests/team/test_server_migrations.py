"""A team server set up by an older Quote Desk is brought up to date by `quotedesk team
init`, and its rules hold as strongly after the upgrade (R-TEAM-4, R-TEAM-5)."""

from __future__ import annotations

import uuid

import psycopg

from quotedesk.team.schema import MIGRATIONS, ROLES
from quotedesk.team.server import add_user, register_device

from .conftest import PASSWORDS, Team, quotedesk
from .conftest import ROLES as TEAM_ROLES


def _lines(done) -> list[str]:
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_a_server_set_up_at_the_first_migration_is_upgraded_by_init_and_keeps_its_rules(
    team_db, tmp_path
):
    # What the first release's `team init` made.
    with psycopg.connect(team_db.owner_url) as conn:
        conn.execute(ROLES)
        conn.execute(MIGRATIONS[0][1])
        conn.execute(
            "INSERT INTO quotedesk._quotedesk_migrations (name) VALUES (%s)", [MIGRATIONS[0][0]]
        )
    devices = {}
    for login, password in PASSWORDS.items():
        add_user(team_db.owner_url, login, TEAM_ROLES[login], password)
        devices[login] = str(uuid.uuid4())
        with psycopg.connect(team_db.url(login, password)) as conn:
            register_device(conn, devices[login], f"{login}'s laptop")
    team = Team(team_db, devices)
    ana_quote, _ = team.new_quote("ana", "Ana's customer", discount_pct="30")
    bea_quote, _ = team.new_quote("bea", "Bea's customer")
    _lines(team.psql("ana", f"INSERT INTO quotedesk.approvals (quote_id, revision) "
                            f"VALUES ('{ana_quote}', 1)"))  # fmt: skip

    env = {
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "QUOTEDESK_DB": str(tmp_path / "q.db"),
    }
    upgraded = quotedesk("team", "init", team_db.owner_url, env=env)
    assert upgraded.returncode == 0, upgraded.stderr
    assert upgraded.stdout == f"team database {team_db.name}: applied 0002_per_row_rules\n"

    # A rep reads and changes only her own quotes, their revisions and approvals.
    assert _lines(team.psql("ana", "SELECT customer FROM quotedesk.quotes")) == ["Ana's customer"]
    assert _lines(team.psql("ana", "SELECT quote_id FROM quotedesk.revisions")) == [ana_quote]
    assert _lines(team.psql("bea", "SELECT count(*) FROM quotedesk.approvals")) == ["0"]
    for change in (
        f"UPDATE quotedesk.quotes SET customer = 'taken' WHERE id = '{bea_quote}' RETURNING id",
        f"UPDATE quotedesk.revisions SET quote_file = '{{}}' WHERE quote_id = '{bea_quote}' "
        "RETURNING revision",
        f"DELETE FROM quotedesk.revisions WHERE quote_id = '{bea_quote}' RETURNING revision",
    ):
        assert _lines(team.psql("ana", change)) == []
    refused = team.psql("ana", f"INSERT INTO quotedesk.revisions (quote_id, revision, status, "
                               f"quote_file, priced, price_book, price_book_sha256, created_at, "
                               f"updated_at) VALUES ('{bea_quote}', 2, 'draft', '{{}}', '{{}}', "
                               f"'b', 'x', now(), now())")  # fmt: skip
    assert refused.returncode != 0 and "row-level security" in refused.stderr
    refused = team.psql("ana", "INSERT INTO quotedesk.quotes (id, owner) "
                               "VALUES (gen_random_uuid(), 'bea')")  # fmt: skip
    assert refused.returncode != 0 and "row-level security" in refused.stderr

    # Only a manager decides, and sees every quote with its revisions.
    refused = team.psql("ana", "UPDATE quotedesk.approvals SET decision = 'approved'")
    assert refused.returncode != 0 and "permission denied" in refused.stderr
    assert _lines(team.psql("max", "SELECT count(*) FROM quotedesk.revisions")) == ["2"]
    assert _lines(team.psql("max", "UPDATE quotedesk.approvals SET decision = 'approved' "
                                   "RETURNING decided_by")) == ["max"]  # fmt: skip

    # Team visibility: colleagues' quotes read, never changed.
    _lines(team.psql("max", "INSERT INTO quotedesk.profile (key, value) "
                            "VALUES ('quote_visibility', 'team')"))  # fmt: skip
    assert _lines(team.psql("ana", "SELECT count(*) FROM quotedesk.revisions")) == ["2"]
    assert (
        _lines(
            team.psql(
                "ana",
                f"UPDATE quotedesk.revisions SET quote_file = '{{}}' "
                f"WHERE quote_id = '{bea_quote}' RETURNING revision",
            )
        )
        == []
    )
