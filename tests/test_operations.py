"""The application layer both front ends call (quotedesk.operations): pricing with the
reseller profile's defaults, and which price book a saved or imported quote is priced with.
Real SQLite files, real PDFs, the real command line in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from quotedesk.core import load_price_book, load_rules, parse_quote
from quotedesk.core.io.resources import sample_price_book_path
from quotedesk.core.records import ResellerProfile
from quotedesk.operations import pdf as pdf_ops
from quotedesk.operations import quotes as quote_ops
from quotedesk.operations.changes import OpChanges
from quotedesk.operations.price_books import choose_price_book, price_book_for
from quotedesk.store import open_store

FIXTURES = Path(__file__).parent / "fixtures"
TEST_BOOK = FIXTURES / "test_book.csv"
TODAY = date(2026, 11, 23)
# 100 users of Jira Cloud Standard, annual: the test book's 100-user tier, 8,000.00.
JIRA_100 = {
    "product": "jira", "deployment": "cloud", "edition": "standard", "billing": "annual",
    "users": 100, "months": 12,
}  # fmt: skip
QUOTE = {
    "schema": 1,
    "quote_date": "2026-11-20",
    "customer": {"name": "ACME Ltda", "country": "BR"},
    "lines": [JIRA_100],
}


def quotedesk(*args: str | Path, db: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QUOTEDESK_DB": str(db), "PYTHONWARNINGS": "ignore"}
    return subprocess.run(
        [sys.executable, "-m", "quotedesk", *map(str, args)],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip


def set_profile(db: Path, **fields: object) -> None:
    with open_store(db) as store:
        store.save_profile(replace(store.profile(), **fields))


def stored(db: Path, number: str) -> dict:
    with open_store(db) as store:
        return store.get(number).priced


def test_R_DISC_PARTNER_the_profiles_partner_discount_is_the_quotes_default(tmp_path):
    """Today's main never read the profile's partner discount: 8,000.00 stayed 8,000.00."""
    db = tmp_path / "quotes.db"
    set_profile(db, company="Atlas Revenda Ltda", partner_discount_pct=Decimal(10))
    path = tmp_path / "quote.json"
    path.write_text(json.dumps(QUOTE))
    added = quotedesk("quotes", "add", path, "--catalog", TEST_BOOK, db=db)
    assert added.returncode == 0, added.stderr
    priced = stored(db, added.stdout.strip())
    # 10% partner discount after no program discount: 800.00 off 8,000.00.
    assert priced["lines"][0]["discounts"] == [
        {"kind": "partner", "pct": "10", "amount": "800.00", "rule": "R-DISC-PARTNER"}
    ]
    assert (priced["subtotal"], priced["discount_total"], priced["net_total"]) == (
        "8000.00", "800.00", "7200.00",
    )  # fmt: skip
    # The quote file is kept as given (R-Q-5), and sign-off prices it again to the same.
    signed = quotedesk("quotes", "sign-off", added.stdout.strip(), "--by", "Ana Lima", db=db)
    assert signed.returncode == 0, signed.stderr


def test_R_DISC_PARTNER_a_quote_that_sets_its_own_partner_discount_keeps_it():
    book, rules = load_price_book(TEST_BOOK), load_rules()
    profile = ResellerProfile(company="Atlas", partner_discount_pct=Decimal(10))
    own = parse_quote({**QUOTE, "partner_discount_pct": "0"})
    assert quote_ops.price_quote(own, book, rules, TODAY, profile).net_total == Decimal("8000.00")
    five = parse_quote({**QUOTE, "partner_discount_pct": "5"})
    assert quote_ops.price_quote(five, book, rules, TODAY, profile).net_total == Decimal("7600.00")


def test_R_DISC_PARTNER_the_comparison_page_prices_with_the_profile_as_the_quote_page():
    # The profile's 10% partner discount: 8,000.00 - 800.00 = 7,200.00 on the quote page
    # and as the "as quoted" scenario; the next tier, 200 users: 14,600.00 - 1,460.00.
    profile = ResellerProfile(partner_discount_pct=Decimal("10"))
    book, rules = load_price_book(TEST_BOOK), load_rules()
    doc = pdf_ops.file_document(parse_quote(QUOTE), book, rules, TODAY, profile, compare=True)
    assert doc.priced_quote.total == Decimal("7200.00")
    totals = {s["key"]: s["total"] for s in doc.scenarios}
    assert (totals["as_quoted"], totals["next_tier"]) == ("7200.00", "13140.00")


def test_R_Q_3_saving_uses_the_profiles_validity_days(tmp_path):
    book, rules = load_price_book(TEST_BOOK), load_rules()
    with open_store(tmp_path / "quotes.db") as store:
        store.save_profile(replace(store.profile(), validity_days=10))
        revision, priced = quote_ops.save(store, parse_quote(QUOTE), book, rules, TODAY)
    # Quoted 2026-11-20, valid for 10 days.
    assert priced.valid_until == date(2026, 11, 30)
    assert revision.priced["valid_until"] == "2026-11-30"


@pytest.fixture
def exported_pdf(tmp_path) -> Path:
    """An unsigned PDF of QUOTE, priced with the sample book (what the PDF prints)."""
    path = tmp_path / "quote.json"
    path.write_text(json.dumps(QUOTE))
    pdf = tmp_path / "quote.pdf"
    run = quotedesk("export", path, "-o", pdf, db=tmp_path / "unused.db")
    assert run.returncode == 0, run.stderr
    return pdf


def test_import_reprices_with_the_price_book_given(tmp_path, exported_pdf):
    """Today's main re-priced every import with the sample book, whatever was asked."""
    db = tmp_path / "quotes.db"
    run = quotedesk("import", exported_pdf, "--catalog", TEST_BOOK, db=db)
    assert run.returncode == 0, run.stderr
    priced = stored(db, run.stdout.strip())
    assert priced["price_book"] == load_price_book(TEST_BOOK).label
    assert not priced["illustrative_prices"]
    assert priced["net_total"] == "8000.00"


