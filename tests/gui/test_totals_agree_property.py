"""Every total agrees: after any sequence of window operations (edit a line's users, undo,
redo, save, re-price with another price book or keep the quote's, change the profile's
partner discount, use a compare scenario, sign off, revise, create a renewal, open a quote
from the list) the editor, the quote list, `quotedesk quotes show` and the PDF give the
open quote one total, or the window says it has unsaved changes. A real window over a
real SQLite file per example, the profile's partner discount at 10% to start with (the
renewals once lost it)."""

from __future__ import annotations

import contextlib
import io
import re
import tempfile
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pdfplumber
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox

from quotedesk.core.quotes.signoff import sign_off_refusals
from quotedesk.gui.main_window import MainWindow
from quotedesk.gui.recovery import RecoveryFile
from quotedesk.gui.renewals_view import RenewalsView
from quotedesk.gui.settings import Settings
from quotedesk.gui.sign_off_dialog import SignOffDialog
from quotedesk.operations.pdf import export_pdf, stored_document
from quotedesk.store import open_store
from quotedesk.store.licences import LicenceRegister
from tests.gui.conftest import (
    FIXTURES,
    TODAY,
    listed_total,
    quotes_show,
    start_quote,
    when_dialog_opens,
)

TEST_BOOK = (FIXTURES / "test_book.csv").read_bytes()
# The test book with Jira Cloud Standard's 100-user tier and Confluence Cloud Standard
# dearer, so re-pricing changes the quote and the renewals.
DEARER = TEST_BOOK.replace(
    b"jira,Jira,cloud,standard,annual,users,100,flat,USD,8000.00,",
    b"jira,Jira,cloud,standard,annual,users,100,flat,USD,9000.00,",
).replace(
    b"confluence,Confluence,cloud,standard,annual,users,100,flat,USD,4000.00,",
    b"confluence,Confluence,cloud,standard,annual,users,100,flat,USD,4400.00,",
)
PDF_TOTAL = re.compile(r"^Total (\S+)$", re.MULTILINE)


class Desk:
    """A window over its own database, the two price books imported and the licence
    register filled; `messages` collects every message the window shows."""

    def __init__(self, qtbot, folder: Path) -> None:
        self.qtbot, self.folder = qtbot, folder
        store = open_store(folder / "quotes.db")
        store.save_profile(
            replace(store.profile(), company="Atlas Revenda Ltda", partner_discount_pct=Decimal(10))
        )
        self.books = {}
        for name, data in (("test_book.csv", TEST_BOOK), ("dearer.csv", DEARER)):
            version, _ = store.import_price_book(data, name)
            self.books[name] = (store.price_book(version.id), version.id)
        book = self.books["test_book.csv"][0]
        LicenceRegister(store).import_csv(
            (FIXTURES / "licences.csv").read_bytes(), "licences.csv", book
        )
        self.store = store
        self.window = MainWindow(
            store,
            Settings(folder / "settings.ini"),
            RecoveryFile(folder / "state" / "recovery.json"),
            price_book=book,
            today=TODAY,
        )
        self.messages: list[str] = []
        self.window.message_shown.connect(self.messages.append)
        self.window.show()
        qtbot.waitExposed(self.window)

    def close(self) -> None:
        self.window.dirty = False  # no "save the new quote?" question
        self.window.close()
        self.window.deleteLater()
        self.store.close()
        QApplication.processEvents()

    def dismiss_messages(self) -> None:
        box = self.window.message_box
        if box is not None and box.isVisible():
            box.done(QMessageBox.StandardButton.Ok)
        self.window.message_box = None


@contextlib.contextmanager
def desk(qtbot) -> Iterator[Desk]:
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as folder:
        made = Desk(qtbot, Path(folder))
        try:
            yield made
        finally:
            made.close()


# The operations, each as a person does it in the window.


def edit_users(d: Desk, data: st.DataObject) -> None:
    draft = d.window.draft
    rows = [i for i, line in enumerate(draft.data["lines"]) if "users" in line]
    if not rows:
        draft.add_line()
        return
    row = data.draw(st.sampled_from(rows), label="line")
    draft.set_line(row, "users", data.draw(st.sampled_from([10, 50, 100, 150, 500])))


def undo(d: Desk, data: st.DataObject) -> None:
    d.window.menu.undo_action.trigger()


def redo(d: Desk, data: st.DataObject) -> None:
    d.window.menu.redo_action.trigger()


def save(d: Desk, data: st.DataObject) -> None:
    d.window.menu.save_action.trigger()


def reprice(d: Desk, data: st.DataObject) -> None:
    """A price book chosen, or imported with the re-price question answered Yes or No."""
    name = data.draw(st.sampled_from(sorted(d.books)), label="book")
    yes = data.draw(st.booleans(), label="re-price the open quote")
    d.window.price_book_actions.use_price_book(d.books[name][1], reprice_open_quote=yes)


