"""Licence register and Renewals view speed on 50,000 licences: import
them from CSV, list the licences expiring within 90 days (count + first page), draw the
Renewals view's list (model reset to painted table, offscreen), and create 200 renewal
quotes (one per customer) through operations.renewals.renew, as the view's background job does.

Targets: list drawn ≤ 100 ms; 200 renewal quotes ≤ 10 s.
Run: QT_QPA_PLATFORM=offscreen .venv/bin/python bench/renewals.py [--licences N] [--quotes N]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from quotedesk.core import load_price_book, load_rules
from quotedesk.core.io.resources import sample_price_book_path
from quotedesk.operations.renewals import renew
from quotedesk.store import open_store
from quotedesk.store.licences import COLUMNS, Filters, LicenceRegister

TODAY = date(2026, 12, 1)
SHAPES = [  # product, deployment, edition, billing, users
    ("jira", "cloud", "standard", "annual", 100),
    ("confluence", "cloud", "premium", "annual", 250),
    ("jsm", "cloud", "standard", "annual", 25),
    ("jira", "datacenter", "", "annual", 2000),
    ("confluence", "datacenter", "", "annual", 1000),
    ("bitbucket", "datacenter", "", "annual", 500),
]


def licence_csv(count: int) -> bytes:
    """`count` licences of count // 3 customers, end dates spread over two years."""
    rng = random.Random(7)
    rows = [",".join(COLUMNS)]
    for i in range(count):
        product, deployment, edition, billing, users = SHAPES[i % len(SHAPES)]
        customer = i // 3
        ref = (
            f"SEN-{1_000_000 + i}"
            if deployment == "datacenter"
            else f"https://c{customer}.atlassian.net"
        )
        end = TODAY + timedelta(days=rng.randrange(-30, 700))
        rows.append(
            f"{ref},{product},{deployment},{edition},{billing},{users},{end},"
            f"Customer {customer:05d},{('BR', 'US', 'JP', 'DE')[customer % 4]},"
        )
    return ("\n".join(rows) + "\n").encode()


def timed(action, runs: int = 5) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--licences", type=int, default=50_000)
    parser.add_argument("--quotes", type=int, default=200)
    args = parser.parse_args()
    book, rules = load_price_book(sample_price_book_path()), load_rules()
    with tempfile.TemporaryDirectory() as tmp, open_store(Path(tmp) / "bench.db") as store:
        register = LicenceRegister(store)
        data = licence_csv(args.licences)
        start = time.perf_counter()
        register.import_csv(data, "bench.csv", book)
        print(f"import {args.licences:,} licences: {time.perf_counter() - start:.2f} s")

        within90 = Filters(TODAY, within=90)
        count = register.count(within90)
        ms = timed(lambda: (register.count(within90), register.rows(within90, 200)))
        print(f"expiring within 90 days ({count:,}): count + first page {ms:.1f} ms")
        everything = Filters(TODAY)
        ms = timed(lambda: (register.count(everything), register.rows(everything, 200)))
        print(f"all {args.licences:,}: count + first page {ms:.1f} ms")
        filtered = Filters(TODAY, within=90, customer="customer 001", deployment="cloud")
        ms = timed(lambda: (register.count(filtered), register.rows(filtered, 200)))
        print(f"filtered by customer text and deployment: {ms:.1f} ms")

        print(f"Renewals view list drawn: {draw_view(store):.1f} ms (target ≤ 100 ms)")

        # The first `quotes` customers' licences, whatever their end date.
        wanted = [
            x for x in register.licences(everything) if int(x.customer.split()[1]) < args.quotes
        ]
        steps = []
        start = time.perf_counter()
        made = renew(
            store, wanted, book, rules, TODAY, step=lambda d, t: steps.append(d) or True
        ).made
        seconds = time.perf_counter() - start
        print(
            f"create {len(made)} renewal quotes ({len(wanted)} licences): {seconds:.2f} s, "
            f"{len(steps)} progress steps (target ≤ 10 s)"
        )


def draw_view(store) -> float:  # type: ignore[no-untyped-def]
    """Median time from setting the filters to the table painted, in the real view."""
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

    from quotedesk.gui.renewals_view import LicenceModel

    app = QApplication.instance() or QApplication([])

    window = QMainWindow()
    table = QTableView()
    model = LicenceModel(LicenceRegister(store))
    table.setModel(model)
    window.setCentralWidget(table)
    window.resize(1000, 600)
    window.show()
    app.processEvents()

    def draw(days: int | None) -> None:
        model.set_filters(Filters(TODAY, within=days))
        table.viewport().repaint()
        app.processEvents()

    return statistics.median(timed(lambda d=d: draw(d), runs=3) for d in (30, 60, 90, None))


if __name__ == "__main__":
    main()
