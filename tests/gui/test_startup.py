"""Work put off until after start-up must not change what the window does."""

from __future__ import annotations

import sys

import quotedesk.gui
import quotedesk.gui.main_window
import quotedesk.i18n


def test_pyside_feature_check_reads_bytes_and_answers_as_before() -> None:
    # PySide6's own check (inspect.getsource) and the byte-reading one installed by
    # quotedesk.gui must agree: a module naming PySide6 uses it, one that does not, and
    # a built-in module (no file) does not.
    feature = sys.modules["shibokensupport.feature"]
    check = feature._mod_uses_pyside
    assert check.reads_bytes
    assert check(quotedesk.gui.main_window) is True
    assert check(quotedesk.i18n) is False
    assert check(sys) is False


def test_pyside_feature_check_is_replaced_once() -> None:
    feature = sys.modules["shibokensupport.feature"]
    installed = feature._mod_uses_pyside
    quotedesk.gui._read_source_faster()
    assert feature._mod_uses_pyside is installed