def change_partner_discount(d: Desk, data: st.DataObject) -> None:
    """The reseller profile saved with another default partner discount (R-DISC-PARTNER)."""
    pct = data.draw(st.sampled_from([0, 5, 10]), label="partner discount %")
    d.window.apply_profile(replace(d.window.store.profile(), partner_discount_pct=Decimal(pct)))


def use_scenario(d: Desk, data: st.DataObject) -> None:
    d.window.menu.compare_action.trigger()
    dialog = d.window.menu.compare_dialog
    keys = [s.key for s in dialog.model.scenarios if s.key != "as_quoted"]
    if keys and dialog.use_button.isEnabled():
        dialog.select(data.draw(st.sampled_from(keys), label="scenario"))
        dialog.use_chosen()
    dialog.close()


def sign_off(d: Desk, data: st.DataObject) -> None:
    window = d.window
    draft = window.draft
    if draft.read_only:
        return
    profile = window.store.profile()
    blocking = [
        r
        for r in sign_off_refusals(draft.data, draft.view, seller=profile.company,
                                   threshold=profile.approval_threshold_pct, by="-",
                                   approver=None)
        if r.field not in ("signed_by", "approver")
    ]  # fmt: skip
    if not blocking:  # else the window says why, and no dialog opens

        def fill(dialog) -> None:
            assert isinstance(dialog, SignOffDialog)
            d.qtbot.keyClicks(dialog.signed_by, "Ana Souza")
            dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

        when_dialog_opens(fill)
    window.menu.sign_off_action.trigger()


def revise(d: Desk, data: st.DataObject) -> None:
    if d.window.menu.revise_action.isEnabled():
        d.window.menu.revise_action.trigger()


def create_renewal(d: Desk, data: st.DataObject) -> None:
    window = d.window
    window.menu.renewals_action.trigger()
    view = window.findChild(RenewalsView)
    view.within.setCurrentIndex(view.within.findData(None))  # every licence
    view.customer.setText(data.draw(st.sampled_from(["acme", "umbrella", "initech"])))
    view.table.selectAll()
    count = window.store.count_quotes()
    view.create_button.click()
    d.qtbot.waitUntil(lambda: "renewals" not in window._jobs, timeout=20_000)
    assert window.store.count_quotes() == count + 1
    view.hide()


def open_from_list(d: Desk, data: st.DataObject) -> None:
    table = d.window.quotes.table
    row = data.draw(st.integers(0, table.model().rowCount() - 1), label="list row")
    index = table.model().index(row, 0)
    table.scrollTo(index)
    d.qtbot.mouseClick(
        table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(index).center()
    )


OPERATIONS = {
    f.__name__: f
    for f in (edit_users, undo, redo, save, reprice, change_partner_discount, use_scenario,
              sign_off, revise, create_renewal, open_from_list)
}  # fmt: skip


def check_totals(d: Desk) -> None:
    """The list shows what the store holds; the editor shows the same unless the window
    says the quote has unsaved changes."""
    window = d.window
    draft = window.draft
    assert draft.stored is not None  # every quote here is a stored one
    key = draft.stored.key
    shown = quotes_show(d.folder / "quotes.db", key)
    stored = window.formatter.money(Decimal(shown["total"]), shown["currency"])
    assert listed_total(window, key) == stored
    editor = window.editor.totals.total_amount.text()
    assert editor == window.formatter.money(Decimal(draft.view["total"]), draft.currency)
    if window.dirty:
        assert window.windowTitle().startswith("*")
        assert window.save_label.text() == "Unsaved changes"
    else:
        assert editor == stored, f"{key}: the editor shows {editor}, the store {stored}"
    assert not [m for m in d.messages if "R-Q-5" in m]


def pdf_totals(data: bytes) -> set[str]:
    """The totals a PDF prints, read without the slanted DRAFT watermark's letters."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        text = "\n".join(
            page.filter(lambda o: o["object_type"] != "char" or o["matrix"][1] == 0).extract_text()
            for page in pdf.pages
        )
    return set(PDF_TOTAL.findall(text))


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    steps=st.lists(st.sampled_from(sorted(OPERATIONS)), min_size=1, max_size=8),
    data=st.data(),
)
def test_the_editor_the_list_quotes_show_and_the_pdf_give_one_total(qtbot, steps, data):
    with desk(qtbot) as d:
        window = d.window
        window.new_quote()
        start_quote(qtbot, window)  # ACME Ltda, 100 users of Jira Cloud Standard
        window.menu.save_action.trigger()
        check_totals(d)
        for step in steps:
            OPERATIONS[step](d, data)
            QApplication.processEvents()
            d.dismiss_messages()
            check_totals(d)

        if window.dirty:
            window.menu.save_action.trigger()
        check_totals(d)
        editor = window.editor.totals.total_amount.text()
        out = d.folder / "shown.pdf"
        window.pdf_actions.export_pdf(out)  # the quote as the window exports it
        assert pdf_totals(out.read_bytes()) == {editor}
        stored = stored_document(window.store, window.draft.stored.key, today=TODAY)
        assert pdf_totals(export_pdf(stored, "en")) == {editor}
