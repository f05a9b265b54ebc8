"""The PySide6 desktop app: the only package that imports Qt."""

from __future__ import annotations

import sys
from types import ModuleType

import PySide6.QtCore  # noqa: F401  (loads shibokensupport, patched below)


def _read_source_faster() -> None:
    """Once PySide6 is loaded, its import hook asks of every module imported after it
    whether its source mentions "PySide6" (shibokensupport/feature.py, for `from
    __feature__ import ...`), through inspect.getsource: tokenizing and caching some 200
    files, a fifth of the start-up time of a bare Qt window. The same question answered
    from the file's bytes takes a tenth of that; modules without a .py file keep
    PySide6's own check."""
    feature = sys.modules.get("shibokensupport.feature")
    check = getattr(feature, "_mod_uses_pyside", None)
    if check is None or getattr(check, "reads_bytes", False):
        return

    def uses_pyside(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if not isinstance(path, str) or not path.endswith(".py"):
            return bool(check(module))
        try:
            with open(path, "rb") as source:
                return b"PySide6" in source.read()
        except OSError:  # as inspect.getsource: no readable source
            return False

    uses_pyside.reads_bytes = True  # type: ignore[attr-defined]
    feature._mod_uses_pyside = uses_pyside  # type: ignore[union-attr]


_read_source_faster()
