"""Open the main window and every dialog on the screen Qt was started with, in each
language, and print as JSON where each lies and whether its buttons and the quote's total
can be seen. Run in a subprocess by test_screen_fit.py: the offscreen platform's screen
size (and QT_SCALE_FACTOR) is fixed when the application starts.

    python -m tests.gui.every_window OUT_DIR LANGUAGE...

Each window is also saved as OUT_DIR/LANGUAGE-NAME.png, to be looked at."""

from __future__ import annotations

import json
import sys
import tempfile
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import QRect
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialogButtonBox,
    QWidget,
)

from quotedesk.core import load_price_book
from quotedesk.core.price_book import RowError
from quotedesk.core.problems import Message
from quotedesk.gui.about import AboutDialog
from quotedesk.gui.app import register_fonts
from quotedesk.gui.compare_view import CompareDialog
from quotedesk.gui.first_run import FirstRunAssistant
from quotedesk.gui.main_window import MainWindow
from quotedesk.gui.parties_dialog import PartiesDialog
from quotedesk.gui.price_book_import import CheckResult, FailedRowsDialog
from quotedesk.gui.profile_dialog import ProfileDialog
from quotedesk.gui.recovery import RecoveryFile
from quotedesk.gui.renewals_view import RenewalsView
from quotedesk.gui.settings import Settings
from quotedesk.gui.sign_off_dialog import SignOffDialog
from quotedesk.gui.translation import install_translations
from quotedesk.store import open_store
from quotedesk.store.licences import LicenceRegister
from tests.gui.conftest import FIXTURES, JIRA_ANNUAL, TODAY

CUSTOMER = {"name": "Companhia Exemplo de Software Ltda", "country": "BR"}
LINES = [
    dict(JIRA_ANNUAL, users=100, months=12, discount_pct="5"),
    dict(JIRA_ANNUAL, product="confluence", users=50, months=12),
    dict(JIRA_ANNUAL, product="confluence", users=25, months=12, deployment="datacenter"),
]


def rect(r: QRect) -> list[int]:
    return [r.x(), r.y(), r.width(), r.height()]


def seen(widget: QWidget) -> dict[str, object]:
    """Whether `widget` is drawn whole inside its window: not clipped away by a parent and
    not beyond the window's edges."""
    window = widget.window()
    top_left = widget.mapTo(window, widget.rect().topLeft())
    inside = window.rect().contains(QRect(top_left, widget.size()))
    return {"visible": not widget.visibleRegion().isEmpty(), "inside": inside}


def report(
    name: str,
    window: QWidget,
    key_widgets: list[QWidget],
    out: Path,
    **facts: Callable[[], object],
) -> dict[str, object]:
    """Show `window`, save its picture, and say where it lies and whether each of
    `key_widgets` can be seen; `facts` are measured once it is shown."""
    window.show()
    QTest.qWait(300 if name.endswith("pdf-preview") else 20)  # QtPdf draws pages in a thread
    window.grab().save(str(out / f"{name}.png"))
    result = {
        "name": name,
        "title": window.windowTitle(),
        "frame": rect(window.frameGeometry()),
        "available": rect(window.screen().availableGeometry()),
        "widgets": {w.objectName() or type(w).__name__: seen(w) for w in key_widgets},
        **{fact: measure() for fact, measure in facts.items()},
    }
    window.close()
    return result


def buttons(dialog: QWidget) -> list[QWidget]:
    """The buttons a person must reach to finish with `dialog`."""
    found: list[QWidget] = []
    for box in dialog.findChildren(QDialogButtonBox):
        found += [b for b in box.buttons() if b.isVisibleTo(dialog)]
    if not found:  # a wizard, or a view with its own buttons
        found = [
            b for b in dialog.findChildren(QAbstractButton) if b.isVisibleTo(dialog) and b.text()
        ]
    for button in found:
        button.setObjectName(button.objectName() or button.text())
    return found


def every_window(language: str, out: Path) -> list[dict[str, object]]:
    tmp = Path(tempfile.mkdtemp())
    store = open_store(tmp / "quotes.db")
    store.save_profile(replace(store.profile(), company="Atlas Revenda Ltda"))
    book = load_price_book(FIXTURES / "test_book.csv")
    window = MainWindow(
        store,
        Settings(tmp / "settings.ini"),
        RecoveryFile(tmp / "recovery.json"),
        language=language,
        price_book=book,
        today=TODAY,
    )
    window.new_quote()
    for key, value in CUSTOMER.items():
        window.draft.set_field(("customer", key), value)
    for line in LINES:
        window.draft.add_line(dict(line))
    window.save()
    assert window.draft.stored is not None
    number = window.draft.stored.number
    store.sign_off(number, "Ana Souza")
    store.revise(number)
    window.open_stored(number)
    window.draft.set_field(("partner_discount_pct",), "10")
    window.save()
    window.editor.totals.footer.setObjectName("total")
    window.statusBar().setObjectName("status bar")
    table = window.editor.table
    shown = [
        report(
            f"{language}-main",
            window,
            [window.editor.totals.footer, window.statusBar()],
            out,
            table_rows=lambda: table.viewport().height() // table.rowHeight(0),
        )
    ]

    def dialog(name: str, made: QWidget) -> None:
        shown.append(report(f"{language}-{name}", made, buttons(made), out))

    revisions = store.revisions(number)
    from quotedesk.gui.history_dialog import HistoryDialog

    dialog("history", HistoryDialog(revisions, window.formatter, window))
    label = revisions[-1].label
    check = lambda by, approver: []  # noqa: E731  (every name is accepted here)
    over = [(0, Decimal("25"))]
    dialog("sign-off", SignOffDialog(label, check, over, Decimal("20"), window, window.formatter))
    dialog("profile", ProfileDialog(store.profile(), window))
    dialog("parties", PartiesDialog(dict(CUSTOMER), window.editor.header))
    dialog("about", AboutDialog(window))
    dialog("compare", CompareDialog(window.draft, window))
    register = LicenceRegister(store)
    register.import_csv((FIXTURES / "licences.csv").read_bytes(), "licences.csv", book)
    dialog("renewals", RenewalsView(window))
    errors = tuple(
        RowError(n, Message("row.fields", {"count": 3, "expected": 9})) for n in range(2, 40)
    )
    failed = CheckResult(tmp / "price-book-2026.csv", b"", errors)
    dialog("failed-rows", FailedRowsDialog(failed, window.formatter, window))
    dialog("first-run", FirstRunAssistant(store.profile(), window))
    preview = window.pdf_actions.preview_pdf()
    assert preview is not None
    dialog("pdf-preview", preview)
    dialog("unsaved-quote", window.unsaved_quote_box())
    window.dirty = False
    window.close()
    store.close()
    return shown


def main() -> None:
    out = Path(sys.argv[1])
    app = QApplication(sys.argv[:1])
    register_fonts()
    results = []
    for language in sys.argv[2:]:
        translators = install_translations(app, language)
        results += every_window(language, out)
        for translator in translators:
            app.removeTranslator(translator)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
