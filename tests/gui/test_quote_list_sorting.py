"""The quote list keeps each quote's earlier revisions right under its newest one,
whichever column it is sorted by and in either order."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt

from quotedesk.core import parse_quote
from quotedesk.operations import quotes as quote_ops
from tests.gui.conftest import JIRA_ANNUAL, TODAY

QUOTE, STATUS, TOTAL = range(3)


def save(window, users: int, number: str | None = None) -> str:
    """A quote of Jira Cloud for `users` (test book: 10 users 1,000; 100 users 8,000;
    200 users 14,600; 500 users 36,500; no country, so no tax)."""
    data = {
        "schema": 1,
        "quote_date": TODAY.isoformat(),
        "currency": "USD",
        "customer": {"name": "ACME"},
        "lines": [dict(JIRA_ANNUAL, users=users, months=12)],
    }
    revision, _ = quote_ops.save(
        window.store, parse_quote(data), window.book, window.rules, TODAY, number
    )
    return revision.number


def revise(window, number: str, users: int) -> None:
    quote_ops.sign_off(window.store, number, "Ana Souza")
    quote_ops.revise(window.store, number)
    save(window, users, number)


def listed(window) -> list[str]:
    proxy = window.quotes.proxy
    return [proxy.index(r, QUOTE).data().split("\n")[0] for r in range(proxy.rowCount())]


def click_header(qtbot, window, column: int) -> Qt.SortOrder:
    header = window.quotes.table.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    assert header.sortIndicatorSection() == column
    return header.sortIndicatorOrder()


Q1_R2_HEAD, Q1 = "QD-2026-00001-R2", "   ↳ QD-2026-00001"
Q2 = "QD-2026-00002"
Q3_R3_HEAD, Q3_R2, Q3 = "QD-2026-00003-R3", "   ↳ QD-2026-00003-R2", "   ↳ QD-2026-00003"
# Q1: R1 signed off, R2 a draft of 36,500. Q2: signed off, 1,000. Q3: R1 and R2 signed
# off, R3 a draft of 8,000. A quote sorts by its newest revision; its others follow it.
BY_NUMBER_UP = [Q1_R2_HEAD, Q1, Q2, Q3_R3_HEAD, Q3_R2, Q3]
BY_NUMBER_DOWN = [Q3_R3_HEAD, Q3_R2, Q3, Q2, Q1_R2_HEAD, Q1]
BY_TOTAL_UP = [Q2, Q3_R3_HEAD, Q3_R2, Q3, Q1_R2_HEAD, Q1]
BY_TOTAL_DOWN = [Q1_R2_HEAD, Q1, Q3_R3_HEAD, Q3_R2, Q3, Q2]
BY_STATUS_UP = [Q1_R2_HEAD, Q1, Q3_R3_HEAD, Q3_R2, Q3, Q2]  # drafts, then signed off
BY_STATUS_DOWN = [Q2, Q3_R3_HEAD, Q3_R2, Q3, Q1_R2_HEAD, Q1]


def test_earlier_revisions_stay_under_their_quote_whatever_the_sort(qtbot, make_window):
    window = make_window()
    first = save(window, 100)
    revise(window, first, 500)
    second = save(window, 10)
    quote_ops.sign_off(window.store, second, "Ana Souza")
    third = save(window, 200)
    revise(window, third, 200)
    revise(window, third, 100)
    window.quotes.reload()
    assert listed(window) == BY_NUMBER_DOWN  # newest number first, as the list opens
    for column, up, down in (
        (QUOTE, BY_NUMBER_UP, BY_NUMBER_DOWN),
        (TOTAL, BY_TOTAL_UP, BY_TOTAL_DOWN),
        (STATUS, BY_STATUS_UP, BY_STATUS_DOWN),
    ):
        for _ in range(2):  # a second click turns the order round
            order = click_header(qtbot, window, column)
            expected = up if order == Qt.SortOrder.AscendingOrder else down
            assert listed(window) == expected, (column, order)
