"""What every command tells the person at the terminal: a full or closed stdout is one
line on stderr and exit 2, never a traceback; counts read as real English plurals."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
BOOK = FIXTURES / "test_book.csv"
JIRA = {"product": "jira", "deployment": "cloud", "edition": "standard", "users": 25}


def quotedesk(*args: str | Path, stdout=subprocess.PIPE) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "quotedesk", *map(str, args)],
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
        timeout=60,
    )


@pytest.fixture
def quote(tmp_path):
    path = tmp_path / "q.json"
    data = {"schema": 1, "quote_date": "2026-11-20", "customer": {"country": "DE"}}
    path.write_text(json.dumps({**data, "lines": [JIRA]}), encoding="utf-8")
    return path


def commands(tmp_path: Path, quote: Path) -> dict[str, list[str | Path]]:
    db = tmp_path / "q.db"
    return {
        "export": ["export", quote, "-o", tmp_path / "x.pdf", "--catalog", BOOK],
        "compare": ["compare", quote, "--catalog", BOOK],
        "compare --json": ["compare", quote, "--json", "--catalog", BOOK],
        "quotes add": ["quotes", "add", quote, "--catalog", BOOK, "--db", db],
        "quotes list": ["quotes", "list", "--db", db],
        "quotes list --json": ["quotes", "list", "--json", "--db", db],
        "backup": ["backup", tmp_path / "b.db", "--db", db],
        "licences import": [
            "licences",
            "import",
            FIXTURES / "licences.csv",
            "--catalog",
            BOOK,
            "--db",
            db,
        ],
        "licences list": ["licences", "list", "--db", db],
        "verify": ["verify", tmp_path / "x.pdf"],
    }


@pytest.mark.parametrize(
    "command",
    [
        "export",
        "compare",
        "compare --json",
        "quotes add",
        "quotes list",
        "quotes list --json",
        "backup",
        "licences import",
        "licences list",
        "verify",
    ],
)
def test_a_full_stdout_is_one_line_and_exit_2_for_every_command(tmp_path, quote, command):
    every = commands(tmp_path, quote)
    assert quotedesk(*every["export"]).returncode == 0  # verify reads this PDF
    with open("/dev/full", "w") as full:
        run = quotedesk(*every[command], stdout=full)
    name = every[command][0]
    assert (run.returncode, run.stderr) == (
        2,
        f"quotedesk {name}: cannot write the output (No space left on device)\n",
    )


def test_export_to_a_closed_stdout_is_one_line_and_exit_2(tmp_path, quote):
    closed = subprocess.run(
        f'"{sys.executable}" -m quotedesk export "{quote}" -o "{tmp_path / "x.pdf"}" >&-',
        shell=True,
        capture_output=True,
        text=True,
    )
    assert (closed.returncode, closed.stderr) == (
        2,
        "quotedesk export: standard output is closed\n",
    )


def test_licence_counts_read_as_real_plurals(tmp_path):
    db = tmp_path / "q.db"
    one = tmp_path / "one.csv"
    one.write_text("\n".join((FIXTURES / "licences.csv").read_text().splitlines()[:2]) + "\n")
    imported = quotedesk("licences", "import", one, "--catalog", BOOK, "--db", db)
    assert imported.stdout == f"imported 1 licence from {one} (1 new, 0 updated)\n"
    renewed = quotedesk(
        "licences", "renew", "SEN-1000001", "--catalog", BOOK, "--today", "2026-12-01", "--db", db
    )
    assert renewed.returncode == 0, renewed.stderr
    assert renewed.stdout.startswith("QD-2026-00001  ACME Ltda: 1 licence")
    again = quotedesk(
        "licences", "import", FIXTURES / "licences.csv", "--catalog", BOOK, "--db", db
    )
    assert again.stdout.startswith("imported 6 licences from ")
    assert again.stdout.endswith("(5 new, 1 updated)\n")
