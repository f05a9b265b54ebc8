"""PDF speed (issues 6 and 12): export of a 200-line quote next to a plain ReportLab script
that builds the same table (same rows, cells, fonts and widths) and nothing else: no
header blocks, totals, footer, QR code or attached data.

Whole process (target ≤ 1.3×): a fresh `quotedesk export q.json -o q.pdf`, which
reads, prices and prints the quote, next to a fresh `python plain.py`, which reads the
table's rows from a JSON file, registers the same two fonts and writes the table as a PDF.
In-process: the rendering alone, against the same table built in this process. The
"scripts" row is the same quote with an Arabic customer, a Hebrew city, Thai and Hindi
notes and every fourth product name in Arabic: the cost of fallback fonts, shaping and bidi.
Run: .venv/bin/python bench/pdf.py
"""

from __future__ import annotations

import compileall
import io
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

import quotedesk
from quotedesk.core import load_price_book, load_rules, parse_quote, price
from quotedesk.core.io.resources import resources_dir, sample_price_book_path
from quotedesk.core.quotes.lifecycle import Status
from quotedesk.core.records import ResellerProfile
from quotedesk.pdf import QuoteDocument, render_quote_pdf
from quotedesk.pdf.fonts import font_chain

LINES = [
    {"product": "jira", "deployment": "cloud", "edition": "standard", "users": 180},
    {"product": "confluence", "deployment": "cloud", "edition": "premium", "users": 90,
     "discount_pct": "10"},
    {"product": "jsm", "deployment": "cloud", "edition": "standard", "billing": "monthly",
     "users": 25},
    {"product": "bitbucket", "deployment": "datacenter", "users": 500, "action": "renew",
     "current_end_date": "2027-01-15"},
]  # fmt: skip


SCRIPTS = {
    "customer": {"name": "شركة الأمل للتجارة", "country": "IL", "city": "תל אביב"},
    "notes": "ขอบคุณที่ใช้บริการ — नमस्ते दुनिया — 東京都",
}
ARABIC_LINE = {"custom": "ورشة عمل للتدريب", "quantity": 1, "unit_price": "1500.00"}


def quote_data(n: int, scripts: bool = False) -> dict:
    data = {
        "schema": 1,
        "quote_date": "2026-11-20",
        "customer": {"name": "Bench GmbH", "country": "DE", "city": "Berlin"},
        "partner_discount_pct": "5",
        "lines": [LINES[i % len(LINES)] for i in range(n)],
    }
    if scripts:
        data.update(SCRIPTS)
        data["lines"] = [
            ARABIC_LINE if i % 4 == 3 else line for i, line in enumerate(data["lines"])
        ]
    return data


def quote_document(n: int, scripts: bool = False) -> QuoteDocument:
    quote = parse_quote(quote_data(n, scripts))
    priced = price(quote, load_price_book(sample_price_book_path()), load_rules(), date.today())
    assert len(priced.lines) >= n, priced.errors
    profile = ResellerProfile(company="Bench Partners", address="1 Bench Street")
    return QuoteDocument(
        dict(quote.source), priced.to_dict(), "QD-2026-00001", 1, Status.SIGNED_OFF, profile
    )


def table_rows(doc: QuoteDocument) -> list[list[str]]:
    rows = [["#", "Product", "Tier", "Period", "List price", "Discounts", "Net"]]
    for line in doc.priced["lines"]:
        rows.append(
            [
                str(line["index"] + 1),
                line["name"],
                f"{line['tier']}\n{line['units']} users\n{line['billing']}",
                f"{line['period_start']} –\n{line['period_end']}",
                line["list_price"],
                "\n".join(f"{d['kind']} {d['pct']}%: -{d['amount']}" for d in line["discounts"]),
                line["net"],
            ]
        )
    return rows


def plain_reportlab(doc: QuoteDocument) -> bytes:
    """The same rows, cells, fonts and column widths as a bare Platypus table."""
    chain = font_chain(cjk=False)
    regular, bold = chain.regular, chain.bold
    rows = table_rows(doc)
    out = io.BytesIO()
    page = SimpleDocTemplate(out, pagesize=A4, invariant=True)
    widths = [w * mm for w in (7, 48, 19, 21, 22, 36, 22)]
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), regular),
                               ("FONTNAME", (0, 0), (-1, 0), bold),
                               ("FONTSIZE", (0, 0), (-1, -1), 7.5),
                               ("LEADING", (0, 0), (-1, -1), 9.5)]))  # fmt: skip
    page.build([table])
    return out.getvalue()


