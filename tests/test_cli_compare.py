"""`quotedesk compare QUOTE.json [--json] [--catalog PATH]` run as a real subprocess, with
the round-number test book (tests/fixtures/test_book.csv)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BOOK = str(Path(__file__).parent / "fixtures" / "test_book.csv")
JIRA_51 = {"product": "jira", "deployment": "cloud", "edition": "standard",
           "billing": "annual", "users": 51, "months": 12}  # fmt: skip


def quotedesk(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "quotedesk", *map(str, args)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
        timeout=60,
    )


@pytest.fixture
def quote_file(tmp_path):
    def write(*lines: dict) -> Path:
        path = tmp_path / "quote.json"
        path.write_text(
            json.dumps(
                {
                    "schema": 1,
                    "quote_date": "2026-11-20",
                    "start_date": "2026-12-01",
                    "customer": {"name": "Test", "country": "BR"},
                    "lines": list(lines),
                }
            )
        )
        return path

    return write


def test_compare_prints_a_table_of_scenarios_with_headroom_and_new_warnings(quote_file):
    run = quotedesk("compare", quote_file(JIRA_51), "--catalog", BOOK, "--today", "2026-11-23")
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == [
        "Scenario         Lines changed  Total (USD)  Per user/month  Warnings  Errors",
        "As quoted        -                  8000.00           13.07  -         -",
        "Monthly billing  1                   367.00            7.20  -         -",
        "24 months        1                 16000.00           13.07  -         -",
        "Data Center      1                 36500.00           59.64  R-DC-EOL  -",
        "Next tier up     1                 14600.00            6.08  -         -",
        "",
        "As quoted:",
        "  line 1 Jira Cloud Standard: tier 100: up to 49 more users at no extra cost",
        "",
        "Data Center:",
        "  line 1 Jira Data Center: tier 500: up to 449 more users at no extra cost",
        "  warning R-DC-EOL line 1: Data Center is not sold to new customers from 2026-03-30: "
        "confirm an existing licence",
    ]


def test_compare_json_gives_each_scenario_its_quote_file_and_figures(quote_file):
    path = quote_file(JIRA_51)
    run = quotedesk("compare", path, "--json", "--catalog", BOOK, "--today", "2026-11-23")
    assert run.returncode == 0, run.stderr
    scenarios = json.loads(run.stdout)["scenarios"]
    assert [(s["key"], s["total"], s["per_user_month"], s["users"]) for s in scenarios] == [
        ("as_quoted", "8000.00", "13.07", 51),
        ("monthly", "367.00", "7.20", 51),
        ("24_months", "16000.00", "13.07", 51),
        ("datacenter", "36500.00", "59.64", 51),
        ("next_tier", "14600.00", "6.08", 200),
    ]
    assert scenarios[0]["quote"] == json.loads(path.read_text())
    assert scenarios[2]["quote"]["lines"] == [{**JIRA_51, "months": 24}]
    assert scenarios[0]["headroom"] == [
        {"line": 0, "name": "Jira Cloud Standard", "tier": 100, "units": 51, "unit": "users",
         "message": "tier 100: up to 49 more users at no extra cost"}
    ]  # fmt: skip


def test_compare_exits_1_when_the_quote_as_given_has_errors(quote_file):
    # 11 users on Jira Free (at most 10, R-LIM-1); the alternatives are still compared.
    free = {**JIRA_51, "edition": "free", "users": 11}
    run = quotedesk("compare", quote_file(free), "--json", "--catalog", BOOK)
    assert run.returncode == 1, run.stderr
    scenarios = json.loads(run.stdout)["scenarios"]
    assert [e["code"] for e in scenarios[0]["errors"]] == ["R-LIM-1"]


def test_compare_unreadable_input_is_exit_2_with_one_line(tmp_path):
    broken, empty = tmp_path / "broken.json", tmp_path / "empty.json"
    broken.write_text('{"schema": 1, "lines": [')
    empty.write_text('{"schema": 1, "lines": []}')
    for args in (
        (broken,),
        (tmp_path / "missing.json",),
        (empty, "--catalog", tmp_path / "missing.csv"),
        (empty, "--today", "tomorrow"),
    ):
        run = quotedesk("compare", *args)
        assert run.returncode == 2
        assert run.stderr.startswith("quotedesk compare: ") and run.stderr.count("\n") == 1
        assert "Traceback" not in run.stderr


def test_R_DISC_PARTNER_compare_prices_with_the_stores_profile(quote_file, tmp_path):
    from dataclasses import replace
    from decimal import Decimal

    from quotedesk.store import open_store

    db = tmp_path / "quotes.db"
    with open_store(db) as store:
        store.save_profile(replace(store.profile(), partner_discount_pct=Decimal(10)))
    args = ("compare", quote_file(JIRA_51), "--catalog", BOOK, "--today", "2026-11-23")
    run = quotedesk(*args, "--db", db)
    assert run.returncode == 0, run.stderr
    # The book's prices less the profile's 10 %: 8000 -> 7200, 367 -> 330.30, 16000 ->
    # 14400, 36500 -> 32850, 14600 -> 13140; per user and month 7200 / 51 / 12 = 11.76.
    assert run.stdout.splitlines()[:6] == [
        "Scenario         Lines changed  Total (USD)  Per user/month  Warnings  Errors",
        "As quoted        -                  7200.00           11.76  -         -",
        "Monthly billing  1                   330.30            6.48  -         -",
        "24 months        1                 14400.00           11.76  -         -",
        "Data Center      1                 32850.00           53.68  R-DC-EOL  -",
        "Next tier up     1                 13140.00            5.48  -         -",
    ]


def test_compare_without_a_database_uses_the_default_profile_and_creates_none(quote_file, tmp_path):
    db = tmp_path / "none.db"
    args = ("compare", quote_file(JIRA_51), "--catalog", BOOK, "--today", "2026-11-23")
    run = quotedesk(*args, "--db", db, "--json")
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["scenarios"][0]["total"] == "8000.00"
    assert not db.exists()


def test_compare_marks_a_scenario_priced_with_errors_incomplete(quote_file):
    # Macros for Confluence has annual prices only: the monthly scenario cannot price it
    # (it follows its parent's billing, R-LIM-4), so that total is Confluence's alone.
    confluence = {**JIRA_51, "product": "confluence", "users": 50}
    macros = {"product": "app:com.example.macros", "deployment": "cloud", "parent": 0}
    path = quote_file(confluence, macros)
    run = quotedesk("compare", path, "--catalog", BOOK, "--today", "2026-11-23")
    assert run.returncode == 0, run.stderr
    rows = run.stdout.splitlines()
    # As quoted: 4,000.00 + 2,000.00; monthly: 10 × 5.00 + 40 × 4.00 = 210.00, no Macros.
    assert rows[1].split()[:5] == ["As", "quoted", "-", "6000.00", "10.00"]
    assert rows[2].startswith("Monthly billing  1                   210.00 (incomplete)  ")
    run = quotedesk("compare", path, "--json", "--catalog", BOOK, "--today", "2026-11-23")
    scenarios = json.loads(run.stdout)["scenarios"]
    assert [(s["key"], s["complete"]) for s in scenarios[:2]] == [
        ("as_quoted", True),
        ("monthly", False),
    ]


def test_an_alternative_lists_only_the_warnings_the_quote_as_given_lacks(tmp_path):
    """The quote as given warns once that the country is missing; every alternative has
    that warning too, so only Data Center's own R-DC-EOL warnings are listed under it."""
    quote = tmp_path / "quote.json"
    confluence = {"product": "confluence", "deployment": "cloud", "edition": "standard",
                  "billing": "annual", "users": 10, "months": 12}  # fmt: skip
    data = {"schema": 1, "quote_date": "2026-11-20", "start_date": "2026-12-01",
            "customer": {"name": "Test"}, "lines": [JIRA_51, confluence]}  # fmt: skip
    quote.write_text(json.dumps(data))
    run = quotedesk("compare", quote, "--catalog", BOOK, "--today", "2026-11-23",
                    "--db", tmp_path / "none.db")  # fmt: skip
    assert run.returncode == 0, run.stderr
    eol = "Data Center is not sold to new customers from 2026-03-30: confirm an existing licence"
    assert run.stdout.split("\n\n", 1)[1].splitlines() == [
        "As quoted:",
        "  line 1 Jira Cloud Standard: tier 100: up to 49 more users at no extra cost",
        "  line 2 Confluence Cloud Standard: tier 100: up to 90 more users at no extra cost",
        "  warning R-INPUT: the customer's country is missing: no tax is computed",
        "",
        "Data Center:",
        "  line 1 Jira Data Center: tier 500: up to 449 more users at no extra cost",
        "  line 2 Confluence Data Center: tier 500: up to 490 more users at no extra cost",
        f"  warning R-DC-EOL line 1: {eol}",
        f"  warning R-DC-EOL line 2: {eol}",
    ]
