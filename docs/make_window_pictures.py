"""Redraw the window pictures in docs/: the main window with a revised quote open as its
draft R2 (the signed-off R1 beneath it in the list) in English and Japanese at 1280×800 and
1024×640, the Renewals view and the PDF preview. Each is drawn by a fresh Quote Desk on
Qt's offscreen platform with a screen of that size, from a demo database made here.
Run: .venv/bin/python docs/make_window_pictures.py"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import replace
from datetime import date
from pathlib import Path

from quotedesk.core import load_price_book, load_rules, parse_quote
from quotedesk.core.io.resources import sample_price_book_path
from quotedesk.operations.quotes import revise, save, sign_off
from quotedesk.store import open_store

DOCS = Path(__file__).parent
ROOT = DOCS.parent
TODAY = date.today()
QUOTE = {
    "schema": 1, "currency": "USD", "partner_discount_pct": "5",
    "customer": {"name": "ACME Indústria Ltda", "country": "BR", "subdivision": "SP",
                 "city": "São Paulo"},
    "lines": [
        {"product": "jira", "deployment": "cloud", "edition": "standard", "users": 180},
        {"product": "confluence", "deployment": "cloud", "edition": "premium", "users": 90,
         "discount_pct": "10"},
        {"product": "jsm", "deployment": "cloud", "edition": "standard", "billing": "monthly",
         "users": 25},
    ],
}  # fmt: skip


def demo_database(folder: Path) -> tuple[Path, str]:
    db = folder / "quotes.db"
    book, rules = load_price_book(sample_price_book_path()), load_rules()
    with open_store(db) as store:
        store.save_profile(replace(store.profile(), company="Atlas Revenda Ltda"))
        for name in ("Nordlicht GmbH", "Kobe Trading K.K."):
            other = dict(QUOTE, customer={"name": name, "country": "BR"})
            save(store, parse_quote(other), book, rules, TODAY)
        quote = dict(QUOTE, quote_date=TODAY.isoformat())
        number = save(store, parse_quote(quote), book, rules, TODAY).revision.number
        sign_off(store, number, "Ana Lima")
        revise(store, number)
    return db, number


def screen_env(folder: Path, width: int, height: int, db: Path) -> dict[str, str]:
    config = folder / f"screen-{width}x{height}.json"
    config.write_text(json.dumps({"screens": [{"name": "s", "width": width, "height": height}]}))
    home = folder / f"home-{width}x{height}"
    return dict(
        os.environ,
        QT_QPA_PLATFORM=f"offscreen:configfile={config}",
        QUOTEDESK_DB=str(db),
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_STATE_HOME=str(home / "state"),
        XDG_DATA_HOME=str(home / "data"),
    )


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db, number = demo_database(folder)
        for width, height in ((1280, 800), (1024, 640)):
            env = screen_env(folder, width, height, db)
            subprocess.run(  # the window reopens the quote open when it was last closed
                [sys.executable, "-c", f"from quotedesk.gui.settings import Settings; "
                 f"s = Settings(); s.last_quote = {number!r}; s.sync()"],
                env=env, check=True, timeout=60,
            )  # fmt: skip
            for language in ("en", "ja"):
                out = DOCS / f"window-{language}-{width}.png"
                subprocess.run(
                    [sys.executable, "-m", "quotedesk", "gui", "--lang", language,
                     "--screenshot", str(out), "--size", f"{width}x{height}"],
                    env=env, check=True, timeout=120,
                )  # fmt: skip
                print(out.relative_to(ROOT))
        # The Renewals view and the PDF preview, as the screen-fit test opens them.
        for (width, height), language, shots in (
            ((1280, 800), "en", {"renewals": "renewals-view-en.png",
                                 "pdf-preview": "window-preview.png"}),
            ((1024, 640), "ja", {"renewals": "renewals-view-ja.png"}),
        ):  # fmt: skip
            out = folder / f"every-{width}"
            out.mkdir()
            subprocess.run(
                [sys.executable, "-m", "tests.gui.every_window", str(out), language],
                env=screen_env(folder, width, height, db), cwd=ROOT, check=True,
                stdout=subprocess.DEVNULL, timeout=300,
            )  # fmt: skip
            for name, picture in shots.items():
                shutil.copyfile(out / f"{language}-{name}.png", DOCS / picture)
                print(f"docs/{picture}")


if __name__ == "__main__":
    main()
