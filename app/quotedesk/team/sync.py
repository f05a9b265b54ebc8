"""Sync: a laptop's local store and its team's server, both ways (R-TEAM-1, 2, 6, 7).

Public API (used by `quotedesk team sync|status|conflicts` and the window):

- `sync(store, password=None) -> SyncReport`: one round with the server. Raises
  `TeamError` (`Unreachable` when the server cannot be reached: nothing local changed).
- `status(store, online=None) -> TeamStatus`: what the laptop knows without the server.
- `conflicts(store) -> list[Conflict]` and `resolve(store, number)`.

What a round does, in order:

1. Numbers (R-TEAM-2): tops the laptop's blocks up to `BLOCK_SIZE` unused numbers plus
   one for every quote carrying a provisional label, and gives those quotes their
   numbers. The server's reservation commits first: a laptop killed before recording it
   loses those numbers (never reused, never given twice), not a quote.
2. Push: the outbox (team_outbox, filled by the store's triggers in the transaction of
   each change, see store/schema.py) in order, `PUSH_BATCH` entries per server
   transaction. Each entry's idempotency key commits on the server with the change
   (`apply_once`); the entry leaves the outbox only after that commit, so a push cut off
   anywhere and sent again applies every change once. A batch usually goes in a few
   round trips; when something in it is refused or conflicts, it goes again one entry at
   a time. A change the server refuses by a rule (a sign-off without a manager's
   approval) stays in the outbox with the reason, retried at every sync; the others go on.
3. Conflicts (R-TEAM-6): a draft revision changed on the server since this laptop last
   saw it, and changed here too: the server's stays that revision, this laptop's becomes
   a new draft revision on top, marked with where it came from, on both sides.
4. Pull: every change this login may read since the cursors (other laptops of the same
   person, a manager's edits, the profile, price books, licence register, customers'
   languages), read in one snapshot and applied locally in one transaction, without
   going back into the outbox. A quote with a
   change still waiting here is left as it is until that change went out.
5. Approvals (R-TEAM-5): the requests on drafts this login may read, with their
   decisions, kept in the local store (store.approvals) for sign-off offline.

Another kind of outbox entry: record it with `store.team.enqueue(conn, kind, ref)` in the
transaction of the change, and push it by adding a function to `PUSHERS` (called with the
round, `ref`, and whether the server sees its key for the first time; it runs inside the
batch's server transaction and may return a local follow-up run after the commit).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import psycopg
import psycopg.rows
from psycopg import sql

from quotedesk.core.quotes.lifecycle import Status
from quotedesk.core.quotes.model import read_quote_json
from quotedesk.core.quotes.number import PROVISIONAL_YEAR, QuoteNumber, quote_label
from quotedesk.store import approvals
from quotedesk.store import rows as local_rows
from quotedesk.store.database import translate_errors, write_transaction
from quotedesk.store.errors import NotFound, StoreError
from quotedesk.store.price_books import ACTIVE as ACTIVE_PRICE_BOOK
from quotedesk.store.quotes import QuoteStore
from quotedesk.store.team import Membership, enqueue, membership, next_team_number
from quotedesk.team import approval_rows, credentials
from quotedesk.team.server import (
    BadInput,
    TeamError,
    Unreachable,
    apply_once,
    connect,
    refused,
    reserve_numbers,
)

if TYPE_CHECKING:
    from sqlite_utils import Database

BLOCK_SIZE = 20  # numbers a laptop keeps in hand for quotes made offline
PUSH_BATCH = 200  # outbox entries per server transaction
MAX_BLOCK = 1000  # the server's limit for one reservation
# Shared data a laptop keeps a copy of (R-TEAM-7), by the server table it comes from.
SHARED = ("profile", "price_books", "licences", "customer_languages")
REVISION_FIELDS = ("status", "quote_file", "priced", "price_book", "price_book_sha256",
                   "signed_off_by", "approver")  # fmt: skip


@dataclass(frozen=True)
class Conflict:
    """A draft revision kept on top of the one that reached the server first."""

    number: str
    revision: int
    origin: dict[str, Any]  # login, device, the revision it was an edit of, when found

    @property
    def label(self) -> str:
        return quote_label(self.number, self.revision)


@dataclass(frozen=True)
class Refusal:
    """A change the server refused; it stays waiting here."""

    what: str  # a quote number, a profile field, a price book
    reason: str


@dataclass
class SyncReport:
    sent: int = 0  # outbox entries the server applied
    received: int = 0  # quotes and shared rows changed here by the server's changes
    numbered: list[tuple[str, str]] = field(default_factory=list)  # (provisional, number)
    conflicts: list[Conflict] = field(default_factory=list)  # found by this round
    refused: list[Refusal] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "sent": self.sent,
            "received": self.received,
            "numbered": [{"provisional": a, "number": b} for a, b in self.numbered],
            "conflicts": [conflict_dict(c) for c in self.conflicts],
            "refused": [{"what": r.what, "reason": r.reason} for r in self.refused],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SyncReport:
        """The report `to_dict` made (`quotedesk team sync --json`), read back."""
        return cls(
            sent=data["sent"],
            received=data["received"],
            numbered=[(n["provisional"], n["number"]) for n in data["numbered"]],
            conflicts=[
                Conflict(c["number"], c["revision"], c["origin"]) for c in data["conflicts"]
            ],
            refused=[Refusal(r["what"], r["reason"]) for r in data["refused"]],
        )


@dataclass(frozen=True)
class TeamStatus:
    login: str
    role: str
    server: str
    online: bool | None  # None: not tried since start-up
    last_sync_at: datetime | None
    waiting: int  # changes not yet on the server
    refused: int  # of which the server refused (listed by `team sync`)
    numbers_left: int  # in this laptop's blocks
    provisional: int  # quotes waiting for a number
    conflicts: int
    shared_fetched_at: dict[str, datetime | None]  # R-TEAM-7: the age of each copy

    def to_dict(self) -> dict[str, Any]:
        def when(value: datetime | None) -> str | None:
            return value.isoformat() if value else None

        return {
            "login": self.login, "role": self.role, "server": self.server,
            "online": self.online, "last_sync_at": when(self.last_sync_at),
            "waiting": self.waiting, "refused": self.refused,
            "numbers_left": self.numbers_left, "provisional": self.provisional,
            "conflicts": self.conflicts,
            "shared_fetched_at": {k: when(v) for k, v in self.shared_fetched_at.items()},
        }  # fmt: skip


def member_of(store: QuoteStore) -> Membership:
    member = membership(store)
    if member is None:
        raise BadInput("this laptop is not in a team: join one with `quotedesk team join URL`")
    return member


def status(store: QuoteStore, online: bool | None = None) -> TeamStatus:
    member = member_of(store)
    conn = store.conn
    with translate_errors(store.path):
        waiting, refused_count = conn.execute(
            "SELECT count(*), count(refused) FROM team_outbox"
        ).fetchone()
        left = conn.execute("SELECT coalesce(sum(last - next + 1), 0) FROM team_number_blocks")
        provisional = conn.execute("SELECT count(*) FROM quotes WHERE year = ?", [PROVISIONAL_YEAR])
        conflict_count = conn.execute(
            "SELECT count(*) FROM team_revisions WHERE conflict IS NOT NULL"
        )
        last = conn.execute("SELECT last_sync_at FROM team_sync").fetchone()[0]
        fetched = dict(conn.execute("SELECT what, fetched_at FROM team_shared").fetchall())
        return TeamStatus(
            member.login, member.role, member.server, online, _when(last), waiting,
            refused_count, left.fetchone()[0], provisional.fetchone()[0],
            conflict_count.fetchone()[0], {what: _when(fetched.get(what)) for what in SHARED},
        )  # fmt: skip


def conflicts(store: QuoteStore) -> list[Conflict]:
    """Every revision marked as a conflict and not resolved yet, oldest quote first."""
    with translate_errors(store.path):
        found = store.conn.execute(
            "SELECT q.number, r.revision, t.conflict FROM team_revisions t "
            "JOIN revisions r ON r.id = t.revision_id JOIN quotes q ON q.id = r.quote_id "
            "WHERE t.conflict IS NOT NULL ORDER BY q.id, r.revision"
        ).fetchall()
    return [Conflict(number, revision, json.loads(origin)) for number, revision, origin in found]


def resolve(store: QuoteStore, number: str) -> list[Conflict]:
    """Someone looked at the conflicting revisions of `number` and the latest draft is
    the one to go on with: the marks are cleared here and, at the next sync, on the
    server. Returns what was resolved (nothing: NotFound)."""
    parsed = QuoteNumber.parse(number.strip())
    base = parsed.number if parsed else number.strip()
    open_ones = [c for c in conflicts(store) if c.number == base]
    if not open_ones:
        raise NotFound(f"{base} has no conflict to resolve")
    with translate_errors(store.path), write_transaction(store.db):
        store.conn.execute(
            "UPDATE team_revisions SET conflict = NULL WHERE revision_id IN ("
            "SELECT r.id FROM revisions r JOIN quotes q ON q.id = r.quote_id WHERE q.number = ?)",
            [base],
        )
        # The marks are the server's too: the quote goes out again.
        found = store.conn.execute(
            "SELECT t.uuid FROM team_quotes t JOIN quotes q ON q.id = t.quote_id "
            "WHERE q.number = ?",
            [base],
        ).fetchone()
        enqueue(store.conn, "quote", found[0])
    return open_ones


def sync(store: QuoteStore, password: str | None = None) -> SyncReport:
    """One round with the server; `password` overrides the one kept at joining."""
    member = member_of(store)
    params = credentials.connect_params(member)
    if password is not None:
        params = {"user": member.login, "password": password}
    report = SyncReport()
    with connect(member.server, **params) as conn:
        try:
            round_ = _Round(store, conn, member, report)
            round_.number()
            round_.push()
            round_.pull()
            # R-TEAM-5's decisions come home with every round, not only when the
            # Approvals view or `approvals list` asks.
            approvals.remember(store, approval_rows.on_drafts(conn))
            conn.commit()
            with _applying(store):
                store.conn.execute("UPDATE team_sync SET last_sync_at = ?", [local_rows.now()])
        except psycopg.Error as exc:
            raise refused(exc) from None
    return report


@contextmanager
def _applying(store: QuoteStore) -> Iterator[None]:
    """A local transaction writing what the server said: the outbox triggers stay quiet
    (the flag is back to 0 before the commit, so no other connection ever sees it set)."""
    with translate_errors(store.path), write_transaction(store.db):
        store.conn.execute("UPDATE team_sync SET applying = 1")
        yield
        store.conn.execute("UPDATE team_sync SET applying = 0")


class _Round:
    def __init__(
        self,
        store: QuoteStore,
        conn: psycopg.Connection[Any],
        member: Membership,
        report: SyncReport,
    ) -> None:
        self.store, self.local, self.conn = store, store.conn, conn
        self.member, self.report = member, report

    # 1. Numbers ---------------------------------------------------------------------

    def number(self) -> None:
        provisional = self.local.execute(
            "SELECT id, number, created_at FROM quotes WHERE year = ? ORDER BY prefix, seq",
            [PROVISIONAL_YEAR],
        ).fetchall()
        left = self.local.execute(
            "SELECT coalesce(sum(last - next + 1), 0) FROM team_number_blocks"
        ).fetchone()[0]
        wanted = len(provisional) + BLOCK_SIZE - left
        blocks = []
        while wanted > 0:
            with self.conn.transaction():
                blocks.append(
                    reserve_numbers(self.conn, self.member.device_id, min(wanted, MAX_BLOCK))
                )
            wanted -= blocks[-1][1] - blocks[-1][0] + 1
        if not blocks and not provisional:
            return
        prefix = self.store.profile().number_prefix
        with _applying(self.store):
            for first, last in blocks:
                self.local.execute(
                    "INSERT INTO team_number_blocks (first, last, next, reserved_at) "
                    "VALUES (?, ?, ?, ?)",
                    [first, last, first, local_rows.now()],
                )
            for quote_id, label, created_at in provisional:
                year = int(created_at[:4])
                numbered = next_team_number(self.local, prefix, year)
                if numbered is None:  # numbers passed over: the next sync numbers the rest
                    break
                number, seq = numbered
                self.local.execute(
                    "UPDATE quotes SET number = ?, prefix = ?, year = ?, seq = ? WHERE id = ?",
                    [number, prefix, year, seq, quote_id],
                )
                self.report.numbered.append((label, number))

    # 2. Push ------------------------------------------------------------------------

    def push(self) -> None:
        after = 0
        while True:
            batch = self.local.execute(
                "SELECT id, key, kind, ref FROM team_outbox WHERE id > ? ORDER BY id LIMIT ?",
                [after, PUSH_BATCH],
            ).fetchall()
            if not batch:
                return
            after = batch[-1][0]
            entries = [(key, kind, ref) for _, key, kind, ref in batch]
            try:
                refusals: list[tuple[str, str, str]] = []
                with self.conn.transaction():
                    done = self._push_together(entries)
            except (psycopg.Error, _Refused, _OneByOne) as exc:
                if isinstance(exc, psycopg.Error) and exc.sqlstate is None:
                    raise  # the connection, not a rule
                with self.conn.transaction():
                    done, refusals = self._push_one_by_one(entries)
            with _applying(self.store):
                for key, follow_up in done:
                    if follow_up is not None:
                        follow_up()
                    self.local.execute("DELETE FROM team_outbox WHERE key = ?", [key])
                for key, _, reason in refusals:
                    self.local.execute(
                        "UPDATE team_outbox SET refused = ? WHERE key = ?", [reason, key]
                    )
            self.report.sent += sum(1 for key, _ in done if key)
            self.report.refused += [Refusal(what, reason) for _, what, reason in refusals]

    def _push_together(self, entries: list[tuple[str, str, str]]) -> list[FollowUp]:
        """The usual batch (new and edited quotes, nothing refused, no conflict) in a few
        round trips: every key at once, every revision the batch touches read at once,
        the writes pipelined. Anything else raises, and the batch goes one by one."""
        fresh = {
            row[0]
            for row in self.conn.execute(
                "INSERT INTO quotedesk.applied_changes (device_id, key) "
                "SELECT %s, unnest(%s::text[]) ON CONFLICT DO NOTHING RETURNING key",
                [self.member.device_id, [key for key, _, _ in entries]],
            )
        }
        uuids = [ref for _, kind, ref in entries if kind == "quote"]
        server: dict[str, dict[int, dict[str, Any]]] = {u: {} for u in uuids}
        with self.conn.cursor(row_factory=psycopg.rows.dict_row) as cur:
            for row in cur.execute(
                f"SELECT quote_id::text AS uuid, {_SERVER_REVISION} FROM quotedesk.revisions "
                "WHERE quote_id = ANY(%s::uuid[]) FOR UPDATE",
                [uuids],
            ):
                server[row["uuid"]][row["revision"]] = row
        own: list[dict[str, Any]] = []
        others: list[dict[str, Any]] = []
        revisions: list[tuple[int, bool, dict[str, Any]]] = []
        seen: dict[int, int] = {}
        done: list[FollowUp] = []
        local = self._local_quotes(uuids)
        mine = _local_revisions(self.local, [quote["id"] for quote in local.values()])
        for key, kind, ref in entries:
            if kind != "quote":
                done.append((key, PUSHERS[kind](self, ref, key in fresh)))
                continue
            if ref not in local:
                raise _OneByOne  # where it is refused on its own
            quote = local[ref]
            plan = _plan(quote, mine[quote["id"]], server[ref], key in fresh)
            if plan.moved:
                raise _OneByOne
            seen.update(plan.seen)
            if key in fresh:
                (own if quote["owner"] == self.member.login else others).append(quote["row"])
                revisions += [(rev["id"], new, _revision_row(ref, rev, rev["revision"]))
                              for rev, new in plan.writes]  # fmt: skip
            done.append((key, None))
        with self.conn.cursor() as cur:
            # The batch's new rows in one statement each: a row at a time, parsing,
            # binding and sending them cost the laptop and the server more than the rows.
            if own:
                cur.execute(_UPSERT_QUOTES, _columns(own, _QUOTE_COLUMNS))
            cur.executemany(_UPDATE_QUOTE, others)
            added = [row for _, new, row in revisions if new]
            if added:
                cur.execute(_INSERT_REVISIONS, _columns(added, _REVISION_KEYS))
            cur.executemany(_UPDATE_REVISION, [row for _, new, row in revisions if not new])
        changes = self._change_ids([row["quote_id"] for _, _, row in revisions])
        for rev_id, _, row in revisions:
            seen[rev_id] = changes[row["quote_id"], row["revision"]]
        done.append(("", lambda: self._record_seen(seen)))  # no entry of its own
        return done

    def _push_one_by_one(
        self, entries: list[tuple[str, str, str]]
    ) -> tuple[list[FollowUp], list[tuple[str, str, str]]]:
        """Each entry in a savepoint of its own: what the server refuses is kept back
        with its reason, the others go."""
        done: list[FollowUp] = []
        refusals: list[tuple[str, str, str]] = []  # (key, what, reason)
        for key, kind, ref in entries:
            try:
                with self.conn.transaction():
                    fresh = apply_once(self.conn, self.member.device_id, key)
                    done.append((key, PUSHERS[kind](self, ref, fresh)))
            except (psycopg.Error, _Refused) as exc:
                if isinstance(exc, psycopg.Error) and exc.sqlstate is None:
                    raise  # the connection, not a rule
                reason = str(refused(exc)) if isinstance(exc, psycopg.Error) else str(exc)
                refusals.append((key, _what(self, kind, ref), reason))
        return done, refusals

    def _local_quote(self, uuid: str) -> dict[str, Any]:
        found = self._local_quotes([uuid])
        if uuid not in found:  # a quote is never deleted; a damaged store could lose one
            raise _Refused(f"quote {uuid} is no longer in this laptop's store")
        return found[uuid]

    def _local_quotes(self, uuids: list[str]) -> dict[str, dict[str, Any]]:
        """The local quotes with these server ids, read in one go, by server id."""
        found = {}
        for (
            uuid,
            quote_id,
            number,
            year,
            seq,
            customer,
            created_at,
            updated_at,
            owner,
        ) in self.local.execute(
            "SELECT t.uuid, q.id, q.number, q.year, q.seq, q.customer, q.created_at, "
            "q.updated_at, t.owner FROM quotes q JOIN team_quotes t ON t.quote_id = q.id "
            "WHERE t.uuid IN (SELECT value FROM json_each(?))",
            [json.dumps(uuids)],
        ):
            numbered = year != PROVISIONAL_YEAR
            row = {
                "id": uuid, "device": self.member.device_id, "seq": seq if numbered else None,
                "number": number if numbered else None, "customer": customer,
                "created_at": _ts(created_at), "updated_at": _ts(updated_at),
            }  # fmt: skip
            found[uuid] = {"id": quote_id, "number": number, "owner": owner, "row": row}
        return found

    def push_quote(self, uuid: str, fresh: bool) -> Callable[[], None] | None:
        """The quote row and each of its revisions the server does not have as they are
        here. `fresh` False: this very state was applied before (a push cut off after
        the server's commit); only what the laptop learns from it is recorded."""
        quote = self._local_quote(uuid)
        if fresh:
            # The owner's own upsert; anyone else's (a manager's edit) is an UPDATE: the
            # server checks an INSERT's number against the blocks of the login inserting.
            updated = self.conn.execute(_UPDATE_QUOTE, quote["row"])
            if updated.rowcount == 0:
                self.conn.execute(_UPSERT_QUOTE, quote["row"])
        with self.conn.cursor(row_factory=psycopg.rows.dict_row) as cur:
            server = {
                r["revision"]: r
                for r in cur.execute(
                    f"SELECT {_SERVER_REVISION} FROM quotedesk.revisions WHERE quote_id = %s "
                    "FOR UPDATE",
                    [uuid],
                )
            }
        plan = _plan(quote, _local_revisions(self.local, [quote["id"]])[quote["id"]], server, fresh)
        seen = dict(plan.seen)
        for rev, new in plan.writes:
            seen[rev["id"]] = self._write_revision(uuid, rev, rev["revision"], new=new)
        if not plan.moved:
            return lambda: self._record_seen(seen)
        quote_id, number = quote["id"], quote["number"]
        top = max([*server, *(r["revision"] for r in plan.mine)])
        kept = []
        for offset, rev in enumerate(plan.moved, start=1):
            origin = {
                "login": self.member.login,
                "device": self.member.device_id,
                "edit_of": rev["revision"],
                "found_at": local_rows.now(),
            }
            copy = {**rev, "conflict": json.dumps(origin, sort_keys=True)}
            change = self._write_revision(uuid, copy, top + offset, new=True)
            kept.append((copy, top + offset, change))
            self.report.conflicts.append(Conflict(number, top + offset, origin))
        theirs = [
            dict(r) for r in self.conn.cursor(row_factory=psycopg.rows.dict_row).execute(
                "SELECT * FROM quotedesk.revisions WHERE quote_id = %s AND revision <= %s "
                "ORDER BY revision", [uuid, top],
            )
        ]  # fmt: skip

        def follow_up() -> None:
            self._record_seen(seen)
            # the server's revisions first, then this laptop's edits on top of them
            _apply_revisions(self.store.db, quote_id, theirs)
            _apply_revisions(
                self.store.db,
                quote_id,
                [{**copy, "revision": n, "change_id": change} for copy, n, change in kept],
            )

        return follow_up

    def _write_revision(self, uuid: str, rev: dict[str, Any], number: int, *, new: bool) -> int:
        row = _revision_row(uuid, rev, number)
        self.conn.execute(_INSERT_REVISION if new else _UPDATE_REVISION, row)
        return self._change_ids([uuid])[uuid, number]

    def _change_ids(self, uuids: list[str]) -> dict[tuple[str, int], int]:
        """The server's change_id of every revision of these quotes, read in one go: a
        write returning it would have the server check the row's read policy (every
        quote this login sees) once per row."""
        return {
            (quote, revision): change
            for quote, revision, change in self.conn.execute(
                "SELECT quote_id::text, revision, change_id FROM quotedesk.revisions "
                "WHERE quote_id = ANY(%s::uuid[])",
                [sorted(set(uuids))],
            )
        }

    def _record_seen(self, seen: dict[int, int]) -> None:
        self.local.executemany(
            "INSERT INTO team_revisions (revision_id, server_change) VALUES (?, ?) "
            "ON CONFLICT (revision_id) DO UPDATE SET server_change = excluded.server_change",
            [(rev_id, change) for rev_id, change in seen.items()],
        )

    def push_language(self, uuid: str, fresh: bool) -> None:
        found = self.local.execute(
            "SELECT q.customer, c.language FROM team_quotes t JOIN quotes q ON q.id = t.quote_id "
            "JOIN customer_languages c ON c.quote_id = q.id WHERE t.uuid = ?",
            [uuid],
        ).fetchone()
        if fresh and found is not None and found[0]:
            self.conn.execute(
                "INSERT INTO quotedesk.customer_languages (customer, language) VALUES (%s, %s) "
                "ON CONFLICT (customer) DO UPDATE SET language = excluded.language",
                found,
            )

    def push_profile(self, key: str, fresh: bool) -> None:
        found = self.local.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        if not fresh:
            return
        if found is None:
            self.conn.execute("DELETE FROM quotedesk.profile WHERE key = %s", [key])
            return
        self.conn.execute(
            "INSERT INTO quotedesk.profile (key, value) VALUES (%s, %s) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [key, found[0]],
        )

    def push_price_book(self, sha256: str, fresh: bool) -> None:
        found = self.local.execute(
            "SELECT source, label, imported_at, row_count, csv FROM price_books WHERE sha256 = ?",
            [sha256],
        ).fetchone()
        if fresh and found is not None:
            source, label, imported_at, row_count, csv = found
            self.conn.execute(
                "INSERT INTO quotedesk.price_books (sha256, source, label, imported_at, "
                "row_count, csv) VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
                [sha256, source, label, _ts(imported_at), row_count, csv],
            )

    # 4. Pull ------------------------------------------------------------------------

    def pull(self) -> None:
        cursors = json.loads(self.local.execute("SELECT cursors FROM team_sync").fetchone()[0])
        everything = cursors.get("revisions", 0) == 0  # the first pull: all revisions come
        got = self._changes(cursors)
        touched = {r["quote_id"] for r in got["revisions"]} | {q["id"] for q in got["quotes"]}
        quotes = {q["id"]: q for q in got["quotes"]}
        revisions: dict[Any, list[dict[str, Any]]] = {}
        for rev in got["revisions"]:
            revisions.setdefault(rev["quote_id"], []).append(rev)
        known = dict(self.local.execute("SELECT uuid, quote_id FROM team_quotes").fetchall())
        # A quote new here (made on another laptop, or now visible) comes with all of it.
        missing = [q for q in touched if str(q) not in known]
        if missing and not everything:
            with self.conn.cursor(row_factory=psycopg.rows.dict_row) as cur:
                for q in cur.execute("SELECT * FROM quotedesk.quotes WHERE id = ANY(%s)",
                                     [missing]):  # fmt: skip
                    quotes[q["id"]] = q
                revisions.update({q: [] for q in missing})
                for rev in cur.execute(
                    "SELECT * FROM quotedesk.revisions WHERE quote_id = ANY(%s) "
                    "ORDER BY quote_id, revision",
                    [missing],
                ):
                    revisions[rev["quote_id"]].append(rev)
            self.conn.commit()
        waiting = {
            r[0] for r in self.local.execute("SELECT ref FROM team_outbox WHERE kind = 'quote'")
        }
        # What this laptop already has as the server has it (its own pushes come back).
        have = {
            (uuid, rev): change
            for uuid, rev, change in self.local.execute(
                "SELECT t.uuid, r.revision, v.server_change FROM team_quotes t "
                "JOIN quotes q ON q.id = t.quote_id AND q.year <> ? "
                "JOIN revisions r ON r.quote_id = q.id "
                "JOIN team_revisions v ON v.revision_id = r.id",
                [PROVISIONAL_YEAR],
            )
        }
        with _applying(self.store):
            for uuid in touched:
                if str(uuid) in waiting:
                    continue  # this laptop's change goes out first (then conflicts show)
                news = [
                    r
                    for r in revisions.get(uuid, [])
                    if have.get((str(uuid), r["revision"])) != r["change_id"]
                ]
                if (news or (str(uuid), 1) not in have) and self._apply_quote(
                    quotes.get(uuid),
                    str(uuid),
                    news if str(uuid) in known else revisions.get(uuid, []),
                ):
                    self.report.received += 1
            self._apply_shared(got)
            self.local.execute("UPDATE team_sync SET cursors = ?", [json.dumps(cursors)])
            now = local_rows.now()
            self.local.executemany(
                "INSERT INTO team_shared (what, fetched_at) VALUES (?, ?) "
                "ON CONFLICT (what) DO UPDATE SET fetched_at = excluded.fetched_at",
                [(what, now) for what in SHARED],
            )

    def _changes(self, cursors: dict[str, int]) -> dict[str, list[dict[str, Any]]]:
        """What changed in every shared table since its cursor, read as
        `team.server.changes_since` reads one table (up to the oldest transaction still
        running, so that none committing late is skipped), but all in one snapshot and a
        few round trips; moves the cursors on."""
        if self.conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
            self.conn.commit()
        tables = (*SHARED, "revisions", "quotes")
        with self.conn.cursor() as cur:
            cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            found = cur.execute("SELECT quotedesk.pull_horizon()::text").fetchone()
            assert found is not None
            horizon = int(found[0])
        reads = {t: self.conn.cursor(row_factory=psycopg.rows.dict_row) for t in tables}
        with self.conn.pipeline():
            for table, cur in reads.items():
                cur.execute(
                    sql.SQL(
                        "SELECT * FROM quotedesk.{} WHERE change_xid >= %s::text::xid8 "
                        "AND change_xid < %s::text::xid8 ORDER BY change_xid, change_id"
                    ).format(sql.Identifier(table)),
                    [cursors.get(table, 0), horizon],
                )
        got = {table: cur.fetchall() for table, cur in reads.items()}
        self.conn.commit()
        cursors.update({table: horizon for table in tables})
        return got

    def _apply_quote(
        self, quote: dict[str, Any] | None, uuid: str, revisions: list[dict[str, Any]]
    ) -> bool:
        """The server's state of one quote here; False when nothing changed."""
        row = self.local.execute(
            "SELECT q.id, q.year FROM team_quotes t JOIN quotes q ON q.id = t.quote_id "
            "WHERE t.uuid = ?",
            [uuid],
        ).fetchone()
        if row is None:
            if quote is None or quote["number"] is None or not revisions:
                return False  # provisional on its laptop: it comes once numbered
            revisions.sort(key=lambda r: r["revision"])
            latest = revisions[-1]
            prefix, year, seq = QuoteNumber(quote["number"]).parts
            # Written as it is on the server in one go: the list's summary once, from the
            # latest revision (a quote new here is most of a first pull's work).
            quote_id = local_rows.insert_quote(
                self.store.db, quote["number"], prefix, year, seq, _content(latest),
                created_at=_stamp(quote["created_at"]), updated_at=_stamp(latest["updated_at"]),
                revision=latest["revision"], status=latest["status"],
            )  # fmt: skip
            self.local.execute(
                "INSERT INTO team_quotes (quote_id, uuid, owner) VALUES (?, ?, ?)",
                [quote_id, uuid, quote["owner"]],
            )
            for rev in revisions:
                rev_id = self.local.execute(
                    "INSERT INTO revisions (quote_id, revision, status, quote_file, priced, "
                    "price_book, price_book_sha256, created_at, updated_at, signed_off_by, "
                    "signed_off_at, approver) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [quote_id, rev["revision"], rev["status"], rev["quote_file"], rev["priced"],
                     rev["price_book"], rev["price_book_sha256"], _stamp(rev["created_at"]),
                     _stamp(rev["updated_at"]), rev["signed_off_by"],
                     _text(rev["signed_off_at"]), rev["approver"]],
                ).lastrowid  # fmt: skip
                self.local.execute(
                    "INSERT INTO team_revisions (revision_id, server_change, conflict) "
                    "VALUES (?, ?, ?)",
                    [rev_id, rev["change_id"], _conflict_text(rev["conflict"])],
                )
            return True
        quote_id, year = row
        if quote is not None and quote["number"] and year == PROVISIONAL_YEAR:
            prefix, year, seq = QuoteNumber(quote["number"]).parts
            self.local.execute(
                "UPDATE quotes SET number = ?, prefix = ?, year = ?, seq = ? WHERE id = ?",
                [quote["number"], prefix, year, seq, quote_id],
            )
        revisions.sort(key=lambda r: r["revision"])
        return _apply_revisions(self.store.db, quote_id, revisions)

    def _apply_shared(self, got: dict[str, list[dict[str, Any]]]) -> None:
        for row in got["profile"]:
            self.local.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [row["key"], row["value"]],
            )
        for row in got["price_books"]:
            self.local.execute(
                "INSERT INTO price_books (sha256, source, label, imported_at, row_count, csv) "
                "SELECT ?, ?, ?, ?, ?, ? WHERE NOT EXISTS "
                "(SELECT 1 FROM price_books WHERE sha256 = ?)",
                [row["sha256"], row["source"], row["label"], _text(row["imported_at"]),
                 row["row_count"], bytes(row["csv"]), row["sha256"]],
            )  # fmt: skip
        if got["price_books"]:  # the newest published is the team's: new quotes use it
            newest = max(got["price_books"], key=lambda r: r["published_at"])
            self.local.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [ACTIVE_PRICE_BOOK, newest["sha256"]],
            )
        for row in got["licences"]:
            values = [row[c] for c in LICENCE_COLUMNS]
            values[LICENCE_COLUMNS.index("end_date")] = row["end_date"].isoformat()
            values[LICENCE_COLUMNS.index("updated_at")] = _text(row["updated_at"])
            if row["licence"]:
                self.local.execute(
                    f"INSERT INTO licences ({', '.join(LICENCE_COLUMNS)}) VALUES "
                    f"({', '.join('?' * len(values))}) ON CONFLICT (licence, product) "
                    "WHERE licence <> '' DO UPDATE SET "
                    + ", ".join(f"{c} = excluded.{c}" for c in LICENCE_COLUMNS[2:]),
                    values,
                )
        for row in got["customer_languages"]:
            self.local.execute(
                "INSERT INTO customer_languages (quote_id, language) "
                "SELECT id, ? FROM quotes WHERE customer = ? COLLATE NOCASE "
                "ON CONFLICT (quote_id) DO UPDATE SET language = excluded.language",
                [row["language"], row["customer"]],
            )
        self.report.received += sum(len(got[t]) for t in SHARED)


