"""Hostile input to the command line: each case is one line on stderr with the CLI's exit
code (2: unreadable input), never a traceback; its work is bounded; nothing is lost."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfWriter

from tests.conftest import make_certificate

FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLE = FIXTURES / "spec_example.json"


def quotedesk(*args: str | Path, **env: str | Path) -> subprocess.CompletedProcess[str]:
    """`quotedesk ARGS`; `env` sets QUOTEDESK_ variables (db=..., rules=...)."""
    return subprocess.run(
        [sys.executable, "-m", "quotedesk", *map(str, args)],
        capture_output=True,
        text=True,
        env={**os.environ, **{f"QUOTEDESK_{k.upper()}": str(v) for k, v in env.items()}},
        timeout=120,
    )


def one_line_exit_2(run: subprocess.CompletedProcess[str], says: str) -> None:
    assert run.returncode == 2, run.stdout + run.stderr
    assert len(run.stderr.strip().splitlines()) == 1, run.stderr
    assert says in run.stderr and "Traceback" not in run.stderr


def example_with(tmp_path: Path, **fields: str) -> Path:
    """The example quote with `fields` added as raw JSON text (e.g. '"\\ud800"')."""
    text = EXAMPLE.read_text(encoding="utf-8").rstrip().removesuffix("}")
    extra = "".join(f', "{name}": {value}' for name, value in fields.items())
    path = tmp_path / "quote.json"
    path.write_text(text + extra + "}\n", encoding="utf-8")
    return path


def test_compare_json_writes_a_lone_surrogate_back_as_the_escape_it_was_read_from(tmp_path):
    quote = example_with(tmp_path, memo='"a\\ud800b"')
    run = quotedesk("compare", "--json", quote, db=tmp_path / "none.db")
    assert run.returncode == 0 and run.stderr == ""
    assert '"memo": "a\\ud800b"' in run.stdout
    scenarios = json.loads(run.stdout)["scenarios"]
    assert {s["quote"]["memo"] for s in scenarios} == {"a\ud800b"}


def test_export_of_a_quote_holding_a_lone_surrogate_is_one_line_and_writes_nothing(tmp_path):
    quote = example_with(tmp_path, memo='"\\ud800"')
    run = quotedesk("export", quote, "-o", tmp_path / "q.pdf")
    one_line_exit_2(run, "text with an unpaired surrogate '\\ud800' cannot be attached")
    assert not (tmp_path / "q.pdf").exists()


def test_a_file_name_that_is_not_utf8_is_named_with_its_escape(tmp_path):
    out = os.fsencode(tmp_path) + b"/\xff.pdf"
    run = subprocess.run(
        [sys.executable, "-m", "quotedesk", "export", str(EXAMPLE), "-o", out],
        capture_output=True,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.endswith(b"/\\udcff.pdf: quote, " + run.stdout.split(b", ")[-1])
    assert Path(os.fsdecode(out)).read_bytes().startswith(b"%PDF-")


@pytest.fixture
def non_utf8_table(tmp_path) -> Path:
    """A quote database holding a table whose name is the bytes ff 61, not UTF-8: SQLite
    takes such a name only written into its schema by hand."""
    db = tmp_path / "q.db"
    assert quotedesk("quotes", "add", EXAMPLE, "--db", db).returncode == 0
    with sqlite3.connect(db) as raw:
        raw.execute("CREATE TABLE stray (x)")
        raw.execute("PRAGMA writable_schema = ON")
        raw.execute("UPDATE sqlite_master SET name = CAST(X'ff61' AS TEXT) WHERE name = 'stray'")
    raw.close()
    return db


@pytest.mark.parametrize(
    "command",
    [
        ["quotes", "list"],
        ["quotes", "add", EXAMPLE],
        ["quotes", "show", "QD-2026-00001"],
        ["export", "QD-2026-00001", "-o", "/nonexistent/out.pdf"],
        ["licences", "list"],
        ["compare", EXAMPLE],
    ],
    ids=["quotes list", "quotes add", "quotes show", "export", "licences list", "compare"],
)
def test_a_database_with_a_table_name_that_is_not_utf8_is_one_line_for_every_command(
    non_utf8_table, command
):
    before = non_utf8_table.read_bytes()
    run = quotedesk(*command, "--db", non_utf8_table)
    one_line_exit_2(run, "is damaged or not a quote database (it holds text that is not UTF-8)")
    assert non_utf8_table.read_bytes() == before


def test_export_and_backup_to_a_symlink_loop_are_one_line(tmp_path):
    loop = tmp_path / "loop"
    loop.symlink_to("loop")
    db = tmp_path / "q.db"
    one_line_exit_2(
        quotedesk("export", EXAMPLE, "-o", loop), "loop: cannot write (it is a symlink loop)"
    )
    assert quotedesk("quotes", "add", EXAMPLE, "--db", db).returncode == 0
    for force in ([], ["--force"]):
        run = quotedesk("backup", loop, "--db", db, *force)
        one_line_exit_2(run, "cannot write the backup")
        assert "(it is a symlink loop)" in run.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["loop", "q.db"]


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    """A database holding QD-2026-00001, signed off (only such a quote is signed), an
    exported PDF and a signing certificate."""
    folder = tmp_path_factory.mktemp("files")
    db, pdf = folder / "q.db", folder / "quote.pdf"
    assert quotedesk("quotes", "add", EXAMPLE, "--db", db).returncode == 0
    assert quotedesk("quotes", "sign-off", "QD-2026-00001", "--by", "Ana", "--approver", "Bo",
                     "--db", db).returncode == 0  # fmt: skip
    assert quotedesk("export", EXAMPLE, "-o", pdf).returncode == 0
    p12, _pem = make_certificate(folder)
    return {"db": db, "pdf": pdf, "p12": p12, "out": folder / "out.pdf"}


ZERO = "/dev/zero"


@pytest.mark.parametrize(
    ("command", "refusal"),
    [
        (["price", ZERO], "a quote file (limit 10 MB)"),
        (["compare", ZERO], "a quote file (limit 10 MB)"),
        (["price", EXAMPLE, "--catalog", ZERO], "a price book (limit 20 MB)"),
        (["verify", ZERO], "a quote PDF (limit 50 MB)"),
        (["import", ZERO], "a quote PDF (limit 50 MB)"),
        (["licences", "import", ZERO], "a licence file (limit 50 MB)"),
        (["verify", "--trust", ZERO, "{pdf}"], "a certificate file (limit 10 MB)"),
        (
            ["export", "QD-2026-00001", "-o", "{out}", "--sign", ZERO],
            "a certificate file (limit 10 MB)",
        ),
        (
            ["export", EXAMPLE, "-o", "{out}", "--sign", "{p12}", "--password-file", ZERO],
            "a password file (limit 1 MB)",
        ),
        (
            ["team", "join", "postgresql://db/quotes", "--user", "ana", "--password-file", ZERO],
            "a password file (limit 1 MB)",
        ),
    ],
    ids=lambda v: " ".join(map(str, v[:2])) if isinstance(v, list) else "",
)
def test_dev_zero_is_read_up_to_its_limit_and_refused_in_one_line(files, command, refusal):
    run = quotedesk(*(str(a).format(**files) for a in command), db=files["db"])
    one_line_exit_2(run, f"{ZERO}: too large for {refusal}")
    assert not files["out"].exists()


def test_a_rule_table_over_its_limit_is_refused_in_one_line(tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "fees.json").write_bytes(b" " * (1024 * 1024 + 1))
    run = quotedesk("price", EXAMPLE, rules=rules)
    one_line_exit_2(
        run, f"rule table {rules / 'fees.json'}: too large for a rule table (limit 1 MB)"
    )


def test_a_key_given_twice_in_a_quote_file_is_refused_naming_it_and_nothing_is_stored(tmp_path):
    twice = tmp_path / "twice.json"
    twice.write_text(
        '{"schema": 1, "customer": {"name": "A", "country": "DE"}, "lines": ['
        '{"product": "jira", "deployment": "cloud", "edition": "standard",'
        ' "users": 50, "users": 500}]}'
    )
    says = (
        f'{twice}: the key "users" appears twice in one object; a quote file gives each field once'
    )
    for command in (["price"], ["compare"], ["quotes", "add"]):
        run = quotedesk(*command, twice, db=tmp_path / "q.db")
        one_line_exit_2(run, says)
    assert not (tmp_path / "q.db").exists()


def test_a_key_given_twice_in_a_rule_table_is_refused_naming_it(tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "lifecycle.json").write_text('{"_reviewed": "2026-01-01", "_reviewed": "2020-01-01"}')
    run = quotedesk("price", EXAMPLE, rules=rules)
    one_line_exit_2(
        run,
        f'rule table {rules / "lifecycle.json"}: the key "_reviewed" appears twice in one object',
    )


def test_a_key_given_twice_in_an_attached_file_is_refused_by_verify_and_import(files, tmp_path):
    writer = PdfWriter(clone_from=files["pdf"])
    names = writer.root_object["/Names"]["/EmbeddedFiles"]["/Names"]
    attached = names[names.index("priced.json") + 1].get_object()["/EF"]["/F"].get_object()
    attached.set_data(b'{"total": "1.00", "total": "' + b"9" * 6 + b'.00"}')
    pdf = tmp_path / "twice.pdf"
    writer.write(pdf)
    for command in ("verify", "import"):
        run = quotedesk(command, pdf, db=tmp_path / "q.db")
        one_line_exit_2(run, f'{pdf}: the attached priced.json: the key "total" appears twice')
    assert not (tmp_path / "q.db").exists()


def test_replacing_a_file_keeps_its_permissions_as_far_as_the_kind_allows(tmp_path):
    """A PDF keeps the mode it had (0600 stays private, though the umask gives 0644 to a new
    one); a backup keeps it too, but never more than a backup's 0600."""
    pdf, copy, db = tmp_path / "q.pdf", tmp_path / "copy.db", tmp_path / "q.db"
    assert quotedesk("quotes", "add", EXAMPLE, "--db", db).returncode == 0
    for before, after in ((0o600, 0o600), (0o640, 0o640), (0o444, 0o444)):
        pdf.write_bytes(b"old")
        pdf.chmod(before)
        assert quotedesk("export", EXAMPLE, "-o", pdf).returncode == 0
        assert pdf.read_bytes().startswith(b"%PDF-")
        assert stat.S_IMODE(pdf.stat().st_mode) == after
    for before, after in ((0o644, 0o600), (0o400, 0o400)):
        copy.write_bytes(b"old")
        copy.chmod(before)
        assert quotedesk("backup", copy, "--force", "--db", db).returncode == 0
        assert stat.S_IMODE(copy.stat().st_mode) == after
