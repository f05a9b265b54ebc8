"""`quotedesk team init | add-user | join | leave` run as people run them, in their own
process, against the session's real PostgreSQL."""

from __future__ import annotations

import os
import socket
import sqlite3
import stat
import subprocess
from pathlib import Path

import pytest

from .conftest import OWNER, OWNER_PASSWORD, PASSWORDS, make_server_certificate, quotedesk


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """A user with their own config folder and, as on a headless machine, no keyring."""
    return {
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        "QUOTEDESK_DB": str(tmp_path / "quotes.db"),
    }


def _password_file(tmp_path: Path, password: str) -> Path:
    path = tmp_path / "password.txt"
    path.write_text(password + "\n")
    return path


def test_init_twice_creates_the_schema_once_then_finds_it_up_to_date(team_db, env):
    first = quotedesk("team", "init", team_db.owner_url, env=env)
    assert first.returncode == 0, first.stderr
    assert first.stdout == (
        f"team database {team_db.name}: applied 0001_team_schema, 0002_per_row_rules\n"
    )
    again = quotedesk("team", "init", team_db.owner_url, env=env)
    assert again.returncode == 0, again.stderr
    assert again.stdout == f"team database {team_db.name} is up to date\n"
    with team_db.connect() as conn:
        applied = conn.execute("SELECT name, applied_by FROM quotedesk._quotedesk_migrations")
        assert applied.fetchall() == [("0001_team_schema", OWNER), ("0002_per_row_rules", OWNER)]
        groups = conn.execute(
            "SELECT rolname, rolcanlogin FROM pg_roles WHERE rolname LIKE 'quotedesk\\_%' "
            "ORDER BY rolname"
        )
        assert groups.fetchall() == [("quotedesk_manager", False), ("quotedesk_rep", False)]


def test_init_by_a_login_that_does_not_own_the_database_is_refused(team_db, env, tmp_path):
    quotedesk("team", "init", team_db.owner_url, env=env)
    quotedesk("team", "add-user", "ana", "--role", "rep", "--url", team_db.owner_url,
              "--password-file", _password_file(tmp_path, "ana-secret"), env=env)  # fmt: skip
    by_rep = quotedesk("team", "init", team_db.url("ana", "ana-secret"), env=env)
    assert by_rep.returncode == 1
    assert by_rep.stderr.startswith("quotedesk team init: permission denied")
    assert "as the database's owner" in by_rep.stderr
    assert len(by_rep.stderr.splitlines()) == 1


def test_an_unreachable_server_is_exit_2_with_one_line(env):
    with socket.socket() as bound:  # a port taken but not listening: connection refused
        bound.bind(("127.0.0.1", 0))
        url = f"postgresql://{OWNER}@127.0.0.1:{bound.getsockname()[1]}/team"
        done = quotedesk("team", "init", url, env=env)
    assert done.returncode == 2
    assert done.stderr.startswith("quotedesk team init: cannot connect to the team server: ")
    assert "Connection refused" in done.stderr
    assert len(done.stderr.splitlines()) == 1


def test_a_bad_connection_string_is_exit_2(env):
    done = quotedesk("team", "init", "host=db.example port", env=env)
    assert done.returncode == 2
    assert done.stderr.startswith("quotedesk team init: not a PostgreSQL connection string: ")


def test_add_user_makes_a_login_of_the_role_group_that_psql_accepts(team_db, env, tmp_path):
    quotedesk("team", "init", team_db.owner_url, env=env)
    password = "a 'quoted' pass: with \\ and ;"
    added = quotedesk("team", "add-user", "ana", "--role", "rep", "--url", team_db.owner_url,
                      env={**env, "QUOTEDESK_TEAM_PASSWORD": password})  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert added.stdout.startswith("added ana as a rep; they join with: ")
    manager = quotedesk("team", "add-user", "max", "--role", "manager", "--url",
                        team_db.owner_url, "--password-file",
                        _password_file(tmp_path, "max-secret"), env=env)  # fmt: skip
    assert manager.returncode == 0, manager.stderr

    roles = (
        "SELECT pg_has_role('quotedesk_rep', 'MEMBER'), pg_has_role('quotedesk_manager', 'MEMBER')"
    )
    assert team_db.psql("ana", password, roles).stdout == "t|f\n"
    assert team_db.psql("max", "max-secret", roles).stdout == "t|t\n"
    wrong = team_db.psql("ana", "max-secret", "SELECT 1")
    assert wrong.returncode != 0 and "password authentication failed" in wrong.stderr
    with team_db.server.admin() as conn:  # hashed on this side: never sent as typed
        (stored,) = conn.execute(
            "SELECT rolpassword FROM pg_authid WHERE rolname = 'ana'"
        ).fetchone()
    assert stored.startswith("SCRAM-SHA-256$") and password not in stored