LICENCE_COLUMNS = (
    "licence", "product", "deployment", "edition", "billing", "users", "end_date",
    "customer", "country", "subdivision", "source", "updated_at",
)  # fmt: skip


FollowUp = tuple[str, Callable[[], None] | None]  # (outbox key, what to record locally)

_SERVER_REVISION = "revision, change_id, conflict, " + ", ".join(REVISION_FIELDS)
_UPSERT_QUOTE = (
    "INSERT INTO quotedesk.quotes (id, device_id, seq, number, customer, created_at, "
    "updated_at) VALUES (%(id)s, %(device)s, %(seq)s, %(number)s, %(customer)s, "
    "%(created_at)s, %(updated_at)s) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, "
    "number = excluded.number, customer = excluded.customer, updated_at = excluded.updated_at"
)
_UPDATE_QUOTE = (
    "UPDATE quotedesk.quotes SET seq = %(seq)s, number = %(number)s, "
    "customer = %(customer)s, updated_at = %(updated_at)s WHERE id = %(id)s"
)
_REVISION_COLUMNS = (
    "status", "quote_file", "priced", "price_book", "price_book_sha256", "created_at",
    "updated_at", "signed_off_by", "signed_off_at", "approver", "conflict",
)  # fmt: skip
_INSERT_REVISION = (
    "INSERT INTO quotedesk.revisions (quote_id, revision, "
    + ", ".join(_REVISION_COLUMNS)
    + ") VALUES (%(quote_id)s, %(revision)s, "
    + ", ".join(f"%({c})s" for c in _REVISION_COLUMNS)
    + ")"
)
# %b: the arrays go in binary; as text, escaping every quote of the JSON cost the
# laptop more than all the rest of the push.
_QUOTE_COLUMNS = ("id", "device", "seq", "number", "customer", "created_at", "updated_at")
_UPSERT_QUOTES = (
    "INSERT INTO quotedesk.quotes (id, device_id, seq, number, customer, created_at, "
    "updated_at) SELECT * FROM unnest(%b::uuid[], %b::uuid[], %b::bigint[], %b::text[], "
    "%b::text[], %b::timestamptz[], %b::timestamptz[]) ON CONFLICT (id) DO UPDATE SET "
    "seq = excluded.seq, number = excluded.number, customer = excluded.customer, "
    "updated_at = excluded.updated_at"
)
_REVISION_KEYS = ("quote_id", "revision", *_REVISION_COLUMNS)
_INSERT_REVISIONS = (
    "INSERT INTO quotedesk.revisions (quote_id, revision, "
    + ", ".join(_REVISION_COLUMNS)
    + ") SELECT * FROM unnest(%b::uuid[], %b::integer[], %b::text[], %b::text[], %b::text[], "
    "%b::text[], %b::text[], %b::timestamptz[], %b::timestamptz[], %b::text[], "
    "%b::timestamptz[], %b::text[], %b::jsonb[])"
)
_UPDATE_REVISION = (
    "UPDATE quotedesk.revisions SET "
    + ", ".join(f"{c} = %({c})s" for c in _REVISION_COLUMNS if c != "created_at")
    + " WHERE quote_id = %(quote_id)s AND revision = %(revision)s"
)


