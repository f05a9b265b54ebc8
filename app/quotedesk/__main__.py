"""`python -m quotedesk` is the `quotedesk` command."""

import sys

from quotedesk.cli import main

sys.exit(main())
