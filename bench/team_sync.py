"""Team sync under load: 30 laptops (each its own process and SQLite store, each rep its
own login) make 100 new quotes and sign off 10 while offline, then all sync at once
against one PostgreSQL on this machine (started as the team tests start theirs, but
with fsync on). Then a fresh laptop of a manager pulls 10,000 quotes.

Reports: every number unique and gap-free within each block, nothing lost (count and
checksum of every revision on each laptop and on the server), p50/p95 of the sync
times, and the fresh pull's time. Targets: p95 ≤ 2 s; the fresh pull ≤ 10 s.
Run: .venv/bin/python bench/team_sync.py [--laptops 30] [--quotes 100] [--sign-offs 10]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the tests' PostgreSQL starter

import psycopg  # noqa: E402
from tests.team.conftest import OWNER, OWNER_PASSWORD, running_server  # noqa: E402

from quotedesk.core import load_price_book, load_rules, parse_quote, price  # noqa: E402
from quotedesk.core.io.resources import sample_price_book_path  # noqa: E402
from quotedesk.store import open_store  # noqa: E402
from quotedesk.store import team as local_team  # noqa: E402
from quotedesk.store.rows import now  # noqa: E402
from quotedesk.team.server import (  # noqa: E402
    add_user,
    connect,
    init_server,
    register_device,
    reserve_numbers,
    team_id,
)
from quotedesk.team.sync import sync  # noqa: E402

PASSWORD = "bench-secret"
DB = "team_bench"
FRESH_PULL = 10_000
TODAY = date(2026, 11, 23)


def revision_sums(rows: list[tuple[Any, ...]]) -> tuple[int, str]:
    """(count, sha256) of (number, revision, status, quote_file, priced) rows, in order."""
    digest = hashlib.sha256()
    for row in sorted(rows):
        digest.update(json.dumps(list(row)).encode())
    return len(rows), digest.hexdigest()


def join(db: Path, url: str, login: str, role: str) -> None:
    """What `quotedesk team join` records, with the password handed to sync instead."""
    device = str(uuid.uuid4())
    with connect(url, user=login, password=PASSWORD) as conn:
        team = team_id(conn)
        register_device(conn, device, f"{login}'s laptop")
    assert team is not None
    with open_store(db) as store:
        local_team.remember(
            store, local_team.Membership(team, url, login, role, device, "passfile", now())
        )


def worker(db: Path, url: str, login: str, quotes: int, sign_offs: int) -> None:
    """One laptop: join, sync once (its first block), work offline, say "ready", wait for
    "go" on stdin, sync, print the time taken."""
    join(db, url, login, "rep")
    with open_store(db) as store:
        sync(store, password=PASSWORD)
        book, rules = load_price_book(sample_price_book_path()), load_rules()
        made = []
        for n in range(quotes):
            data = {
                "schema": 1, "quote_date": "2026-11-20",
                "customer": {"name": f"{login} customer {n}", "country": "BR"},
                "lines": [{"product": "jira", "deployment": "cloud", "edition": "standard",
                           "billing": "annual", "users": 10 + n}],
            }  # fmt: skip
            quote = parse_quote(data)
            made.append(store.add_quote(quote, price(quote, book, rules, TODAY), book).number)
        for number in made[:sign_offs]:  # the first ones had numbers from the block
            store.sign_off(number, by=login)
    print("ready", flush=True)
    sys.stdin.readline()
    started = time.perf_counter()
    with open_store(db) as store:
        report = sync(store, password=PASSWORD)
    print(json.dumps({"seconds": time.perf_counter() - started, "sent": report.sent,
                      "numbered": len(report.numbered)}), flush=True)  # fmt: skip


def laptop_revisions(db: Path) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            "SELECT q.number, r.revision, r.status, r.quote_file, r.priced FROM quotes q "
            "JOIN revisions r ON r.quote_id = q.id"
        ).fetchall()
    finally:
        conn.close()


def server_revisions(conn: psycopg.Connection[Any], owner: str) -> list[tuple[Any, ...]]:
    return conn.execute(
        "SELECT q.number, r.revision, r.status, r.quote_file, r.priced FROM quotedesk.quotes q "
        "JOIN quotedesk.revisions r ON r.quote_id = q.id WHERE q.owner = %s",
        [owner],
    ).fetchall()


def check_blocks(conn: psycopg.Connection[Any]) -> tuple[int, int, list[str]]:
    """(blocks, numbers used, problems): within each block the numbers used are its first
    ones, with no gap; no number twice."""
    problems = []
    blocks = conn.execute(
        "SELECT b.first_number, b.last_number, array_remove(array_agg(q.seq ORDER BY q.seq), "
        "NULL) FROM quotedesk.number_blocks b LEFT JOIN quotedesk.quotes q "
        "ON q.seq BETWEEN b.first_number AND b.last_number GROUP BY 1, 2 ORDER BY 1"
    ).fetchall()
    used = 0
    for first, last, seqs in blocks:
        used += len(seqs)
        if seqs != list(range(first, first + len(seqs))):
            problems.append(f"block {first}-{last} has gaps: {seqs}")
    total, distinct = conn.execute(
        "SELECT count(seq), count(DISTINCT seq) FROM quotedesk.quotes"
    ).fetchone() or (0, 0)
    if total != distinct:
        problems.append(f"{total - distinct} numbers given twice")
    return len(blocks), used, problems


def fill_server(url: str, owner_url: str, to: int) -> None:
    """Quotes of one more rep straight onto the server (as a laptop's push writes them)
    until it holds `to` quotes, for the fresh laptop's pull."""
    with psycopg.connect(owner_url) as conn:
        have = conn.execute("SELECT count(*) FROM quotedesk.quotes").fetchone()
        wanted = to - (have[0] if have else 0)
        sample = conn.execute(
            "SELECT quote_file, priced, price_book, price_book_sha256 FROM quotedesk.revisions "
            "WHERE status = 'draft' LIMIT 1"
        ).fetchone()
    device = str(uuid.uuid4())
    with psycopg.connect(url, user="bulk", password=PASSWORD) as conn:
        register_device(conn, device, "bulk")
        conn.commit()
        while wanted > 0:
            first, last = reserve_numbers(conn, device, min(wanted, 1000))
            quotes = [(str(uuid.uuid4()), seq) for seq in range(first, last + 1)]
            with conn.cursor() as cur:
                cur.executemany(
                    "INSERT INTO quotedesk.quotes (id, device_id, seq, number, customer, "
                    "created_at, updated_at) VALUES (%s, %s, %s, %s, %s, now(), now())",
                    [(q, device, seq, f"QD-2026-{seq:05d}", f"Bulk {seq}") for q, seq in quotes],
                )
                cur.executemany(
                    "INSERT INTO quotedesk.revisions (quote_id, revision, status, quote_file, "
                    "priced, price_book, price_book_sha256, created_at, updated_at) "
                    "VALUES (%s, 1, 'draft', %s, %s, %s, %s, now(), now())",
                    [(q, *sample) for q, _ in quotes],
                )
            conn.commit()
            wanted -= len(quotes)


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--laptops", type=int, default=30)
    parser.add_argument("--quotes", type=int, default=100)
    parser.add_argument("--sign-offs", type=int, default=10)
    parser.add_argument("--worker", nargs=3, metavar=("DB", "URL", "LOGIN"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        db, url, login = args.worker
        worker(Path(db), url, login, args.quotes, args.sign_offs)
        return

    with running_server(durable=True) as server, tempfile.TemporaryDirectory() as tmp:
        with server.admin() as admin:
            admin.execute(f'CREATE DATABASE "{DB}" OWNER "{OWNER}"')
        url = f"postgresql://127.0.0.1:{server.port}/{DB}"
        owner_url = server.url(DB, OWNER, OWNER_PASSWORD)
        init_server(owner_url)
        logins = [f"rep{n:02d}" for n in range(1, args.laptops + 1)]
        for login in [*logins, "bulk"]:
            add_user(owner_url, login, "rep", PASSWORD)
        add_user(owner_url, "boss", "manager", PASSWORD)

        workers = []
        for login in logins:
            db = str(Path(tmp) / f"{login}.db")
            command = [sys.executable, __file__, "--worker", db, url, login, "--quotes",
                       str(args.quotes), "--sign-offs", str(args.sign_offs)]  # fmt: skip
            workers.append(
                subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
            )
        started = time.perf_counter()
        for process in workers:
            assert process.stdout is not None and process.stdout.readline() == "ready\n"
        took = time.perf_counter() - started
        print(f"{args.laptops} laptops made {args.quotes} quotes and signed off "
              f"{args.sign_offs} each, offline ({took:.0f} s)")  # fmt: skip
        for process in workers:  # all at once
            assert process.stdin is not None
            process.stdin.write("go\n")
            process.stdin.flush()
        results = []
        for process in workers:
            out, _ = process.communicate(timeout=600)
            results.append(json.loads(out.strip().splitlines()[-1]))
        times = [r["seconds"] for r in results]
        print(f"sync of all {args.laptops} at once: p50 {statistics.median(times):.2f} s, "
              f"p95 {percentile(times, 95):.2f} s, max {max(times):.2f} s "
              f"(target p95 <= 2 s); {sum(r['sent'] for r in results)} changes sent, "
              f"{sum(r['numbered'] for r in results)} provisional quotes numbered")  # fmt: skip

        with psycopg.connect(owner_url) as conn:
            blocks, used, problems = check_blocks(conn)
            print(f"numbers: {used} used from {blocks} blocks, unique and gap-free in each "
                  "block" if not problems else "numbers: " + "; ".join(problems))  # fmt: skip
            lost = []
            for login in logins:
                here = revision_sums(laptop_revisions(Path(tmp) / f"{login}.db"))
                there = revision_sums(server_revisions(conn, login))
                if here != there:
                    lost.append(f"{login}: laptop {here[0]} revisions, server {there[0]}")
            count = conn.execute("SELECT count(*) FROM quotedesk.revisions").fetchone()
            signed = conn.execute(
                "SELECT count(*) FROM quotedesk.revisions WHERE status = 'signed_off'"
            ).fetchone()
        print(f"revisions on the server: {count[0] if count else 0} "
              f"({signed[0] if signed else 0} signed off); "
              + ("every laptop's count and checksum match the server's" if not lost
                 else "MISMATCH: " + "; ".join(lost)))  # fmt: skip

        fill_server(url, owner_url, FRESH_PULL)
        fresh = Path(tmp) / "fresh.db"
        join(fresh, url, "boss", "manager")
        started = time.perf_counter()
        with open_store(fresh) as store:
            report = sync(store, password=PASSWORD)
        seconds = time.perf_counter() - started
        pulled = sqlite3.connect(fresh).execute("SELECT count(*) FROM quotes").fetchone()[0]
        print(f"fresh laptop pulled {pulled} quotes ({report.received} changes) in "
              f"{seconds:.2f} s (target <= 10 s)")  # fmt: skip
        if problems or lost or pulled < FRESH_PULL:
            sys.exit(1)


if __name__ == "__main__":
    os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    main()