def _columns(rows: list[dict[str, Any]], keys: tuple[str, ...]) -> list[list[Any]]:
    """Rows as one list per column, for an INSERT ... SELECT FROM unnest(...)."""
    return [[row[key] for row in rows] for key in keys]


def _revision_row(uuid: str, rev: dict[str, Any], number: int) -> dict[str, Any]:
    row = {c: rev[c] for c in _REVISION_COLUMNS}
    for stamp in ("created_at", "updated_at", "signed_off_at"):
        row[stamp] = _ts(row[stamp])
    return {**row, "quote_id": uuid, "revision": number}


@dataclass
class _Plan:
    mine: list[dict[str, Any]]  # the local revisions
    seen: dict[int, int]  # local revision id -> the server's change_id, where the same
    writes: list[tuple[dict[str, Any], bool]]  # revisions to write here, True: new there
    moved: list[dict[str, Any]]  # drafts changed on the server meanwhile (R-TEAM-6)


def _plan(
    quote: dict[str, Any],
    mine: list[dict[str, Any]],
    server: dict[int, dict[str, Any]],
    fresh: bool,
) -> _Plan:
    """What pushing a quote takes: its local revisions `mine` against the server's
    (locked)."""
    plan = _Plan(mine, {}, [], [])
    for rev in plan.mine:
        there = server.get(rev["revision"])
        if there is not None and _same(rev, there):
            plan.seen[rev["id"]] = there["change_id"]
            if fresh and _conflict_text(there["conflict"]) != rev["conflict"]:
                plan.writes.append((rev, False))  # a conflict resolved (or found) here
            continue
        if not fresh:
            continue  # changed elsewhere after this state went out: the next push sees it
        if there is None or there["change_id"] == rev["server_change"]:
            plan.writes.append((rev, there is None))
        elif rev["status"] == Status.DRAFT:
            plan.moved.append(rev)
        else:
            raise _Refused(
                f"R-TEAM-6: {quote_label(quote['number'], rev['revision'])} was signed off "
                "here but changed on the server meanwhile; revise it here and sign off again"
            )
    return plan