def test_add_user_refuses_a_taken_name_and_a_name_that_is_not_a_login(team_db, env, tmp_path):
    quotedesk("team", "init", team_db.owner_url, env=env)
    secret = _password_file(tmp_path, "secret")
    add = (
        "team",
        "add-user",
        "--role",
        "rep",
        "--url",
        team_db.owner_url,
        "--password-file",
        secret,
    )
    assert quotedesk(*add, "ana", env=env).returncode == 0
    taken = quotedesk(*add, "ana", env=env)
    assert taken.returncode == 1
    assert (
        taken.stderr == "quotedesk team add-user: a login named ana already exists on this server\n"
    )
    for name in ('ana"; DROP ROLE team_owner; --', "pg_signal", "quotedesk_rep", ""):
        bad = quotedesk(*add, name, env=env)
        assert bad.returncode == 2, name
        assert len(bad.stderr.splitlines()) == 1
    with team_db.connect() as conn:
        assert conn.execute(
            "SELECT count(*) FROM pg_roles WHERE rolname = %s", [OWNER]
        ).fetchone() == (1,)


def test_add_user_without_a_password_says_how_to_give_one(team_db, env):
    quotedesk("team", "init", team_db.owner_url, env=env)
    done = quotedesk("team", "add-user", "ana", "--role", "rep", "--url", team_db.owner_url,
                     env=env, stdin="")  # fmt: skip
    assert done.returncode == 2
    assert "--password-file" in done.stderr and "QUOTEDESK_TEAM_PASSWORD" in done.stderr


def _set_up(team_db, env, tmp_path, login: str = "ana", role: str = "rep") -> Path:
    quotedesk("team", "init", team_db.owner_url, env=env)
    secret = _password_file(tmp_path, PASSWORDS[login])
    added = quotedesk("team", "add-user", login, "--role", role, "--url", team_db.owner_url,
                      "--password-file", secret, env=env)  # fmt: skip
    assert added.returncode == 0, added.stderr
    return secret


def test_join_without_a_keyring_keeps_the_password_in_a_private_libpq_file(team_db, env, tmp_path):
    secret = _set_up(team_db, env, tmp_path)
    joined = quotedesk("team", "join", team_db.url("ana"), "--user", "ana",
                       "--password-file", secret, env=env)  # fmt: skip
    assert joined.returncode == 0, joined.stderr
    assert joined.stderr == ""  # 127.0.0.1 is this machine: no plain-text warning
    lines = joined.stdout.splitlines()
    assert lines[0].startswith(f"joined the team database {team_db.name} on 127.0.0.1 as ana (rep)")
    files = list((tmp_path / "config" / "quotedesk").glob("pgpass-*"))
    assert len(files) == 1
    assert lines[1] == (
        f"no system keyring here: the password is kept in {files[0]}, readable only by you"
    )
    assert stat.S_IMODE(files[0].stat().st_mode) == 0o600
    port = team_db.server.port
    assert files[0].read_text() == f"127.0.0.1:{port}:{team_db.name}:ana:ana-secret\n"

    with sqlite3.connect(env["QUOTEDESK_DB"]) as db:
        server, login, role, device, where = db.execute(
            "SELECT server, login, role, device_id, password_in FROM team"
        ).fetchone()
    assert (login, role, where) == ("ana", "rep", "passfile")
    assert server == f"dbname={team_db.name} host=127.0.0.1 port={port}"
    assert files[0].name == f"pgpass-{device}"
    with team_db.connect() as conn:
        assert conn.execute(
            "SELECT login FROM quotedesk.devices WHERE id = %s", [device]
        ).fetchone() == ("ana",)

    # libpq itself reads the file: psql logs in with it and no other password
    psql = subprocess.run(
        [str(team_db.server.bin_dir / "psql"), "-X", "-A", "-t", "-w", "-c", "SELECT current_user",
         f"host=127.0.0.1 port={port} dbname={team_db.name} user=ana"],
        capture_output=True, text=True, env={**os.environ, "PGPASSFILE": str(files[0])},
    )  # fmt: skip
    assert psql.stdout == "ana\n", psql.stderr


def test_join_takes_a_libpq_service_name(team_db, env, tmp_path):
    secret = _set_up(team_db, env, tmp_path)
    services = tmp_path / "pg_service.conf"
    services.write_text(
        f"[sales]\nhost=127.0.0.1\nport={team_db.server.port}\ndbname={team_db.name}\n"
    )
    joined = quotedesk("team", "join", "service=sales", "--user", "ana", "--password-file",
                       secret, env={**env, "PGSERVICEFILE": str(services)})  # fmt: skip
    assert joined.returncode == 0, joined.stderr
    with sqlite3.connect(env["QUOTEDESK_DB"]) as db:
        assert db.execute("SELECT server FROM team").fetchone() == ("service=sales",)


