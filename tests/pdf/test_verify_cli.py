"""`verify` and `import` on attacked, damaged and mutated PDFs, through the real command:
exit 0 only for an unchanged valid quote, exit 2
with one line for unreadable input, never a traceback."""

from __future__ import annotations

import json
import tempfile
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf.generic import DecodedStreamObject

from quotedesk.cli import main
from quotedesk.pdf import render_quote_pdf
from quotedesk.pdf.signing import sign_pdf, verify_pdf
from quotedesk.store import open_store
from tests.conftest import make_certificate
from tests.pdf.test_acceptance import accept
from tests.pdf.test_commands import quotedesk, signed_off
from tests.pdf.test_verify_attacks import (
    paint_total,
    sign_again,
    stamp_over_total,
    swap_data,
    with_attachment,
    zlib_bomb,
)


@pytest.fixture
def attacked(tmp_path, document, certificate):
    """The certified quote, the customer's acceptance of it and the attacks on it, as
    files; the reseller's PEM."""
    good_p12, good_pem = certificate()
    evil_p12, _ = certificate(name="attacker")
    expired_p12, _ = certificate(valid_days=-1, name="expired attacker")
    customer_p12, _ = certificate(name="customer", common_name="ACME Buyer")
    pdf = sign_pdf(render_quote_pdf(document(), "en"), good_p12, b"secret")
    files = {
        "signed": pdf,
        "accepted": accept(pdf, customer_p12),
        "painted": paint_total(pdf),
        "swapped": swap_data(pdf),
        "painted+signed": sign_again(paint_total(pdf), evil_p12),
        "swapped+signed": sign_again(swap_data(pdf), evil_p12),
        "countersigned": sign_again(pdf, evil_p12),
        "stamped": stamp_over_total(pdf, evil_p12),
        "stamped+expired": stamp_over_total(pdf, expired_p12),
        "retitled+stamped": stamp_over_total(pdf, evil_p12, title="Quote QD-2026-00999"),
        "retitled+accepted": accept(pdf, customer_p12, title="Quote QD-2026-00999"),
    }
    paths = {}
    for name, data in files.items():
        paths[name] = tmp_path / f"{name}.pdf"
        paths[name].write_bytes(data)
    return paths, good_pem


def test_verify_exit_codes_for_the_attacks(attacked):
    """Before certification, `countersigned`, `stamped`, `stamped+expired` and
    `retitled+stamped` verified VALID, exit 0, without --trust."""
    paths, pem = attacked
    for trust in ((), ("--trust", str(pem))):
        runs = {n: quotedesk("verify", str(p), *trust) for n, p in paths.items()}
        codes = {name: run.returncode for name, run in runs.items()}
        assert codes == {name: 0 if name in ("signed", "accepted") else 1 for name in paths}
        assert all(run.stderr == "" for run in runs.values())
    swapped = runs["swapped+signed"].stdout
    assert "result: NOT VALID (signature 1: the document information (Subject) was" in swapped
    stamped = runs["stamped"].stdout
    assert "kind: NOT ALLOWED (not the quote's signature, its acceptance or a timestamp)" in stamped


B_B = (
    "level: PAdES B-B (no timestamp yet: only the signer's clock says when it signed; "
    "quotedesk signatures extend adds one)"
)


def test_verify_reports_the_certification_and_the_customers_acceptance(attacked):
    paths, pem = attacked
    run = quotedesk("verify", str(paths["accepted"]), "--trust", str(pem))
    lines = run.stdout.splitlines()
    assert run.returncode == 0, run.stdout
    when = [line.removeprefix("signed at: ") for line in lines if line.startswith("signed at:")]
    assert lines[1:] == [
        "signature 1 signer: Common Name: Nordlicht Partners",
        "kind: the reseller's certification (after it only the customer's acceptance field "
        "may be signed) (field QuoteDeskSignature)",
        f"signed at: {when[0]}",
        "intact: yes",
        B_B,
        "certificate: valid then and now",
        "covers the whole file: no, but all that was added after it is allowed",
        "trusted: yes",
        "signature 2 signer: Common Name: ACME Buyer",
        "kind: the customer's acceptance (field CustomerAcceptance)",
        f"signed at: {when[1]}",
        "intact: yes",
        B_B,
        "certificate: valid then and now",
        "covers the whole file: yes",
        f"trusted: NO: the signer does not chain to {pem}",
        f"acceptance: accepted by Common Name: ACME Buyer at {when[1]} (not trusted)",
        lines[-2],  # the fingerprint line, checked elsewhere
        "result: VALID",
    ]
    signed = quotedesk("verify", str(paths["signed"])).stdout
    assert "acceptance: not signed yet (the customer acceptance field is empty)" in signed


