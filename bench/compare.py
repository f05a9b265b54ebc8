"""Scenario speed: in-process time to compare a 40-line quote's scenarios
(as quoted plus its four alternatives: billing, term, deployment, next tier).

Target: ≤ 50 ms. Then `quotedesk compare`'s work on 10,000 and 90,000 lines (about the
most a 10 MB quote file holds): the scenarios, and the report listing what each adds,
which must grow with the lines, not their square (it took 12 s and 251 s searching).
Run: .venv/bin/python bench/compare.py
"""

from __future__ import annotations

import statistics
import time
from datetime import date

from price import mixed_quote  # bench/price.py's mixed lines (bench/ is the script's path)
from quotedesk.cli.compare import _report
from quotedesk.core import load_price_book, load_rules
from quotedesk.core.io.resources import sample_price_book_path
from quotedesk.core.scenarios import compare

TODAY = date(2026, 11, 23)


def main() -> None:
    book, rules = load_price_book(sample_price_book_path()), load_rules()
    data = mixed_quote(40)
    scenarios = compare(data, book, rules, TODAY)
    print("scenarios:", ", ".join(s.key for s in scenarios))
    assert len(scenarios) == 5, [s.key for s in scenarios]
    samples = []
    for _ in range(50):
        start = time.perf_counter()
        compare(data, book, rules, TODAY)
        samples.append(time.perf_counter() - start)
    print(
        f"compare(), 40-line quote, {len(scenarios) - 1} alternatives: "
        f"best {min(samples) * 1000:.2f} ms, median {statistics.median(samples) * 1000:.2f} ms "
        "(target ≤ 50 ms)"
    )
    for lines in (10_000, 90_000):
        start = time.perf_counter()
        scenarios = compare(mixed_quote(lines), book, rules, TODAY)
        priced = time.perf_counter()
        report = _report(scenarios)
        done = time.perf_counter()
        print(
            f"compare, {lines:,} lines: scenarios {priced - start:.1f} s, report "
            f"{done - priced:.2f} s ({report.count(chr(10)):,} lines)"
        )


if __name__ == "__main__":
    main()
