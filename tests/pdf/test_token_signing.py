"""Signing with a key on a token or smartcard (PKCS#11), with SoftHSM2 as the token: the
key is made on the token and never leaves it. Each failure a token can give (wrong PIN,
locked PIN, missing module, token pulled out) is one line, and the command writes nothing."""

from __future__ import annotations

import os
import pty
import re
import shutil
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509

from quotedesk.pdf import PdfError, render_quote_pdf
from quotedesk.pdf.signing import sign_pdf, verify_pdf
from quotedesk.pdf.tokens import (
    TokenKey,
    WrongPin,
    find_token,
    list_certificates,
    parse_uri,
    token_signer,
)
from tests.pdf.test_commands import quote_file, quotedesk, signed_off
from tests.softhsm import TOKEN_PIN

URI = "pkcs11:token=quotedesk;object=reseller"


def test_a_pkcs11_uri_names_the_token_and_the_key_percent_decoded():
    key = parse_uri(
        "pkcs11:model=SoftHSM%20v2;manufacturer=SoftHSM%20project;serial=544d5369;"
        "token=Nordlicht%20A3;id=%01%FF;object=reseller;type=private"
        "?module-path=/usr/lib/softhsm/libsofthsm2.so"
    )
    assert key == TokenKey(
        token="Nordlicht A3", manufacturer="SoftHSM project", serial="544d5369",
        model="SoftHSM v2", label="reseller", id=b"\x01\xff",
        module=Path("/usr/lib/softhsm/libsofthsm2.so"),
    )  # fmt: skip
    assert parse_uri(str(key)) == key
    assert parse_uri("PKCS11:slot-id=3;type=cert") == TokenKey(slot_id=3)


@pytest.mark.parametrize(
    ("uri", "says"),
    [
        ("pkcs11:token=quotedesk?pin-value=1234", "the PIN is not taken from the URI"),
        ("pkcs11:token=quotedesk?pin-source=file:/tmp/pin", "the PIN is not taken from the URI"),
        ("pkcs11:token=quotedesk;library-version=1", "'library-version=1' is not an attribute"),
        ("pkcs11:token=a;token=b", "'token' appears twice"),
        ("pkcs11:slot-id=first", "slot-id must be a decimal number"),
        ("pkcs11:object=reseller;type=public", "type=public names no signing key"),
        ("pkcs11:token=%FF", "not percent-encoded UTF-8"),
    ],
)
def test_a_uri_with_a_pin_or_an_attribute_it_cannot_honour_is_refused(uri, says):
    with pytest.raises(PdfError, match=says):
        parse_uri(uri)


def test_a_pdf_signed_on_the_token_verifies_and_chains_to_the_certificates_issuer(
    document, softhsm
):
    key = parse_uri(URI)
    with token_signer(find_token(softhsm.module, key), key, TOKEN_PIN) as signer:
        signed = sign_pdf(render_quote_pdf(document(), "en"), signer)
    issuer = x509.load_pem_x509_certificate(softhsm.ca_pem.read_bytes())
    result = verify_pdf(signed, [issuer])
    assert result.valid, result.reasons
    (check,) = result.signatures
    assert check.signer == "Common Name: Nordlicht Partners"
    assert check.trusted


def test_the_signing_certificates_are_listed_without_the_pin_but_not_the_ca(softhsm):
    tokens, found = list_certificates(softhsm.module)
    # The "pulled" tokens are there until a test pulls them out (the window's tests too).
    assert {"last-try", "locked", "quotedesk"} <= set(tokens) <= {
        "last-try", "locked", "pulled-1", "pulled-2", "quotedesk",
    }  # fmt: skip
    on_quotedesk = [c for c in found if c.token == "quotedesk"]
    assert [(c.label, c.id, c.subject) for c in on_quotedesk] == [
        ("reseller", b"\x01", "Nordlicht Partners")
    ]
    assert on_quotedesk[0].key.token == "quotedesk"
    assert on_quotedesk[0].key.label == "reseller"


def test_a_wrong_pin_is_refused_in_one_line(softhsm):
    key = parse_uri(URI)
    token = find_token(softhsm.module, key)
    with pytest.raises(WrongPin, match=r"^token 'quotedesk': wrong PIN$"):
        token_signer(token, key, "0000").__enter__()


def test_a_wrong_pin_on_the_last_try_warns_that_the_next_one_locks(softhsm):
    key = TokenKey(token="last-try")
    with pytest.raises(WrongPin, match="wrong PIN; one more wrong PIN locks the token"):
        token_signer(find_token(softhsm.module, key), key, "0000").__enter__()


