"""PySide6 6.12.0 on CPython 3.11 dropped a reference to None on every void Qt call, so a
long session aborted with "deallocating None"; the pinned PySide6 must not."""

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel


class _Emitter(QObject):
    changed = Signal()


def test_a_long_session_of_qt_calls_keeps_its_references_to_none_and_true(qtbot):
    label = QLabel()
    qtbot.addWidget(label)
    emitter = _Emitter()
    before = {name: sys.getrefcount(value) for name, value in (("None", None), ("True", True))}
    for _ in range(20_000):
        label.setText("x")
        emitter.changed.emit()
    after = {name: sys.getrefcount(value) for name, value in (("None", None), ("True", True))}
    # A few references come and go with the interpreter's own work; a leak is 20,000.
    assert all(abs(after[name] - before[name]) < 100 for name in before), (before, after)
