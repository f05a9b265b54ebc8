"""Quote store speed on a database of 100,000 quotes: open it, list the first
page (newest 50), full-text search for a customer, save one revision (save_draft +
sign_off). Medians of several runs.

Targets: first page ≤ 100 ms, search ≤ 50 ms, save ≤ 20 ms.
Run: .venv/bin/python bench/store.py [--quotes N] [--db PATH (kept for inspection)]
"""

from __future__ import annotations

import argparse
import functools
import itertools
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from quotedesk.core import load_price_book, load_rules, parse_quote, price
from quotedesk.core.io.resources import sample_price_book_path
from quotedesk.core.quotes.lifecycle import Status
from quotedesk.store import open_store
from quotedesk.store import rows as store_rows
from quotedesk.store.database import write_transaction

# A few realistic quote shapes; each stored quote is one of them for another customer.
SHAPES: list[list[dict[str, Any]]] = [
    [{"product": "jira", "deployment": "cloud", "edition": "standard", "billing": "annual",
      "users": 180}],
    [{"product": "jira", "deployment": "cloud", "edition": "premium", "billing": "annual",
      "users": 500, "discount_pct": "5"},
     {"product": "confluence", "deployment": "cloud", "edition": "premium", "billing": "annual",
      "users": 500}],
    [{"product": "confluence", "deployment": "cloud", "edition": "standard",
      "billing": "monthly", "users": 40, "additions": [{"date": "2026-12-10", "users": 5}]}],
    [{"product": "jira", "deployment": "datacenter", "users": 2000, "months": 24},
     {"product": "app:com.example.timesheets", "deployment": "datacenter", "parent": 0},
     {"custom": "Onboarding workshop", "quantity": 1, "unit_price": "1500.00"}],
    [{"product": "jsm", "deployment": "cloud", "edition": "standard", "billing": "annual",
      "users": 25, "months": 24}],
]  # fmt: skip
FIRST = ["Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Tyrell", "Cyberdyne",
         "Soylent", "Hooli", "Vandelay", "Wonka", "Oscorp", "Gringotts", "Monarch", "Aperture",
         "Massive", "Dunder", "Pied", "Nakatomi"]  # fmt: skip
SECOND = ["Logistics", "Bank", "Health", "Foods", "Energy", "Motors", "Media", "Labs",
          "Retail", "Insurance", "Telecom", "Airlines", "Mining", "Pharma", "Software",
          "Consulting", "Realty", "Textiles", "Shipping", "Capital"]  # fmt: skip
COUNTRIES = ["BR", "US", "AU", "JP", "DE", "IN", "GB", "CA"]


