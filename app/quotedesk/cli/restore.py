"""`quotedesk restore BACKUP`: replace the database with a backup, keeping the one it
replaces."""

from __future__ import annotations

import argparse
from pathlib import Path

from quotedesk.cli import EXIT_OK, add_db_option, say
from quotedesk.cli.quotes import refusals
from quotedesk.store.database import default_db_path, restore_backup


def add_arguments(r: argparse.ArgumentParser) -> None:
    r.add_argument("backup", help="backup file made by `quotedesk backup`")
    add_db_option(r)


def run(args: argparse.Namespace) -> int:
    def restore(args: argparse.Namespace) -> int:
        db_path = Path(args.db) if args.db else default_db_path()
        kept = restore_backup(Path(args.backup), db_path)
        say(f"restored {args.backup} into {db_path}")
        if kept:
            say(f"the previous database is kept as {kept}")
        return EXIT_OK

    return refusals("restore", restore, args)
