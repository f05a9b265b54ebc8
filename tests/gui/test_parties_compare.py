"""Stories in the window: entering the parties and the licence a line renews
with the keyboard (R-RESELL-2), and comparing scenarios, choosing one, undoing it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from quotedesk.gui.compare_view import CompareDialog
from quotedesk.gui.parties_dialog import PartiesDialog
from tests.gui.conftest import JIRA_ANNUAL

CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
DC_RENEWAL = {
    "schema": 1,
    "quote_date": "2026-11-23",
    "currency": "USD",
    "customer": {"name": "ACME Ltda", "country": "BR"},
    "lines": [
        {"product": "jira", "deployment": "datacenter", "users": 500, "action": "renew",
         "current_end_date": "2027-01-31"},
    ],
}  # fmt: skip
JIRA_90 = {
    "schema": 1,
    "quote_date": "2026-11-23",
    "currency": "USD",
    "customer": {"name": "ACME Ltda", "country": "BR"},
    "lines": [dict(JIRA_ANNUAL, users=90, months=12)],
}


def type_keys(qtbot, *steps: str | Qt.Key) -> None:
    """Text or a key, each to whatever has the focus, as a person types."""
    for step in steps:
        widget = QApplication.focusWidget()
        if isinstance(step, str):
            qtbot.keyClicks(widget, step)
        else:
            qtbot.keyClick(widget, step)


def warned(window, code: str) -> list[int | None]:
    return [w["line"] for w in window.draft.view["warnings"] if w["code"] == code]


def back_to(qtbot, window) -> None:
    """The window active again once a dialog closed (offscreen, Qt does not do it)."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def open_parties(qtbot, window) -> PartiesDialog:
    header = window.editor.header
    header.parties.setFocus()
    qtbot.keyClick(header.parties, Qt.Key.Key_Space)
    dialog = header.parties_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.address)
    return dialog


def test_R_RESELL_2_enter_the_parties_with_keys_and_undo_them_in_one_step(qtbot, window):
    qtbot.keyClicks(window.editor.header.customer_name, "ACME Ltda")
    dialog = open_parties(qtbot, window)
    type_keys(
        qtbot,
        "Rua Augusta 1500", Qt.Key.Key_Return, "Sao Paulo", Qt.Key.Key_Tab,
        "Ana Lima", Qt.Key.Key_Tab, "ana.lima@acme.example", Qt.Key.Key_Tab,
        "Bruno Costa", Qt.Key.Key_Tab, "financeiro@acme.example", Qt.Key.Key_Return,
    )  # fmt: skip
    assert not dialog.isVisible()
    customer = window.draft.data["customer"]
    assert customer == {
        "name": "ACME Ltda",
        "address": "Rua Augusta 1500\nSao Paulo",
        "technical_contact": {"name": "Ana Lima", "email": "ana.lima@acme.example"},
        "billing_contact": {"name": "Bruno Costa", "email": "financeiro@acme.example"},
    }
    assert "Ana Lima" in window.editor.header.parties.toolTip()
    back_to(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_Z, CTRL)  # the three fields were one step
    assert window.draft.data["customer"] == {"name": "ACME Ltda"}


def test_R_INPUT_a_bad_email_is_kept_as_typed_and_the_quote_shows_the_error(qtbot, window):
    dialog = open_parties(qtbot, window)
    type_keys(qtbot, Qt.Key.Key_Tab, "Ana", Qt.Key.Key_Tab, "ana@acme")
    assert dialog.hints["technical_contact"].text() == "Not an email address"
    type_keys(qtbot, Qt.Key.Key_Return)
    assert window.draft.data["customer"]["technical_contact"] == {
        "name": "Ana",
        "email": "ana@acme",
    }
    assert [e["message"] for e in window.draft.view["errors"]] == [
        "customer.technical_contact.email: 'ana@acme' is not an email address such as "
        "ana@example.com"
    ]


def test_R_RESELL_2_type_the_sen_of_a_renewal_in_the_line_details(qtbot, window):
    window.open_data(DC_RENEWAL)
    assert warned(window, "R-RESELL-2") == [0]
    details = window.editor.details
    window.editor.select_line(0)
    assert details.sen.isEnabled() and not details.site_url.isEnabled()
    details.sen.setFocus()
    type_keys(qtbot, "SEN-12345678")
    assert window.draft.data["lines"][0]["sen"] == "SEN-12345678"
    assert warned(window, "R-RESELL-2") == []
    assert window.draft.view["errors"] == []
    assert window.draft.undo_stack.count() == 1  # typing is one step
    qtbot.keyClick(window, Qt.Key.Key_Z, CTRL)
    assert "sen" not in window.draft.data["lines"][0]
    assert warned(window, "R-RESELL-2") == [0]
    assert details.sen.text() == ""


