"""User stories for stored quotes: save, reopen, sign off, refused edits, revise,
history, autosave and crash recovery."""

from __future__ import annotations

from decimal import Decimal

from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from quotedesk.gui.draft import QuoteDraft
from quotedesk.gui.history_dialog import HistoryDialog
from quotedesk.gui.line_model import USERS
from quotedesk.gui.read_only import SignedOffRevision
from tests.gui.conftest import JIRA_ANNUAL, sign_off_as, start_quote, when_dialog_opens


def test_save_gives_a_number_and_the_quote_reopens_from_the_list(qtbot, window, model_tester):
    model_tester(window.quotes.model)
    model_tester(window.quotes.proxy)
    start_quote(qtbot, window)
    window.menu.save_action.trigger()
    assert window.draft.stored.label == "QD-2026-00001"
    assert window.editor.title.text() == "QD-2026-00001 — draft"

    window.new_quote()
    table = window.quotes.table
    assert table.model().rowCount() == 1
    index = table.model().index(0, 0)
    assert index.data() == "QD-2026-00001\nACME Ltda"
    assert table.model().index(0, 2).data() == "$8,000.00"
    qtbot.mouseClick(
        table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(index).center()
    )
    assert window.draft.stored.number == "QD-2026-00001"
    assert window.editor.header.customer_name.text() == "ACME Ltda"


def test_quote_list_search_and_status_filter(qtbot, window):
    start_quote(qtbot, window)
    window.save()
    window.new_quote()
    qtbot.keyClicks(window.editor.header.customer_name, "Nordlicht GmbH")
    window.draft.add_line(dict(JIRA_ANNUAL, users=10, months=12))
    window.save()
    panel = window.quotes
    assert panel.model.rowCount() == 2

    window.menu.find_action.trigger()
    qtbot.keyClicks(panel.search, "nordlicht")
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1)
    assert panel.model.index(0, 0).data() == "QD-2026-00002\nNordlicht GmbH"

    panel.search.clear()
    panel.status.setCurrentIndex(panel.status.findData("signed_off"))
    qtbot.waitUntil(lambda: panel.model.rowCount() == 0)


def test_signed_off_quote_refuses_edits_until_revised(qtbot, window, model_tester):
    start_quote(qtbot, window)
    sign_off_as(qtbot, window, "Ana Souza")
    qtbot.waitUntil(lambda: window.draft.read_only)
    assert window.draft.stored.signed_off_by == "Ana Souza"
    assert window.editor.banner.text().startswith("Signed off by Ana Souza on ")
    assert window.editor.banner.text().endswith("— Revise to change")

    # Trying to edit: the table refuses, the fields and line buttons are disabled.
    model = window.editor.table.model()
    model_tester(model)
    refusals = []
    window.message_shown.connect(refusals.append)
    assert not model.flags(model.index(0, USERS)) & Qt.ItemFlag.ItemIsEditable
    assert not model.setData(model.index(0, USERS), 500)
    assert not window.editor.header.customer_name.isEnabled()
    assert not window.editor.add_line_action.isEnabled()
    assert not window.menu.save_action.isEnabled()
    # The signed-off revision is shown as such, not as a draft; every edit says why not.
    assert isinstance(window.draft, SignedOffRevision)
    assert not isinstance(window.draft, QuoteDraft)
    assert window.draft.add_line() == -1
    assert window.draft.add_custom_line() == -1
    assert not window.draft.remove_line(0)
    assert not window.draft.set_field(("notes",), "changed")
    assert not window.draft.set_country("DE")
    assert (
        refusals
        == ["QD-2026-00001 is signed off and cannot be edited: use Revise to change it."] * 6
    )
    assert window.draft.data["lines"][0]["users"] == 100
    assert "notes" not in window.draft.data
    assert window.draft.undo_stack.count() == 0

    window.menu.revise_action.trigger()
    assert window.draft.stored.label == "QD-2026-00001-R2"
    assert not window.draft.read_only
    assert isinstance(window.draft, QuoteDraft)
    assert model is not window.editor.table.model()
    model = window.editor.table.model()
    assert model.setData(model.index(0, USERS), 150)
    window.save()
    assert window.store.get("QD-2026-00001", 1).quote_file["lines"][0]["users"] == 100
    assert window.store.get("QD-2026-00001", 2).quote_file["lines"][0]["users"] == 150


def test_sign_off_above_the_approval_threshold_needs_an_approver(qtbot, window):
    start_quote(qtbot, window, discount_pct="20")  # the profile's threshold is 15%
    sign_off_as(qtbot, window, "Ana Souza")  # the OK button stays disabled: cancelled
    assert not window.draft.read_only

    sign_off_as(qtbot, window, "Ana Souza", approver="Bruno Lima")
    qtbot.waitUntil(lambda: window.draft.read_only)
    assert window.draft.stored.approver == "Bruno Lima"


