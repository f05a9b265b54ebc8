"""`quotedesk export`, `verify` and `import` as subprocesses, with exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.pdf.conftest import FIXTURES, JIRA_100

QUOTE = {
    "schema": 1,
    "quote_date": "2026-11-20",
    "customer": {"name": "ACME Ltda", "country": "BR"},
    "lines": [JIRA_100],
}


def quotedesk(*args: str, db: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    if db is not None:
        env["QUOTEDESK_DB"] = str(db)
    return subprocess.run(
        [sys.executable, "-m", "quotedesk", *args], capture_output=True, text=True, env=env
    )


def quote_file(tmp_path: Path) -> Path:
    path = tmp_path / "quote.json"
    path.write_text(json.dumps(QUOTE))
    return path


def signed_off(tmp_path: Path, db: Path) -> str:
    number = quotedesk("quotes", "add", str(quote_file(tmp_path)), db=db).stdout.strip()
    assert quotedesk("quotes", "sign-off", number, "--by", "Ana Lima", db=db).returncode == 0
    return number


def test_export_sign_and_verify_a_signed_off_quote(tmp_path, certificate):
    p12, pem = certificate()
    (tmp_path / "pw").write_text("secret\n")
    db, out = tmp_path / "quotes.db", tmp_path / "q.pdf"
    run = quotedesk(
        "export", signed_off(tmp_path, db), "-o", str(out), "--lang", "pt-BR", "--sign",
        str(p12), "--password-file", str(tmp_path / "pw"), db=db,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    verify = quotedesk("verify", str(out), "--trust", str(pem))
    assert verify.returncode == 0, verify.stdout
    assert "intact: yes" in verify.stdout and "trusted: yes" in verify.stdout
    assert "result: VALID" in verify.stdout


def test_export_refuses_to_sign_a_draft_or_a_quote_file(tmp_path, certificate):
    p12, _ = certificate()
    (tmp_path / "pw").write_text("secret")
    db = tmp_path / "quotes.db"
    draft = quotedesk("quotes", "add", str(quote_file(tmp_path)), db=db).stdout.strip()
    for source in (str(quote_file(tmp_path)), draft):
        run = quotedesk(
            "export", source, "-o", str(tmp_path / "d.pdf"), "--catalog",
            str(FIXTURES / "test_book.csv"), "--sign", str(p12), "--password-file",
            str(tmp_path / "pw"), db=db,
        )  # fmt: skip
        assert run.returncode == 1
        assert "is a draft; sign it off" in run.stderr
        assert len(run.stderr.splitlines()) == 1
        assert not (tmp_path / "d.pdf").exists()


def test_verify_exit_1_for_an_unsigned_or_tampered_pdf(tmp_path):
    out = tmp_path / "q.pdf"
    assert quotedesk("export", str(quote_file(tmp_path)), "-o", str(out)).returncode == 0
    unsigned = quotedesk("verify", str(out))
    assert unsigned.returncode == 1
    assert "signature: none" in unsigned.stdout
    data = bytearray(out.read_bytes())
    data[len(data) // 2] ^= 0xFF
    out.write_bytes(bytes(data))
    tampered = quotedesk("verify", str(out))
    assert tampered.returncode == 1
    assert "Traceback" not in tampered.stdout + tampered.stderr


def test_export_bad_input_is_exit_2_with_one_line(tmp_path, certificate):
    p12, _ = certificate()
    (tmp_path / "pw").write_text("wrong")
    db = tmp_path / "quotes.db"
    quote, number = str(quote_file(tmp_path)), signed_off(tmp_path, db)
    cases = {
        ("export", number, "-o", str(tmp_path / "a.pdf"), "--sign", str(p12), "--password-file",
         str(tmp_path / "pw"), "--db", str(db)): "wrong password",
        ("export", number, "-o", str(tmp_path / "b.pdf"), "--sign", str(tmp_path / "no.p12"),
         "--password-file", str(tmp_path / "pw"), "--db", str(db)): "no such certificate file",
        ("export", str(tmp_path / "missing.json"), "-o", str(tmp_path / "c.pdf")): "no such file",
        ("verify", quote): "not a PDF",
        ("verify", str(tmp_path / "none.pdf")): "no such file",
    }  # fmt: skip
    for args, message in cases.items():
        run = quotedesk(*args)
        assert run.returncode == 2, (args, run.stderr)
        assert message in run.stderr
        assert len(run.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "a.pdf").exists()


def test_export_a_stored_signed_off_quote_and_import_it_back(tmp_path):
    db = tmp_path / "quotes.db"
    number = signed_off(tmp_path, db)
    out = tmp_path / "stored.pdf"
    run = quotedesk("export", number, "-o", str(out), db=db)
    assert run.returncode == 0, run.stderr
    imported = quotedesk("import", str(out), db=db)
    assert imported.returncode == 0, imported.stderr
    new_number = imported.stdout.strip()
    assert new_number != number
    shown = json.loads(quotedesk("quotes", "show", new_number, db=db).stdout)
    assert shown["customer"]["name"] == "ACME Ltda"
    assert shown["lines"][0]["users"] == 100
    assert shown["status"] == "draft"


def test_verify_signed_pdf_with_one_byte_changed_is_exit_1_and_cut_short_is_exit_2(
    tmp_path, certificate
):
    p12, _ = certificate()
    (tmp_path / "pw").write_text("secret")
    db, out = tmp_path / "quotes.db", tmp_path / "q.pdf"
    run = quotedesk(
        "export", signed_off(tmp_path, db), "-o", str(out), "--sign", str(p12),
        "--password-file", str(tmp_path / "pw"), db=db,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    signed = out.read_bytes()
    changed = bytearray(signed)
    changed[len(signed) // 3] ^= 0x01  # in the signed revision (the signature comes last)
    (tmp_path / "changed.pdf").write_bytes(bytes(changed))
    verify = quotedesk("verify", str(tmp_path / "changed.pdf"))
    assert verify.returncode == 1, verify.stdout + verify.stderr
    assert "result: NOT VALID" in verify.stdout
    assert "Traceback" not in verify.stdout + verify.stderr

    (tmp_path / "cut.pdf").write_bytes(signed[: len(signed) // 2])
    cut = quotedesk("verify", str(tmp_path / "cut.pdf"))
    assert cut.returncode == 2
    assert len(cut.stderr.splitlines()) == 1 and "is a damaged PDF" in cut.stderr
