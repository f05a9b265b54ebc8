"""`quotedesk licences import|list|renew` run as a user would: import →
expiring list → renew → sign-off → PDF, and bad input as exit 2 with one line per
problem."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pdfplumber

FIXTURES = Path(__file__).parent / "fixtures"
BOOK = FIXTURES / "test_book.csv"


def quotedesk(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "quotedesk", *map(str, args)],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        timeout=60,
    )


def test_import_list_renew_sign_off_export_a_renewal(tmp_path):
    db = tmp_path / "q.db"
    imported = quotedesk(
        "licences", "import", FIXTURES / "licences.csv", "--catalog", BOOK, "--db", db
    )
    assert imported.returncode == 0, imported.stderr
    assert "imported 6 licences" in imported.stdout

    listed = quotedesk("licences", "list", "--expiring-within", "30", "--json",
                       "--today", "2026-12-01", "--db", db)  # fmt: skip
    assert listed.returncode == 0, listed.stderr
    assert [(x["licence"], x["end_date"]) for x in json.loads(listed.stdout)] == [
        ("https://acme.atlassian.net", "2026-12-10"),
        ("SEN-1000002", "2026-12-20"),
        ("https://umbrella.atlassian.net", "2026-12-24"),
    ]

    renewed = quotedesk("licences", "renew", "SEN-1000001", "SEN-1000002",
                        "https://umbrella.atlassian.net", "--catalog", BOOK,
                        "--today", "2026-12-01", "--db", db)  # fmt: skip
    assert renewed.returncode == 0, renewed.stderr
    numbers = [line.split()[0] for line in renewed.stdout.splitlines()]
    assert numbers == ["QD-2026-00001", "QD-2026-00002"]
    assert "co-termed to datacenter 2028-01-15" in renewed.stdout.splitlines()[0]

    signed = quotedesk("quotes", "sign-off", numbers[0], "--by", "Ana", "--db", db)
    assert signed.returncode == 0, signed.stderr
    pdf = tmp_path / "renewal.pdf"
    exported = quotedesk("export", numbers[0], "-o", pdf, "--db", db)
    assert exported.returncode == 0, exported.stderr
    with pdfplumber.open(pdf) as doc:
        text = "\n".join(page.extract_text() or "" for page in doc.pages)
    assert "36,500.00" in text and "was $30,000.00" in text

    # The signed-off renewal moved both licences' end date: nothing expires in 90 days.
    later = quotedesk("licences", "list", "--json", "--db", db)
    ends = {x["licence"]: x["end_date"] for x in json.loads(later.stdout)}
    assert (ends["SEN-1000001"], ends["SEN-1000002"]) == ("2028-01-15", "2028-01-15")


def test_import_of_a_bad_file_lists_each_bad_row_exits_2_and_imports_nothing(tmp_path):
    db = tmp_path / "q.db"
    bad = tmp_path / "bad.csv"
    rows = (FIXTURES / "licences.csv").read_text().splitlines()
    rows[2] = rows[2].replace("2026-12-20", "20/12/2026")
    rows.append(rows[1])
    bad.write_text("\n".join(rows) + "\n")
    result = quotedesk("licences", "import", bad, "--catalog", BOOK, "--db", db)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"quotedesk licences import: {bad}: line 3: end_date '20/12/2026' is not a date "
        "(YYYY-MM-DD)",
        f"quotedesk licences import: {bad}: line 8: duplicate of line 2 (SEN-1000001 jira)",
        f"quotedesk licences import: {bad}: nothing imported, 2 bad rows",
    ]
    assert quotedesk("licences", "list", "--db", db).stdout == "no licences\n"


def test_renew_of_an_unknown_licence_or_bad_date_is_one_line_exit_2(tmp_path):
    db = tmp_path / "q.db"
    unknown = quotedesk("licences", "renew", "SEN-9999999", "--db", db)
    assert (unknown.returncode, unknown.stderr) == (
        2, "quotedesk licences: no licence 'SEN-9999999' in the register\n"
    )  # fmt: skip
    bad = quotedesk("licences", "renew", "SEN-9999999", "--coterm", "2028-13-01", "--db", db)
    assert bad.returncode == 2
    assert bad.stderr == "quotedesk licences: --coterm '2028-13-01' is not a date (YYYY-MM-DD)\n"


def test_import_reads_a_semicolon_separated_file_as_excel_saves_it_in_pt_BR(tmp_path):
    db = tmp_path / "q.db"
    semi = tmp_path / "excel.csv"
    semi.write_text((FIXTURES / "licences.csv").read_text().replace(",", ";"))
    result = quotedesk("licences", "import", semi, "--catalog", BOOK, "--db", db)
    assert (result.returncode, result.stderr) == (0, "")
    assert "imported 6 licences" in result.stdout


HEADER = "licence,product,deployment,edition,billing,users,end_date,customer,country,subdivision"


def test_import_of_an_empty_foreign_latin1_or_huge_file_is_one_line_exit_2(tmp_path):
    db = tmp_path / "q.db"
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    foreign = tmp_path / "foreign.csv"
    foreign.write_text("name,email\nAna,ana@example.com\n")
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes(f"{HEADER}\nSEN-1000001,jira,datacenter,,,500,2027-01-15,".encode()
                       + "Müller GmbH,DE,\n".encode("latin-1"))  # fmt: skip
    huge = tmp_path / "huge.csv"
    with huge.open("wb") as f:
        f.truncate(100 * 1024 * 1024)
    expected = {
        empty: f"the file is empty (expected the header {HEADER})",
        foreign: f"line 1 is not the licence header {HEADER}",
        latin1: "not UTF-8 text: in Excel, use File → Save As → “CSV UTF-8 (Comma delimited)” "
        "and import that file",
        huge: "too large for a licence file (limit 50 MB)",
    }
    for path, line in expected.items():
        result = quotedesk("licences", "import", path, "--catalog", BOOK, "--db", db)
        assert (result.returncode, result.stderr) == (2, f"quotedesk licences: {path}: {line}\n")
    assert quotedesk("licences", "list", "--db", db).stdout == "no licences\n"


def test_import_with_5000_bad_rows_lists_the_first_20_and_counts_the_rest(tmp_path):
    bad = tmp_path / "bad.csv"
    header = (FIXTURES / "licences.csv").read_text().splitlines()[0]
    rows = [f"SEN-{1000000 + n},jira,datacenter,,,500,31/12/2027,C {n},BR," for n in range(5000)]
    bad.write_text("\n".join([header, *rows]) + "\n")
    result = quotedesk("licences", "import", bad, "--catalog", BOOK, "--db", tmp_path / "q.db")
    assert result.returncode == 2
    prefix = f"quotedesk licences import: {bad}: "
    not_a_date = "end_date '31/12/2027' is not a date (YYYY-MM-DD)"
    assert result.stderr.splitlines() == [
        *(f"{prefix}line {line}: {not_a_date}" for line in range(2, 22)),
        f"{prefix}… and 4,980 more bad rows",
        f"{prefix}nothing imported, 5,000 bad rows",
    ]
