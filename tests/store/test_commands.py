"""`quotedesk quotes|backup|restore` run as a user would, in a subprocess."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

from quotedesk.core.records import ResellerProfile
from quotedesk.store import open_store

from .conftest import FIXTURES, sha256_of

EXAMPLE = FIXTURES / "spec_example.json"


def quotedesk(
    *args: str | Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "quotedesk", *map(str, args)],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=60,
    )


def test_add_prints_the_number_and_show_prints_the_quote_with_totals(db_path):
    added = quotedesk("quotes", "add", EXAMPLE, "--db", db_path)
    assert added.returncode == 0, added.stderr
    number = added.stdout.strip()
    assert number.startswith("QD-") and number.endswith("-00001")

    shown = quotedesk("quotes", "show", number, "--db", db_path)
    assert shown.returncode == 0, shown.stderr
    document = json.loads(shown.stdout)
    assert document["customer"]["name"] == "ACME Ltda"
    assert len(document["lines"]) == 5
    assert (document["number"], document["revision"], document["status"]) == (number, 1, "draft")
    assert document["currency"] == "USD"
    priced = json.loads(quotedesk("price", EXAMPLE).stdout)
    for total in ("subtotal", "discount_total", "net_total", "admin_fee", "tax_total", "total"):
        assert document[total] == priced[total]


def test_sign_off_then_revise_prints_the_new_revision_and_edits_are_refused(db_path):
    number = quotedesk("quotes", "add", EXAMPLE, "--db", db_path).stdout.strip()
    signed = quotedesk("quotes", "sign-off", number, "--by", "Ana Souza", "--db", db_path)
    assert (signed.returncode, signed.stdout.strip()) == (0, f"{number} signed off by Ana Souza")

    again = quotedesk("quotes", "sign-off", number, "--by", "Ana", "--db", db_path)
    assert again.returncode == 1
    assert "already signed off (R-Q-2)" in again.stderr

    revised = quotedesk("quotes", "revise", number, "--db", db_path)
    assert (revised.returncode, revised.stdout.strip()) == (0, f"{number}-R2")
    assert quotedesk("quotes", "revise", number, "--db", db_path).returncode == 1

    first = json.loads(quotedesk("quotes", "show", number, "--rev", "1", "--db", db_path).stdout)
    assert (first["status"], first["signed_off_by"]) == ("signed_off", "Ana Souza")
    latest = json.loads(quotedesk("quotes", "show", f"{number}-R2", "--db", db_path).stdout)
    assert (latest["revision"], latest["status"]) == (2, "draft")


def test_list_prints_a_table_or_json_and_searches(db_path, tmp_path):
    globex = json.loads(EXAMPLE.read_text())
    globex["customer"]["name"] = "Globex Corporation"
    (tmp_path / "globex.json").write_text(json.dumps(globex))
    acme = quotedesk("quotes", "add", EXAMPLE, "--db", db_path).stdout.strip()
    other = quotedesk("quotes", "add", tmp_path / "globex.json", "--db", db_path).stdout.strip()

    table = quotedesk("quotes", "list", "--db", db_path)
    assert table.returncode == 0
    lines = table.stdout.splitlines()
    assert lines[0].split() == ["NUMBER", "STATUS", "DATE", "CUSTOMER", "TOTAL"]
    assert lines[1].startswith(other) and "Globex Corporation" in lines[1]
    assert lines[2].startswith(acme) and lines[2].endswith("USD 48,027.68")

    found = json.loads(
        quotedesk("quotes", "list", "--search", "glob", "--json", "--db", db_path).stdout
    )
    assert [(q["number"], q["customer"], q["total"]) for q in found] == [
        (other, "Globex Corporation", "48027.68")
    ]
    drafts = quotedesk("quotes", "list", "--status", "draft", "--json", "--db", db_path)
    assert len(json.loads(drafts.stdout)) == 2


def test_quotedesk_db_environment_variable_chooses_the_database(db_path):
    env = {"QUOTEDESK_DB": str(db_path)}
    number = quotedesk("quotes", "add", EXAMPLE, env=env).stdout.strip()
    assert db_path.exists()
    assert json.loads(quotedesk("quotes", "show", number, env=env).stdout)["number"] == number


def test_bad_input_exits_2_with_one_line_and_no_traceback(db_path, tmp_path):
    (tmp_path / "broken.json").write_text("{not json")
    cases = [
        ("quotes", "add", tmp_path / "broken.json", "--db", db_path),
        ("quotes", "show", "QD-2026-04242", "--db", db_path),
        ("quotes", "show", "hello", "--db", db_path),
        ("quotes", "list", "--status", "lost", "--db", db_path),
        ("quotes", "add", EXAMPLE, "--catalog", tmp_path / "missing.csv", "--db", db_path),
    ]
    for case in cases:
        run = quotedesk(*case)
        assert run.returncode == 2, (case, run.stderr)
        assert len(run.stderr.strip().splitlines()) == 1 and "Traceback" not in run.stderr


def test_corrupt_database_is_reported_and_left_unchanged(db_path):
    db_path.write_bytes(b"this is not a database at all" * 100)
    before = sha256_of(db_path)
    run = quotedesk("quotes", "list", "--db", db_path)
    assert run.returncode == 2
    assert "not a quote database" in run.stderr and "Traceback" not in run.stderr
    assert sha256_of(db_path) == before


def test_busy_database_is_refused_with_a_clear_message(db_path):
    quotedesk("quotes", "add", EXAMPLE, "--db", db_path)
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another instance in the middle of a save
    try:
        run = quotedesk("quotes", "add", EXAMPLE, "--db", db_path)  # waits the 5 s busy timeout
    finally:
        holder.close()
    assert run.returncode == 1
    assert "database is busy" in run.stderr


def test_backup_and_restore_commands(db_path, tmp_path):
    number = quotedesk("quotes", "add", EXAMPLE, "--db", db_path).stdout.strip()
    backup = quotedesk("backup", tmp_path / "copy.db", "--db", db_path)
    assert backup.returncode == 0, backup.stderr
    assert "backed up 1 quote from" in backup.stdout
    quotedesk("quotes", "add", EXAMPLE, "--db", db_path)

    restored = quotedesk("restore", tmp_path / "copy.db", "--db", db_path)
    assert restored.returncode == 0, restored.stderr
    assert f"kept as {db_path}." in restored.stdout and restored.stdout.strip().endswith(".bak")
    listed = json.loads(quotedesk("quotes", "list", "--json", "--db", db_path).stdout)
    assert [q["number"] for q in listed] == [number]

    (tmp_path / "junk.db").write_bytes(b"junk" * 100)
    refused = quotedesk("restore", tmp_path / "junk.db", "--db", db_path)
    assert refused.returncode == 2 and "not a quote database" in refused.stderr


def test_quote_with_errors_is_saved_as_draft_but_sign_off_is_refused_naming_the_rule(
    db_path, tmp_path
):
    broken = json.loads(EXAMPLE.read_text())
    broken["lines"][0]["product"] = "jria"
    (tmp_path / "broken.json").write_text(json.dumps(broken))
    added = quotedesk("quotes", "add", tmp_path / "broken.json", "--db", db_path)
    assert added.returncode == 0
    assert "error R-INPUT: unknown product 'jria'" in added.stderr
    number = added.stdout.strip()
    refused = quotedesk("quotes", "sign-off", number, "--by", "Ana", "--db", db_path)
    assert refused.returncode == 1
    assert "cannot be signed off: unknown product 'jria'" in refused.stderr
    assert "(R-INPUT)" in refused.stderr


def test_R_RESELL_1_quotes_add_warns_on_monthly_cloud_when_the_profile_names_a_seller(db_path):
    direct = quotedesk("quotes", "add", EXAMPLE, "--db", db_path).stdout.strip()
    with open_store(str(db_path)) as store:
        store.save_profile(ResellerProfile(company="Nordlicht Partners"))
    resold = quotedesk("quotes", "add", EXAMPLE, "--db", db_path).stdout.strip()
    with open_store(str(db_path)) as store:
        warned = [
            [
                (w["code"], w["line"])
                for w in store.get(n).priced["warnings"]
                if w["code"] == "R-RESELL-1"
            ]
            for n in (direct, resold)
        ]
    assert warned == [[], [("R-RESELL-1", 3)]]  # line 3: Confluence Cloud monthly


def test_list_all_revisions_shows_each_revision_with_its_own_status(db_path, tmp_path):
    fresh = json.loads(EXAMPLE.read_text())  # dated today, so signed off is not yet expired
    fresh["quote_date"] = date.today().isoformat()
    (tmp_path / "fresh.json").write_text(json.dumps(fresh))
    number = quotedesk("quotes", "add", tmp_path / "fresh.json", "--db", db_path).stdout.strip()
    quotedesk("quotes", "sign-off", number, "--by", "Ana Souza", "--db", db_path)
    quotedesk("quotes", "revise", number, "--db", db_path)

    latest = json.loads(quotedesk("quotes", "list", "--json", "--db", db_path).stdout)
    assert [(q["label"], q["status"]) for q in latest] == [(f"{number}-R2", "draft")]

    every = quotedesk("quotes", "list", "--all-revisions", "--json", "--db", db_path)
    assert every.returncode == 0, every.stderr
    listed = [(q["label"], q["revision"], q["status"]) for q in json.loads(every.stdout)]
    assert listed == [(f"{number}-R2", 2, "draft"), (number, 1, "signed_off")]

    signed = quotedesk(
        "quotes", "list", "--all-revisions", "--status", "signed_off", "--db", db_path
    )
    rows = signed.stdout.splitlines()
    assert rows[0].split() == ["NUMBER", "STATUS", "DATE", "CUSTOMER", "TOTAL"]
    assert len(rows) == 2 and rows[1].split()[:2] == [number, "signed_off"]


def test_list_searches_a_quoted_phrase_and_lines_up_wide_customer_names(db_path, tmp_path):
    yamada = json.loads(EXAMPLE.read_text())
    yamada["customer"]["name"] = "山田商事株式会社"  # 8 characters, 16 terminal cells
    (tmp_path / "yamada.json").write_text(json.dumps(yamada, ensure_ascii=False))
    acme = quotedesk("quotes", "add", EXAMPLE, "--db", db_path).stdout.strip()
    other = quotedesk("quotes", "add", tmp_path / "yamada.json", "--db", db_path).stdout.strip()

    table = quotedesk("quotes", "list", "--db", db_path)
    assert table.returncode == 0, table.stderr
    # NUMBER 13 cells, STATUS 6, DATE 10, CUSTOMER 16 (the Japanese name), TOTAL 13.
    assert table.stdout.splitlines() == [
        "NUMBER         STATUS  DATE        CUSTOMER                  TOTAL",
        f"{other}  draft   2026-11-22  山田商事株式会社  USD 48,027.68",
        f"{acme}  draft   2026-11-22  ACME Ltda         USD 48,027.68",
    ]

    phrase = quotedesk("quotes", "list", "--search", '"acme ltda"', "--json", "--db", db_path)
    assert [q["number"] for q in json.loads(phrase.stdout)] == [acme]
    apart = quotedesk("quotes", "list", "--search", '"ltda acme"', "--json", "--db", db_path)
    assert json.loads(apart.stdout) == []  # the words, but not as that phrase
