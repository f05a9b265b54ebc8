"""Fixtures shared by the PDF and app tests."""

from __future__ import annotations

import datetime as dt
import shutil
import struct
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID


def make_certificate(
    folder: Path, valid_days: int = 365, name: str = "reseller"
) -> tuple[Path, Path]:
    """A self-made signing certificate as (P12 protected by "secret", PEM certificate)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Nordlicht Partners")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=400))
        .not_valid_after(now + dt.timedelta(days=valid_days))
        .sign(key, hashes.SHA256())
    )
    p12 = folder / f"{name}.p12"
    p12.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"reseller", key, cert, None, serialization.BestAvailableEncryption(b"secret")
        )
    )
    pem = folder / f"{name}.pem"
    pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return p12, pem


@pytest.fixture
def certificate(tmp_path) -> Callable[..., tuple[Path, Path]]:
    """make_certificate in the test's tmp_path."""

    def make(valid_days: int = 365, name: str = "reseller") -> tuple[Path, Path]:
        return make_certificate(tmp_path, valid_days, name)

    return make


SOFTHSM_MODULE = Path("/usr/lib/softhsm/libsofthsm2.so")  # Debian's softhsm2
TOKEN_PIN = "1234"
# SoftHSM2 keeps a token's flags in its token.object as (CKA_OS_TOKENFLAGS, "unsigned
# long" tag, 8-byte value), all big-endian. It reports them to callers but never sets the
# PIN counter flags itself (it never locks), so a token that has run out of PIN tries is
# made by setting them.
TOKEN_FLAGS_TAG = struct.pack(">QQ", 0x8000534B, 2)
USER_PIN_FINAL_TRY, USER_PIN_LOCKED = 0x20000, 0x40000


@dataclass(frozen=True)
class SoftHsm:
    """A SoftHSM2 token store for the session, with tokens (PIN 1234) holding an RSA key
    and a certificate for it, both labelled "reseller" (CKA_ID 01), issued by a test CA
    that the tokens also hold (its label "issuer", no key):
    - "quotedesk": for every test that signs;
    - "pulled-1", "pulled-2": for the tests that pull a token out (delete its folder);
    - "locked" (no key): its PIN locked after too many wrong tries;
    - "last-try" (no key): one wrong PIN away from locking."""

    module: Path
    conf: Path
    folders: dict[str, Path]  # token label -> its folder in the store
    ca_pem: Path  # the issuer's certificate, for verify --trust

    def env(self) -> dict[str, str]:
        return {"SOFTHSM2_CONF": str(self.conf), "QUOTEDESK_PKCS11_MODULE": str(self.module)}


@pytest.fixture(scope="session")
def softhsm(tmp_path_factory) -> Iterator[SoftHsm]:
    util = shutil.which("softhsm2-util")
    if not SOFTHSM_MODULE.is_file() or util is None:
        pytest.skip(
            f"SoftHSM2 is not installed ({SOFTHSM_MODULE}; Debian package softhsm2, "
            "which ./dev installs)"
        )
    folder = tmp_path_factory.mktemp("softhsm")
    (folder / "tokens").mkdir()
    conf = folder / "softhsm2.conf"
    conf.write_text(
        f"directories.tokendir = {folder / 'tokens'}\nobjectstore.backend = file\n"
        "log.level = ERROR\nslots.removable = false\n"
    )
    with pytest.MonkeyPatch.context() as patch:
        # SoftHSM2 reads its configuration once, when this process first loads it.
        patch.setenv("SOFTHSM2_CONF", str(conf))
        folders = {}
        for label in ("quotedesk", "pulled-1", "pulled-2", "locked", "last-try"):
            before = set((folder / "tokens").iterdir())
            subprocess.run(
                [util, "--init-token", "--free", "--label", label,
                 "--pin", TOKEN_PIN, "--so-pin", "5678"],
                check=True, capture_output=True,
            )  # fmt: skip
            (folders[label],) = set((folder / "tokens").iterdir()) - before
        _set_token_flags(folders["locked"], USER_PIN_LOCKED)
        _set_token_flags(folders["last-try"], USER_PIN_FINAL_TRY)
        ca_key, ca_cert = _test_ca()
        for label in ("quotedesk", "pulled-1", "pulled-2"):
            _load_token(label, ca_key, ca_cert)
        ca_pem = folder / "issuer.pem"
        ca_pem.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
        yield SoftHsm(SOFTHSM_MODULE, conf, folders, ca_pem)


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


# What a signing certificate (an ICP-Brasil A3 one, say) allows: signatures, non-repudiation.
_SIGNING_USAGE = x509.KeyUsage(
    digital_signature=True, content_commitment=True, key_encipherment=False,
    data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
    encipher_only=False, decipher_only=False,
)  # fmt: skip


def _load_token(label: str, ca_key: rsa.RSAPrivateKey, ca_cert: x509.Certificate) -> None:
    """An RSA key made on the token (it never leaves it), and a certificate the test CA
    issues for it, stored beside it as a token would hold an A3 certificate and its chain."""
    import pkcs11
    from pkcs11 import Attribute, KeyType, ObjectClass
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
        cert = (
            x509.CertificateBuilder()
            .subject_name(
                x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Nordlicht Partners")])
            )
            .issuer_name(ca_cert.subject)
            .public_key(numbers.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=30))
            .not_valid_after(now + dt.timedelta(days=365))
            .add_extension(_SIGNING_USAGE, critical=True)
            .sign(ca_key, hashes.SHA256())
        )
        for der, name, key_id in (
            (cert.public_bytes(serialization.Encoding.DER), "reseller", b"\x01"),
            (ca_cert.public_bytes(serialization.Encoding.DER), "issuer", b"\x02"),
        ):
            attributes = decode_x509_certificate(der)
            attributes.update({Attribute.LABEL: name, Attribute.ID: key_id, Attribute.TOKEN: True})
            assert attributes[Attribute.CLASS] == ObjectClass.CERTIFICATE
            session.create_object(attributes)
