"""A real PostgreSQL for the team tests, started once per session in a temporary folder.

PostgreSQL refuses to run as root (and CI runs as root), so as root the server runs as
an unprivileged system user, `quotedesk-test` (created if missing; `nobody` if it cannot
be). It listens on a Unix socket in its own folder, on 127.0.0.1 at a free port and, when
the machine has one, on its network address (a "remote" server for the tests of plain
text and TLS), with TLS on, its certificate made here for both addresses.
Authentication is SCRAM passwords for everyone but the bootstrap superuser, who connects
over the socket only, for the fixtures' own set-up: a team's logins prove who they are
as they would on a real server.

Each test gets its own database, owned by `team_owner` (a login with CREATEROLE, as an IT
department would create for the team), and every role a test created is dropped after
it: group and login roles belong to the whole server, not to one database.
"""

from __future__ import annotations

import ipaddress
import itertools
import json
import os
import pwd
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import psycopg.sql
import pytest

SERVER_USER = "quotedesk-test"
OWNER, OWNER_PASSWORD = "team_owner", "owner pass: 'quoted' \\ too"
MIN_VERSION = 15
HBA = """\
local all postgres trust
local all all scram-sha-256
host all all 127.0.0.1/32 scram-sha-256
"""


def find_bin_dir() -> Path | None:
    """The newest Debian/Ubuntu server (/usr/lib/postgresql/N/bin), else one on PATH."""
    found = [
        path
        for path in Path("/usr/lib/postgresql").glob("*/bin")
        if path.parent.name.isdigit() and (path / "postgres").exists()
    ]
    if found:
        return max(found, key=lambda p: int(p.parent.name))
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _server_user() -> str | None:
    """None when not root; else an unprivileged user to run the server as."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(SERVER_USER)
        return SERVER_USER
    except KeyError:
        pass
    made = subprocess.run(
        ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", SERVER_USER],
        capture_output=True,
        check=False,
    )
    return SERVER_USER if made.returncode == 0 else "nobody"


def _lan_address() -> str | None:
    """This machine's address on its default route (no packet is sent), if any."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("10.255.255.255", 1))
        except OSError:
            return None
        address = str(s.getsockname()[0])
    return None if ipaddress.ip_address(address).is_loopback else address


def make_server_certificate(folder: Path, addresses: list[str]) -> tuple[Path, Path]:
    """A self-made server certificate (and its key) naming `addresses`."""
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "quotedesk test server")])
    now = dt.datetime.now(dt.UTC)
    names = [x509.IPAddress(ipaddress.ip_address(a)) for a in addresses]
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=2))
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )  # fmt: skip
    cert_path, key_path = folder / "server.crt", folder / "server.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ))  # fmt: skip
    key_path.chmod(0o600)
    return cert_path, key_path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class PgServer:
    bin_dir: Path
    folder: Path
    port: int
    run_as: str | None
    lan_address: str | None  # None: the machine has no network address
    options: str = ""  # the server's command-line settings, for a restart

    def stop(self) -> None:
        """Shut the server down as an administrator would (`-m fast`: sessions cut off)."""
        subprocess.run(
            self.command(self.bin_dir / "pg_ctl", "-D", self.folder / "data", "-m", "fast",
                         "-w", "stop"),
            capture_output=True, check=True,
        )  # fmt: skip

    def start(self) -> None:
        subprocess.run(
            self.command(self.bin_dir / "pg_ctl", "-D", self.folder / "data", "-l",
                         self.folder / "server.log", "-o", self.options, "-w", "-t", "60",
                         "start"),
            capture_output=True, check=True,
        )  # fmt: skip

    @property
    def certificate(self) -> Path:
        """The server's certificate, which a client may trust (sslrootcert)."""
        return self.folder / "data" / "server.crt"

    @property
    def socket_dir(self) -> str:
        return str(self.folder / "socket")

    def command(self, *args: str | Path) -> list[str]:
        argv = [str(a) for a in args]
        return ["runuser", "-u", self.run_as, "--", *argv] if self.run_as else argv

    def admin(self, dbname: str = "postgres") -> psycopg.Connection:
        """The bootstrap superuser, over the socket, autocommit: for the fixtures only."""
        return psycopg.connect(
            host=self.socket_dir, port=self.port, user="postgres", dbname=dbname,
            autocommit=True,
        )  # fmt: skip

    def url(
        self, dbname: str, user: str, password: str | None = None, host: str = "127.0.0.1"
    ) -> str:
        """A TCP URL, the way a team's laptops reach their server."""
        from urllib.parse import quote

        secret = f":{quote(password, safe='')}" if password is not None else ""
        return f"postgresql://{quote(user, safe='')}{secret}@{host}:{self.port}/{dbname}"

    def psql(
        self, dbname: str, user: str, password: str, sql: str
    ) -> subprocess.CompletedProcess[str]:
        """The real `psql`, as someone with a login and a password would use it."""
        env = {**os.environ, "PGPASSWORD": password, "PGCONNECT_TIMEOUT": "10"}
        for name in ("PGSERVICE", "PGPASSFILE", "PGUSER", "PGDATABASE", "PGHOST"):
            env.pop(name, None)
        return subprocess.run(
            [str(self.bin_dir / "psql"), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
             "-h", "127.0.0.1", "-p", str(self.port), "-U", user, "-d", dbname, "-c", sql],
            capture_output=True, text=True, env=env, timeout=60, check=False,
        )  # fmt: skip


