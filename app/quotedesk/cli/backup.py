"""`quotedesk backup OUT [--force]`: copy the database with SQLite's online backup."""

from __future__ import annotations

import argparse
from pathlib import Path

from quotedesk.cli import EXIT_OK, add_db_option, say
from quotedesk.cli.quotes import refusals
from quotedesk.core.messages import counted
from quotedesk.store.quotes import open_store


def add_arguments(b: argparse.ArgumentParser) -> None:
    b.add_argument("out", help="backup file to write")
    b.add_argument("--force", action="store_true", help="replace OUT if it exists")
    add_db_option(b)


def run(args: argparse.Namespace) -> int:
    def backup(args: argparse.Namespace) -> int:
        with open_store(args.db) as store:
            store.backup(Path(args.out), replace=args.force)
            count = store.count_quotes()
        say(f"backed up {counted(count, 'quote')} from {store.path} to {args.out}")
        return EXIT_OK

    return refusals("backup", backup, args)
