"""The window prices and saves through the operations the command line uses, with the
reseller profile's defaults."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from quotedesk.store import open_store
from tests.gui.conftest import listed_total, start_quote, when_dialog_opens


def set_profile(tmp_path, **fields) -> None:
    with open_store(tmp_path / "quotes.db") as store:
        store.save_profile(replace(store.profile(), company="Atlas Revenda Ltda", **fields))


def test_R_Q_3_a_save_in_the_window_uses_the_profiles_validity_days(qtbot, make_window, tmp_path):
    """Today's main saved 30 days whatever the profile said."""
    set_profile(tmp_path, validity_days=10)
    window = make_window()
    window.new_quote()
    start_quote(qtbot, window)
    revision = window.save()
    # Quoted on 2026-11-23 (the window's today), valid for 10 days.
    assert revision.priced["valid_until"] == "2026-12-03"
    assert window.draft.view["valid_until"] == "2026-12-03"


def test_R_DISC_PARTNER_the_window_applies_the_profiles_partner_discount(
    qtbot, make_window, tmp_path
):
    set_profile(tmp_path, partner_discount_pct=Decimal(10))
    window = make_window()
    window.new_quote()
    start_quote(qtbot, window)  # 100 users: the test book's 8,000.00 tier
    assert window.editor.totals.total_text == "$7,200.00"
    assert window.save().priced["net_total"] == "7200.00"


def test_R_DISC_PARTNER_a_partner_discount_set_in_the_profile_dialog_applies_at_once(qtbot, window):
    """Today's main edited the profile's partner discount and never read it."""
    start_quote(qtbot, window)
    assert window.editor.totals.total_text == "$8,000.00"

    def fill(dialog) -> None:
        dialog.fields.partner_discount.clear()
        qtbot.keyClicks(dialog.fields.partner_discount, "10")
        dialog.accept()

    when_dialog_opens(fill)
    window.menu.profile_action.trigger()
    assert window.store.profile().partner_discount_pct == Decimal("10")
    assert window.editor.totals.total_text == "$7,200.00"
    assert window.editor.header.partner_discount.placeholderText() == "10"
    assert window.dirty  # the edits made before are still to be saved


def test_R_DISC_PARTNER_a_new_partner_discount_marks_a_saved_draft_modified_open_or_reopened(
    qtbot, make_window
):
    """A saved quote re-priced by a profile change looked saved: the editor said 7,200.00,
    the list 8,000.00, and sign-off then refused it (R-Q-5)."""
    window = make_window()
    window.new_quote()
    start_quote(qtbot, window)  # 100 users: the test book's 8,000.00 tier
    first = window.save().key
    window.new_quote()
    start_quote(qtbot, window, users=10)  # the 10-user tier: 1,000.00
    second = window.save().key

    profile = replace(window.store.profile(), partner_discount_pct=Decimal(10))
    window.apply_profile(profile)
    assert window.editor.totals.total_text == "$900.00"
    assert window.dirty and window.windowTitle().startswith("*")
    assert listed_total(window, second) == "$1,000.00"  # saved when the autosave runs
    window.open_stored(first)  # saves the open one first, as leaving a quote does
    assert listed_total(window, second) == "$900.00"
    # Saved before the profile changed, it opens at 8,000.00 less 10%: a change to save.
    assert window.editor.totals.total_text == "$7,200.00"
    assert window.dirty and window.save_label.text() == "Unsaved changes"
    window.save()
    assert listed_total(window, first) == "$7,200.00"
    assert not window.windowTitle().startswith("*")


def test_the_price_book_chosen_in_the_window_is_the_stores_active_one(qtbot, window, test_book):
    """`quotedesk import` and `quotes add` then price with the book the window uses."""
    version, _ = window.store.import_price_book(test_book.data, "test_book.csv")
    window.price_book_actions.use_price_book(version.id)
    assert window.store.active_price_book().sha256 == test_book.sha256
    window.price_book_actions.use_price_book(None)  # back to the sample
    assert window.store.active_price_book() is None