def test_import_refuses_a_pdf_that_fails_verify_unless_forced(attacked, tmp_path):
    """Today's main recreated the swapped customer "Evil Corp"."""
    paths, _ = attacked
    db = tmp_path / "quotes.db"
    refused = quotedesk("import", str(paths["swapped+signed"]), db=db)
    assert refused.returncode == 1
    assert refused.stderr.startswith("quotedesk import: refused: ")
    assert "--force imports it anyway" in refused.stderr
    assert len(refused.stderr.splitlines()) == 1
    assert not db.exists() or "QD-" not in quotedesk("quotes", "list", db=db).stdout
    forced = quotedesk("import", str(paths["swapped+signed"]), "--force", db=db)
    assert forced.returncode == 0, forced.stderr
    assert "note: imported despite: signature 1" in forced.stderr
    assert quotedesk("import", str(paths["signed"]), db=db).returncode == 0


@pytest.fixture
def damaged(tmp_path, document):
    pdf = render_quote_pdf(document(), "en")
    listed = DecodedStreamObject()
    listed.set_data(b"[]")
    cases = {
        "bomb": (with_attachment(pdf, "quote.json", zlib_bomb(100 * 2**20)), "more than 10 MB"),
        "list": (with_attachment(pdf, "quote.json", listed), "quote.json is not a JSON object"),
        "garbage": (b"%PDF-1.7\n" + bytes(range(256)) * 40, "is a damaged PDF"),
        "truncated": (pdf[: len(pdf) // 3], "is a damaged PDF"),
    }
    paths = {}
    for name, (data, message) in cases.items():
        (tmp_path / f"{name}.pdf").write_bytes(data)
        paths[name] = (tmp_path / f"{name}.pdf", message)
    return paths


@pytest.mark.parametrize("command", ["verify", "import"])
def test_unreadable_pdfs_are_exit_2_with_one_line(damaged, tmp_path, command):
    for name, (path, message) in damaged.items():
        run = quotedesk(command, str(path), db=tmp_path / "quotes.db")
        assert run.returncode == 2, (name, run.stdout, run.stderr)
        assert message in run.stderr, name
        assert len(run.stderr.splitlines()) == 1, run.stderr


@cache
def exported_signed_pdf() -> bytes:
    """A signed-off quote exported and signed by the real command, once per session."""
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        p12, _ = make_certificate(tmp_path)
        (tmp_path / "pw").write_text("secret")
        db, out = tmp_path / "q.db", tmp_path / "q.pdf"
        run = quotedesk(
            "export", signed_off(tmp_path, db), "-o", str(out), "--sign",
            str(p12), "--password-file", str(tmp_path / "pw"), db=db,
        )  # fmt: skip
        assert run.returncode == 0, run.stderr
        return out.read_bytes()


def signature_gap(pdf: bytes) -> tuple[int, int]:
    start = pdf.rindex(b"/Contents <") + len(b"/Contents ")
    return start, pdf.index(b">", start) + 1


@st.composite
def mutations(draw: st.DrawFn) -> tuple[int | None, tuple[tuple[int, int], ...]]:
    """Where to cut the file short, or up to three byte flips (position, xor mask):
    anywhere, or in the signature's own /Contents string (the one part no signature
    covers). A description, not the bytes, so a failure prints short."""
    size = len(exported_signed_pdf())
    if draw(st.booleans()):
        return draw(st.integers(0, size - 1)), ()
    gap = signature_gap(exported_signed_pdf())
    flips = []
    for _ in range(draw(st.integers(1, 3))):
        low, high = gap if draw(st.booleans()) else (0, size)
        flips.append((draw(st.integers(low, high - 1)), draw(st.integers(1, 255))))
    return None, tuple(flips)


def mutate(cut: int | None, flips: tuple[tuple[int, int], ...]) -> bytes:
    data = bytearray(exported_signed_pdf()[:cut])
    for at, mask in flips:
        data[at] ^= mask
    return bytes(data)


def run_in_process(capsys, *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().err


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(mutation=mutations(), command=st.sampled_from(["verify", "import"]))
def test_a_mutated_signed_pdf_never_verifies_or_imports_and_never_crashes(
    mutation, command, tmp_path, capsys
):
    """Exit 0 only for the unchanged bytes; any exception escaping `main` fails the test
    (the command line would print it as a traceback)."""
    mutated = mutate(*mutation)
    path = tmp_path / "m.pdf"
    path.write_bytes(mutated)
    argv = [command, str(path)] + (["--db", str(tmp_path / "q.db")] if command == "import" else [])
    code, err = run_in_process(capsys, *argv)
    assert code in (0, 1, 2)
    assert (code == 0) == (mutated == exported_signed_pdf()), (code, err)
    assert len(err.splitlines()) <= 1, err


def test_the_unmutated_export_verifies_and_imports(tmp_path, capsys):
    path = tmp_path / "q.pdf"
    path.write_bytes(exported_signed_pdf())
    assert run_in_process(capsys, "verify", str(path)) == (0, "")
    assert run_in_process(capsys, "import", str(path), "--db", str(tmp_path / "q.db"))[0] == 0


def test_importing_an_accepted_quote_marks_the_stored_revision_accepted(tmp_path, certificate):
    """The reseller exports and certifies, the customer signs the acceptance field, the
    reseller imports the returned PDF: the store's quote is accepted, no copy is made.
    Another store imports it as a new draft and says it was accepted; after a revision
    the old revision's acceptance is refused (R-Q-2: only the latest revision changes)."""
    p12, _ = certificate()
    customer_p12, _ = certificate(name="customer", common_name="ACME Buyer")
    (tmp_path / "pw").write_text("secret")
    db, out = tmp_path / "quotes.db", tmp_path / "q.pdf"
    number = signed_off(tmp_path, db)
    run = quotedesk(
        "export", number, "-o", str(out), "--sign", str(p12), "--password-file",
        str(tmp_path / "pw"), db=db,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    accepted = tmp_path / "accepted.pdf"
    accepted.write_bytes(accept(out.read_bytes(), customer_p12))
    when = verify_pdf(accepted.read_bytes()).acceptance.signed_at.isoformat(timespec="seconds")
    said = f"accepted by Common Name: ACME Buyer at {when}"

    run = quotedesk("import", str(accepted), db=db)
    assert (run.returncode, run.stdout, run.stderr) == (
        0,
        f"{number}\n",
        f"note: {said}: recorded as accepted\n",
    )
    listed = json.loads(quotedesk("quotes", "list", "--json", db=db).stdout)
    assert [(q["number"], q["status"]) for q in listed] == [(number, "accepted")]
    with open_store(db) as store:
        assert [r.status for r in store.revisions(number)] == ["accepted"]  # the History

    other = tmp_path / "other.db"
    run = quotedesk("import", str(accepted), db=other)
    assert run.returncode == 0, run.stderr
    assert run.stderr == (
        f"note: {said}; {number} is not in this store, so it is imported as a new draft\n"
    )
    (copy,) = json.loads(quotedesk("quotes", "list", "--json", db=other).stdout)
    assert copy["status"] == "draft"

    assert quotedesk("quotes", "revise", number, db=db).returncode == 0
    run = quotedesk("import", str(accepted), db=db)
    assert run.returncode == 1
    assert run.stderr == (
        f"quotedesk import: refused: {number}-R1 is not the latest revision of {number} "
        "and cannot change (R-Q-2)\n"
    )