def test_R_RESELL_2_a_half_typed_sen_is_an_error_on_its_line(qtbot, window):
    window.open_data(DC_RENEWAL)
    window.editor.select_line(0)
    window.editor.details.sen.setFocus()
    type_keys(qtbot, "SEN-12")
    assert window.draft.data["lines"][0]["sen"] == "SEN-12"  # kept as typed
    assert [(e["code"], e["line"]) for e in window.draft.view["errors"]] == [("R-INPUT", 0)]


def open_compare(qtbot, window) -> CompareDialog:
    qtbot.keyClick(window, Qt.Key.Key_M, CTRL_SHIFT)
    dialog = window.menu.compare_dialog
    assert dialog.isVisible()
    return dialog


def test_compare_shows_each_scenario_with_total_per_user_warnings_and_headroom(
    qtbot, window, model_tester
):
    window.open_data(JIRA_90)
    dialog = open_compare(qtbot, window)
    model = dialog.model
    model_tester(model)
    rows = [
        [model.index(r, c).data() for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]
    # Test book: 100-user tier $8,000.00 a year; 90 users × 12 months: 8000 / 1080 = 7.41.
    assert rows == [
        ["As quoted", "—", "$8,000.00", "—", "$7.41", "—",
         "line 1: tier 100, up to 10 more users at no extra cost"],
        # The window has a reseller profile: resellers buy no monthly cloud (R-RESELL-1).
        ["Monthly billing", "1", "$640.00", "-$7,360.00", "$7.11", "R-RESELL-1", "—"],
        ["24 months", "1", "$16,000.00", "+$8,000.00", "$7.41", "—",
         "line 1: tier 100, up to 10 more users at no extra cost"],
        ["Data Center", "1", "$36,500.00", "+$28,500.00", "$33.80", "R-DC-EOL",
         "line 1: tier 500, up to 410 more users at no extra cost"],
        ["Next tier up", "1", "$14,600.00", "+$6,600.00", "$6.08", "—", "—"],
    ]  # fmt: skip
    assert not dialog.use_button.isEnabled()  # "as quoted" is the quote already
    dialog.select("datacenter")
    assert dialog.detail.text().startswith("Warning R-DC-EOL line 1: ")


def test_choose_a_scenario_then_undo_restores_the_quote(qtbot, window):
    window.open_data(JIRA_90)
    before = window.draft.data
    dialog = open_compare(qtbot, window)
    qtbot.keyClick(dialog.table, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.table, Qt.Key.Key_Down)  # 24 months
    assert dialog.chosen().key == "24_months"
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)  # the default button: use it
    assert not dialog.isVisible()
    assert window.draft.data["lines"][0]["months"] == 24
    assert window.draft.view["total"] == "16000.00"
    assert window.editor.totals.total_text.endswith("$16,000.00")
    assert window.menu.undo_action.text() == "&Undo Use scenario: 24 months"
    back_to(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_Z, CTRL)
    assert window.draft.data == before == JIRA_90
    assert window.draft.view["total"] == "8000.00"


def test_alt_p_opens_the_parties_dialog_from_the_quote(qtbot, window):
    back_to(qtbot, window)  # the focus on Customer, as after Ctrl+N
    qtbot.keyClick(
        window.editor.header.customer_name, Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier
    )
    # A mnemonic "presses" the button as a click would show it: the click comes later.
    qtbot.waitUntil(lambda: window.editor.header.parties_dialog is not None)
    dialog = window.editor.header.parties_dialog
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.address)
    qtbot.keyClick(dialog.address, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_R_RESELL_2_warning_is_listed_in_the_window_language(make_window):
    window = make_window(language="ja")
    window.open_data(DC_RENEWAL)
    item = window.editor.problems.item(0)
    assert item.text().startswith(
        "R-RESELL-2 — この更新またはアップグレードには対象のライセンスが指定されていません。"
    )


def test_R_RESELL_2_a_cloud_line_shows_its_whole_site_url_at_1024x640(qtbot, window):
    window.resize(1024, 640)
    window.open_data(dict(JIRA_90, lines=[*DC_RENEWAL["lines"], *JIRA_90["lines"]]))
    window.editor.tabs.setCurrentIndex(1)  # the line details
    details = window.editor.details
    window.editor.select_line(1)  # cloud: the site, not the SEN
    assert details.site_url.isVisible() and not details.sen.isVisible()
    details.site_url.setFocus()
    type_keys(qtbot, "https://acme.atlassian.net")
    assert window.draft.data["lines"][1]["site_url"] == "https://acme.atlassian.net"
    room = details.site_url.contentsRect().width()
    assert details.site_url.fontMetrics().horizontalAdvance("https://acme.atlassian.net") < room
    window.editor.select_line(0)  # Data Center: the SEN in the same place
    assert details.sen.isVisible() and not details.site_url.isVisible()
