"""`quotedesk gui` (and `quotedesk` alone): the desktop app."""

from __future__ import annotations

import argparse
import gc
import sys

from quotedesk.cli import EXIT_RULE, add_db_option
from quotedesk.core.messages import LANGUAGES


def add_arguments(g: argparse.ArgumentParser) -> None:
    g.add_argument("--screenshot", help="save a PNG of the main window once drawn, then exit")
    g.add_argument("--quote", help="quote file to open")
    g.add_argument("--catalog", help="price book CSV to use")
    g.add_argument("--lang", help=f"interface language ({', '.join(LANGUAGES)})")
    g.add_argument("--size", metavar="WxH", help="window size, e.g. 1024x640 (screenshots)")
    add_db_option(g)


def run(args: argparse.Namespace) -> int:
    # Start-up allocates much and frees little: gui/app.py turns the cycle collector back
    # on once the window is drawn.
    gc.disable()
    try:
        from quotedesk.gui import app  # Qt: only the window loads it
    except ImportError as exc:  # e.g. a system library Qt needs is missing
        print(f"quotedesk gui: cannot start: {exc}", file=sys.stderr)
        return EXIT_RULE
    return app.run(args)
