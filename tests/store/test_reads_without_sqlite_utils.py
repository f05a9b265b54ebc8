"""Opening an up-to-date database and reading from it goes straight to sqlite3: importing
sqlite-utils (with click, pluggy, dateutil) would delay the window's first
paint. Migrating and writing still use it."""

from __future__ import annotations

import json
import subprocess
import sys

from quotedesk.store import open_store
from quotedesk.store.schema import MIGRATION_NAMES

READ = """
import json, sys
from quotedesk.store import open_store
from quotedesk.store.schema import MIGRATION_NAMES
with open_store(sys.argv[1]) as store:
    quotes = [q.number for q in store.list_quotes()]
    prefix = store.profile().number_prefix
    count = store.count_quotes()
print(json.dumps({"quotes": quotes, "prefix": prefix, "count": count,
                  "sqlite_utils": "sqlite_utils" in sys.modules}))
"""


def _run(code: str, *args: str) -> dict:
    run = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def test_opening_an_up_to_date_store_and_listing_quotes_does_not_import_sqlite_utils(
    tmp_path, make_quote
):
    path = tmp_path / "quotes.db"
    with open_store(path) as store:
        first = store.add_quote(*make_quote("ACME Ltda"))
        second = store.add_quote(*make_quote("Globex"))
    assert _run(READ, str(path)) == {
        "quotes": [second.number, first.number],
        "prefix": "QD",
        "count": 2,
        "sqlite_utils": False,
    }


def test_a_new_store_is_created_with_sqlite_utils_migrations(tmp_path):
    path = tmp_path / "new.db"
    assert _run(READ, str(path)) == {"quotes": [], "prefix": "QD", "count": 0, "sqlite_utils": True}
    with open_store(path) as store:
        applied = store.conn.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0]
    assert applied == len(MIGRATION_NAMES)
