"""User stories for price books: import in the background, failed rows listed, the
active book chosen and remembered, the sample book labelled."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from quotedesk.gui.price_book_import import price_book_check
from tests.gui.conftest import FIXTURES, JIRA_ANNUAL, when_dialog_opens

HEADER = (
    "product,name,deployment,edition,billing,unit,tier_max,price_kind,currency,price,"
    "effective_from\n"
)


def yes(box: QMessageBox) -> None:
    box.button(QMessageBox.StandardButton.Yes).click()


def write_book(tmp_path: Path, rows: list[str], name: str = "book.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + "".join(row + "\n" for row in rows), encoding="utf-8")
    return path


def test_a_bad_price_book_lists_each_failed_row_and_imports_nothing(
    qtbot, window, tmp_path, model_tester
):
    path = write_book(tmp_path, [
        "jira,Jira,cloud,standard,annual,users,10,flat,USD,1000.00,2025-01-01",
        "jira,Jira,cloud,standard,annual,users,100,flat,USD,lots,2025-01-01",
        "jira,Jira,server,,annual,users,500,flat,USD,100.00,2025-01-01",
    ])  # fmt: skip
    before = window.draft.view["price_book"]
    window.price_book_actions.import_price_book(path)
    qtbot.waitUntil(lambda: window.price_book_actions.failed_rows is not None)
    rows = window.price_book_actions.failed_rows.rows
    model_tester(rows.model())
    assert [rows.item(i).text() for i in range(rows.count())] == [
        "Line 3: price 'lots' is not a decimal number",
        "Line 4: deployment 'server' is not cloud or datacenter",
    ]
    assert window.store.price_books() == []
    assert window.draft.view["price_book"] == before


def test_a_good_price_book_is_imported_in_the_background_and_becomes_active(
    qtbot, make_window, tmp_path
):
    window = make_window(price_book=None)  # starts on the illustrative sample
    window.new_quote()
    window.draft.add_line(dict(JIRA_ANNUAL, users=100, months=12))
    assert window.sample_label.isVisible()
    assert window.draft.view["illustrative_prices"] is True

    when_dialog_opens(yes)  # re-price the open quote (test_price_book_import.py)
    with qtbot.waitSignal(window.price_book_changed, timeout=10_000):
        window.price_book_actions.import_price_book(FIXTURES / "test_book.csv")
    assert not window.sample_label.isVisible()
    assert window.book_label.text() == "test_book.csv"
    assert window.editor.totals.rows[-1] == ("Total", "$8,000.00")  # re-priced with it
    assert len(window.store.price_books()) == 1

    restarted = make_window(price_book=None)
    restarted.new_quote()
    assert restarted.book.sha256 == window.book.sha256  # the choice is remembered


def test_a_file_that_is_not_a_price_book_is_one_clear_message(qtbot, window, tmp_path):
    path = tmp_path / "notes.csv"
    path.write_bytes(b"name,amount\nx,1\n")
    messages = []
    window.message_shown.connect(messages.append)
    window.price_book_actions.import_price_book(path)
    qtbot.waitUntil(lambda: bool(messages))
    assert messages[0].startswith("notes.csv: the header lacks columns product, deployment")


def test_the_check_stops_between_chunks_when_cancelled(tmp_path):
    rows = [f"jira,Jira,cloud,standard,annual,users,{n},flat,USD,{n}.00,2025-01-01"
            for n in range(1, 6001)]  # fmt: skip
    progress: list[int] = []
    # The user presses Cancel mid-way, once progress is reported.
    result = price_book_check(write_book(tmp_path, rows), progress.append, lambda: bool(progress))
    assert progress == [33]
    assert result.cancelled


def test_choosing_the_sample_book_again_labels_the_window_illustrative(qtbot, make_window):
    window = make_window(price_book=None)
    window.new_quote()
    window.draft.add_line(dict(JIRA_ANNUAL, users=100, months=12))
    when_dialog_opens(yes)  # re-price the open quote (test_price_book_import.py)
    with qtbot.waitSignal(window.price_book_changed, timeout=10_000):
        window.price_book_actions.import_price_book(FIXTURES / "test_book.csv")
    assert not window.sample_label.isVisible()

    def choose_sample(dialog) -> None:
        assert dialog.comboBoxItems()[0] == "Illustrative sample price book"
        dialog.setTextValue(dialog.comboBoxItems()[0])
        dialog.accept()

    when_dialog_opens(choose_sample)
    window.menu.choose_book_action.trigger()
    assert window.sample_label.isVisible()
    assert window.draft.view["illustrative_prices"] is True
    assert window.store.active_price_book() is None
