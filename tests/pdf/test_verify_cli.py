"""`verify` and `import` on attacked, damaged and mutated PDFs, through the real command
(issue 11 §2 and the PDF side of §3): exit 0 only for an unchanged valid quote, exit 2
with one line for unreadable input, never a traceback."""

from __future__ import annotations

import tempfile
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf.generic import DecodedStreamObject

from quotedesk.cli import main
from quotedesk.pdf import render_quote_pdf
from quotedesk.pdf.signing import sign_pdf
from tests.conftest import make_certificate
from tests.pdf.test_commands import quotedesk, signed_off
from tests.pdf.test_verify_attacks import (
    paint_total,
    sign_again,
    swap_data,
    with_attachment,
    zlib_bomb,
)


@pytest.fixture
def attacked(tmp_path, document, certificate):
    """The signed quote and the issue's attacks on it, as files; the reseller's PEM."""
    good_p12, good_pem = certificate()
    evil_p12, _ = certificate(name="attacker")
    pdf = sign_pdf(render_quote_pdf(document(), "en"), good_p12, b"secret")
    files = {
        "signed": pdf,
        "painted": paint_total(pdf),
        "swapped": swap_data(pdf),
        "painted+signed": sign_again(paint_total(pdf), evil_p12),
        "swapped+signed": sign_again(swap_data(pdf), evil_p12),
        "countersigned": sign_again(pdf, evil_p12),
    }
    paths = {}
    for name, data in files.items():
        paths[name] = tmp_path / f"{name}.pdf"
        paths[name].write_bytes(data)
    return paths, good_pem


def test_verify_exit_codes_for_the_attacks_in_issue_11(attacked):
    """On today's main the two `+signed` files verified VALID, exit 0, with --trust."""
    paths, pem = attacked
    with_trust = {n: quotedesk("verify", str(p), "--trust", str(pem)) for n, p in paths.items()}
    assert {name: run.returncode for name, run in with_trust.items()} == {
        "signed": 0,
        "painted": 1,
        "swapped": 1,
        "painted+signed": 1,
        "swapped+signed": 1,
        "countersigned": 1,  # the second signer does not chain to --trust
    }
    swapped = with_trust["swapped+signed"].stdout
    assert "result: NOT VALID (signature 1: content was added" in swapped
    countersigned = quotedesk("verify", str(paths["countersigned"]))
    assert countersigned.returncode == 0, countersigned.stdout
    assert "trusted: no (not a certificate this system trusts" in countersigned.stdout
    for run in [*with_trust.values(), countersigned]:
        assert run.stderr == ""


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
