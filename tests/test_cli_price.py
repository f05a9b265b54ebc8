"""`quotedesk price` as README "Command line" describes it, run as a real subprocess."""

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

FIXTURES = Path(__file__).parent / "fixtures"
SCHEMAS = Path(__file__).parent / "schemas"
SHARED_SCHEMAS = Path(__file__).parents[2] / "shared" / "schemas"


def quotedesk(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "quotedesk", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )


def schema(name: str) -> dict:
    return json.loads((SCHEMAS / name).read_text())


@pytest.mark.skipif(not SHARED_SCHEMAS.exists(), reason="shared/ is not beside the checkout")
def test_schema_copies_match_shared():
    for path in SHARED_SCHEMAS.glob("*.json"):
        assert json.loads(path.read_text()) == json.loads((SCHEMAS / path.name).read_text())


def test_spec_example_prices_and_validates_against_both_schemas():
    data = json.loads((FIXTURES / "spec_example.json").read_text())
    jsonschema.validate(data, schema("quote.schema.json"))
    run = quotedesk("price", str(FIXTURES / "spec_example.json"), "--today", "2026-11-23")
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    jsonschema.validate(out, schema("priced.schema.json"))
    assert out["currency"] == "USD" and out["errors"] == []
    assert "R-SAMPLE" in [w["code"] for w in out["warnings"]]


def test_quote_with_errors_exits_1_and_still_prints_json(tmp_path):
    quote = tmp_path / "q.json"
    quote.write_text(
        json.dumps(
            {
                "schema": 1,
                "lines": [
                    {"product": "jira", "deployment": "cloud", "edition": "free", "users": 11}
                ],
            }
        )
    )
    run = quotedesk("price", str(quote), "--catalog", str(FIXTURES / "test_book.csv"))
    assert run.returncode == 1
    out = json.loads(run.stdout)
    jsonschema.validate(out, schema("priced.schema.json"))
    assert [e["code"] for e in out["errors"]] == ["R-LIM-1"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        ('{"lines": [', "broken JSON at line 1"),
        ('{"schema": 3, "lines": []}', "schema version 3 is not supported"),
        ("[1, 2]", "a quote file is a JSON object"),
    ],
)
def test_unreadable_quote_exits_2_with_one_clear_line(tmp_path, content, message):
    quote = tmp_path / "q.json"
    if content is not None:
        quote.write_text(content)
    run = quotedesk("price", str(quote))
    assert run.returncode == 2
    assert run.stdout == ""
    assert message in run.stderr and "Traceback" not in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1


def test_100_mb_quote_file_is_refused_without_reading_it(tmp_path):
    quote = tmp_path / "huge.json"
    with quote.open("wb") as f:
        f.truncate(100 * 1024 * 1024)
    run = quotedesk("price", str(quote))
    assert run.returncode == 2
    assert "too large for a quote file" in run.stderr


def test_price_book_missing_a_column_exits_2_naming_it(tmp_path):
    book = tmp_path / "book.csv"
    book.write_text(
        "product,name,deployment,edition,billing,unit,tier_max,price_kind,currency,price\n"
    )
    run = quotedesk("price", str(FIXTURES / "spec_example.json"), "--catalog", str(book))
    assert run.returncode == 2
    assert "lacks column effective_from" in run.stderr


def test_price_book_with_a_bad_row_exits_2_naming_the_line(tmp_path):
    lines = (FIXTURES / "test_book.csv").read_text().splitlines()
    lines.insert(3, "jira,Jira,cloud,standard,annual,users,10,flat,USD,ten,2025-01-01")
    book = tmp_path / "book.csv"
    book.write_text("\n".join(lines) + "\n")
    run = quotedesk("price", str(FIXTURES / "spec_example.json"), "--catalog", str(book))
    assert run.returncode == 2
    assert "line 4: price 'ten' is not a decimal number" in run.stderr


def test_help_lists_every_subcommand_of_the_spec():
    run = quotedesk("--help")
    assert run.returncode == 0
    for command in ("price", "gui", "quotes", "backup", "restore", "export", "verify", "import"):
        assert command in run.stdout


def test_price_output_is_compact_json_when_piped():
    run = quotedesk("price", str(FIXTURES / "spec_example.json"), "--today", "2026-11-23")
    assert run.stdout.count("\n") == 1
    assert json.loads(run.stdout)["currency"] == "USD"


def test_unknown_option_is_a_usage_error_not_a_traceback():
    run = quotedesk("price", str(FIXTURES / "spec_example.json"), "--bogus")
    assert run.returncode == 2
    assert "unrecognized arguments: --bogus" in run.stderr
    assert "Traceback" not in run.stderr


def test_output_cut_short_by_the_reader_is_not_a_traceback(tmp_path):
    line = {"product": "jira", "deployment": "cloud", "edition": "standard", "users": 10}
    quote = tmp_path / "long.json"
    quote.write_text(json.dumps({"schema": 1, "lines": [line] * 400}))
    # A reader that takes one byte and leaves, with far more than a pipe buffer unread.
    run = subprocess.run(
        f"'{sys.executable}' -m quotedesk price '{quote}' | head -c 1",
        shell=True,
        capture_output=True,
        text=True,
    )
    assert run.stdout == "{"
    assert run.stderr == ""