class ServerUnavailable(Exception):
    """No PostgreSQL server of a version team mode supports on this machine."""


@contextmanager
def running_server(*, durable: bool = False) -> Iterator[PgServer]:
    """A new PostgreSQL in a temporary folder, removed with its data when done. Not
    `durable` (the tests): no fsync, nothing survives a power cut. bench/team_sync.py
    starts its server this way too."""
    bin_dir = find_bin_dir()
    if bin_dir is None or not (bin_dir / "pg_ctl").exists():
        raise ServerUnavailable(
            "PostgreSQL server binaries not found (Debian: apt-get install postgresql)"
        )
    version = subprocess.run(
        [str(bin_dir / "postgres"), "--version"], capture_output=True, text=True, check=True
    ).stdout
    major = int(re.search(r"(\d+)", version).group(1))  # type: ignore[union-attr]
    if major < MIN_VERSION:
        raise ServerUnavailable(
            f"team mode needs PostgreSQL {MIN_VERSION} or newer, found {version}"
        )
    run_as = _server_user()
    folder = Path(tempfile.mkdtemp(prefix="quotedesk-pg-"))
    (folder / "socket").mkdir()
    if run_as:
        entry = pwd.getpwnam(run_as)
        for path in (folder, folder / "socket"):
            os.chown(path, entry.pw_uid, entry.pw_gid)
    server = PgServer(bin_dir, folder, _free_port(), run_as, _lan_address())
    data = folder / "data"
    subprocess.run(
        server.command(bin_dir / "initdb", "-D", data, "-U", "postgres", "-E", "UTF8",
                       "--no-locale", "--auth=trust", "--no-sync"),
        capture_output=True, check=True,
    )  # fmt: skip
    addresses = ["127.0.0.1", *([server.lan_address] if server.lan_address else [])]
    (data / "pg_hba.conf").write_text(
        HBA + "".join(f"host all all {a}/32 scram-sha-256\n" for a in addresses[1:])
    )
    for made in make_server_certificate(data, addresses):
        if run_as:
            os.chown(made, pwd.getpwnam(run_as).pw_uid, pwd.getpwnam(run_as).pw_gid)
    options = (
        f"-c listen_addresses={','.join(addresses)} -c port={server.port} -c ssl=on "
        f"-c unix_socket_directories={server.socket_dir} -c max_connections=200"
    )
    if not durable:  # a test server: nothing here must survive a power cut
        options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    server.options = options
    started = subprocess.run(
        server.command(bin_dir / "pg_ctl", "-D", data, "-l", folder / "server.log",
                       "-o", options, "-w", "-t", "60", "start"),
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if started.returncode != 0:
        log = (folder / "server.log").read_text(errors="replace")[-2000:]
        shutil.rmtree(folder, ignore_errors=True)
        raise RuntimeError(f"PostgreSQL did not start: {started.stderr}\n{log}")
    try:
        with server.admin() as conn:
            conn.execute(
                psycopg.sql.SQL("CREATE ROLE {} LOGIN CREATEROLE PASSWORD {}").format(
                    psycopg.sql.Identifier(OWNER), psycopg.sql.Literal(OWNER_PASSWORD)
                )
            )
        yield server
    finally:
        subprocess.run(
            server.command(bin_dir / "pg_ctl", "-D", data, "-m", "fast", "-w", "stop"),
            capture_output=True, check=False,
        )  # fmt: skip
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    try:
        with running_server() as server:
            yield server
    except ServerUnavailable as exc:
        pytest.skip(str(exc))


@dataclass
class TeamDb:
    """One test's database on the session's server."""

    server: PgServer
    name: str

    @property
    def owner_url(self) -> str:
        return self.server.url(self.name, OWNER, OWNER_PASSWORD)

    def url(self, user: str, password: str | None = None, host: str = "127.0.0.1") -> str:
        return self.server.url(self.name, user, password, host)

    def psql(self, user: str, password: str, sql: str) -> subprocess.CompletedProcess[str]:
        return self.server.psql(self.name, user, password, sql)

    def connect(self, user: str = OWNER, password: str = OWNER_PASSWORD) -> psycopg.Connection:
        return psycopg.connect(self.url(user, password), autocommit=True)


_numbers = itertools.count(1)


@pytest.fixture
def team_db(pg_server: PgServer) -> Iterator[TeamDb]:
    name = f"team_{os.getpid()}_{next(_numbers)}"
    with pg_server.admin() as conn:
        before = {r[0] for r in conn.execute("SELECT rolname FROM pg_roles")}
        conn.execute(f'CREATE DATABASE "{name}" OWNER "{OWNER}"')
    try:
        yield TeamDb(pg_server, name)
    finally:
        with pg_server.admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            made = [r[0] for r in conn.execute("SELECT rolname FROM pg_roles")]
            # logins before the groups they belong to
            for role in sorted(set(made) - before, key=lambda r: r.startswith("quotedesk_")):
                conn.execute(psycopg.sql.SQL("DROP ROLE {}").format(psycopg.sql.Identifier(role)))


def quotedesk(
    *args: str | Path, env: dict[str, str] | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """The `quotedesk` command as a user runs it, in its own process."""
    return subprocess.run(
        [sys.executable, "-m", "quotedesk", *map(str, args)],
        capture_output=True, text=True, env={**os.environ, **(env or {})},
        input=stdin, timeout=120, check=False,
    )  # fmt: skip


PASSWORDS = {"ana": "ana-secret", "bea": "bea-secret", "max": "max-secret", "mia": "mia-secret"}
ROLES = {"ana": "rep", "bea": "rep", "max": "manager", "mia": "manager"}


@dataclass
class Team:
    """A set-up team database: reps ana and bea, managers max and mia, each with a
    device; quotes are put there through quotedesk.team.server as a laptop would."""

    db: TeamDb
    devices: dict[str, str]

    def connect(self, login: str) -> psycopg.Connection:
        return psycopg.connect(self.db.url(login, PASSWORDS[login]))

    def psql(self, login: str, sql: str) -> subprocess.CompletedProcess[str]:
        return self.db.psql(login, PASSWORDS[login], sql)

    def new_quote(
        self,
        login: str,
        customer: str = "ACME Ltda",
        *,
        numbered: bool = True,
        discount_pct: str | None = None,
    ) -> tuple[str, str | None]:
        """A draft revision 1 owned by `login`: (quote id, number or None)."""
        from quotedesk.team.server import (
            ServerQuote,
            put_quote,
            put_revision,
            reserve_numbers,
        )

        now = datetime.now(UTC)
        quote_id = str(uuid.uuid4())
        with self.connect(login) as conn:
            seq = number = None
            if numbered:
                seq, _ = reserve_numbers(conn, self.devices[login], 1)
                number = f"QD-2026-{seq:05d}"
            put_quote(conn, ServerQuote(quote_id, customer, now, now, self.devices[login],
                                        seq, number))  # fmt: skip
            put_revision(conn, revision(quote_id, customer, discount_pct=discount_pct))
        return quote_id, number


def quote_file(customer: str, discount_pct: str | None = None) -> str:
    line: dict[str, object] = {"product": "jira", "deployment": "cloud",
                               "edition": "standard", "users": 50}  # fmt: skip
    if discount_pct is not None:
        line["discount_pct"] = discount_pct
    return json.dumps({"schema": 1, "customer": {"name": customer, "country": "BR"},
                       "lines": [line]}, ensure_ascii=False)  # fmt: skip


def revision(
    quote_id: str,
    customer: str = "ACME Ltda",
    *,
    number: int = 1,
    status: str = "draft",
    discount_pct: str | None = None,
    approver: str | None = None,
):
    from quotedesk.team.server import ServerRevision

    now = datetime.now(UTC)
    signed = status != "draft"
    return ServerRevision(
        quote_id, number, status, quote_file(customer, discount_pct), '{"total": "1000.00"}',
        "Test book", "0" * 64, now, now,
        signed_off_by="Ana Lima" if signed else None, signed_off_at=now if signed else None,
        approver=approver,
    )  # fmt: skip


@pytest.fixture
def team(team_db: TeamDb) -> Team:
    from quotedesk.team.server import add_user, init_server, register_device

    init_server(team_db.owner_url)
    devices = {}
    for login, password in PASSWORDS.items():
        add_user(team_db.owner_url, login, ROLES[login], password)
        devices[login] = str(uuid.uuid4())
        with psycopg.connect(team_db.url(login, password)) as conn:
            register_device(conn, devices[login], f"{login}'s laptop")
    return Team(team_db, devices)
