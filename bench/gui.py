"""Desktop app speed.

(a) edit -> repaint: change the users of one line of a 100-line quote through the line
    table's model (as the cell editor does), which re-prices through the core, then paint
    the window synchronously. Target: median <= 16 ms.
(b) start-up: a fresh `quotedesk gui --screenshot` process with a 40-line quote, from
    start until its PNG is saved and the process has ended, next to a fresh process
    drawing a bare QWidget and saving it as a PNG. Target: <= 3x. The CPU time of both
    (user + system, from getrusage) is printed too: on a busy machine it varies less
    than the elapsed time.
(c) PDF preview: Preview PDF on a 40-line quote until the dialog with its first page is
    drawn; the first time (loading ReportLab and QtPdf) and after.
(d) batch export: 50 stored quotes of 5 lines written as PDFs by the background worker.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python bench/gui.py
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

LINES = [
    {"product": "jira", "deployment": "cloud", "edition": "standard", "billing": "annual",
     "users": 180, "months": 12, "discount_pct": "5"},
    {"product": "confluence", "deployment": "cloud", "edition": "premium", "billing": "monthly",
     "users": 40},
    {"product": "jsm", "deployment": "cloud", "edition": "standard", "billing": "annual",
     "users": 25, "months": 12},
    {"product": "jira", "deployment": "datacenter", "users": 2000, "months": 24,
     "action": "upgrade", "from_users": 1000, "current_end_date": "2027-06-30",
     "mode": "prorate"},
    {"custom": "Onboarding workshop", "quantity": 1, "unit_price": "1500.00", "taxable": True},
]  # fmt: skip


def quote(lines: int) -> dict:
    return {
        "schema": 1,
        "quote_date": "2026-11-20",
        "currency": "USD",
        "customer": {"name": "Bench GmbH", "country": "DE", "tax_id": "DE136695976"},
        "partner_discount_pct": "5",
        "lines": [LINES[i % len(LINES)] for i in range(lines)],
    }


def edit_to_repaint(tmp: Path, edits: int = 60) -> list[float]:
    from PySide6.QtWidgets import QApplication

    from quotedesk.gui.line_model import USERS

    window = _window(tmp / "bench.db")
    window.open_data(quote(100))
    app = QApplication.instance()
    app.processEvents()
    model = window.editor.table.model()
    changed, full = [], []
    for i in range(edits):
        index = model.index(0, USERS)  # the first line: always on screen
        start = time.perf_counter()
        model.setData(index, 100 + i % 50)
        app.processEvents()  # layouts and the paint of everything that changed
        changed.append((time.perf_counter() - start) * 1000)
        window.repaint()  # worst case: the whole window painted again as well
        full.append((time.perf_counter() - start) * 1000)
    window.dirty = False
    window.close()
    window.store.close()
    return changed, full


# Each process draws its window, saves it as a PNG and ends: the same work as
# `quotedesk gui --screenshot`, which the app process runs, with the same PNG settings
# (argv[2], the app's SCREENSHOT_QUALITY: Qt's default compression is slower).
BARE = """
import os, sys
from PySide6.QtWidgets import QApplication, QWidget
app = QApplication(sys.argv[:1])
window = QWidget()
window.resize(1280, 800)
window.show()
app.processEvents()
window.grab().save(sys.argv[1], "PNG", int(sys.argv[2]))
os._exit(0)
"""


def startup(tmp: Path, runs: int = 11) -> tuple[float, float, float, float]:
    """Median elapsed and CPU milliseconds of the app's process and of the bare one."""
    quote_path = tmp / "q40.json"
    data = quote(40)
    data["customer"] = {"name": "Bench Inc.", "country": "US", "subdivision": "IL"}
    quote_path.write_text(json.dumps(data), encoding="utf-8")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(tmp),
               XDG_CONFIG_HOME=str(tmp / "config"), XDG_STATE_HOME=str(tmp / "state"))  # fmt: skip
    # An installed app runs from compiled bytecode: let the first runs write it.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    app_cmd = [sys.executable, "-m", "quotedesk", "gui", "--db", str(tmp / "start.db"),
               "--quote", str(quote_path), "--screenshot", str(tmp / "app.png")]  # fmt: skip
    from quotedesk.gui.app import SCREENSHOT_QUALITY

    bare_cmd = [sys.executable, "-c", BARE, str(tmp / "bare.png"), str(SCREENSHOT_QUALITY)]

    def timed(cmd: list[str]) -> tuple[float, float]:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(cmd, check=True, env=env, capture_output=True)
        elapsed = (time.perf_counter() - start) * 1000
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) * 1000
        return elapsed, cpu

    # A first start creates the database and remembers the profile's language, as any
    # start after the first finds them.
    timed(app_cmd)
    timed(bare_cmd)
    # Interleaved, so that a busy moment of the machine weighs on both alike.
    pairs = [(timed(app_cmd), timed(bare_cmd)) for _ in range(runs)]
    return (
        statistics.median(app[0] for app, _ in pairs),
        statistics.median(bare[0] for _, bare in pairs),
        statistics.median(app[1] for app, _ in pairs),
        statistics.median(bare[1] for _, bare in pairs),
    )