def test_a_password_in_the_url_goes_to_the_password_file_not_the_store(team_db, env, tmp_path):
    _set_up(team_db, env, tmp_path)
    joined = quotedesk("team", "join", team_db.url("ana", "ana-secret"), "--user", "ana",
                       env=env, stdin="")  # fmt: skip
    assert joined.returncode == 0, joined.stderr
    (passfile,) = (tmp_path / "config" / "quotedesk").glob("pgpass-*")
    assert passfile.read_text().endswith(":ana:ana-secret\n")
    with sqlite3.connect(env["QUOTEDESK_DB"]) as db:
        (server,) = db.execute("SELECT server FROM team").fetchone()
    assert "secret" not in server and "password" not in server


def test_join_with_a_wrong_password_changes_nothing_locally(team_db, env, tmp_path):
    _set_up(team_db, env, tmp_path)
    joined = quotedesk("team", "join", team_db.url("ana"), "--user", "ana", "--password-file",
                       _password_file(tmp_path, "wrong"), env=env)  # fmt: skip
    assert joined.returncode == 2
    assert "password authentication failed" in joined.stderr
    assert not (tmp_path / "config" / "quotedesk").exists()
    with sqlite3.connect(env["QUOTEDESK_DB"]) as db:  # the store exists, with no team
        assert db.execute("SELECT count(*) FROM team").fetchone() == (0,)


def test_join_refuses_a_login_outside_the_team(team_db, env, tmp_path):
    quotedesk("team", "init", team_db.owner_url, env=env)
    joined = quotedesk("team", "join", team_db.url(OWNER), "--user", OWNER, "--password-file",
                       _password_file(tmp_path, OWNER_PASSWORD), env=env)  # fmt: skip
    assert joined.returncode == 1
    assert joined.stderr == (
        f"quotedesk team join: {OWNER} is not in the team: the owner adds them with "
        "`quotedesk team add-user`\n"
    )


def test_join_to_another_team_needs_leave_first_and_leave_forgets_the_password(
    team_db, env, tmp_path
):
    secret = _set_up(team_db, env, tmp_path)
    join = ("team", "join", "--user", "ana", "--password-file", secret)
    assert quotedesk(*join, team_db.url("ana"), env=env).returncode == 0
    # the same team by another address, as the same person: fine, the same device
    again = quotedesk(*join, f"host=localhost port={team_db.server.port} dbname={team_db.name}",
                      env=env)  # fmt: skip
    assert again.returncode == 0, again.stderr
    (passfile,) = (tmp_path / "config" / "quotedesk").glob("pgpass-*")

    other = f"{team_db.name}_other"
    with team_db.server.admin() as admin:
        admin.execute(f'CREATE DATABASE "{other}" OWNER "{OWNER}"')
    try:
        init = quotedesk("team", "init", team_db.server.url(other, OWNER, OWNER_PASSWORD), env=env)
        assert init.returncode == 0, init.stderr
        refused = quotedesk(*join, team_db.server.url(other, "ana"), env=env)
    finally:
        with team_db.server.admin() as admin:
            admin.execute(f'DROP DATABASE "{other}" WITH (FORCE)')
    assert refused.returncode == 1
    assert refused.stderr.endswith("as ana; run `quotedesk team leave` first\n")

    left = quotedesk("team", "leave", env=env)
    assert left.returncode == 0, left.stderr
    assert not passfile.exists()
    with sqlite3.connect(env["QUOTEDESK_DB"]) as db:
        assert db.execute("SELECT count(*) FROM team").fetchone() == (0,)
    assert quotedesk("team", "leave", env=env).stdout == "this laptop is not in a team\n"


def test_sslmode_is_honoured_and_plain_text_to_another_host_is_warned(team_db, env, tmp_path):
    if team_db.server.lan_address is None:
        pytest.skip("this machine has no network address to reach the server by")
    secret = _set_up(team_db, env, tmp_path)
    remote = team_db.url("ana", host=team_db.server.lan_address)
    join = ("team", "join", "--user", "ana", "--password-file", secret)

    plain = quotedesk(*join, remote + "?sslmode=disable", env=env)
    assert plain.returncode == 0, plain.stderr
    assert plain.stderr.startswith(
        f"quotedesk team join: warning: the connection to {team_db.server.lan_address} is "
        "not encrypted"
    )
    verified = quotedesk(*join, f"{remote}?sslmode=verify-full&sslrootcert="
                         f"{team_db.server.certificate}", env=env)  # fmt: skip
    assert verified.returncode == 0, verified.stderr
    assert verified.stderr == ""
    # verify-full trusting another certificate than the server's: no connection
    other, _ = make_server_certificate(tmp_path, ["127.0.0.1"])
    refused = quotedesk(*join, f"{remote}?sslmode=verify-full&sslrootcert={other}", env=env)
    assert refused.returncode == 2
    assert "certificate verify failed" in refused.stderr
