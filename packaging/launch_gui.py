"""Entry script of the bundle's windowed app (quotedesk.spec): `quotedesk gui`, with the
arguments a desktop or Finder passes on."""

import sys

from quotedesk.cli import main

if __name__ == "__main__":
    sys.exit(main(["gui", *sys.argv[1:]]))
