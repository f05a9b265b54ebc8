"""PDF speed (issue 6): export of a 200-line quote next to a plain ReportLab script that
builds the same table (same rows, cells, fonts and widths) and nothing else: no header
blocks, totals, footer, QR code or attached data.

Target: Quote Desk ≤ 1.5× the plain script, and well under a second.
Run: .venv/bin/python bench/pdf.py
"""

from __future__ import annotations

import io
import statistics
import time
from datetime import date

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

from quotedesk.core import load_price_book, load_rules, parse_quote, price
from quotedesk.core.records import ResellerProfile
from quotedesk.core.resources import sample_price_book_path
from quotedesk.pdf import QuoteDocument, render_quote_pdf
from quotedesk.pdf.fonts import font_pair

LINES = [
    {"product": "jira", "deployment": "cloud", "edition": "standard", "users": 180},
    {"product": "confluence", "deployment": "cloud", "edition": "premium", "users": 90,
     "discount_pct": "10"},
    {"product": "jsm", "deployment": "cloud", "edition": "standard", "billing": "monthly",
     "users": 25},
    {"product": "bitbucket", "deployment": "datacenter", "users": 500, "action": "renew",
     "current_end_date": "2027-01-15"},
]  # fmt: skip


def quote_document(n: int) -> QuoteDocument:
    data = {
        "schema": 1,
        "quote_date": "2026-11-20",
        "customer": {"name": "Bench GmbH", "country": "DE", "city": "Berlin"},
        "partner_discount_pct": "5",
        "lines": [LINES[i % len(LINES)] for i in range(n)],
    }
    quote = parse_quote(data)
    priced = price(quote, load_price_book(sample_price_book_path()), load_rules(), date.today())
    assert len(priced.lines) >= n, priced.errors
    profile = ResellerProfile(company="Bench Partners", address="1 Bench Street")
    return QuoteDocument(
        quote.to_dict(), priced.to_dict(), "QD-2026-00001", 1, "signed_off", profile
    )


def plain_reportlab(doc: QuoteDocument) -> bytes:
    """The same rows, cells, fonts and column widths as a bare Platypus table."""
    regular, bold = font_pair(cjk=False)
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


def median_ms(fn, runs: int = 7) -> float:
    fn()  # warm: fonts registered, modules loaded
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def main() -> None:
    doc = quote_document(200)
    ours = median_ms(lambda: render_quote_pdf(doc, "en"))
    ours_ja = median_ms(lambda: render_quote_pdf(doc, "ja"))
    plain = median_ms(lambda: plain_reportlab(doc))
    pages = render_quote_pdf(doc, "en").count(b"/Type /Page\n")
    print(f"200-line quote ({len(doc.priced['lines'])} rows)")
    print(f"plain ReportLab table:      {plain:7.1f} ms")
    print(f"Quote Desk export (en):     {ours:7.1f} ms = {ours / plain:.2f}× plain (target ≤ 1.5×)")
    print(f"Quote Desk export (ja):     {ours_ja:7.1f} ms")
    if pages:
        print(f"pages: {pages}")


if __name__ == "__main__":
    main()