def timings(fns: dict[str, Callable[[], object]], runs: int = 15) -> dict[str, float]:
    """Median CPU milliseconds per function, the functions run in turn so that other
    work on the machine weighs on each alike."""
    for fn in fns.values():
        fn()  # warm: fonts registered, modules loaded
    samples: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(runs):
        for name, fn in fns.items():
            start = time.process_time()
            fn()
            samples[name].append(time.process_time() - start)
    return {name: statistics.median(values) * 1000 for name, values in samples.items()}


# plain_reportlab() as a script of its own: argv is the rows' JSON file, the fonts folder
# and the PDF to write.
PLAIN_SCRIPT = """
import json, sys
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

rows_file, fonts, output = sys.argv[1:]
with open(rows_file, encoding="utf-8") as f:
    rows = json.load(f)
pdfmetrics.registerFont(TTFont("Sans", f"{fonts}/DejaVuSans.ttf"))
pdfmetrics.registerFont(TTFont("Sans-Bold", f"{fonts}/DejaVuSans-Bold.ttf"))
page = SimpleDocTemplate(output, pagesize=A4, invariant=True)
widths = [w * mm for w in (7, 48, 19, 21, 22, 36, 22)]
table = Table(rows, colWidths=widths, repeatRows=1)
table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), "Sans"),
                           ("FONTNAME", (0, 0), (-1, 0), "Sans-Bold"),
                           ("FONTSIZE", (0, 0), (-1, -1), 7.5),
                           ("LEADING", (0, 0), (-1, -1), 9.5)]))
page.build([table])
"""


def whole_process(runs: int = 15) -> None:
    """Fresh processes, in turn: best wall time and median CPU time (user + system) of
    each; CPU time is what other work on the shared machine disturbs least."""
    # An installed app runs from compiled bytecode (pip compiles on install).
    compileall.compile_dir(Path(quotedesk.__file__).parent, quiet=1)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    command = str(Path(sys.executable).with_name("quotedesk"))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "q.json").write_text(json.dumps(quote_data(200)), encoding="utf-8")
        (folder / "rows.json").write_text(
            json.dumps(table_rows(quote_document(200))), encoding="utf-8"
        )
        (folder / "plain.py").write_text(PLAIN_SCRIPT, encoding="utf-8")
        commands = {
            "plain": [sys.executable, str(folder / "plain.py"), str(folder / "rows.json"),
                      str(resources_dir() / "fonts"), str(folder / "plain.pdf")],
            "export": [command, "export", str(folder / "q.json"), "-o", str(folder / "q.pdf")],
        }  # fmt: skip
        wall: dict[str, list[float]] = {name: [] for name in commands}
        cpu: dict[str, list[float]] = {name: [] for name in commands}
        for turn in range(runs + 1):
            for name, argv in commands.items():
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                start = time.perf_counter()
                subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL)
                elapsed = time.perf_counter() - start
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                if turn:  # the first turn only warms the caches
                    wall[name].append(elapsed * 1000)
                    cpu[name].append(
                        (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000
                    )
    print(f"whole process, 200-line quote, {runs} runs each")
    for name, label in (("plain", "python plain.py"), ("export", "quotedesk export")):
        print(
            f"{label:18} wall best {min(wall[name]):6.1f} ms, "
            f"CPU median {statistics.median(cpu[name]):6.1f} ms"
        )
    print(
        f"ratio: wall best {min(wall['export']) / min(wall['plain']):.2f}×, CPU median "
        f"{statistics.median(cpu['export']) / statistics.median(cpu['plain']):.2f}× "
        "(target ≤ 1.3×)"
    )


def main() -> None:
    whole_process()
    doc, mixed = quote_document(200), quote_document(200, scripts=True)
    ms = timings(
        {
            "plain": lambda: plain_reportlab(doc),
            "en": lambda: render_quote_pdf(doc, "en"),
            "ja": lambda: render_quote_pdf(doc, "ja"),
            "scripts": lambda: render_quote_pdf(mixed, "en"),
        }
    )
    pages = len(PdfReader(io.BytesIO(render_quote_pdf(doc, "en"))).pages)
    print(
        f"\nin-process rendering, 200-line quote ({len(doc.priced['lines'])} rows, "
        f"{pages} pages), median CPU time"
    )
    print(f"plain ReportLab table:   {ms['plain']:6.1f} ms")
    for case in ("en", "ja", "scripts"):
        ratio = ms[case] / ms["plain"]
        print(f"Quote Desk export ({case}): {ms[case]:6.1f} ms = {ratio:.2f}× plain")


if __name__ == "__main__":
    main()
