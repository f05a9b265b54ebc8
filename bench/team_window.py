"""The window stays quick while it syncs: edit -> repaint of a 100-line quote (as
bench/gui.py measures it: a line's users changed through the table's model, re-priced,
the window painted) with no sync, then while the window's Sync now runs in the
background against a real PostgreSQL on this machine: a manager's laptop that sends
the quotes it made offline and pulls the quotes a rep made. Target: median <= 16 ms.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python bench/team_window.py [--pull 3000] [--push 300]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the tests' PostgreSQL starter, bench/gui.py's quote

from bench.gui import quote  # noqa: E402
from tests.team.conftest import OWNER, OWNER_PASSWORD, running_server  # noqa: E402

from quotedesk.core import load_price_book, load_rules, parse_quote, price  # noqa: E402
from quotedesk.core.io.resources import sample_price_book_path  # noqa: E402
from quotedesk.store import open_store  # noqa: E402
from quotedesk.team.server import add_user, init_server  # noqa: E402

DB = "team_window_bench"
PASSWORD = "bench-secret"
TODAY = date(2026, 11, 23)


def cli(*args: str | Path) -> None:
    subprocess.run([sys.executable, "-m", "quotedesk", *map(str, args)], check=True,
                   capture_output=True)  # fmt: skip


def laptop(folder: Path, url: str, login: str, quotes: int) -> Path:
    """A joined laptop with `quotes` quotes made offline."""
    db, secret = folder / f"{login}.db", folder / f"{login}.password"
    secret.write_text(PASSWORD)
    cli("team", "join", url, "--user", login, "--password-file", secret, "--db", db)
    book, rules = load_price_book(sample_price_book_path()), load_rules()
    with open_store(db) as store:
        for n in range(quotes):
            data = {
                "schema": 1, "quote_date": "2026-11-20",
                "customer": {"name": f"{login} customer {n}", "country": "BR"},
                "lines": [{"product": "jira", "deployment": "cloud", "edition": "standard",
                           "billing": "annual", "users": 10 + n % 500}],
            }  # fmt: skip
            parsed = parse_quote(data)
            store.add_quote(parsed, price(parsed, book, rules, TODAY), book)
    return db


def edits(window, app, until) -> list[float]:  # type: ignore[no-untyped-def]
    """Edit -> repaint times (ms), one edit after another until `until()` is true."""
    from quotedesk.gui.line_model import USERS

    model = window.editor.table.model()
    times: list[float] = []
    while not until():
        start = time.perf_counter()
        model.setData(model.index(0, USERS), 100 + len(times) % 50)
        app.processEvents()
        times.append((time.perf_counter() - start) * 1000)
    return times


def summary(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * len(ordered)) - 1)]
    return (f"median {statistics.median(times):.1f} ms, p95 {p95:.1f} ms, max {max(times):.1f} ms "
            f"({len(times)} edits)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pull", type=int, default=3000, help="quotes a rep made, pulled")
    parser.add_argument("--push", type=int, default=300, help="quotes made offline, sent")
    args = parser.parse_args()

    with running_server() as server, tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ["XDG_CONFIG_HOME"] = str(folder / "config")  # the libpq password files
        os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
        with server.admin() as admin:
            admin.execute(f'CREATE DATABASE "{DB}" OWNER "{OWNER}"')
        url = f"postgresql://127.0.0.1:{server.port}/{DB}"
        owner_url = server.url(DB, OWNER, OWNER_PASSWORD)
        init_server(owner_url)
        add_user(owner_url, "rep", "rep", PASSWORD)
        add_user(owner_url, "boss", "manager", PASSWORD)
        rep = laptop(folder, url, "rep", args.pull)
        cli("team", "sync", "--db", rep)
        boss = laptop(folder, url, "boss", args.push)

        from PySide6.QtWidgets import QApplication

        from quotedesk.gui import team_status
        from quotedesk.gui.main_window import MainWindow
        from quotedesk.gui.recovery import RecoveryFile
        from quotedesk.gui.settings import Settings

        team_status.FIRST_SYNC_MS = 3_600_000  # the bench starts the sync itself
        app = QApplication.instance() or QApplication([])
        window = MainWindow(
            open_store(boss), Settings(folder / "w.ini"), RecoveryFile(folder / "w.json"),
            today=TODAY,
        )  # fmt: skip
        window.resize(1280, 800)
        window.show()
        window.open_data(quote(100))
        app.processEvents()
        mode = team_status.team_mode(window)
        assert mode is not None

        count = iter(range(60))
        idle = edits(window, app, lambda: next(count, None) is None)
        results: list[object] = []
        mode.finished.connect(results.append)
        started = time.perf_counter()
        mode.sync_now()
        busy = edits(window, app, lambda: bool(results))
        took = time.perf_counter() - started
        report = results[0]
        print(f"edit -> repaint, no sync:        {summary(idle)}")
        # the last edit's events also showed the sync's result (the list and status reloaded)
        print(f"edit -> repaint, while syncing:  {summary(busy[:-1])}")
        print(f"the edit that also showed the result: {busy[-1]:.1f} ms")
        print(f"the sync (sent {getattr(report, 'sent', '?')}, received "
              f"{getattr(report, 'received', '?')}): {took:.1f} s in the background")  # fmt: skip
        print(f"status after it: {mode.label.text()}")
        for what, step in (("the list", window.quotes.reload), ("the status", mode.refresh)):
            start = time.perf_counter()
            step()
            app.processEvents()
            print(f"{what} reloaded once more: {(time.perf_counter() - start) * 1000:.0f} ms")
        window.dirty = False
        window.close()
        window.store.close()


if __name__ == "__main__":
    main()
