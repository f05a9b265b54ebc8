"""Timestamps and long-term validation with a real timestamp authority, OCSP responder and
CRL on 127.0.0.1 (tests/pki.py): a signed export is B-B offline and says so, B-T with an
authority; `signatures extend` makes it B-LTA later, in place, as an update the
certification allows; `verify` prints each signature's level and timestamp. The PKI: a
root CA, an issuing CA under it that issued the reseller's and the customer's
certificates (OCSP), and a timestamp authority under the root (CRL)."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from dataclasses import replace

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.timestamps import HTTPTimeStamper
from pyhanko.sign.validation import add_validation_info
from pyhanko_certvalidator import ValidationContext

from quotedesk.pdf import render_quote_pdf
from quotedesk.pdf.signing import load_certificates, sign_pdf, timestamper, verify_pdf
from quotedesk.pdf.validation_data import validation_data
from quotedesk.store import open_store
from tests.pdf.test_acceptance import accept, timestamp, with_dss
from tests.pdf.test_commands import quotedesk, signed_off
from tests.pdf.test_verify_attacks import paint_total
from tests.pki import closed_port_url

TSA = "Common Name: Test Time Stamping Authority, Organization: Quote Desk Test PKI, Country: BR"


@pytest.fixture
def desk(tmp_path, pki):
    """A signed-off quote in a store, the reseller's P12 and password file from the PKI,
    and a function that exports it signed with extra arguments."""
    db, out = tmp_path / "quotes.db", tmp_path / "signed.pdf"
    (tmp_path / "pw").write_text("secret\n")
    number = signed_off(tmp_path, db)
    p12 = pki.p12("reseller")

    def export(*extra: str):
        return quotedesk(
            "export", number, "-o", str(out), "--sign", str(p12),
            "--password-file", str(tmp_path / "pw"), *extra, db=db,
        )  # fmt: skip

    return db, out, export


def levels(db):
    with open_store(db) as store:
        return [(export.path.name, export.level) for export in store.signed_exports()]


def verify_lines(pki, path, *extra: str) -> list[str]:
    run = quotedesk("verify", str(path), "--trust", str(pki.pem("root")), *extra)
    return run.stdout.splitlines()


def test_an_export_with_no_authority_is_signed_B_B_and_says_there_is_no_timestamp_yet(desk, pki):
    db, out, export = desk
    run = export()
    assert run.returncode == 0
    assert run.stderr == (
        "quotedesk export: no timestamp yet (no timestamp authority is set): signed B-B; "
        f"`quotedesk signatures extend {out}` adds one when an authority answers\n"
    )
    assert run.stdout.endswith(" bytes, signed PAdES B-B\n")
    assert levels(db) == [("signed.pdf", "B-B")]
    lines = verify_lines(pki, out)
    assert "level: PAdES B-B (no timestamp yet: only the signer's clock says when it signed; " \
        "quotedesk signatures extend adds one)" in lines  # fmt: skip
    assert not any(line.startswith("timestamp:") for line in lines)
    assert "certificate: valid then and now" in lines and lines[-1] == "result: VALID"


def test_an_authority_that_is_down_still_gives_a_B_B_export_with_the_reason(desk):
    db, out, export = desk
    down = closed_port_url()
    run = export("--timestamp", down)
    assert run.returncode == 0
    (line,) = run.stderr.splitlines()
    assert line.startswith(
        f"quotedesk export: no timestamp yet (the timestamp authority {down} gave no "
        "timestamp (Cannot connect to host 127.0.0.1"
    )
    assert levels(db) == [("signed.pdf", "B-B")]
    assert verify_pdf(out.read_bytes()).level == "B-B"


def test_an_export_with_an_authority_is_B_T_and_verify_names_the_authority_and_time(desk, pki):
    db, out, export = desk
    run = export("--timestamp", pki.tsa_url)
    assert (run.returncode, run.stderr) == (0, "")
    assert run.stdout.endswith(" bytes, signed PAdES B-T\n")
    assert levels(db) == [("signed.pdf", "B-T")]
    root = str(pki.pem("root"))
    trusted = verify_lines(pki, out, "--trust-tsa", root)
    assert "level: PAdES B-T (timestamped)" in trusted
    (stamp,) = [line for line in trusted if line.startswith("timestamp: ")]
    assert stamp.endswith(f" by {TSA} (its own timestamp; trusted)")
    assert "certificate: valid when timestamped" in trusted and trusted[-1] == "result: VALID"
    # The test root is no CA of this system: the authority's time is not taken on trust.
    untrusted = verify_lines(pki, out)
    (stamp,) = [line for line in untrusted if line.startswith("timestamp: ")]
    assert stamp.endswith(
        f" by {TSA} (its own timestamp; trusted: no (not an authority this system trusts; "
        "give its CA with --trust-tsa))"
    )
    assert "certificate: valid then and now" in untrusted


def test_the_profiles_authority_timestamps_an_export_without_the_option(desk, pki):
    db, _, export = desk
    with open_store(db) as store:
        store.save_profile(replace(store.profile(), timestamp_url=pki.tsa_url))
    assert export().stderr == ""
    assert levels(db) == [("signed.pdf", "B-T")]


def test_an_offline_export_extended_later_is_B_LTA_in_place_and_still_valid(desk, pki):
    db, out, export = desk
    assert export().returncode == 0
    out.chmod(0o640)
    run = quotedesk("signatures", "extend", str(out), "--timestamp", pki.tsa_url, db=db)
    assert (run.returncode, run.stderr) == (0, "")
    assert run.stdout == f"{out}: extended, PAdES B-LTA\n"
    assert out.stat().st_mode & 0o777 == 0o640
    assert levels(db) == [("signed.pdf", "B-LTA")]
    assert sorted(p.name for p in out.parent.iterdir() if p.name.startswith(".")) == []

    # What was added: the reseller's chain with an OCSP answer for its certificate, the
    # root's CRL for the issuing CA and the authority, and the authority's own chain.
    held = validation_data(PdfFileReader(io.BytesIO(out.read_bytes())))
    assert sorted(cert.subject.native["common_name"] for cert in held.certs) == [
        "Nordlicht Partners", "Test Issuing CA", "Test OCSP Responder", "Test Root CA",
        "Test Time Stamping Authority",
    ]  # fmt: skip
    assert (len(held.ocsps), len(held.crls)) == (1, 1)

    lines = verify_lines(pki, out, "--trust-tsa", str(pki.pem("root")))
    assert "level: PAdES B-LTA (timestamped, with the data to check it offline, sealed by a " \
        "document timestamp)" in lines  # fmt: skip
    (stamp,) = [line for line in lines if line.startswith("timestamp: ")]
    assert stamp.endswith(f" by {TSA} (document timestamp after it; trusted)")
    assert "kind: document timestamp (field Timestamp-" in "\n".join(lines)
    assert "acceptance: not signed yet (the customer acceptance field is empty)" in lines
    assert lines[-1] == "result: VALID"


def test_a_customer_accepts_an_extended_quote_and_a_second_extension_seals_the_acceptance(
    document, pki
):
    root = load_certificates(pki.pem("root"))
    certified = sign_pdf(
        render_quote_pdf(document(), "en"), pki.p12("reseller"), b"secret",
        timestamper=timestamper(pki.tsa_url),
    )  # fmt: skip
    from quotedesk.pdf.longterm import extend_pdf

    accepted = accept(extend_pdf(certified, pki.tsa_url), pki.p12("customer"))
    result = verify_pdf(accepted, root, tsa_trust=root)
    assert result.valid, result.reasons
    assert [(c.role, c.level) for c in result.signatures] == [
        ("certification", "B-LTA"), ("timestamp", None), ("acceptance", "B-B"),
    ]  # fmt: skip
    assert result.acceptance is not None and result.acceptance.trusted

    result = verify_pdf(extend_pdf(accepted, pki.tsa_url), root, tsa_trust=root)
    assert result.valid, result.reasons
    assert [(c.role, c.level) for c in result.signatures] == [
        ("certification", "B-LTA"), ("timestamp", None), ("acceptance", "B-LTA"),
        ("timestamp", None),
    ]  # fmt: skip
    assert all(check.intact and check.trusted for check in result.signatures)


def test_validation_data_without_a_timestamp_over_it_is_B_LT_and_without_revocation_B_T(
    document, pki
):
    """B-LT needs every certificate of the chain and an answer on each one's revocation
    below the root; B-LTA a document timestamp over them."""
    root = load_certificates(pki.pem("root"))
    stamped = sign_pdf(
        render_quote_pdf(document(), "en"), pki.p12("reseller"), b"secret",
        timestamper=timestamper(pki.tsa_url),
    )  # fmt: skip
    reseller = pki.pem("reseller")
    certs_only = timestamp(with_dss(stamped, reseller))
    assert verify_pdf(certs_only, root).level == "B-T"

    (sig,) = PdfFileReader(io.BytesIO(stamped)).embedded_signatures
    context = ValidationContext(trust_roots=[pki.arch.get_cert("root")], allow_fetching=True)
    with_revocation = add_validation_info(sig, context).getvalue()
    assert verify_pdf(with_revocation, root).level == "B-LT"


def test_extend_refuses_a_changed_file_and_leaves_it_as_it_was(desk, pki):
    db, out, export = desk
    assert export().returncode == 0
    out.write_bytes(paint_total(out.read_bytes()))
    before = out.read_bytes()
    run = quotedesk("signatures", "extend", str(out), "--timestamp", pki.tsa_url, db=db)
    assert run.returncode == 1
    assert run.stderr.startswith(f"quotedesk signatures: refused: {out} fails verify (")
    assert run.stderr.endswith("): not extended\n") and run.stdout == ""
    assert out.read_bytes() == before and levels(db) == [("signed.pdf", "B-B")]


def test_extend_with_the_authority_down_leaves_the_file_as_it_was(desk):
    db, out, export = desk
    assert export().returncode == 0
    before = out.read_bytes()
    down = closed_port_url()
    run = quotedesk("signatures", "extend", str(out), str(out), "--timestamp", down, db=db)
    assert run.returncode == 1
    (line,) = run.stderr.splitlines()
    assert line.startswith(
        f"quotedesk signatures: {out}: not extended: the timestamp authority {down} gave no "
        "timestamp ("
    )
    assert line.endswith("; 1 more left as they were")
    assert out.read_bytes() == before and levels(db) == [("signed.pdf", "B-B")]


def test_extend_without_an_authority_says_where_to_set_one(desk):
    db, out, export = desk
    assert export().returncode == 0
    run = quotedesk("signatures", "extend", str(out), db=db)
    assert run.returncode == 2
    assert run.stderr == (
        "quotedesk signatures: no timestamp authority: give --timestamp URL, or set one in "
        "the reseller profile (Settings > Reseller profile in the window)\n"
    )


def test_extend_to_another_file_keeps_the_original(desk, pki):
    db, out, export = desk
    assert export().returncode == 0
    before, copy = out.read_bytes(), out.with_name("archived.pdf")
    run = quotedesk(
        "signatures", "extend", str(out), "-o", str(copy), "--timestamp", pki.tsa_url, db=db
    )
    assert run.stdout == f"{copy}: extended, PAdES B-LTA\n"
    assert out.read_bytes() == before and copy.read_bytes().startswith(before)
    assert levels(db) == [("signed.pdf", "B-B")]  # the export itself still waits


PDFSIG = shutil.which("pdfsig")


@pytest.mark.skipif(PDFSIG is None, reason="pdfsig (poppler-utils) is not installed")
def test_pdfsig_finds_the_extended_certification_valid(desk, pki):
    """A second opinion from poppler on a B-LTA file: it checks the certification and
    lists the document timestamp, which it cannot validate itself."""
    db, out, export = desk
    assert export().returncode == 0
    run = quotedesk("signatures", "extend", str(out), "--timestamp", pki.tsa_url, db=db)
    assert run.returncode == 0
    report = subprocess.run([PDFSIG, str(out)], capture_output=True, text=True).stdout
    ours, empty, stamp = report.split("Signature #")[1:]
    assert "Signature Field Name: QuoteDeskSignature" in ours
    assert "Signer Certificate Common Name: Nordlicht Partners" in ours
    assert "- Not total document signed" in ours and "Signature is Valid." in ours
    assert "The signature form field is not signed." in empty
    assert "Signature Field Name: Timestamp-" in stamp
    assert "Signer Certificate Common Name: Test Time Stamping Authority" in stamp


def test_with_a_trusted_timestamp_the_certificate_must_have_been_valid_at_its_time(
    document, pki, certificate
):
    """A trusted timestamp, not the signer's clock or today, fixes when it signed: one
    that falls after the certificate expired (this authority says 2 months from now; the
    certificate ends in 30 days) makes the signature NOT VALID."""
    root = load_certificates(pki.pem("root"))
    p12, pem = certificate(valid_days=30)
    later = (dt.datetime.now(dt.UTC) + dt.timedelta(days=60)).isoformat()
    ahead = HTTPTimeStamper(pki.tsa_url, headers={"X-Certomancer-Fake-Time": later})
    signed = sign_pdf(render_quote_pdf(document(), "en"), p12, b"secret", timestamper=ahead)
    result = verify_pdf(signed, load_certificates(pem), tsa_trust=root)
    end = load_certificates(pem)[0].not_valid_after_utc
    (reason,) = result.reasons
    assert reason == (
        f"signature 1: timestamped {later[:10]}, outside its certificate's validity "
        f"({(end - dt.timedelta(days=430)):%Y-%m-%d} to {end:%Y-%m-%d})"
    )
    # Not trusted, the same timestamp proves nothing: today's check applies, and passes.
    assert verify_pdf(signed, load_certificates(pem)).valid


def test_a_trusted_timestamp_not_today_decides_whether_the_certificate_was_valid(document, pki):
    """The reseller's certificate of 2048 is not valid today (the authority is asked to
    stamp 2048-06-01). With the authority trusted the signature is valid and trusted, as
    one whose certificate has expired since the timestamp will be; with it untrusted, the
    signer's own clock (today) is all there is, and it is NOT VALID."""
    from pyhanko.sign import signers

    from quotedesk.pdf.signing import certify_pdf

    root = load_certificates(pki.pem("root"))
    signer = signers.SimpleSigner.load_pkcs12(str(pki.p12("reseller-2048")), passphrase=b"secret")
    stamped_then = {"X-Certomancer-Fake-Time": "2048-06-01T12:00:00+00:00"}
    then = HTTPTimeStamper(pki.tsa_url, headers=stamped_then)
    signed = certify_pdf(render_quote_pdf(document(), "en"), signer, timestamper=then)

    result = verify_pdf(signed, root, tsa_trust=root)
    assert result.valid, result.reasons
    (check,) = result.signatures
    assert (check.timestamp.at, check.timestamp.trusted) == (
        dt.datetime(2048, 6, 1, 12, tzinfo=dt.UTC),
        True,
    )
    assert check.trusted and check.certificate_problem is None

    result = verify_pdf(signed, root)
    dated, untrusted = result.reasons
    assert dated.startswith("signature 1: signed 20")
    assert dated.endswith(", before its certificate was valid (from 2048-01-01)")
    assert untrusted == "the quote's signer does not chain to the --trust certificate"