def test_a_locked_token_is_refused_before_any_pin_is_asked(softhsm):
    with pytest.raises(PdfError, match="token 'locked' is locked after too many wrong PINs"):
        find_token(softhsm.module, TokenKey(token="locked"))


def test_a_missing_or_foreign_module_is_named(tmp_path, softhsm):
    missing = re.escape(f"{tmp_path}/none.so: no such PKCS#11 module")
    with pytest.raises(PdfError, match=f"^{missing}"):
        find_token(tmp_path / "none.so", TokenKey())
    (tmp_path / "text.so").write_text("not a library")
    with pytest.raises(PdfError, match=r"text\.so: cannot load it as a PKCS#11 module"):
        find_token(tmp_path / "text.so", TokenKey())


def test_a_token_not_plugged_in_lists_those_that_are(softhsm):
    with pytest.raises(PdfError) as raised:
        find_token(softhsm.module, TokenKey(token="absent"))
    said = str(raised.value)  # the pulled-out tokens are listed until they are pulled out
    assert said.startswith(
        f"no token matches pkcs11:token=absent in {softhsm.module} (tokens present: "
        "'last-try', 'locked', "
    )
    assert said.endswith(", 'quotedesk')")


def test_a_key_the_token_does_not_hold_names_the_certificates_it_does(softhsm):
    key = parse_uri("pkcs11:token=quotedesk;object=someone-else")
    with pytest.raises(PdfError) as raised:
        token_signer(find_token(softhsm.module, key), key, TOKEN_PIN).__enter__()
    assert str(raised.value) == (
        "token 'quotedesk' has no signing key with a certificate matching "
        "pkcs11:token=quotedesk;object=someone-else (its certificates: 'issuer', 'reseller')"
    )


def test_a_token_certificate_that_has_expired_is_refused_before_signing(softhsm):
    key = parse_uri(URI)
    two_years_on = datetime.now(UTC) + timedelta(days=730)  # it is valid for 365 days
    with pytest.raises(
        PdfError, match=r"^token 'quotedesk': the certificate expired on \d{4}-\d\d-\d\d$"
    ):
        token_signer(find_token(softhsm.module, key), key, TOKEN_PIN, now=two_years_on).__enter__()


def test_a_token_pulled_out_after_the_pin_and_before_signing_fails_in_one_line(document, softhsm):
    key = TokenKey(token="pulled-1", label="reseller")
    pdf = render_quote_pdf(document(), "en")
    with token_signer(find_token(softhsm.module, key), key, TOKEN_PIN) as signer:
        shutil.rmtree(softhsm.folders["pulled-1"])  # what SoftHSM2 sees of a token pulled out
        with pytest.raises(PdfError, match=r"^token 'pulled-1' was removed or stopped answering"):
            sign_pdf(pdf, signer)


# --- the command line ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def stored(tmp_path_factory) -> tuple[Path, str]:
    """A database with a signed-off quote, and its number (exporting leaves it as it is)."""
    folder = tmp_path_factory.mktemp("store")
    return folder / "quotes.db", signed_off(folder, folder / "quotes.db")