def build(path: Path, count: int) -> str:
    """Fill the database in one transaction with executemany; returns a customer to search."""
    rng = random.Random(42)
    book = load_price_book(sample_price_book_path())
    rules = load_rules()
    cities = ["São Paulo", "Austin", "Sydney", "Osaka", "Berlin", "Pune", "Leeds", "Québec"]
    customers = [
        f"{a} {b} {city}" for a, b, city in itertools.product(FIRST, SECOND, cities)
    ]  # 3,200 distinct names, ~30 quotes each
    shapes = []
    for lines in SHAPES:
        quote = parse_quote({"schema": 1, "quote_date": "2026-11-20", "lines": lines})
        shapes.append(
            store_rows.content(quote, price(quote, book, rules, date(2026, 11, 20)), book)
        )
    start = date(2025, 1, 1)
    quote_rows, revision_rows = [], []
    for n in range(1, count + 1):
        content = dict(rng.choice(shapes))
        customer = rng.choice(customers)
        content["quote_file"] = {
            **content["quote_file"],
            "customer": {"name": customer, "country": rng.choice(COUNTRIES)},
            "notes": f"follow-up with {customer.split()[0]} procurement",
        }
        when = start + timedelta(days=n * 700 // count)
        stamp = f"{when.isoformat()}T10:00:00.{n % 1_000_000:06d}+00:00"
        quote_rows.append(
            {
                **store_rows.summary(content),
                "id": n,
                "number": f"QD-{when.year}-{n:05d}",
                "year": when.year,
                "seq": n,
                "quote_date": when.isoformat(),
                "valid_until": (when + timedelta(days=30)).isoformat(),
                "stamp": stamp,
                "status": Status.SIGNED_OFF if n % 3 else Status.DRAFT,
            }
        )
        revision_rows.append(
            {
                **store_rows.revision_content(content),
                "quote_id": n,
                "status": Status.SIGNED_OFF if n % 3 else Status.DRAFT,
                "stamp": stamp,
                "by": "Ana" if n % 3 else None,
            }
        )
    with open_store(path) as store, write_transaction(store.db):
        store.db.conn.executemany(
            "INSERT INTO quotes (id, number, prefix, year, seq, created_at, revision, status, "
            "customer, currency, total_minor, minor_digits, quote_date, valid_until, products, "
            "notes, updated_at) VALUES (:id, :number, 'QD', :year, :seq, :stamp, 1, :status, "
            ":customer, :currency, :total_minor, :minor_digits, :quote_date, :valid_until, "
            ":products, :notes, :stamp)",
            quote_rows,
        )
        store.db.conn.executemany(
            "INSERT INTO revisions (quote_id, revision, status, quote_file, priced, price_book, "
            "price_book_sha256, created_at, updated_at, signed_off_by, signed_off_at) VALUES "
            "(:quote_id, 1, :status, :quote_file, :priced, :price_book, :price_book_sha256, "
            ":stamp, :stamp, :by, CASE WHEN :by IS NULL THEN NULL ELSE :stamp END)",
            revision_rows,
        )
    return str(quote_rows[count // 2]["customer"])


def median_ms(run: Callable[[], object], times: int) -> float:
    samples = []
    for _ in range(times):
        began = time.perf_counter()
        run()
        samples.append((time.perf_counter() - began) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quotes", type=int, default=100_000)
    parser.add_argument("--db", type=Path, help="build here and keep it (default: a temp dir)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.db or Path(tmp) / "bench.db"
        path.unlink(missing_ok=True)
        began = time.perf_counter()
        customer = build(path, args.quotes)
        print(f"built {args.quotes:,} quotes in {time.perf_counter() - began:.1f} s, "
              f"{path.stat().st_size / 1_048_576:.0f} MB")  # fmt: skip

        print(f"open                 {median_ms(lambda: open_store(path).close(), 5):7.2f} ms")
        store = open_store(path)
        page = median_ms(lambda: store.list_quotes(), 20)
        print(f"first page (50)      {page:7.2f} ms   (target ≤ 100)")
        print(f"count all            {median_ms(lambda: store.count_quotes(), 20):7.2f} ms")
        for status in (Status.DRAFT, Status.EXPIRED):
            took = median_ms(functools.partial(store.list_quotes, status=status), 20)
            print(f"first page {status:<10}{took:7.2f} ms")
        hits = store.count_quotes(search=customer)
        search = median_ms(lambda: store.list_quotes(search=customer), 20)
        print(f"search {customer!r} ({hits} hits)  {search:7.2f} ms   (target ≤ 50)")
        prefix = median_ms(lambda: store.list_quotes(search="acm"), 20)
        print(f"search prefix 'acm'  {prefix:7.2f} ms")
        inside = median_ms(lambda: store.list_quotes(search="cme"), 20)
        print(f"search inside 'cme'  {inside:7.2f} ms")
        # The window's list: every revision, 500 rows a page.
        listed = median_ms(lambda: store.list_revisions(limit=500), 20)
        print(f"window list (500)    {listed:7.2f} ms")
        signed = median_ms(lambda: store.list_revisions(status=Status.SIGNED_OFF, limit=500), 20)
        print(f"window signed off    {signed:7.2f} ms")

        quote, priced, book = _one_quote()
        number = store.add_quote(quote, priced, book).number
        store.sign_off(number, by="Ana")
        samples = []
        for _ in range(15):
            store.revise(number)
            began = time.perf_counter()
            store.save_draft(number, quote, priced, book)
            store.sign_off(number, by="Ana")
            samples.append((time.perf_counter() - began) * 1000)
        print(f"save + sign-off      {statistics.median(samples):7.2f} ms   (target ≤ 20)")
        store.close()


def _one_quote() -> tuple[Any, Any, Any]:
    book = load_price_book(sample_price_book_path())
    quote = parse_quote(
        {"schema": 1, "customer": {"name": "Bench Ltda", "country": "BR"}, "lines": SHAPES[1]}
    )
    return quote, price(quote, book, load_rules(), date.today()), book


if __name__ == "__main__":
    main()
