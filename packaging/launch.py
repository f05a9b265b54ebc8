"""Entry script of the bundle's console command `quotedesk` (quotedesk.spec)."""

from quotedesk.__main__ import run

if __name__ == "__main__":
    run()
