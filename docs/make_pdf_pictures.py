"""Redraw the PDF pictures in docs/: a signed-off quote in the four languages and the
renewal quote (tests/fixtures/renewal_quote.json) in English and Japanese, first pages at
70 dpi. Needs poppler's pdftoppm. Run: .venv/bin/python docs/make_pdf_pictures.py"""

from __future__ import annotations

import subprocess
import tempfile
from dataclasses import replace
from datetime import date
from pathlib import Path

from quotedesk.core import load_price_book, load_rules, parse_quote
from quotedesk.core.io.resources import sample_price_book_path
from quotedesk.core.quotes.model import read_quote_json
from quotedesk.operations.pdf import stored_document
from quotedesk.operations.quotes import save, sign_off
from quotedesk.pdf import render_quote_pdf
from quotedesk.store import open_store

DOCS = Path(__file__).parent
TODAY = date(2026, 11, 20)
QUOTE = {
    "schema": 1, "quote_date": "2026-11-20", "currency": "USD", "po_number": "PO-7781",
    "partner_discount_pct": "5",
    "customer": {"name": "ACME Indústria Ltda", "country": "BR", "subdivision": "SP",
                 "city": "São Paulo", "tax_id": "11.222.333/0001-81",
                 "address": "Av. Brigadeiro Faria Lima 3000\n01451-000 São Paulo - SP",
                 "technical_contact": {"name": "Ana Lima", "email": "ana.lima@acme.example"}},
    "lines": [
        {"product": "jira", "deployment": "cloud", "edition": "standard", "users": 180},
        {"product": "confluence", "deployment": "cloud", "edition": "premium", "users": 90,
         "discount_pct": "10"},
        {"product": "jsm", "deployment": "cloud", "edition": "standard", "billing": "monthly",
         "users": 25},
        {"product": "bitbucket", "deployment": "datacenter", "users": 500, "action": "renew",
         "current_end_date": "2027-01-15", "sen": "SEN-4471002"},
    ],
}  # fmt: skip


def picture(pdf: bytes, out: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "q.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile",
             str(source), str(out.with_suffix(""))],
            check=True,
        )  # fmt: skip


def main() -> None:
    book, rules = load_price_book(sample_price_book_path()), load_rules()
    renewal = read_quote_json((DOCS.parent / "tests/fixtures/renewal_quote.json").read_text())
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "quotes.db")
        store.save_profile(
            replace(
                store.profile(),
                company="Nordlicht Partners Ltda",
                address="Av. Paulista 1000\nSão Paulo SP",
                email="quotes@nordlicht.example",
                tax_id="12.345.678/0001-95",
            )
        )
        for data, names in (
            (QUOTE, {lang: f"pdf-{lang}.png" for lang in ("en", "pt-BR", "zh-CN", "ja")}),
            (renewal, {"en": "pdf-renewal-en.png", "ja": "pdf-renewal-ja.png"}),
        ):
            saved = save(store, parse_quote(data), book, rules, TODAY)
            number = saved.revision.number
            sign_off(store, number, "Ana Souza")
            document = stored_document(store, number, today=TODAY)
            for lang, name in names.items():
                picture(render_quote_pdf(document, lang), DOCS / name)
        store.close()


if __name__ == "__main__":
    main()
