"""Entry script of the bundle's console command `quotedesk` (quotedesk.spec)."""

import sys

from quotedesk.cli import main

if __name__ == "__main__":
    sys.exit(main())
