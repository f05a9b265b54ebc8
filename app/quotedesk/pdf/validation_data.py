"""The validation data a signed PDF carries for long-term validation, in its Document
Security Store (DSS): certificates, OCSP answers and CRLs, as of any revision of the file;
and whether they are enough to check a certificate later with no network: the whole chain
up to a self-signed root, and for each certificate below the root an OCSP answer or a CRL
from its issuer."""

from __future__ import annotations

from dataclasses import dataclass

from asn1crypto import crl, ocsp, x509
from pyhanko.pdf_utils.generic import StreamObject
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.rw_common import PdfHandler
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko.sign.validation.errors import NoDSSFoundError
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature

# Longer chains than this are not built (a loop of cross-certificates ends here too).
MAX_CHAIN = 10


@dataclass(frozen=True, slots=True)
class ValidationData:
    certs: tuple[x509.Certificate, ...] = ()
    ocsps: tuple[ocsp.OCSPResponse, ...] = ()
    crls: tuple[crl.CertificateList, ...] = ()

    def complete_for(self, cert: x509.Certificate) -> bool:
        """The DSS holds `cert` and its chain up to a self-signed root, and an answer on
        the revocation status of each certificate below the root."""
        held = {c.issuer_serial for c in self.certs}
        for _ in range(MAX_CHAIN):
            if cert.issuer_serial not in held:
                return False
            if cert.self_issued:
                return True
            issuer = self._issuer_of(cert)
            if issuer is None or not self._answers_for(cert):
                return False
            cert = issuer
        return False

    def _issuer_of(self, cert: x509.Certificate) -> x509.Certificate | None:
        key_id = cert.authority_key_identifier
        for candidate in self.certs:
            if candidate.subject.hashable == cert.issuer.hashable and (
                key_id is None or candidate.key_identifier == key_id
            ):
                return candidate
        return None

    def _answers_for(self, cert: x509.Certificate) -> bool:
        """An OCSP answer about `cert`, or a CRL by its issuer. Whether it says the
        certificate is good is for the validation that reads it, not for this count."""
        for response in self.ocsps:
            if response["response_status"].native != "successful":
                continue
            for single in response.basic_ocsp_response["tbs_response_data"]["responses"]:
                cert_id = single["cert_id"]
                algorithm = cert_id["hash_algorithm"]["algorithm"].native
                if cert_id["serial_number"].native == cert.serial_number and cert_id[
                    "issuer_name_hash"
                ].native == getattr(cert.issuer, algorithm, None):
                    return True
        return any(revoked.issuer.hashable == cert.issuer.hashable for revoked in self.crls)


def validation_data(handler: PdfHandler) -> ValidationData:
    """The DSS of a file (a reader, or a historical revision of one)."""
    try:
        dss = DocumentSecurityStore.read_dss(handler)
    except NoDSSFoundError:
        return ValidationData()
    return ValidationData(
        tuple(dss.load_certs()),
        tuple(ocsp.OCSPResponse.load(_stream_data(ref)) for ref in dss.ocsps),
        tuple(crl.CertificateList.load(_stream_data(ref)) for ref in dss.crls),
    )


def _stream_data(ref: object) -> bytes:
    stream = ref.get_object()  # type: ignore[attr-defined]
    assert isinstance(stream, StreamObject)
    return bytes(stream.data)


def covered_by(reader: PdfFileReader, timestamp: EmbeddedPdfSignature) -> ValidationData:
    """The DSS as the document timestamp signed it."""
    return validation_data(reader.get_historical_resolver(timestamp.signed_revision))
