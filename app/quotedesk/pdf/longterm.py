"""Timestamps and long-term validation: an RFC 3161 timestamp authority's client, and
`extend_pdf`, which adds to a signed quote what checking its signatures years later needs
without a network, sealed by a document timestamp (PAdES B-LT and B-LTA).

Extending writes incremental updates of the kinds the certification allows (validation
data in the DSS, a document timestamp in a field of its own), so the reseller's and the
customer's signatures stay intact. The validation data are the certificates each signature
carries, the issuers and the OCSP answers or CRLs fetched from the addresses in them
(Authority Information Access, CRL distribution points), as far as those answer: an
unreachable responder leaves that certificate without revocation data, and `verify`
reports a level below B-LT.
"""

from __future__ import annotations

import asyncio
import contextlib
import io

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.general import extract_certificate_info
from pyhanko.sign.signers import PdfTimeStamper
from pyhanko.sign.timestamps import TimestampRequestError
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko.sign.validation.generic_cms import extract_tst_data_iter
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko_certvalidator import CertificateValidator, ValidationContext
from pyhanko_certvalidator.errors import PathError, ValidationError
from pyhanko_certvalidator.path import ValidationPath

from quotedesk.pdf.signing import no_timestamp, system_roots, timestamper
from quotedesk.pdf.validation_data import validation_data


def extend_pdf(data: bytes, url: str) -> bytes:
    """The signed PDF with its validation data and a document timestamp from `url` added.
    Check first that verify finds it unchanged: the timestamp would seal any change.
    Raises NoTimestamp when the authority gives none."""
    return asyncio.run(_extend(data, url))


async def _extend(data: bytes, url: str) -> bytes:
    out = io.BytesIO(data)
    reader = PdfFileReader(out, strict=False)
    writer = IncrementalPdfFileWriter(out, strict=False)
    await _add_validation_data(writer, reader.embedded_signatures)
    stamped, stamper = io.BytesIO(), timestamper(url)
    try:
        await PdfTimeStamper(stamper).async_timestamp_pdf(writer, "sha256", output=stamped)
    except TimestampRequestError as exc:
        raise no_timestamp(stamper, exc) from None
    # The authority's own chain and revocation data, for whoever checks its timestamp
    # later; the next extension's timestamp seals them.
    reader = PdfFileReader(stamped, strict=False)
    writer = IncrementalPdfFileWriter(stamped, strict=False)
    if await _add_validation_data(writer, reader.embedded_timestamp_signatures[-1:]):
        writer.write_in_place()  # type: ignore[no-untyped-call]
    return stamped.getvalue()


async def _add_validation_data(
    writer: IncrementalPdfFileWriter, signatures: list[EmbeddedPdfSignature]
) -> bool:
    """Put each signature's certificates and revocation data in the DSS (in `writer`,
    not written yet); False when the DSS already held them all."""
    signed = [
        data
        for sig in signatures
        for data in (sig.signed_data, *extract_tst_data_iter(sig.signer_info, signed=False))
    ]
    carried = [
        cert
        for info in map(extract_certificate_info, signed)
        for cert in (info.signer_cert, *info.other_certs)
    ]
    # Only to build chains and fetch for them: trust is verify's to judge.
    context = ValidationContext(
        trust_roots=[*system_roots(), *(cert for cert in carried if cert.self_issued)],
        other_certs=[*carried, *validation_data(writer).certs],
        allow_fetching=True,
        revocation_mode="soft-fail",
    )
    paths: list[ValidationPath] = []
    try:
        for data in signed:
            info = extract_certificate_info(data)
            validator = CertificateValidator(
                info.signer_cert, intermediate_certs=info.other_certs, validation_context=context
            )
            # No chain to a root here: its own certificates go in all the same.
            with contextlib.suppress(PathError, ValidationError):
                paths.append(await validator.async_validate_usage(key_usage=set()))  # type: ignore[no-untyped-call]
    finally:
        await context.aclose()  # type: ignore[no-untyped-call]
    dss = DocumentSecurityStore.supply_dss_in_writer(
        writer, None, certs=carried, paths=paths, validation_context=context
    )
    return bool(dss.modified)
