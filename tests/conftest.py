"""Fixtures shared by the PDF and app tests."""

from __future__ import annotations

import datetime as dt
import faulthandler
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from tests.softhsm import SOFTHSM_MODULE, SoftHsm, make_token_store


@pytest.fixture(autouse=True)
def _no_endless_test():
    """A test that hangs (a modal dialog nobody answers) ends the run with every thread's
    traceback after ten minutes, instead of holding CI until its time limit."""
    faulthandler.dump_traceback_later(600, exit=True)
    yield
    faulthandler.cancel_dump_traceback_later()


@pytest.fixture(scope="session", autouse=True)
def _private_user_folders(tmp_path_factory):
    """No test reads or writes the quotes, settings or logs of the person running the
    suite: the user data, config and state folders (platformdirs follows XDG) are the
    session's own, for this process and the commands it starts."""
    folders = tmp_path_factory.mktemp("user-folders")
    patch = pytest.MonkeyPatch()
    for variable in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME"):
        patch.setenv(variable, str(folders / variable.lower()))
    patch.delenv("QUOTEDESK_DB", raising=False)
    yield
    patch.undo()


def make_certificate(
    folder: Path,
    valid_days: int = 365,
    name: str = "reseller",
    *,
    common_name: str = "Nordlicht Partners",
    valid_from_days: int = -400,
) -> tuple[Path, Path]:
    """A self-made signing certificate as (P12 protected by "secret", PEM certificate),
    valid from `valid_from_days` to `valid_days` days from now."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now + dt.timedelta(days=valid_from_days))
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

    def make(valid_days: int = 365, name: str = "reseller", **options: Any) -> tuple[Path, Path]:
        return make_certificate(tmp_path, valid_days, name, **options)

    return make


@pytest.fixture(scope="session")
def softhsm(tmp_path_factory) -> Iterator[SoftHsm]:
    """SoftHSM2 tokens for the session (tests/softhsm.py); skipped when SoftHSM2 is not
    installed."""
    if not SOFTHSM_MODULE.is_file() or shutil.which("softhsm2-util") is None:
        pytest.skip(
            f"SoftHSM2 is not installed ({SOFTHSM_MODULE}; Debian package softhsm2, "
            "which ./dev installs)"
        )
    store = make_token_store(tmp_path_factory.mktemp("softhsm"))
    with pytest.MonkeyPatch.context() as patch:
        # For this process (which loads SoftHSM2 once, reading it then) and the commands
        # the tests start.
        patch.setenv("SOFTHSM2_CONF", str(store.conf))
        yield store


@pytest.fixture(scope="session")
def pki(tmp_path_factory):
    """A local PKI with a timestamp authority, an OCSP responder and a CRL on 127.0.0.1
    (tests/pki.py), for the whole session."""
    from tests.pki import LocalPki

    local = LocalPki(tmp_path_factory.mktemp("pki"))
    yield local
    local.stop()
