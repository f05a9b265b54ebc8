"""`quotedesk team init URL | add-user NAME --role rep|manager | join URL --user NAME |
leave | sync | status | conflicts [--resolve NUMBER]`: the team's server set up by its
owner, a laptop joining it and syncing with it. Exit 0 done, 1 refused (by the server, a
permission or a rule), 2 bad input or server unreachable.

This module is loaded only for `quotedesk team`; it brings psycopg and keyring along."""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import os
import socket
import sys
import uuid
from collections.abc import Callable
from typing import Any

import psycopg

from quotedesk.cli import EXIT_OK, UsageError, add_db_option, say
from quotedesk.cli.inputs import read_secret
from quotedesk.store import open_store
from quotedesk.store import team as local_team
from quotedesk.store.errors import StoreError
from quotedesk.store.rows import now
from quotedesk.team import credentials
from quotedesk.team import sync as team_sync
from quotedesk.team.server import (
    Server,
    TeamError,
    add_user,
    connect,
    init_server,
    member_role,
    parse_conninfo,
    plain_text_warning,
    refused,
    register_device,
    team_id,
)

PASSWORD_ENV = "QUOTEDESK_TEAM_PASSWORD"


def add_arguments(t: argparse.ArgumentParser) -> None:
    ts = t.add_subparsers(dest="team_command", required=True)
    url_help = "the team database: postgresql://host/db, or key=value such as service=name"
    init = ts.add_parser("init", help="create or migrate the team schema and roles (owner)")
    init.add_argument("url", help=url_help + " (logging in as the database's owner)")
    add = ts.add_parser("add-user", help="add a person's login to the team (owner)")
    add.add_argument("name", help="their login name")
    add.add_argument("--role", required=True, choices=("rep", "manager"), help="their role")
    add.add_argument(
        "--url",
        default="",
        help=url_help + ", logging in as the database's "
        "owner (default: libpq's environment, as psql: PGSERVICE, PGHOST, ...)",
    )
    join = ts.add_parser("join", help="join this laptop to the team")
    join.add_argument("url", help=url_help)
    join.add_argument("--user", required=True, help="your login on the team server")
    for cmd in (add, join):
        cmd.add_argument("--password-file", help="file holding the password (default: "
                         "QUOTEDESK_TEAM_PASSWORD, else asked)")  # fmt: skip
    leave = ts.add_parser("leave", help="forget the team and its password on this laptop")
    sync = ts.add_parser("sync", help="send this laptop's changes, number its quotes, "
                         "fetch the team's")  # fmt: skip
    status = ts.add_parser("status", help="changes waiting, numbers left, last sync")
    conflicts = ts.add_parser("conflicts", help="drafts changed in two places (R-TEAM-6)")
    for cmd in (sync, status, conflicts):
        cmd.add_argument("--json", action="store_true", help="print JSON")
    sync.add_argument("--background", action="store_true",
                      help="run at a low CPU priority (the window's syncs do)")  # fmt: skip
    conflicts.add_argument(
        "--resolve", metavar="NUMBER",
        help="the quote's latest draft is the one to go on with: clear its conflict marks",
    )  # fmt: skip
    for cmd in (init, add, join, leave, sync, status, conflicts):
        add_db_option(cmd)


def run(args: argparse.Namespace) -> int:
    # A connection lost mid-sync is told in one line below; psycopg would add a warning
    # of its own about the pipeline it could not finish.
    logging.getLogger("psycopg").setLevel(logging.ERROR)
    commands: dict[str, Callable[[argparse.Namespace], int]] = {
        "init": _init, "add-user": _add_user, "join": _join, "leave": _leave,
        "sync": _sync, "status": _status, "conflicts": _conflicts,
    }  # fmt: skip
    try:
        return commands[args.team_command](args)
    except TeamError as exc:
        print(f"quotedesk team {args.team_command}: {exc}", file=sys.stderr)
        return exc.exit_code
    except StoreError as exc:
        raise UsageError(str(exc)) from None


def _init(args: argparse.Namespace) -> int:
    done = init_server(args.url)
    if done.applied:
        say(f"team database {done.database}: applied {', '.join(done.applied)}")
    else:
        say(f"team database {done.database} is up to date")
    return EXIT_OK


def _add_user(args: argparse.Namespace) -> int:
    password = _password(args, confirm=True)
    add_user(args.url, args.name, args.role, password)
    say(f"added {args.name} as a {args.role}; they join with: "
        f"quotedesk team join URL --user {args.name}")  # fmt: skip
    return EXIT_OK


def _join(args: argparse.Namespace) -> int:
    server = Server.parse(args.url)
    password = _password(args, confirm=False, in_url=parse_conninfo(args.url).get("password"))
    with open_store(args.db) as store:
        current = local_team.membership(store)
        device_id = current.device_id if current else str(uuid.uuid4())
        with connect(args.url, user=args.user, password=password) as conn:
            try:
                team = _team_of(conn, args.user, current)
                role = member_role(conn)
                if role is None:
                    raise TeamError(
                        f"{args.user} is not in the team: the owner adds them with "
                        "`quotedesk team add-user`"
                    )
                register_device(conn, device_id, socket.gethostname())
                conn.commit()
            except psycopg.Error as exc:
                raise refused(exc) from None
            warning = plain_text_warning(conn)
            host, port, dbname = conn.info.host, conn.info.port, conn.info.dbname
        if warning:
            print(f"quotedesk team join: {warning}", file=sys.stderr)
        if current:  # joining again, e.g. with TLS now: the new password replaces the old
            credentials.forget_password(current)
        member = local_team.Membership(
            team, server.conninfo, args.user, role, device_id, "keyring", now()
        )
        member = credentials.save_password(member, password, host=host, port=port, dbname=dbname)
        local_team.remember(store, member)
    say(f"joined the team database {dbname} on {host} as {args.user} ({role}); "
        f"this laptop is device {device_id}")  # fmt: skip
    if member.password_in == "keyring":
        say("the password is kept in the system keyring")
    else:
        say(f"no system keyring here: the password is kept in "
            f"{credentials.passfile_path(device_id)}, readable only by you")  # fmt: skip
    return EXIT_OK


