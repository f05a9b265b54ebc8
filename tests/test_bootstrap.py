"""The project's front door: the sample price book, `./dev`, `.ci/run` and the README's
Quick start agree with each other and with the command line."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from quotedesk.core.price_book import (
    COLUMNS,
    PriceBook,
    PriceRow,
    load_price_book,
    parse_price_book,
)

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "app" / "quotedesk" / "resources" / "pricebooks" / "sample.csv"
GENERATOR = ROOT / "app" / "quotedesk" / "resources" / "pricebooks" / "make_sample.py"
DC_VERSIONS = {date(2025, 2, 1), date(2026, 2, 17)}


@pytest.fixture(scope="module")
def book() -> PriceBook:
    return load_price_book(SAMPLE)


def _schedules(book: PriceBook) -> dict[tuple[object, ...], list[PriceRow]]:
    """Rows per (key, version), in file order."""
    grouped: dict[tuple[object, ...], list[PriceRow]] = {}
    for row in book.rows:
        grouped.setdefault((*row.key, row.effective_from), []).append(row)
    return grouped


# --- sample price book -----------------------------------------------------------------------
def test_sample_price_book_has_the_spec_header_and_no_row_errors() -> None:
    data = SAMPLE.read_bytes()
    assert data.decode("utf-8").splitlines()[0] == ",".join(COLUMNS)
    book, errors = parse_price_book(data, str(SAMPLE))
    assert errors == []
    assert len(book.rows) == data.decode("utf-8").count("\n") - 1


def test_sample_price_book_is_what_make_sample_writes() -> None:
    result = subprocess.run(
        [sys.executable, str(GENERATOR), "--check"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr


def test_R_SAMPLE_sample_price_book_is_labelled_illustrative(book: PriceBook) -> None:
    assert book.illustrative
    assert "illustrative" in book.label


def test_sample_names_the_products(book: PriceBook) -> None:
    assert book.name_of("jsm") == "Jira Service Management"
    assert book.name_of("guard") == "Atlassian Guard"
    expected = {"jira", "confluence", "jsm", "jpd", "bitbucket", "compass", "guard", "loom",
                "statuspage", "trello", "crowd", "bamboo"}  # fmt: skip
    assert expected <= {row.product for row in book.rows}
    assert any(row.product.startswith("app:") for row in book.rows)


def test_every_data_center_schedule_has_both_versions(book: PriceBook) -> None:
    dc_keys = {row.key for row in book.rows if row.deployment == "datacenter"}
    assert dc_keys
    for key in dc_keys:
        versions = {row.effective_from for row in book.rows if row.key == key}
        assert versions == DC_VERSIONS, key
    jira_usd = ("jira", "datacenter", "", "annual", "USD")
    old = book.schedule(jira_usd, date(2026, 2, 16))
    new = book.schedule(jira_usd, date(2026, 2, 17))
    assert old is not None and new is not None
    assert old.effective_from == date(2025, 2, 1) and new.effective_from == date(2026, 2, 17)
    old_500, new_500 = old.tier_for(500), new.tier_for(500)
    assert old_500 is not None and new_500 is not None
    assert Decimal("1.05") <= new_500.price / old_500.price <= Decimal("1.10")


def test_R_TIER_1_every_tier_ladder_increases(book: PriceBook) -> None:
    for key, rows in _schedules(book).items():
        tops = [row.tier_max for row in rows]
        assert None not in tops[:-1], f"{key}: only the last tier may be unlimited"
        finite = [t for t in tops if t is not None]
        assert finite == sorted(set(finite)), f"{key}: tiers are not increasing"
        if key[3] == "annual":
            prices = [row.price for row in rows]
            assert prices == sorted(prices), f"{key}: a larger tier costs less"


def test_R_TIER_2_monthly_rates_fall_band_by_band(book: PriceBook) -> None:
    for key, rows in _schedules(book).items():
        if key[3] != "monthly":
            continue
        rates = [row.price for row in rows if row.price_kind == "per_unit"]
        assert rates == sorted(rates, reverse=True), key
    jira = book.schedule(("jira", "cloud", "standard", "monthly", "USD"), date(2026, 1, 1))
    assert jira is not None
    assert [row.price for row in jira.rows] == [
        Decimal(p) for p in ("7.91", "7.53", "7.16", "6.80", "6.46")
    ]


def test_R_LIM_1_free_rows_cost_nothing_within_the_limit(book: PriceBook) -> None:
    for product, limit in (("jira", 10), ("confluence", 10), ("jsm", 3)):
        for billing in ("monthly", "annual"):
            schedule = book.schedule((product, "cloud", "free", billing, "USD"), date(2026, 1, 1))
            assert schedule is not None, (product, billing)
            assert schedule.max_count == limit
            assert all(row.price == 0 for row in schedule.rows)


def test_R_LIM_2_and_R_LIM_3_ladders_reach_the_limits(book: PriceBook) -> None:
    on = date(2026, 6, 1)
    for product, top in (("jira", 50000), ("confluence", 50000), ("jsm", 10000)):
        schedule = book.schedule((product, "cloud", "standard", "annual", "USD"), on)
        assert schedule is not None and schedule.max_count == top
    for product in ("jira", "jsm", "confluence", "crowd"):
        schedule = book.schedule((product, "datacenter", "", "annual", "USD"), on)
        assert schedule is not None and schedule.max_count is None, product  # unlimited
    bitbucket = book.schedule(("bitbucket", "datacenter", "", "annual", "USD"), on)
    assert bitbucket is not None and bitbucket.max_count == 30000


def test_R_CUR_1_every_data_center_product_has_usd_aud_and_jpy(book: PriceBook) -> None:
    by_product: dict[str, set[str]] = {}
    for row in book.rows:
        if row.deployment == "datacenter":
            by_product.setdefault(row.product, set()).add(row.currency)
    assert {"jira", "confluence", "jsm", "bitbucket", "crowd", "bamboo"} <= set(by_product)
    for product, currencies in by_product.items():
        if product.startswith("app:"):
            # R-CUR-3: an order with a Marketplace app is never in AUD.
            assert currencies == {"USD", "JPY"}, product
        else:
            assert currencies == {"USD", "AUD", "JPY"}, product


def test_R_CUR_3_cloud_rows_are_usd_only(book: PriceBook) -> None:
    assert {row.currency for row in book.rows if row.deployment == "cloud"} == {"USD"}


def test_jpy_prices_are_whole_yen_and_others_have_cents(book: PriceBook) -> None:
    for row in book.rows:
        places = 0 if row.currency == "JPY" else 2
        assert row.price.as_tuple().exponent == -places, (row.source_line, row.price)


def test_marketplace_app_monthly_starts_with_a_flat_band(book: PriceBook) -> None:
    key = ("app:com.example.timesheets", "cloud", "standard", "monthly", "USD")
    schedule = book.schedule(key, date(2026, 1, 1))
    assert schedule is not None
    first = schedule.rows[0]
    assert (first.tier_max, first.price_kind, first.price) == (10, "flat", Decimal("10.00"))
    assert schedule.monthly_amount(10) == Decimal("10.00")
    assert schedule.monthly_amount(12) == Decimal("10.00") + 2 * Decimal("1.65")


# --- ./dev, .ci/run and the README -----------------------------------------------------------
def _quick_start_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = re.search(r"^## Quick start\n(.*?)(?=^## |\Z)", readme, re.S | re.M)
    assert section, "README.md has no '## Quick start' section"
    blocks = re.findall(r"^```[a-z]*\n(.*?)^```", section.group(1), re.S | re.M)
    assert len(blocks) == 1, "Quick start has exactly one code block"
    return [line.strip() for line in blocks[0].splitlines() if line.strip()]


def test_readme_quick_start_is_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme.startswith("# Quote Desk\n")
    assert _quick_start_commands() == ["./dev app", "./dev test"]


def test_ci_runs_the_readme_test_command() -> None:
    test_command = next(c for c in _quick_start_commands() if c.endswith(" test"))
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    commands = [line.strip() for line in ci.splitlines() if line.strip()]
    commands = [c for c in commands if not c.startswith(("#", "set ", "cd "))]
    assert commands == [test_command]


@pytest.mark.parametrize("script", ["dev", ".ci/run"])
def test_scripts_are_executable_bash_without_syntax_errors(script: str) -> None:
    path = ROOT / script
    assert os.access(path, os.X_OK), f"{script} is not executable"
    assert path.read_text(encoding="utf-8").startswith("#!/usr/bin/env bash\n")
    result = subprocess.run(["bash", "-n", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "set -euo pipefail" in path.read_text(encoding="utf-8")


def test_dev_without_a_command_prints_usage_and_exits_2() -> None:
    result = subprocess.run([str(ROOT / "dev")], capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert "./dev app" in result.stderr and "./dev test" in result.stderr
