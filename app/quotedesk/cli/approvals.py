"""`quotedesk approvals list [--json] | request NUMBER | approve NUMBER [--comment TEXT] |
reject NUMBER --comment TEXT` (R-TEAM-5), on the team server this laptop joined. What
the server answers is kept in the local store, so an approved draft is signed off
offline. Exit 0 done, 1 refused (by the server, a permission or a rule), 2 bad input,
not in a team, or the server unreachable (one line; nothing local is changed).

Loaded only for `quotedesk approvals`; it brings psycopg along."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import datetime
from typing import Any

from quotedesk.cli import EXIT_OK, EXIT_RULE, UsageError, add_db_option, say
from quotedesk.core.problems import Refused
from quotedesk.store import QuoteStore, open_store
from quotedesk.store import team as local_team
from quotedesk.store.approvals import Approval
from quotedesk.store.errors import DatabaseBusy, StoreError
from quotedesk.team import approvals
from quotedesk.team.server import TeamError


def add_arguments(a: argparse.ArgumentParser) -> None:
    sub = a.add_subparsers(dest="approvals_command", required=True)
    listed = sub.add_parser(
        "list", help="a manager: the requests waiting; a rep: their own, with decisions"
    )
    listed.add_argument("--json", action="store_true", help="print JSON")
    request = sub.add_parser("request", help="ask a manager to approve a quote's draft")
    approve = sub.add_parser("approve", help="approve the request on a quote (manager)")
    reject = sub.add_parser("reject", help="reject the request on a quote, saying why (manager)")
    for cmd in (request, approve, reject):
        cmd.add_argument("number", help="the quote number")
    for cmd in (request, approve):
        cmd.add_argument("--comment", help="a note for the manager or the rep")
    reject.add_argument("--comment", required=True, help="why it is rejected")
    for cmd in (listed, request, approve, reject):
        add_db_option(cmd)


def run(args: argparse.Namespace) -> int:
    commands: dict[str, Callable[[QuoteStore, argparse.Namespace], int]] = {
        "list": _list, "request": _request, "approve": _decide, "reject": _decide,
    }  # fmt: skip
    name = f"quotedesk approvals {args.approvals_command}"
    try:
        with open_store(args.db) as store:
            return commands[args.approvals_command](store, args)
    except TeamError as exc:
        print(f"{name}: {exc}", file=sys.stderr)
        return exc.exit_code
    except (Refused, DatabaseBusy) as exc:
        print(f"{name}: refused: {exc}", file=sys.stderr)
        return EXIT_RULE
    except StoreError as exc:
        raise UsageError(str(exc)) from None


def _member(store: QuoteStore) -> local_team.Membership:
    member = local_team.membership(store)
    if member is None:
        raise UsageError(
            "this laptop is not in a team: join one with `quotedesk team join URL --user NAME`"
        )
    return member


def _list(store: QuoteStore, args: argparse.Namespace) -> int:
    _member(store)
    found = approvals.fetch_requests(store)
    if args.json:
        say(json.dumps([_as_json(a) for a in found], indent=2, ensure_ascii=False))
    elif found:
        say("\n".join(_line(a) for a in found))
    else:
        say("no approval requests")
    return EXIT_OK


def _request(store: QuoteStore, args: argparse.Namespace) -> int:
    _member(store)
    made = approvals.send_request(store, args.number, args.comment or "")
    say(f"asked for approval of {made.label} (request {made.id})")
    return EXIT_OK


def _decide(store: QuoteStore, args: argparse.Namespace) -> int:
    _member(store)
    decision = "approved" if args.approvals_command == "approve" else "rejected"
    decided = approvals.send_decision(store, args.number, decision, args.comment)
    say(_line(decided))
    return EXIT_OK


def _line(a: Approval) -> str:
    asked = f"{a.label}  {a.customer}  asked by {a.requested_by} {_when(a.requested_at)}"
    if a.request_comment:
        asked += f": {a.request_comment}"
    if a.decision is None or a.decided_at is None:
        return f"{asked}  [pending]"
    decided = f"{a.decision} by {a.decided_by} {_when(a.decided_at)}"
    return f"{asked}  [{decided}{': ' + a.decision_comment if a.decision_comment else ''}]"


def _when(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def _as_json(a: Approval) -> dict[str, Any]:
    return {
        "id": a.id, "number": a.number, "revision": a.revision, "customer": a.customer,
        "owner": a.owner, "requested_by": a.requested_by,
        "requested_at": a.requested_at.isoformat(), "request_comment": a.request_comment,
        "decision": a.decision, "decided_by": a.decided_by,
        "decided_at": a.decided_at.isoformat() if a.decided_at else None,
        "decision_comment": a.decision_comment, "content_sha256": a.content_sha256,
    }  # fmt: skip