def _team_of(
    conn: psycopg.Connection[Any], login: str, current: local_team.Membership | None
) -> str:
    """The team's id; a laptop in a team joins again only that team, as the same person
    (its quotes are theirs)."""
    team = team_id(conn)
    if team is None:
        raise TeamError(
            "this database has no Quote Desk team: its owner runs `quotedesk team init` first"
        )
    if current and (current.team_id, current.login) != (team, login):
        raise TeamError(
            f"this laptop is in the team at {current.server} as {current.login}; "
            "run `quotedesk team leave` first"
        )
    return team


def _leave(args: argparse.Namespace) -> int:
    with open_store(args.db) as store:
        current = local_team.membership(store)
        if current is None:
            say("this laptop is not in a team")
            return EXIT_OK
        credentials.forget_password(current)
        local_team.forget(store)
    say(f"left the team at {current.server}; the quotes stay in this laptop's store")
    return EXIT_OK


def _sync(args: argparse.Namespace) -> int:
    if args.background:
        _lower_priority()
    with open_store(args.db) as store:
        report = team_sync.sync(store)
    if args.json:
        print(json.dumps(report.to_dict(), indent=2))
        return EXIT_OK
    say(f"sent {report.sent}, received {report.received}, numbered {len(report.numbered)}, "
        f"conflicts {len(report.conflicts)}")  # fmt: skip
    for provisional, number in report.numbered:
        say(f"numbered {provisional} as {number}")
    for conflict in report.conflicts:
        say(f"conflict: {conflict.label} is this laptop's edit of revision "
            f"{conflict.origin['edit_of']}, kept on top of the server's")  # fmt: skip
    for refusal in report.refused:
        say(f"refused, still waiting: {refusal.what}: {refusal.reason}")
    return EXIT_OK


def _lower_priority() -> None:
    """The window's sync gives way to the window on a busy machine: a sync a few seconds
    longer goes unnoticed, an edit that repaints late does not."""
    if sys.platform == "win32":
        import ctypes

        kernel32 = ctypes.windll.kernel32
        kernel32.SetPriorityClass(kernel32.GetCurrentProcess(), 0x4000)  # BELOW_NORMAL
    else:
        os.nice(10)


def _status(args: argparse.Namespace) -> int:
    with open_store(args.db) as store:
        current = team_sync.status(store)
    if args.json:
        print(json.dumps(current.to_dict(), indent=2))
        return EXIT_OK
    last = current.last_sync_at.isoformat(timespec="seconds") if current.last_sync_at else "never"
    say(f"{current.login} ({current.role}) on {current.server}")
    say(f"last sync: {last}")
    say(f"changes waiting: {current.waiting}" + (
        f" ({current.refused} refused by the server)" if current.refused else ""))  # fmt: skip
    say(f"numbers left in this laptop's block: {current.numbers_left}")
    if current.provisional:
        say(f"quotes waiting for a number: {current.provisional}")
    say(f"conflicts: {current.conflicts}")
    for what, fetched in current.shared_fetched_at.items():
        shown = fetched.isoformat(timespec="seconds") if fetched else "never"
        say(f"{what.replace('_', ' ')} fetched: {shown}")
    return EXIT_OK


def _conflicts(args: argparse.Namespace) -> int:
    with open_store(args.db) as store:
        if args.resolve:
            for conflict in team_sync.resolve(store, args.resolve):
                say(f"resolved {conflict.label}")
            return EXIT_OK
        found = team_sync.conflicts(store)
    if args.json:
        print(json.dumps([team_sync.conflict_dict(c) for c in found], indent=2))
        return EXIT_OK
    for conflict in found:
        origin = conflict.origin
        say(f"{conflict.label}: {origin['login']}'s edit of revision {origin['edit_of']} on "
            f"device {origin['device']}, found {origin['found_at']}")  # fmt: skip
    if not found:
        say("no conflicts")
    return EXIT_OK


def _password(args: argparse.Namespace, *, confirm: bool, in_url: str | None = None) -> str:
    """--password-file, else the one in the URL, else $QUOTEDESK_TEAM_PASSWORD, else asked
    at the terminal."""
    if args.password_file:
        return read_secret(args.password_file, "a password file")
    if in_url:
        return in_url
    if os.environ.get(PASSWORD_ENV):
        return os.environ[PASSWORD_ENV]
    if not sys.stdin.isatty():
        raise UsageError(
            f"no password: give --password-file F, set {PASSWORD_ENV}, or run in a terminal"
        )
    password = getpass.getpass(f"password for {args.name if confirm else args.user}: ")
    if confirm and getpass.getpass("the same password again: ") != password:
        raise UsageError("the two passwords differ")
    return password
