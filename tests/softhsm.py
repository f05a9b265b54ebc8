"""A SoftHSM2 token store loaded as a reseller's token would be: an RSA key made on each
token (it never leaves it) and a certificate a test CA issued for it, stored beside it
with the CA's own certificate (an ICP-Brasil A3 token holds its chain too).

The keys are made by `python -m tests.softhsm` in a process of its own: SoftHSM2 reads
its token store once, when a process first loads it, so the test process must load it
only once every token is finished (and its PIN counter set).
"""

from __future__ import annotations

import datetime as dt
import struct
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

SOFTHSM_MODULE = Path("/usr/lib/softhsm/libsofthsm2.so")  # Debian's softhsm2
TOKEN_PIN = "1234"
# "quotedesk" for the tests that sign; "pulled-1" and "pulled-2" for those that pull a
# token out (delete its folder); "locked" has locked its PIN after too many wrong tries;
# "last-try" is one wrong PIN away from that.
TOKENS = ("quotedesk", "pulled-1", "pulled-2", "locked", "last-try")
# SoftHSM2 keeps a token's flags in its token.object as (CKA_OS_TOKENFLAGS, "unsigned
# long" tag, 8-byte value), all big-endian. It reports them to callers but never sets the
# PIN counter flags itself (it never locks a PIN), so the tests set them.
TOKEN_FLAGS_TAG = struct.pack(">QQ", 0x8000534B, 2)
USER_PIN_FINAL_TRY, USER_PIN_LOCKED = 0x20000, 0x40000
# What a signing certificate (an A3 one, say) allows: signatures and non-repudiation.
SIGNING_USAGE = x509.KeyUsage(
    digital_signature=True, content_commitment=True, key_encipherment=False,
    data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
    encipher_only=False, decipher_only=False,
)  # fmt: skip


@dataclass(frozen=True)
class SoftHsm:
    """Every token has PIN 1234 and a key and certificate labelled "reseller" (CKA_ID 01,
    subject "Nordlicht Partners"); the CA certificate is labelled "issuer" (CKA_ID 02)."""

    module: Path
    conf: Path
    folders: dict[str, Path]  # token label -> its folder in the store
    ca_pem: Path  # the issuer's certificate, for verify --trust


def make_token_store(folder: Path) -> SoftHsm:
    (folder / "tokens").mkdir()
    conf = folder / "softhsm2.conf"
    conf.write_text(
        f"directories.tokendir = {folder / 'tokens'}\nobjectstore.backend = file\n"
        "log.level = ERROR\nslots.removable = false\n"
    )
    env = {"SOFTHSM2_CONF": str(conf)}
    folders = {}
    for label in TOKENS:
        before = set((folder / "tokens").iterdir())
        subprocess.run(
            ["softhsm2-util", "--init-token", "--free", "--label", label,
             "--pin", TOKEN_PIN, "--so-pin", "5678"],
            check=True, capture_output=True, env=env,
        )  # fmt: skip
        (folders[label],) = set((folder / "tokens").iterdir()) - before
    ca_key, ca_cert = _test_ca()
    ca_pem, ca_key_pem = folder / "issuer.pem", folder / "issuer-key.pem"
    ca_pem.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    ca_key_pem.write_bytes(
        ca_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    subprocess.run(
        [sys.executable, "-m", "tests.softhsm", str(ca_key_pem), str(ca_pem), *TOKENS],
        check=True, capture_output=True, env=env, cwd=Path(__file__).parents[1],
    )  # fmt: skip
    _set_token_flags(folders["locked"], USER_PIN_LOCKED)
    _set_token_flags(folders["last-try"], USER_PIN_FINAL_TRY)
    return SoftHsm(SOFTHSM_MODULE, conf, folders, ca_pem)


def _set_token_flags(token_folder: Path, flags: int) -> None:
    path = token_folder / "token.object"
    data = bytearray(path.read_bytes())
    at = data.index(TOKEN_FLAGS_TAG) + len(TOKEN_FLAGS_TAG)
    (old,) = struct.unpack(">Q", data[at : at + 8])
    data[at : at + 8] = struct.pack(">Q", old | flags)
    path.write_bytes(bytes(data))


def _test_ca() -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test Token CA")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=400))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    return key, cert


def _load_token(label: str, ca_key: rsa.RSAPrivateKey, ca_cert: x509.Certificate) -> None:
    import pkcs11
    from pkcs11 import Attribute, KeyType
    from pkcs11.util.x509 import decode_x509_certificate

    token = pkcs11.lib(str(SOFTHSM_MODULE)).get_token(token_label=label)
    with token.open(rw=True, user_pin=TOKEN_PIN) as session:
        public, _ = session.generate_keypair(
            KeyType.RSA, 2048, store=True, label="reseller", id=b"\x01"
        )
        numbers = rsa.RSAPublicNumbers(
            int.from_bytes(public[Attribute.PUBLIC_EXPONENT]),
            int.from_bytes(public[Attribute.MODULUS]),
        )
        now = dt.datetime.now(dt.UTC)
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Nordlicht Partners")])
        cert = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(ca_cert.subject)
            .public_key(numbers.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=30))
            .not_valid_after(now + dt.timedelta(days=365))
            .add_extension(SIGNING_USAGE, critical=True)
            .sign(ca_key, hashes.SHA256())
        )
        for stored, name, key_id in ((cert, "reseller", b"\x01"), (ca_cert, "issuer", b"\x02")):
            attributes = decode_x509_certificate(stored.public_bytes(serialization.Encoding.DER))
            attributes.update({Attribute.LABEL: name, Attribute.ID: key_id, Attribute.TOKEN: True})
            session.create_object(attributes)


if __name__ == "__main__":  # CA_KEY.pem CA.pem LABEL...
    ca_key = serialization.load_pem_private_key(Path(sys.argv[1]).read_bytes(), None)
    assert isinstance(ca_key, rsa.RSAPrivateKey)
    ca_cert = x509.load_pem_x509_certificate(Path(sys.argv[2]).read_bytes())
    for token_label in sys.argv[3:]:
        _load_token(token_label, ca_key, ca_cert)
