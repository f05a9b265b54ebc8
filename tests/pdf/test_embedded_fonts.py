"""A PDF quote names only fonts it embeds: a viewer never substitutes one of its own
(poppler's `pdffonts` says "yes" under "emb" for every font, in every language, and in
the signature stamp too)."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from quotedesk.core.messages import LANGUAGES

SPEC_EXAMPLE = Path(__file__).parents[1] / "fixtures" / "spec_example.json"

pytestmark = pytest.mark.skipif(not shutil.which("pdffonts"), reason="poppler-utils")


def fonts(pdf: Path) -> list[tuple[str, str]]:
    """(name, emb) of every font `pdffonts` lists; nothing on its stderr."""
    result = subprocess.run(["pdffonts", pdf], capture_output=True, text=True, check=True)
    assert result.stderr == ""
    header, _rule, *rows = result.stdout.splitlines()
    emb = header.index(" emb ") + 1
    return [(row.split()[0], row[emb : emb + 3]) for row in rows]


def quotedesk(*args: str | Path, cwd: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "quotedesk", *map(str, args)],
        cwd=cwd, capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_font_an_exported_quote_names_is_embedded(lang, tmp_path):
    # The sample price book adds the "illustrative prices" banner; --compare the table page.
    quotedesk("export", SPEC_EXAMPLE, "--lang", lang, "--compare", "-o", "q.pdf", cwd=tmp_path)
    listed = fonts(tmp_path / "q.pdf")
    assert listed and all(emb == "yes" for _, emb in listed), listed
    assert not any("Helvetica" in name or "Courier" in name for name, _ in listed)


def test_the_signature_stamp_embeds_the_fonts_of_a_japanese_signers_name(tmp_path):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "株式会社ノルド Ltd")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )  # fmt: skip
    (tmp_path / "signer.p12").write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"signer", key, cert, None, serialization.BestAvailableEncryption(b"secret")
        )
    )
    (tmp_path / "signer.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "pw.txt").write_text("secret\n")
    db = ("--db", "q.db")
    quotedesk("quotes", "add", SPEC_EXAMPLE, *db, cwd=tmp_path)
    quotedesk("quotes", "sign-off", "QD-2026-00001", "--by", "Ana", *db, cwd=tmp_path)
    quotedesk(
        "export", "QD-2026-00001", *db, "--lang", "ja", "-o", "signed.pdf",
        "--sign", "signer.p12", "--password-file", "pw.txt", cwd=tmp_path,
    )  # fmt: skip
    listed = fonts(tmp_path / "signed.pdf")
    assert all(emb == "yes" for _, emb in listed), listed
    # The stamp's Latin and Japanese come from the package's own fonts.
    assert {name.split("+")[-1] for name, _ in listed} == {"DejaVuSans", "WenQuanYiMicroHei-0"}
    quotedesk("verify", "signed.pdf", "--trust", "signer.pem", cwd=tmp_path)
