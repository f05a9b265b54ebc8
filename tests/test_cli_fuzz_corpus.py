"""`quotedesk price` answers every input in the fuzz corpus with exit
0, 1 or 2, at most a short message on stderr and never a traceback; on 0 and 1 stdout is
UTF-8 JSON valid against the priced schema. Run as a real subprocess, as a user would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

FIXTURES = Path(__file__).parent / "fixtures"
CORPUS = FIXTURES / "fuzz"
BOOK = FIXTURES / "test_book.csv"
QUOTE = FIXTURES / "spec_example.json"
PRICED_SCHEMA = json.loads((Path(__file__).parent / "schemas" / "priced.schema.json").read_text())
HEADER = "product,name,deployment,edition,billing,unit,tier_max,price_kind,currency,price,"
ROW = "jira,Jira,cloud,standard,annual,users,10,flat,USD,1000.00,2025-01-01\n"


def run_price(*args: str, **popen: object) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "quotedesk", "price", *args, "--today", "2026-11-23"],
        capture_output="stdout" not in popen,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
        timeout=60,
        **popen,  # type: ignore[call-overload]
    )


def assert_answered_cleanly(run: subprocess.CompletedProcess[bytes]) -> None:
    stderr = run.stderr.decode("utf-8")
    assert run.returncode in (0, 1, 2), stderr
    assert "Traceback" not in stderr
    assert len(stderr.splitlines()) <= 2 and len(stderr) < 400, stderr
    if run.returncode in (0, 1) and run.stdout is not None:
        jsonschema.validate(json.loads(run.stdout.decode("utf-8")), PRICED_SCHEMA)


def generated(tmp_path: Path) -> dict[str, tuple[str, str]]:
    """The large cases, written here rather than committed: name -> (quote, price book)."""
    deep = tmp_path / "deep.json"
    deep.write_text('{"schema": 1, "lines": [' + "[" * 100_000 + "]" * 100_000 + "]}")
    big = tmp_path / "int_5000_digits.json"
    big.write_text('{"schema": 1, "lines": [{"custom": "x", "quantity": ' + "9" * 5000 + "}]}")
    wide = tmp_path / "field_140kb.csv"
    wide.write_text(HEADER + "effective_from\n" + ROW + 'jira,"' + "x" * 140_000 + '",cloud\n')
    return {
        "json_100000_deep": (str(deep), str(BOOK)),
        "int_5000_digits": (str(big), str(BOOK)),
        "csv_field_140kb": (str(QUOTE), str(wide)),
        "quote_dev_zero": ("/dev/zero", str(BOOK)),
        "price_book_dev_zero": (str(QUOTE), "/dev/zero"),
        "quote_directory": (str(tmp_path), str(BOOK)),
    }


@pytest.mark.parametrize("quote", sorted(CORPUS.glob("*.json")), ids=lambda p: p.stem)
def test_corpus_quote_is_answered_cleanly(quote):
    if quote.stem == "max_local_tax":  # the largest amounts the bounds allow: priced
        run = run_price(str(quote))
        assert_answered_cleanly(run)
        assert run.returncode == 0
        return
    run = run_price(str(quote), "--catalog", str(BOOK))
    assert_answered_cleanly(run)
    assert run.returncode == 1
    assert "R-INPUT" in {e["code"] for e in json.loads(run.stdout)["errors"]}


@pytest.mark.parametrize("book", sorted(CORPUS.glob("*.csv")), ids=lambda p: p.stem)
def test_corpus_price_book_is_one_line_naming_the_row(book):
    run = run_price(str(QUOTE), "--catalog", str(book))
    assert_answered_cleanly(run)
    assert run.returncode == 2
    assert "line " in run.stderr.decode() or "not UTF-8" in run.stderr.decode()


@pytest.mark.parametrize(
    "case",
    [
        "json_100000_deep",
        "int_5000_digits",
        "csv_field_140kb",
        "quote_dev_zero",
        "price_book_dev_zero",
        "quote_directory",
    ],
)
def test_generated_input_is_one_line_exit_2(tmp_path, case):
    quote, book = generated(tmp_path)[case]
    run = run_price(quote, "--catalog", book)
    assert_answered_cleanly(run)
    assert run.returncode == 2


def test_quote_from_a_pipe_is_read_up_to_the_limit():
    with open("/dev/zero", "rb") as zero:
        run = run_price("/dev/stdin", "--catalog", str(BOOK), stdin=zero)
    assert run.returncode == 2
    assert run.stderr.decode().endswith("too large for a quote file (limit 10 MB)\n")


def test_stdout_full_is_one_line_exit_2():
    with open("/dev/full", "wb") as full:
        run = run_price(str(QUOTE), stdout=full, stderr=subprocess.PIPE)
    assert run.returncode == 2
    assert run.stderr.decode() == (
        "quotedesk price: cannot write the output (No space left on device)\n"
    )


def test_stdout_closed_is_one_line_exit_2():
    closed = subprocess.run(
        f'"{sys.executable}" -m quotedesk price "{QUOTE}" >&-',
        shell=True,
        capture_output=True,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    assert closed.returncode == 2
    assert closed.stderr.decode() == "quotedesk price: standard output is closed\n"


def test_output_is_utf8_whatever_the_locale_encoding(tmp_path):
    quote = tmp_path / "q.json"
    quote.write_text(
        json.dumps({"schema": 1, "lines": [{"custom": "Schulung für 東京", "unit_price": "1"}]})
    )
    run = subprocess.run(
        [sys.executable, "-m", "quotedesk", "price", str(quote)],
        capture_output=True,
        env={**os.environ, "PYTHONIOENCODING": "ascii", "PYTHONWARNINGS": "ignore"},
    )
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout.decode("utf-8"))["lines"][0]["name"] == "Schulung für 東京"
