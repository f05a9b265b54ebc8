"""The team database backs up with PostgreSQL's own pg_dump, run by its owner, and
restores whole: every row (the owner is not held back by row-level security) and every
rule (the triggers are restored after the data)."""

from __future__ import annotations

import os
import subprocess

from quotedesk.team.server import put_revision

from .conftest import OWNER, OWNER_PASSWORD, revision


def _run(team, tool: str, *args: str) -> None:
    done = subprocess.run(
        [str(team.db.server.bin_dir / tool), *args],
        capture_output=True, text=True, env={**os.environ, "PGPASSWORD": OWNER_PASSWORD},
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr


def test_pg_dump_by_the_owner_restores_every_quote_and_rule(team, tmp_path):
    approved, _ = team.new_quote("ana", "Approved Ltda", discount_pct="30")
    team.new_quote("bea", "Draft Ltda", numbered=False)
    request = f"INSERT INTO quotedesk.approvals (quote_id, revision) VALUES ('{approved}', 1)"
    (approval,) = team.psql("ana", request + " RETURNING id").stdout.split()
    team.psql("max", f"UPDATE quotedesk.approvals SET decision = 'approved' WHERE id = {approval}")
    with team.connect("ana") as conn:
        put_revision(conn, revision(approved, "Approved Ltda", status="signed_off",
                                    discount_pct="30"))  # fmt: skip

    dump = tmp_path / "team.dump"
    server = team.db.server
    _run(team, "pg_dump", "-Fc", "-f", str(dump), team.db.owner_url)
    restored = f"{team.db.name}_restored"
    with server.admin() as admin:
        admin.execute(f'CREATE DATABASE "{restored}" OWNER "{OWNER}"')
    try:
        _run(team, "pg_restore", "--no-owner", "-d", server.url(restored, OWNER), str(dump))
        count = (
            "SELECT count(*), count(*) FILTER (WHERE status = 'signed_off'), "
            "string_agg(approver, ',') FROM quotedesk.revisions"
        )
        assert server.psql(restored, "max", "max-secret", count).stdout == "2|1|max\n"
        assert server.psql(restored, "ana", "ana-secret", count).stdout == "1|1|max\n"
        frozen = server.psql(restored, OWNER, OWNER_PASSWORD,
                             "UPDATE quotedesk.revisions SET quote_file = '{}'")  # fmt: skip
        assert frozen.returncode != 0 and "R-TEAM-3" in frozen.stderr
        numbers = server.psql(restored, "ana", "ana-secret",
                              "SELECT block_first FROM quotedesk.reserve_numbers("
                              f"'{team.devices['ana']}', 20)")  # fmt: skip
        assert numbers.stdout == "2\n"  # number 1 went to the approved quote before the dump
    finally:
        with server.admin() as admin:
            admin.execute(f'DROP DATABASE "{restored}" WITH (FORCE)')
