"""Long work off the GUI thread, behind a progress dialog whose Cancel is honoured. Every
long task of the window is a plain function run by this one helper: a Job."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from quotedesk.core.problems import Refused
from quotedesk.store import QuoteStore, StoreError, open_store

T = TypeVar("T")
Progress = Callable[[int], None]  # percent done
Cancelled = Callable[[], bool]  # asked between steps: stop early when it says so
Work = Callable[[Progress, Cancelled], T]  # a job's whole work, on its own thread


def on_store(
    db_path: Path,
    work: Callable[[QuoteStore, Progress, Cancelled], T],
    failed: Callable[[StoreError | Refused], T],
) -> Work[T]:
    """`work` on its own store: an SQLite connection belongs to the thread that made it, so
    a job opens the database in its thread with open_store (which reads the file only
    through SQLite) and closes it when done. `failed` makes the result when the store cannot
    be opened or refuses the work."""

    def run(progress: Progress, cancelled: Cancelled) -> T:
        try:
            with open_store(db_path) as store:
                return work(store, progress, cancelled)
        except (StoreError, Refused) as exc:
            return failed(exc)

    return run


class Worker(QObject):
    """Runs a job's work in the job's thread; touches no widget."""

    progress = Signal(int)
    done = Signal(object)  # the result of the work, once

    def __init__(self, work: Work[object]) -> None:
        super().__init__()
        self.work = work
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True  # a plain bool: set by the GUI thread, read between steps

    @Slot()
    def run(self) -> None:
        self.done.emit(self.work(self.progress.emit, lambda: self.cancelled))


class BackgroundJob(QObject):
    """Runs `work` in its own QThread behind a window-modal progress dialog whose Cancel
    reaches the work at once (`quiet`: no dialog, for work the person did not ask for and
    need not wait for). `finished` carries the result once the thread has stopped and the
    dialog is gone."""

    finished = Signal(object)

    def __init__(
        self, work: Work[object], label: str, parent: QWidget, quiet: bool = False
    ) -> None:
        super().__init__(parent)
        self.worker = worker = Worker(work)
        self.worker_thread = QThread(self)
        worker.moveToThread(self.worker_thread)
        self.progress: QProgressDialog | None = None
        if not quiet:
            self.progress = QProgressDialog(label, self.tr("Cancel"), 0, 100, parent)
            self.progress.setWindowModality(Qt.WindowModality.WindowModal)
            self.progress.setMinimumDuration(300)
            # Direct: the worker's own thread is busy and would see a queued call too late.
            self.progress.canceled.connect(worker.cancel, Qt.ConnectionType.DirectConnection)
            worker.progress.connect(self.progress.setValue)
        worker.done.connect(self._done)
        self.worker_thread.started.connect(worker.run)

    def start(self) -> None:
        # No cycle collection can start in the worker's thread: the window collects in
        # the GUI thread only (gui/app.py).
        self.worker_thread.start()

    def stop(self) -> None:
        """Cancel and wait for the thread (the window is closing): a QThread destroyed
        while running takes the process down. The result is dropped."""
        self.worker.done.disconnect(self._done)
        self.worker.cancel()
        self.worker_thread.quit()
        self.worker_thread.wait()
        if self.progress is not None:
            self.progress.reset()

    def _done(self, result: object) -> None:
        self.worker_thread.quit()
        self.worker_thread.wait()
        if self.progress is not None:
            self.progress.reset()
            self.progress.deleteLater()
        self.finished.emit(result)
        self.deleteLater()
