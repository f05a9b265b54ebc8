"""PySide6 6.12 on CPython 3.11 drops a reference to None on every void Qt call; the gui
package makes None, True and False immortal so a long session never aborts."""

import sys

from PySide6.QtWidgets import QLabel

import quotedesk.gui  # noqa: F401  (the import applies the fix)


def test_a_long_session_of_qt_calls_never_runs_out_of_references_to_none(qtbot):
    label = QLabel()
    qtbot.addWidget(label)
    for _ in range(20_000):
        label.setText("x")
    for singleton in (None, True, False):
        assert sys.getrefcount(singleton) > 1 << 39
