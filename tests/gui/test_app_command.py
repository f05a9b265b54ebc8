"""`quotedesk gui --screenshot` in a fresh process, as scripts and docs use it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage

from tests.gui.conftest import FIXTURES


def run_gui(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        HOME=str(tmp_path),  # settings and recovery file stay out of the user's home
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_STATE_HOME=str(tmp_path / "state"),
        XDG_DATA_HOME=str(tmp_path / "data"),
    )
    return subprocess.run(
        [sys.executable, "-m", "quotedesk", "gui", "--db", str(tmp_path / "q.db"), *args],
        capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip


def test_screenshot_saves_the_drawn_window_with_the_quote_loaded(tmp_path):
    out = tmp_path / "window.png"
    run = run_gui(
        tmp_path, "--screenshot", str(out), "--quote", str(FIXTURES / "spec_example.json"),
        "--catalog", str(FIXTURES / "test_book.csv"), "--size", "1024x640",
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1024, 640)
    assert len({image.pixel(x, 300) for x in range(0, 1024, 8)}) > 3  # drawn, not blank


def test_screenshot_with_a_broken_quote_file_is_one_line_and_exit_2(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"schema": 1, "lines": [', encoding="utf-8")
    out = tmp_path / "window.png"
    run = run_gui(tmp_path, "--screenshot", str(out), "--quote", str(broken))
    assert run.returncode == 2
    assert run.stderr.strip().startswith("quotedesk gui: ")
    assert "broken JSON at line 1" in run.stderr
    assert "Traceback" not in run.stderr
    assert not out.exists()


def test_unknown_language_and_bad_size_are_usage_errors(tmp_path):
    for args, message in (
        (("--lang", "xx"), "--lang 'xx' is not one of en, pt-BR, zh-CN, ja"),
        (("--size", "big"), "--size 'big' is not WIDTHxHEIGHT, e.g. 1280x800"),
    ):
        run = run_gui(tmp_path, "--screenshot", str(tmp_path / "w.png"), *args)
        assert (run.returncode, run.stderr.strip()) == (2, f"quotedesk gui: {message}")


def test_screenshot_of_a_corrupt_database_is_a_clear_message(tmp_path):
    (tmp_path / "q.db").write_bytes(b"not a database" * 100)
    run = run_gui(tmp_path, "--screenshot", str(tmp_path / "w.png"))
    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    assert str(tmp_path / "q.db") in run.stderr
    assert (tmp_path / "q.db").read_bytes() == b"not a database" * 100


def test_without_a_display_the_window_says_so_in_one_line_and_exits_2(tmp_path):
    """No DISPLAY, WAYLAND_DISPLAY or QT_QPA_PLATFORM (a server, an ssh session): one line,
    not Qt's abort (exit 134) about xcb plugin libraries. Nothing is written."""
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "LANG": "C.UTF-8"}
    for args in ((), ("gui",), ("gui", "--screenshot", "w.png")):
        run = subprocess.run(
            [sys.executable, "-m", "quotedesk", *args],
            capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60,
        )  # fmt: skip
        assert run.returncode == 2, run.stderr
        assert run.stderr.startswith("quotedesk gui: no display found (")
        assert run.stderr.count("\n") == 1
    assert list(tmp_path.iterdir()) == []