def test_quote_with_errors_cannot_be_signed_off(qtbot, window):
    start_quote(qtbot, window, users=60000)
    messages = []
    window.message_shown.connect(messages.append)
    window.menu.sign_off_action.trigger()
    assert messages == [
        "This quote cannot be signed off yet:\n• R-LIM-2 — "
        "Jira Cloud Standard allows at most 50,000 per site, not 60,000"
    ]
    assert window.message_box.icon() == QMessageBox.Icon.Warning
    assert not window.draft.read_only


def test_history_shows_changed_fields_lines_and_totals_side_by_side(qtbot, window, model_tester):
    start_quote(qtbot, window)
    sign_off_as(qtbot, window, "Ana Souza")
    qtbot.waitUntil(lambda: window.draft.read_only)
    window.revise()
    window.draft.set_line(0, "users", 150)
    window.draft.set_field(("po_number",), "PO-1")
    window.save()
    dialog = window.show_history()
    assert isinstance(dialog, HistoryDialog)
    model_tester(dialog.model)
    rows = [
        tuple(dialog.model.index(r, c).data() for c in range(3))
        for r in range(dialog.model.rowCount())
    ]
    assert rows == [
        ("PO number", "", "PO-1"),
        ("Line 1: Users", "100", "150"),
        ("Subtotal", "$8,000.00", "$14,600.00"),
        ("Net", "$8,000.00", "$14,600.00"),
        ("Total", "$8,000.00", "$14,600.00"),
    ]
    assert dialog.model.headerData(1, Qt.Orientation.Horizontal) == "QD-2026-00001"
    assert dialog.model.headerData(2, Qt.Orientation.Horizontal) == "QD-2026-00001-R2"
    dialog.close()


def test_autosave_stores_the_draft_a_moment_after_the_last_edit(qtbot, window):
    start_quote(qtbot, window)
    window.save()
    window._autosave.setInterval(50)
    window.draft.set_line(0, "users", 150)
    assert window.dirty
    qtbot.waitUntil(lambda: not window.dirty)
    assert window.store.get("QD-2026-00001").quote_file["lines"][0]["users"] == 150
    assert window.store.get("QD-2026-00001").priced["total"] == "14600.00"


def test_unsaved_edits_survive_a_crash_and_are_offered_at_the_next_start(
    qtbot, make_window, tmp_path
):
    first = make_window()
    first.new_quote()
    start_quote(qtbot, first, users=150)
    recovery = tmp_path / "state" / "recovery.json"
    assert recovery.exists()  # written on every edit: a crash now loses nothing

    second = make_window()  # the next start, without the first having closed

    def recover(dialog) -> None:
        dialog.button(QMessageBox.StandardButton.Yes).click()

    when_dialog_opens(recover)
    second.restore_session()
    qtbot.waitUntil(lambda: second.draft.data["customer"]["name"] == "ACME Ltda")
    assert second.draft.data["lines"][0]["users"] == 150
    assert second.editor.totals.rows[-1] == ("Total", "$14,600.00")
    second.save()
    assert not recovery.exists()


def test_last_quote_and_window_geometry_are_remembered(qtbot, make_window):
    first = make_window()
    first.new_quote()
    start_quote(qtbot, first)
    first.save()
    first.resize(900, 650)
    first.close()

    second = make_window()
    second.restore_session()
    assert second.draft.stored.number == "QD-2026-00001"
    # Offscreen Qt's screen is 800 px wide, so only the height comes back unclamped.
    assert second.height() == 650


def test_reseller_profile_dialog_returns_the_profile_and_whether_accepted(qtbot, window):
    def fill(dialog) -> None:
        fields = dialog.fields
        fields.company.clear()
        qtbot.keyClicks(fields.company, "Partner Co")
        fields.threshold.clear()
        qtbot.keyClicks(fields.threshold, "25")
        fields.prefix.clear()
        qtbot.keyClicks(fields.prefix, "PC")
        dialog.accept()

    when_dialog_opens(fill)
    window.menu.profile_action.trigger()
    profile = window.store.profile()
    assert (profile.company, profile.approval_threshold_pct, profile.number_prefix) == (
        "Partner Co",
        Decimal("25"),
        "PC",
    )
    window.new_quote()
    start_quote(qtbot, window)
    assert window.save().number == "PC-2026-00001"


def test_export_writes_the_signed_off_revision_as_a_pdf(qtbot, window, tmp_path):
    start_quote(qtbot, window)
    sign_off_as(qtbot, window, "Ana Souza")
    qtbot.waitUntil(lambda: window.draft.read_only)
    out = tmp_path / "quote.pdf"
    window.pdf_actions.export_pdf(out)
    text = "".join(page.extract_text() for page in PdfReader(out).pages)
    assert "QD-2026-00001" in text
    assert "ACME Ltda" in text
    assert "8,000.00" in text


def test_export_to_an_unwritable_place_is_a_message(qtbot, window, tmp_path):
    start_quote(qtbot, window)
    messages = []
    window.message_shown.connect(messages.append)
    window.pdf_actions.export_pdf(tmp_path / "missing-folder" / "quote.pdf")
    assert messages and messages[0].startswith(f"Cannot write {tmp_path / 'missing-folder'}")