def test_import_reprices_with_the_stores_active_price_book(tmp_path, exported_pdf):
    db = tmp_path / "quotes.db"
    with open_store(db) as store:
        version, _ = store.import_price_book(TEST_BOOK.read_bytes(), str(TEST_BOOK))
        store.set_active_price_book(version.id)
    run = quotedesk("import", exported_pdf, db=db)
    assert run.returncode == 0, run.stderr
    assert stored(db, run.stdout.strip())["price_book"] == load_price_book(TEST_BOOK).label
    with open_store(db) as store:  # back to the sample
        store.set_active_price_book(None)
    again = quotedesk("import", exported_pdf, db=db)
    assert stored(db, again.stdout.strip())["illustrative_prices"] is True


def test_import_with_an_unreadable_price_book_is_exit_2_and_creates_no_database(
    tmp_path, exported_pdf
):
    db = tmp_path / "quotes.db"
    run = quotedesk("import", exported_pdf, "--catalog", tmp_path / "missing.csv", db=db)
    assert run.returncode == 2
    assert len(run.stderr.splitlines()) == 1
    assert not db.exists()


def test_export_many_writes_each_quote_and_names_the_ones_that_fail(tmp_path):
    book, rules = load_price_book(TEST_BOOK), load_rules()
    with open_store(tmp_path / "quotes.db") as store:
        revision, _ = quote_ops.save(store, parse_quote(QUOTE), book, rules, TODAY)
        result = pdf_ops.export_many(
            store, [revision.number, "QD-2026-00099"], tmp_path, "en", TODAY
        )
    assert result.written == (tmp_path / f"{revision.label}.pdf",)
    assert result.written[0].read_bytes().startswith(b"%PDF-")
    assert [number for number, _ in result.failed] == ["QD-2026-00099"]
    assert not result.cancelled