def test_export_signs_with_the_token_and_verify_says_valid_and_trusted(
    tmp_path, softhsm, stored, monkeypatch
):
    monkeypatch.setenv("QUOTEDESK_PKCS11_MODULE", str(softhsm.module))
    (tmp_path / "pin").write_text(f"{TOKEN_PIN}\n")
    (db, number), out = stored, tmp_path / "q.pdf"
    run = quotedesk(
        "export", number, "-o", str(out), "--sign", URI,
        "--pin-file", str(tmp_path / "pin"), db=db,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    verify = quotedesk("verify", str(out), "--trust", str(softhsm.ca_pem))
    assert verify.returncode == 0, verify.stdout
    assert "trusted: yes" in verify.stdout
    assert "result: VALID" in verify.stdout


def test_export_takes_the_module_option_and_the_pin_from_the_environment(
    tmp_path, softhsm, stored, monkeypatch
):
    monkeypatch.delenv("QUOTEDESK_PKCS11_MODULE", raising=False)
    monkeypatch.setenv("QUOTEDESK_PIN", TOKEN_PIN)
    (db, number), out = stored, tmp_path / "q.pdf"
    run = quotedesk(
        "export", number, "-o", str(out), "--sign", "pkcs11:token=quotedesk",
        "--pkcs11-module", str(softhsm.module), db=db,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert quotedesk("verify", str(out)).returncode == 0


def test_export_asks_for_the_pin_at_a_terminal(tmp_path, softhsm, stored, monkeypatch):
    monkeypatch.delenv("QUOTEDESK_PIN", raising=False)
    (db, number), out = stored, tmp_path / "q.pdf"
    env = {**os.environ, "QUOTEDESK_DB": str(db), "PYTHONWARNINGS": "ignore"}
    argv = [sys.executable, "-m", "quotedesk", "export", number, "-o", str(out), "--sign", URI,
            "--pkcs11-module", str(softhsm.module)]  # fmt: skip
    pid, terminal = pty.fork()  # the child's controlling terminal, where getpass asks
    if pid == 0:
        os.execve(sys.executable, argv, env)
    said = b""
    while b"PIN of token 'quotedesk': " not in said:
        said += os.read(terminal, 1024)
    os.write(terminal, f"{TOKEN_PIN}\n".encode())
    with pytest.raises(OSError):  # EIO once the child has exited and closed the terminal
        while os.read(terminal, 1024):
            pass
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert TOKEN_PIN.encode() not in said  # not echoed
    assert quotedesk("verify", str(out)).returncode == 0


@pytest.mark.parametrize(
    ("sign", "options", "says"),
    [
        (URI, ["--pin-file", "PIN:0000"], "quotedesk export: token 'quotedesk': wrong PIN"),
        ("pkcs11:token=locked", ["--pin-file", f"PIN:{TOKEN_PIN}"],
         "quotedesk export: token 'locked' is locked after too many wrong PINs; unlock it "
         "with its administrator PIN (PUK) in the token's own software"),
        (URI, ["--pin-file", f"PIN:{TOKEN_PIN}", "--pkcs11-module", "/opt/none/opensc-pkcs11.so"],
         "quotedesk export: /opt/none/opensc-pkcs11.so: no such PKCS#11 module (is the token's "
         "software installed? see README, 'Signing with a token or smartcard')"),
        (URI, [], "quotedesk export: token 'quotedesk' needs its PIN: give --pin-file or set "
         "QUOTEDESK_PIN (there is no terminal to ask at)"),
        (URI + "?pin-value=1234", [], "the PIN is not taken from the URI"),
    ],
)  # fmt: skip
def test_export_with_the_token_failing_is_one_line_exit_2_and_writes_nothing(
    tmp_path, softhsm, stored, monkeypatch, sign, options, says
):
    monkeypatch.setenv("QUOTEDESK_PKCS11_MODULE", str(softhsm.module))
    monkeypatch.delenv("QUOTEDESK_PIN", raising=False)
    (db, number), out = stored, tmp_path / "q.pdf"
    out.write_bytes(b"the PDF exported yesterday")
    arguments = []
    for option in options:  # PIN:xxxx is a PIN file holding xxxx
        if option.startswith("PIN:"):
            (tmp_path / "pin").write_text(option.removeprefix("PIN:"))
            option = str(tmp_path / "pin")
        arguments.append(option)
    run = quotedesk("export", number, "-o", str(out), "--sign", sign, *arguments, db=db)
    assert run.returncode == 2
    assert run.stderr.count("\n") == 1 and says in run.stderr, run.stderr
    assert out.read_bytes() == b"the PDF exported yesterday"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no partial


def test_a_draft_is_refused_before_the_token_asks_for_its_pin(tmp_path, softhsm, monkeypatch):
    monkeypatch.setenv("QUOTEDESK_PKCS11_MODULE", str(softhsm.module))
    monkeypatch.delenv("QUOTEDESK_PIN", raising=False)
    db = tmp_path / "quotes.db"
    number = quotedesk("quotes", "add", str(quote_file(tmp_path)), db=db).stdout.strip()
    run = quotedesk("export", number, "-o", str(tmp_path / "q.pdf"), "--sign", URI, db=db)
    assert run.returncode == 1
    assert "is a draft; sign it off before exporting it signed" in run.stderr


def test_export_without_a_module_says_how_to_give_one(tmp_path, softhsm, monkeypatch):
    monkeypatch.delenv("QUOTEDESK_PKCS11_MODULE", raising=False)
    run = quotedesk("export", str(tmp_path / "q.json"), "-o", str(tmp_path / "q.pdf"),
                    "--sign", URI)  # fmt: skip
    assert run.returncode == 2
    assert run.stderr == (
        "quotedesk export: which PKCS#11 module reaches the token? Give --pkcs11-module PATH "
        "or set QUOTEDESK_PKCS11_MODULE (README: 'Signing with a token or smartcard')\n"
    )


def test_token_options_without_a_token_are_refused(tmp_path):
    run = quotedesk("export", str(tmp_path / "q.json"), "-o", str(tmp_path / "q.pdf"),
                    "--pin-file", str(tmp_path / "pin"))  # fmt: skip
    assert run.returncode == 2
    assert run.stderr == "quotedesk export: --pin-file goes with --sign pkcs11:URI\n"
