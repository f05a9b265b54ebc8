"""Pricing speed: in-process time to price a 200-line mixed quote, and the
whole-process time of `quotedesk price` next to a bare interpreter start.

Targets: ≤ 5 ms in-process; whole process ≤ 4× `python -c "import json"`.
Run: .venv/bin/python bench/price.py
"""

from __future__ import annotations

import compileall
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from quotedesk.core import load_price_book, load_rules, parse_quote, price
from quotedesk.core.io.resources import sample_price_book_path

LINE_KINDS = [
    {
        "product": "jira",
        "deployment": "cloud",
        "edition": "standard",
        "billing": "annual",
        "users": 180,
        "months": 12,
        "discount_pct": "5",
    },
    {
        "product": "confluence",
        "deployment": "cloud",
        "edition": "premium",
        "billing": "monthly",
        "users": 40,
        "additions": [{"date": "2026-12-10", "users": 5}],
    },
    {
        "product": "jira",
        "deployment": "datacenter",
        "users": 2000,
        "action": "upgrade",
        "from_users": 1000,
        "current_end_date": "2027-06-30",
        "mode": "new_term",
    },
    {
        "product": "jsm",
        "deployment": "cloud",
        "edition": "standard",
        "billing": "annual",
        "users": 25,
        "months": 24,
    },
    {"custom": "Onboarding workshop", "quantity": 1, "unit_price": "1500.00"},
]


def mixed_quote(n: int) -> dict:
    lines = []
    for i in range(n):
        line = dict(LINE_KINDS[i % len(LINE_KINDS)])
        lines.append(line)
        if i % 10 == 2:  # an app on the Data Center line just added
            lines.append(
                {
                    "product": "app:com.example.timesheets",
                    "deployment": "datacenter",
                    "parent": len(lines) - 1,
                }
            )
    return {
        "schema": 1,
        "quote_date": "2026-11-22",
        "start_date": "2026-12-01",
        "customer": {"name": "Bench", "country": "CA", "subdivision": "BC"},
        "partner_discount_pct": "10",
        "lines": lines[:n],
    }


def best_of(times: int, fn) -> tuple[float, float]:
    samples = []
    for _ in range(times):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return min(samples), statistics.median(samples)


def main() -> None:
    book, rules = load_price_book(sample_price_book_path()), load_rules()
    data = mixed_quote(200)
    quote = parse_quote(data)
    result = price(quote, book, rules, date(2026, 11, 23))
    assert len(result.lines) >= 200, result.errors
    best, median = best_of(200, lambda: price(quote, book, rules, date(2026, 11, 23)))
    parse_best, _ = best_of(200, lambda: parse_quote(data))
    book_best, _ = best_of(50, lambda: load_price_book(sample_price_book_path()))
    print(
        f"in-process price(), 200-line quote: best {best * 1000:.2f} ms, "
        f"median {median * 1000:.2f} ms (target ≤ 5 ms); parse {parse_best * 1000:.2f} ms; "
        f"sample price book ({len(book.rows):,} rows) read {book_best * 1000:.2f} ms"
    )

    # An installed app runs from compiled bytecode (pip compiles on install); a
    # PYTHONDONTWRITEBYTECODE environment would otherwise recompile every module each run.
    import quotedesk

    compileall.compile_dir(Path(quotedesk.__file__).parent, quiet=1)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "quote.json"
        path.write_text(json.dumps(data))

        def run(command: list[str]) -> None:
            subprocess.run(command, stdout=subprocess.DEVNULL, env=env, check=False)

        bare, _ = best_of(15, lambda: run([sys.executable, "-c", "import json"]))
        # The installed command, as users and scripts run it (`python -m` adds runpy).
        command = Path(sys.executable).with_name("quotedesk")
        whole, _ = best_of(15, lambda: run([str(command), "price", str(path)]))
    print(f"bare interpreter (python -c 'import json'): {bare * 1000:.1f} ms")
    print(
        f"quotedesk price on it (whole process): {whole * 1000:.1f} ms = "
        f"{whole / bare:.2f}× bare (target ≤ 4×)"
    )


if __name__ == "__main__":
    main()
