"""Entry script for the PyInstaller build (quotedesk.spec): the frozen app finds its data
files in the bundle instead of the source tree."""

import os
import sys

if getattr(sys, "frozen", False):
    os.environ.setdefault("QUOTEDESK_RESOURCES", os.path.join(sys._MEIPASS, "resources"))

from quotedesk.cli import main

if __name__ == "__main__":
    sys.exit(main())