class _OneByOne(Exception):
    """A batch that needs each entry pushed on its own (a conflict)."""


class _Refused(Exception):
    """A change this laptop will not send as it is; it waits like one the server refused."""


PUSHERS: dict[str, Callable[[_Round, str, bool], Callable[[], None] | None]] = {
    "quote": _Round.push_quote,
    "customer_language": _Round.push_language,
    "profile": _Round.push_profile,
    "price_book": _Round.push_price_book,
}


def _what(round_: _Round, kind: str, ref: str) -> str:
    if kind in ("quote", "customer_language"):
        found = round_.local.execute(
            "SELECT q.number FROM team_quotes t JOIN quotes q ON q.id = t.quote_id "
            "WHERE t.uuid = ?",
            [ref],
        ).fetchone()
        return found[0] if found else ref
    return f"{kind.replace('_', ' ')} {ref}"


def _local_revisions(local: Any, quote_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """The revisions of these local quotes, in order, by quote, read in one go."""
    cursor = local.execute(
        "SELECT r.quote_id, r.id, r.revision, r.created_at, r.updated_at, r.signed_off_at, "
        + ", ".join(f"r.{f}" for f in REVISION_FIELDS)
        + ", t.server_change, t.conflict FROM revisions r "
        "LEFT JOIN team_revisions t ON t.revision_id = r.id "
        "WHERE r.quote_id IN (SELECT value FROM json_each(?)) ORDER BY r.quote_id, r.revision",
        [json.dumps(quote_ids)],
    )
    names = [d[0] for d in cursor.description][1:]
    found: dict[int, list[dict[str, Any]]] = {quote_id: [] for quote_id in quote_ids}
    for quote_id, *row in cursor.fetchall():
        found[quote_id].append(dict(zip(names, row, strict=True)))
    return found


def _same(local: dict[str, Any], server: dict[str, Any]) -> bool:
    """The same revision as far as a laptop decides it; who approved a sign-off is the
    server's to say (R-TEAM-5)."""
    return all(local[f] == server[f] for f in REVISION_FIELDS if f != "approver")


def _apply_revisions(db: Database, quote_id: int, revisions: list[dict[str, Any]]) -> bool:
    """The server's revisions of a quote, in order, onto the local one, their text byte
    for byte. The local triggers allow only what the server's do (a draft changes, a
    status moves forward, a quote moves on to its next revision as a new draft), so each
    step goes the way they let it: a new revision arrives as a draft, then takes its
    status. False when nothing here changed."""
    changed = False
    for rev in revisions:
        here = db.execute(
            "SELECT r.id, r.status, q.revision, "
            + ", ".join(f"r.{f}" for f in REVISION_FIELDS)
            + " FROM quotes q LEFT JOIN revisions r ON r.quote_id = q.id AND r.revision = ? "
            "WHERE q.id = ?",
            [rev["revision"], quote_id],
        ).fetchone()
        rev_id, status, latest = here[0], here[1], here[2]
        same = rev_id is not None and all(
            a == rev[f] for a, f in zip(here[3:], REVISION_FIELDS, strict=True) if f != "approver"
        )
        text = [rev["quote_file"], rev["priced"], rev["price_book"], rev["price_book_sha256"]]
        if rev_id is None:
            rev_id = db.execute(
                "INSERT INTO revisions (quote_id, revision, status, quote_file, priced, "
                "price_book, price_book_sha256, created_at, updated_at) "
                "VALUES (?, ?, 'draft', ?, ?, ?, ?, ?, ?)",
                [quote_id, rev["revision"], *text, _text(rev["created_at"]),
                 _text(rev["updated_at"])],
            ).lastrowid  # fmt: skip
            status = Status.DRAFT
            if rev["revision"] == latest + 1:
                db.execute(
                    "UPDATE quotes SET revision = ?, status = 'draft' WHERE id = ?",
                    [rev["revision"], quote_id],
                )
                latest = rev["revision"]
        elif status == Status.DRAFT and not same:
            db.execute(
                "UPDATE revisions SET quote_file = ?, priced = ?, price_book = ?, "
                "price_book_sha256 = ?, updated_at = ? WHERE id = ?",
                [*text, _text(rev["updated_at"]), rev_id],
            )
        if latest == rev["revision"] and status == Status.DRAFT and not same:
            local_rows.update_summary(
                db, quote_id, rev["revision"], Status.DRAFT, _text(rev["updated_at"]) or "",
                _content(rev),
            )  # fmt: skip
        # signed off there, then perhaps further
        if status == Status.DRAFT and rev["status"] != Status.DRAFT:
            db.execute(
                "UPDATE revisions SET status = 'signed_off', signed_off_by = ?, "
                "signed_off_at = ?, approver = ? WHERE id = ?",
                [rev["signed_off_by"], _text(rev["signed_off_at"]), rev["approver"], rev_id],
            )
            status = Status.SIGNED_OFF
        if rev["status"] != status:
            db.execute("UPDATE revisions SET status = ? WHERE id = ?", [rev["status"], rev_id])
        if latest == rev["revision"] and rev["status"] != here[1]:
            db.execute("UPDATE quotes SET status = ? WHERE id = ?", [rev["status"], quote_id])
        db.execute(
            "INSERT INTO team_revisions (revision_id, server_change, conflict) VALUES (?, ?, ?) "
            "ON CONFLICT (revision_id) DO UPDATE SET server_change = excluded.server_change, "
            "conflict = excluded.conflict",
            [rev_id, rev["change_id"], _conflict_text(rev.get("conflict"))],
        )
        changed = changed or not same
    return changed


def _content(rev: dict[str, Any]) -> dict[str, Any]:
    return {
        "quote_file": read_quote_json(rev["quote_file"]),
        "priced": json.loads(rev["priced"]),
        "price_book": rev["price_book"],
        "price_book_sha256": rev["price_book_sha256"],
    }


def _conflict_text(value: Any) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else json.dumps(value, sort_keys=True)


def conflict_dict(c: Conflict) -> dict[str, Any]:
    return {"number": c.number, "revision": c.revision, "label": c.label, "origin": c.origin}


def _ts(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def _text(value: datetime | str | None) -> str | None:
    """A server time as the local store writes its own (a local text stays as it is)."""
    if value is None or isinstance(value, str):
        return value
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def _stamp(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def _when(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


__all__ = [
    "BLOCK_SIZE", "Conflict", "Refusal", "StoreError", "SyncReport", "TeamError",
    "TeamStatus", "Unreachable", "conflict_dict", "conflicts", "resolve", "status", "sync",
]  # fmt: skip
