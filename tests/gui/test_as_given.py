"""R-Q-5 in the window: a quote file opened, saved, signed off and revised is stored
exactly as it was given (indexes of 0, unknown fields and numbers with fractions too)."""

from __future__ import annotations

from quotedesk.core.quotes.model import read_quote_json
from tests.gui.conftest import sign_off_as

QUOTE = """{"schema": 1, "quote_date": "2026-11-20", "po_numbr": "PO-7781",
 "customer": {"name": "ACME Ltda", "country": "BR", "crm_id": 42},
 "lines": [
  {"product": "jira", "deployment": "datacenter", "users": 100, "months": 12},
  {"product": "app:com.example.timesheets", "deployment": "datacenter", "parent": 0},
  {"custom": "Workshop", "unit_price": "1500.00", "weight": 2.50}
 ]}"""


def test_R_Q_5_window_save_sign_off_and_revise_keep_the_file_as_given(qtbot, window, tmp_path):
    path = tmp_path / "q.json"
    path.write_text(QUOTE)
    window.open_file(path)
    assert window.draft.priced.errors == ()
    given = read_quote_json(QUOTE)  # 2.50 kept as its text

    saved = window.save()
    assert saved.quote_file == given
    raw = window.store.db.execute("SELECT quote_file FROM revisions").fetchone()[0]
    assert '"weight":2.50' in raw  # the number as written, not "2.50" nor 2.5

    sign_off_as(qtbot, window, "Ana Souza")
    qtbot.waitUntil(lambda: window.draft.read_only)
    window.menu.revise_action.trigger()
    assert window.draft.stored.label == f"{saved.number}-R2"
    assert window.draft.priced.errors == ()  # the app line still has its parent
    assert window.draft.data == given
    again = window.save()
    assert again.quote_file == given
    assert again.priced["total"] == saved.priced["total"]
