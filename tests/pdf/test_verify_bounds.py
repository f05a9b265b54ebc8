"""`verify` and `import` read a PDF's pages with pypdf's text extraction, whose time grows
with what the pages draw and repeats for every page. A PDF drawing more than a quote does
is refused, before its pages are read, with one line saying what was refused (exit 2)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, NameObject

from quotedesk.pdf import render_quote_pdf


def quotedesk(*args: str | Path, db: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "quotedesk", *map(str, args)],
        capture_output=True,
        text=True,
        env={**os.environ, "QUOTEDESK_DB": str(db)},
        timeout=120,
    )


def written(writer: PdfWriter, path: Path) -> Path:
    out = io.BytesIO()
    writer.write(out)
    path.write_bytes(out.getvalue())
    return path


@pytest.fixture
def quote_pdf(document) -> bytes:
    return render_quote_pdf(document(), "en")


def test_a_quote_page_copied_1000_times_is_refused_by_its_page_count(quote_pdf, tmp_path):
    writer = PdfWriter(clone_from=io.BytesIO(quote_pdf))
    for _ in range(999):
        writer.add_page(writer.pages[0])
    pdf = written(writer, tmp_path / "copies.pdf")
    assert pdf.stat().st_size < 100_000  # every copy shares the page's drawing
    for command in ("verify", "import"):
        run = quotedesk(command, pdf, db=tmp_path / "q.db")
        assert run.returncode == 2, run.stderr
        assert run.stderr == (
            f"quotedesk {command}: {pdf} has 1,000 pages, more than verify and import read "
            "(100); not read\n"
        )
    assert not (tmp_path / "q.db").exists()  # nothing imported


def test_eight_pages_sharing_150k_text_operators_are_refused_by_what_they_draw(quote_pdf, tmp_path):
    writer = PdfWriter(clone_from=io.BytesIO(quote_pdf))
    stream = DecodedStreamObject()
    stream.set_data(b"BT /F1 12 Tf 10 10 Td " + b"(x) Tj " * 150_000 + b"ET")
    shared = writer._add_object(stream.flate_encode())
    while len(writer.pages) < 8:
        writer.add_page(writer.pages[0])
    for page in writer.pages:
        page[NameObject("/Contents")] = shared
    pdf = written(writer, tmp_path / "operators.pdf")
    assert pdf.stat().st_size < 100_000
    for command in ("verify", "import"):
        run = quotedesk(command, pdf, db=tmp_path / "q.db")
        assert run.returncode == 2, run.stderr
        assert run.stderr == (
            f"quotedesk {command}: {pdf}: its pages draw more than 1.5 MB, more than verify "
            "and import read (a quote of about 35 pages); not read\n"
        )


def test_a_page_naming_5000_fonts_is_refused_by_what_they_draw(quote_pdf, tmp_path):
    """pypdf reads every font a page names, each time it reads the page."""
    writer = PdfWriter(clone_from=io.BytesIO(quote_pdf))
    fonts = writer.pages[0]["/Resources"]["/Font"].get_object()
    font = next(iter(fonts.values()))
    for n in range(5000):
        fonts[NameObject(f"/X{n}")] = font
    pdf = written(writer, tmp_path / "fonts.pdf")
    run = quotedesk("verify", pdf, db=tmp_path / "q.db")
    assert run.returncode == 2, run.stderr
    assert run.stderr.endswith(": its pages draw more than 1.5 MB, more than verify and "
                               "import read (a quote of about 35 pages); not read\n")  # fmt: skip


def test_a_page_drawing_its_qr_form_twice_is_refused(quote_pdf, tmp_path):
    """Each time a form is drawn pypdf reads it again: a quote's page draws one."""
    writer = PdfWriter(clone_from=io.BytesIO(quote_pdf))
    page = writer.pages[0]
    (name,) = page["/Resources"]["/XObject"].keys()
    again = DecodedStreamObject()
    again.set_data(f"q {name} Do Q".encode())
    page[NameObject("/Contents")] = ArrayObject(
        [page.raw_get("/Contents"), writer._add_object(again)]
    )
    pdf = written(writer, tmp_path / "twice.pdf")
    run = quotedesk("verify", pdf, db=tmp_path / "q.db")
    assert run.returncode == 2, run.stderr
    assert run.stderr == f"quotedesk verify: {pdf}: page 1 draws more than its QR code; not read\n"
