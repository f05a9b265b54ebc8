"""The PySide6 desktop app: the only package that imports Qt."""

import sys

if sys.version_info < (3, 12):
    import ctypes

    # PySide6 6.12 on CPython 3.11 hands back None from void methods (QLabel.setText, ...)
    # and True from Signal.emit without taking a reference: each call drops one reference
    # to those singletons (measured with sys.getrefcount), and a working session aborts
    # with "none_dealloc" within minutes. CPython 3.12 makes them immortal (PEP 683);
    # here they get a reference count no session can use up.
    for _singleton in (None, True, False):
        ctypes.c_ssize_t.from_address(id(_singleton)).value += 1 << 40