def test_R_DISC_PARTNER_renewal_quotes_are_priced_with_the_profile_and_the_active_book(tmp_path):
    """Renewals were priced without the profile's partner discount: the list said
    88,958.90, the editor 80,063.01, and sign-off refused the quote (R-Q-5)."""
    db = tmp_path / "quotes.db"
    set_profile(db, company="Atlas Revenda Ltda", partner_discount_pct=Decimal(10))
    with open_store(db) as store:  # the book chosen in the window; no --catalog below
        version, _ = store.import_price_book(TEST_BOOK.read_bytes(), str(TEST_BOOK))
        store.set_active_price_book(version.id)
    imported = quotedesk("licences", "import", FIXTURES / "licences.csv", db=db)
    assert imported.returncode == 0, imported.stderr
    renewed = quotedesk("licences", "renew", "SEN-1000001", "SEN-1000002",
                        "https://acme.atlassian.net", "--today", "2026-12-01", db=db)  # fmt: skip
    assert renewed.returncode == 0, renewed.stderr
    number = renewed.stdout.split()[0]

    shown = quotedesk("quotes", "show", number, db=db)
    assert shown.returncode == 0, shown.stderr
    quote = json.loads(shown.stdout)
    assert quote["price_book"] == load_price_book(TEST_BOOK).label
    # List prices 9,358.90 + 4,000.00 + 39,100.00 + 36,500.00 = 88,958.90; 10% off each
    # line: 935.89 + 400.00 + 3,910.00 + 3,650.00 = 8,895.89; no Brazilian tax.
    assert (quote["subtotal"], quote["discount_total"], quote["total"]) == (
        "88958.90", "8895.89", "80063.01",
    )  # fmt: skip
    listed = json.loads(quotedesk("quotes", "list", "--json", db=db).stdout)
    assert [(q["label"], q["total"]) for q in listed] == [(number, "80063.01")]
    signed = quotedesk("quotes", "sign-off", number, "--by", "Ana Lima", db=db)
    assert signed.returncode == 0, signed.stderr


def test_the_price_book_is_the_one_given_else_the_stores_active_one_else_the_sample(
    tmp_path,
):
    """One function chooses for every command and the window; the choice lives in the
    store only."""
    test_book = load_price_book(TEST_BOOK)
    with open_store(tmp_path / "quotes.db") as store:
        assert price_book_for(None, store).illustrative  # nothing chosen yet: the sample
        assert price_book_for(None).illustrative  # no store at all (`quotedesk price`)
        version, _ = store.import_price_book(TEST_BOOK.read_bytes(), str(TEST_BOOK))
        book, changes = choose_price_book(store, version.id)
        assert changes == OpChanges(price_books=True)
        assert book.sha256 == price_book_for(None, store).sha256 == test_book.sha256
        assert price_book_for(sample_price_book_path(), store).illustrative  # --catalog wins
        choose_price_book(store, None)
        assert price_book_for(None, store).illustrative
    with open_store(tmp_path / "quotes.db") as store:  # kept in the database
        assert store.active_price_book() is None


def pdf_text(path: Path) -> str:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def test_a_stored_quotes_export_is_in_its_customers_last_language(tmp_path):
    """`quotedesk export NUMBER` remembers the language asked with --lang for the quote's
    customer, and without --lang writes the next PDF in it, as the window does."""
    db = tmp_path / "quotes.db"
    path = tmp_path / "quote.json"
    path.write_text(json.dumps(QUOTE))
    number = quotedesk("quotes", "add", path, "--catalog", TEST_BOOK, db=db).stdout.strip()
    first = quotedesk("export", number, "-o", tmp_path / "first.pdf", db=db)
    assert first.returncode == 0, first.stderr
    assert "100 users" in pdf_text(tmp_path / "first.pdf")  # nothing remembered: English
    asked = quotedesk("export", number, "-o", tmp_path / "pt.pdf", "--lang", "pt-BR", db=db)
    assert asked.returncode == 0, asked.stderr
    again = quotedesk("export", number, "-o", tmp_path / "again.pdf", db=db)
    assert again.returncode == 0, again.stderr
    assert "100 usuários" in pdf_text(tmp_path / "again.pdf")
    with open_store(db) as store:
        assert store.customer_language(number) == "pt-BR"
