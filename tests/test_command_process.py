"""The `quotedesk` process: what an export loads, and a one-shot command's
quick exit (no interpreter teardown) losing no output and keeping its exit code."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

JIRA = {"product": "jira", "deployment": "cloud", "edition": "standard", "users": 25}


def _quote(path: Path, lines: list[dict]) -> Path:
    data = {"schema": 1, "quote_date": "2026-11-20", "customer": {"country": "DE"}}
    path.write_text(json.dumps({**data, "lines": lines}), encoding="utf-8")
    return path


def test_unsigned_export_does_not_import_pypdf_or_urllib(tmp_path):
    # pypdf reads PDFs (verify, import, signing); xml.sax.saxutils would bring urllib,
    # http and ssl. An export only writes, with ReportLab.
    quote = _quote(tmp_path / "q.json", [JIRA])
    script = (
        "import sys\n"
        "from quotedesk.cli import main\n"
        f"code = main(['export', {str(quote)!r}, '-o', {str(tmp_path / 'q.pdf')!r}])\n"
        "print(code, sorted(m for m in ('pypdf', 'urllib.request') if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.splitlines()[-1] == "0 []"
    assert (tmp_path / "q.pdf").read_bytes().startswith(b"%PDF-")


def test_one_shot_command_flushes_all_its_output_through_a_pipe(tmp_path):
    quote = _quote(tmp_path / "q.json", [JIRA] * 300)
    result = subprocess.run(
        [sys.executable, "-m", "quotedesk", "price", str(quote)], capture_output=True
    )
    assert result.returncode == 0, result.stderr
    priced = json.loads(result.stdout)  # the whole JSON, not cut at a buffer's end
    assert len(priced["lines"]) == 300


def test_one_shot_command_keeps_its_exit_code(tmp_path):
    quote = _quote(tmp_path / "q.json", [{**JIRA, "product": "no-such-product"}])
    errors = subprocess.run([sys.executable, "-m", "quotedesk", "price", str(quote)])
    assert errors.returncode == 1  # priced with errors
    missing = subprocess.run(
        [sys.executable, "-m", "quotedesk", "price", str(tmp_path / "none.json")],
        capture_output=True,
        text=True,
    )
    assert missing.returncode == 2
    assert missing.stderr == f"quotedesk price: {tmp_path / 'none.json'}: no such file\n"
