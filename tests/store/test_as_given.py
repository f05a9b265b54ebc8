"""R-Q-5: what is stored, shown, exported and attached is the quote file exactly as given:
unknown fields, invalid values (their errors stay) and indexes of 0 included; a signed-off
revision's stored file prices to its stored totals with its stored price book."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from quotedesk.core import parse_quote_text, price
from quotedesk.core.problems import Refused
from quotedesk.operations.quotes import sign_off

from .conftest import FIXTURES, TODAY
from .test_commands import quotedesk

BOOK = FIXTURES / "test_book.csv"
DC_100 = {"product": "jira", "deployment": "datacenter", "users": 100, "months": 12}
# Prices only with its parent (line 0): without `parent` it is R-LIM-4 and its users change.
APP_OF_0 = {"product": "app:com.example.timesheets", "deployment": "datacenter", "parent": 0}
# Renews on line 0's end date: `coterm_with: 0`.
COTERM_0 = {
    "product": "confluence",
    "deployment": "datacenter",
    "users": 50,
    "action": "renew",
    "current_end_date": "2027-03-31",
    "mode": "coterm",
    "coterm_with": 0,
}
INDEXES_0 = {
    "schema": 1,
    "quote_date": "2026-11-20",
    "customer": {"name": "ACME Ltda", "country": "BR"},
    "lines": [DC_100, APP_OF_0, COTERM_0],
}
# The issue's example: every one of these is an error or unknown, and must stay so.
MISTAKES = {
    "schema": 1,
    "quote_date": "2026-11-20",
    "currency": "EUR",
    "customer": {"name": "ACME Ltda", "country": "BR"},
    "po_numbr": "PO-7781",
    "lines": [{**DC_100, "quantity": "2", "discount_pct": "12.5%"}],
}


def test_R_Q_5_parent_0_and_coterm_with_0_survive_save_sign_off_and_revise(store, make_quote, book):
    quote, priced, _ = make_quote(lines=INDEXES_0["lines"])
    assert priced.errors == ()
    number = store.add_quote(quote, priced, book).number
    signed = sign_off(store, number, by="Ana Lima").revision  # prices the stored file again
    assert signed.quote_file["lines"][1]["parent"] == 0
    assert signed.quote_file["lines"][2]["coterm_with"] == 0
    revised = store.revise(number)
    assert revised.quote_file == signed.quote_file == dict(quote.source)
    assert revised.priced["total"] == signed.priced["total"] == str(priced.total)


def test_R_Q_5_invalid_values_and_unknown_fields_are_stored_as_given(store, book, make_quote):
    quote, priced, _ = make_quote(**{k: MISTAKES[k] for k in ("currency", "po_numbr")},
                                  lines=MISTAKES["lines"])  # fmt: skip
    stored = store.add_quote(quote, priced, book)
    assert stored.quote_file["currency"] == "EUR"
    assert stored.quote_file["po_numbr"] == "PO-7781"
    assert stored.quote_file["lines"][0]["quantity"] == "2"
    assert stored.quote_file["lines"][0]["discount_pct"] == "12.5%"
    assert {p.code for p in stored.quote().problems} == {"R-INPUT"}
    with pytest.raises(Refused, match="R-INPUT"):
        store.sign_off(stored.number, by="Ana Lima")


def test_R_Q_5_a_number_with_a_fraction_is_stored_as_that_number_not_as_text(store, book, rules):
    text = '{"schema": 1, "quote_date": "2026-11-20", "lines": [{"custom": "Workshop", '
    text += '"unit_price": 1500.50, "odd": 1e400}]}'
    quote = parse_quote_text(text)
    stored = store.add_quote(quote, price(quote, book, rules, TODAY), book)
    raw = sqlite3.connect(store.path).execute("SELECT quote_file FROM revisions").fetchone()[0]
    assert raw == '{"schema":1,"quote_date":"2026-11-20","lines":[{"custom":"Workshop",' + (
        '"unit_price":1500.50,"odd":1e400}]}'
    )
    assert stored.quote().lines[0] == quote.lines[0]


def test_R_Q_5_sign_off_refuses_a_stored_file_that_does_not_price_to_its_stored_totals(
    store, make_quote, book
):
    number = store.add_quote(*make_quote()).number
    with sqlite3.connect(store.path) as raw:  # a draft may still change, so this is allowed
        raw.execute("UPDATE revisions SET priced = json_set(priced, '$.total', '1.00')")
    with pytest.raises(Refused, match=r"prices to a total of USD .* not the stored USD 1\.00"):
        sign_off(store, number, by="Ana Lima")
    assert store.get(number).status == "draft"


def test_R_Q_5_sign_off_needs_the_price_book_the_quote_was_priced_with(store, make_quote, book):
    number = store.add_quote(*make_quote()).number
    assert [v.sha256 for v in store.price_books()] == [book.sha256]  # kept on save
    with sqlite3.connect(store.path) as raw:
        raw.execute("DELETE FROM price_books")
    with pytest.raises(Refused, match="which this database does not have"):
        sign_off(store, number, by="Ana Lima")


def _write(tmp_path: Path, name: str, data: dict) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data))
    return path


def _show(number: str, db: Path) -> dict:
    run = quotedesk("quotes", "show", number, "--db", db)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def _round_trip(tmp_path: Path, data: dict, exported_exit: int = 0) -> tuple[str, str, Path]:
    """quotes add, export, import: the numbers of the original and the imported quote.
    Export writes the PDF of a quote with errors too, and exits 1 naming them."""
    db = tmp_path / "quotes.db"
    added = quotedesk("quotes", "add", _write(tmp_path, "q.json", data), "--catalog", BOOK,
                      "--db", db)  # fmt: skip
    assert added.returncode == 0, added.stderr
    number = added.stdout.strip()
    pdf = tmp_path / "q.pdf"
    exported = quotedesk("export", number, "-o", pdf, "--db", db)
    assert exported.returncode == exported_exit, exported.stderr
    imported = quotedesk("import", pdf, "--db", db)
    assert imported.returncode == 0, imported.stderr
    return number, imported.stdout.strip(), db


def test_R_Q_5_the_issues_mistakes_stay_errors_after_export_and_import(tmp_path):
    number, again, db = _round_trip(tmp_path, MISTAKES, exported_exit=1)
    for shown in (_show(number, db), _show(again, db)):
        assert shown["currency"] == "EUR"
        assert shown["po_numbr"] == "PO-7781"
        assert shown["lines"] == MISTAKES["lines"]
    refused = quotedesk("quotes", "sign-off", again, "--by", "Ana Lima", "--db", db)
    assert refused.returncode == 1
    assert "R-INPUT" in refused.stderr and "cannot be signed off" in refused.stderr


def test_R_Q_5_parent_0_and_coterm_with_0_survive_export_and_import(tmp_path):
    number, again, db = _round_trip(tmp_path, INDEXES_0)
    first, second = _show(number, db), _show(again, db)
    assert first["lines"] == second["lines"] == INDEXES_0["lines"]
