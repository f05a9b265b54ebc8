"""The app's log: a rotating file in the platform's user log folder, with Python's
faulthandler writing there too, so a crash leaves a trace to send with a bug report."""

from __future__ import annotations

import faulthandler
import logging
import logging.handlers
from pathlib import Path

import platformdirs

LOG_NAME = "quotedesk.log"
log = logging.getLogger("quotedesk")


def log_dir() -> Path:
    """e.g. ~/.local/state/quotedesk/log on Linux, ~/Library/Logs/quotedesk on macOS,
    %LOCALAPPDATA%\\quotedesk\\Logs on Windows."""
    return platformdirs.user_log_path("quotedesk", appauthor=False)


def log_file() -> Path:
    return log_dir() / LOG_NAME


class _Handler(logging.handlers.RotatingFileHandler):
    """Keeps faulthandler pointed at the open file across rotations (it writes to a file
    descriptor, which a rotation closes)."""

    def doRollover(self) -> None:
        super().doRollover()
        if self.stream is not None:
            faulthandler.enable(self.stream)


def start_logging() -> Path:
    """Log to the file (4 × 1 MB kept) and route fatal errors (segfaults, aborts) there.
    Returns the log file; calling it again does nothing more."""
    path = log_file()
    if not any(isinstance(h, _Handler) for h in log.handlers):
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = _Handler(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        if handler.stream is not None:  # opened now: the handler is not delayed
            faulthandler.enable(handler.stream)
    return path
