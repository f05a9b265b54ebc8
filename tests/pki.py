"""A real time-stamping authority, OCSP responder and CRL repository on 127.0.0.1:
certomancer's Animator (made for testing pyHanko) serving tests/fixtures/pki/certomancer.yml,
with keys made afresh for the session, behind werkzeug's threaded HTTP server."""

from __future__ import annotations

import logging
import socket
import threading
from pathlib import Path
from typing import Any

from certomancer.integrations.animator import Animator, AnimatorArchStore
from certomancer.registry import ArchLabel, CertLabel, CertomancerConfig, ServiceLabel
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from werkzeug.serving import make_server

CONFIG = Path(__file__).parent / "fixtures" / "pki" / "certomancer.yml"
KEYS = ("root", "interm", "interm-ocsp", "tsa", "reseller", "customer")


class LocalPki:
    """The PKI's services at `base`; `p12(label)` writes a holder's key and chain as a
    PKCS#12 file protected by "secret", `pem(label)` a certificate."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        for label in KEYS:
            key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            (folder / f"{label}.key.pem").write_bytes(
                key.private_bytes(
                    serialization.Encoding.PEM,
                    serialization.PrivateFormat.PKCS8,
                    serialization.NoEncryption(),
                )
            )
        self._app: Any = None
        logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request
        # The certificates name the services by URL, so the port comes first.
        self.server = make_server("127.0.0.1", 0, self._serve, threaded=True)
        self.base = f"http://127.0.0.1:{self.server.server_port}"
        config = CertomancerConfig.from_file(
            str(CONFIG), key_search_dir=str(folder), external_url_prefix=self.base
        )
        self.arch = config.get_pki_arch(ArchLabel("quotedesk"))
        self._app = Animator(AnimatorArchStore(config.pki_archs), with_web_ui=False)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def _serve(self, environ: dict[str, Any], start_response: Any) -> Any:
        return self._app(environ, start_response)

    @property
    def tsa_url(self) -> str:
        return self.arch.service_registry.get_tsa_info(ServiceLabel("tsa")).url

    def p12(self, label: str) -> Path:
        path = self.folder / f"{label}.p12"
        path.write_bytes(self.arch.package_pkcs12(CertLabel(label), password=b"secret"))
        return path

    def pem(self, label: str) -> Path:
        path = self.folder / f"{label}.pem"
        der = self.arch.get_cert(CertLabel(label)).dump()
        path.write_bytes(
            x509.load_der_x509_certificate(der).public_bytes(serialization.Encoding.PEM)
        )
        return path

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def closed_port_url() -> str:
    """A URL on 127.0.0.1 where nothing listens: a timestamp authority that is down."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/tsa"
