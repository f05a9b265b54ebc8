"""Redraw docs/team-status.png and docs/team-conflicts.png from real team data: a
PostgreSQL started here (as the team tests start theirs), reps ana and bea and their
manager max, each with a laptop; quotes made offline and synced; ana and max change the
same draft offline, ana syncs first, then max's window syncs (Sync now) and gets the
conflict. Pictures: max's window (the team status, the Owner column, the conflicting
revision open) and its Conflicts view.
Run: QT_QPA_PLATFORM=offscreen .venv/bin/python docs/make_team_pictures.py"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from dataclasses import replace
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
DOCS = Path(__file__).parent
sys.path.insert(0, str(DOCS.parent))  # the tests' PostgreSQL starter

from tests.team.conftest import OWNER, OWNER_PASSWORD, running_server  # noqa: E402

from quotedesk.core import load_price_book, load_rules, parse_quote  # noqa: E402
from quotedesk.core.io.resources import sample_price_book_path  # noqa: E402
from quotedesk.operations import quotes as quote_operations  # noqa: E402
from quotedesk.store import open_store  # noqa: E402
from quotedesk.team.server import add_user, init_server  # noqa: E402
from quotedesk.team.sync import sync  # noqa: E402

TODAY = date.today()
PASSWORD = "demo-secret"
CUSTOMERS = {
    "ana": ["ACME Indústria Ltda", "Nordlicht GmbH", "Tropical Frutas S.A."],
    "bea": ["Kobe Trading K.K.", "Maple Leaf Logistics"],
    "max": ["Atlântico Seguros"],
}


def quote(customer: str, users: int) -> dict[str, object]:
    return {
        "schema": 1, "currency": "USD", "quote_date": TODAY.isoformat(),
        "customer": {"name": customer, "country": "BR", "subdivision": "SP"},
        "lines": [
            {"product": "jira", "deployment": "cloud", "edition": "standard", "users": users},
            {"product": "confluence", "deployment": "cloud", "edition": "premium",
             "users": users // 2, "discount_pct": "5"},
        ],
    }  # fmt: skip


def join(folder: Path, url: str, login: str) -> Path:
    db, secret = folder / f"{login}.db", folder / f"{login}.password"
    secret.write_text(PASSWORD)
    subprocess.run(
        [sys.executable, "-m", "quotedesk", "team", "join", url, "--user", login,
         "--password-file", str(secret), "--db", str(db)],
        check=True, capture_output=True,
    )  # fmt: skip
    with open_store(db) as store:
        store.save_profile(replace(store.profile(), company="Atlas Revenda Ltda"))
    return db


def save(db: Path, data: dict[str, object], number: str | None = None) -> str:
    book, rules = load_price_book(sample_price_book_path()), load_rules()
    with open_store(db) as store:
        return quote_operations.save(
            store, parse_quote(data), book, rules, TODAY, number
        ).revision.number


def synced(db: Path) -> None:
    with open_store(db) as store:
        sync(store)


def main() -> None:
    with running_server() as server, tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ["XDG_CONFIG_HOME"] = str(folder / "config")  # libpq password files
        os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
        with server.admin() as admin:
            admin.execute(f'CREATE DATABASE "atlas_team" OWNER "{OWNER}"')
        owner_url = server.url("atlas_team", OWNER, OWNER_PASSWORD)
        init_server(owner_url)
        url = f"postgresql://127.0.0.1:{server.port}/atlas_team"
        laptops = {}
        for login, role in (("ana", "rep"), ("bea", "rep"), ("max", "manager")):
            add_user(owner_url, login, role, PASSWORD)
            laptops[login] = join(folder, url, login)
            synced(laptops[login])
        made = {}
        for login, customers in CUSTOMERS.items():
            for n, customer in enumerate(customers):
                made[customer] = save(laptops[login], quote(customer, 50 + 25 * n))
            synced(laptops[login])
        synced(laptops["max"])
        # ana and her manager change the same draft offline; ana's reaches the server first
        number = made["ACME Indústria Ltda"]
        save(laptops["ana"], quote("ACME Indústria Ltda", 300), number)
        save(laptops["max"], quote("ACME Indústria Ltda", 250), number)
        synced(laptops["ana"])

        from PySide6.QtWidgets import QApplication

        from quotedesk.gui import team_status
        from quotedesk.gui.app import register_fonts
        from quotedesk.gui.main_window import MainWindow
        from quotedesk.gui.recovery import RecoveryFile
        from quotedesk.gui.settings import Settings

        team_status.FIRST_SYNC_MS = 3_600_000  # the picture's sync is Sync now
        app = QApplication.instance() or QApplication([])
        register_fonts()
        store = open_store(laptops["max"])
        window = MainWindow(
            store, Settings(folder / "w.ini"), RecoveryFile(folder / "w.json"), today=TODAY
        )
        window.resize(1280, 800)
        window.show()
        mode = team_status.team_mode(window)
        assert mode is not None
        done: list[object] = []
        mode.finished.connect(done.append)
        mode.sync_now()
        while not done:
            app.processEvents()
        save(laptops["max"], quote("Atlântico Seguros", 60), made["Atlântico Seguros"])
        window.quotes.reload()  # one change waiting again, as between two syncs
        view = mode.show_conflicts()
        view.open_chosen()
        window.quotes.table.resizeColumnsToContents()
        window.splitter.setSizes([470, 810])
        window.editor.header.fill_subdivisions()  # the state's name, not its code
        app.processEvents()
        window.grab().save(str(DOCS / "team-status.png"))
        view.activateWindow()
        app.processEvents()
        view.grab().save(str(DOCS / "team-conflicts.png"))
        window.dirty = False
        view.close()
        window.close()
        store.close()
        print("wrote docs/team-status.png and docs/team-conflicts.png")


if __name__ == "__main__":
    main()