def preview(tmp: Path, runs: int = 10) -> tuple[float, float, int]:
    from PySide6.QtPdf import QPdfDocument
    from PySide6.QtWidgets import QApplication

    window = _window(tmp / "preview.db")
    window.open_data(quote(40))
    app = QApplication.instance()
    times = []
    for _ in range(runs + 1):
        start = time.perf_counter()
        dialog = window.pdf_actions.preview_pdf()
        while dialog.document.status() != QPdfDocument.Status.Ready:
            app.processEvents()
        dialog.grab()  # paints the first page
        times.append((time.perf_counter() - start) * 1000)
        pages = dialog.document.pageCount()
        dialog.close()
        app.processEvents()
    window.dirty = False
    window.close()
    window.store.close()
    return times[0], statistics.median(times[1:]), pages


def batch_export(tmp: Path, quotes: int = 50) -> float:
    from quotedesk.core import load_price_book, load_rules, parse_quote, price
    from quotedesk.core.io.resources import sample_price_book_path
    from quotedesk.gui.pdf_export import batch_export as export_job
    from quotedesk.store import open_store

    book, rules, today = load_price_book(sample_price_book_path()), load_rules(), date(2026, 11, 23)
    parsed = parse_quote(quote(5))
    with open_store(tmp / "batch.db") as store:
        numbers = [
            store.add_quote(parsed, price(parsed, book, rules, today), book, today=today).number
            for _ in range(quotes)
        ]
    out = tmp / "pdfs"
    out.mkdir()
    work = export_job(tmp / "batch.db", numbers, out, "en", today)
    start = time.perf_counter()
    work(lambda percent: None, lambda: False)  # the job's work, timed without its thread
    elapsed = (time.perf_counter() - start) * 1000
    assert len(list(out.glob("*.pdf"))) == quotes
    return elapsed


def _window(db: Path):
    from PySide6.QtWidgets import QApplication

    from quotedesk.gui.main_window import MainWindow
    from quotedesk.gui.recovery import RecoveryFile
    from quotedesk.gui.settings import Settings
    from quotedesk.store import open_store

    QApplication.instance() or QApplication([])
    window = MainWindow(
        open_store(db), Settings(db.with_suffix(".ini")), RecoveryFile(db.with_suffix(".json")),
        today=date(2026, 11, 23),
    )  # fmt: skip
    window.resize(1280, 800)
    window.show()
    return window


def _p90(times: list[float]) -> float:
    return sorted(times)[int(len(times) * 0.9)]


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        changed, full = edit_to_repaint(tmp)
        print(
            "edit -> re-price -> repaint, 100-line quote: "
            f"median {statistics.median(changed):.1f} ms (p90 {_p90(changed):.1f}), "
            f"with a full-window repaint {statistics.median(full):.1f} ms "
            f"(p90 {_p90(full):.1f}); target <= 16 ms"
        )
        app, bare, app_cpu, bare_cpu = startup(tmp)
        print(
            f"start-up to saved screenshot: app with 40-line quote {app:.0f} ms, bare QWidget "
            f"{bare:.0f} ms, ratio {app / bare:.2f}x (target <= 3x); CPU time {app_cpu:.0f} "
            f"and {bare_cpu:.0f} ms, ratio {app_cpu / bare_cpu:.2f}x"
        )
        first, warm, pages = preview(tmp)
        print(
            f"PDF preview, 40-line quote ({pages} pages): first {first:.0f} ms "
            f"(loads ReportLab and QtPdf), then median {warm:.0f} ms"
        )
        total = batch_export(tmp)
        print(f"batch export, 50 stored quotes: {total:.0f} ms, {total / 50:.1f} ms per quote")


if __name__ == "__main__":
    main()
