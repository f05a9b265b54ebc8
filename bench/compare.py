"""Scenario speed (issue 15): in-process time to compare a 40-line quote's scenarios
(as quoted plus its four alternatives: billing, term, deployment, next tier).

Target: ≤ 50 ms. Run: .venv/bin/python bench/compare.py
"""

from __future__ import annotations

import statistics
import time
from datetime import date

from price import mixed_quote  # bench/price.py's mixed lines (bench/ is the script's path)
from quotedesk.core import load_price_book, load_rules
from quotedesk.core.resources import sample_price_book_path
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


if __name__ == "__main__":
    main()
