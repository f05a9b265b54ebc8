"""Long work off the GUI thread, behind a progress dialog whose Cancel is honoured."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from quotedesk.core.problems import Refused
from quotedesk.store import QuoteStore, StoreError, open_store


class Worker(QObject):
    """Work for a BackgroundJob: `work()` returns the result, reports `progress` in
    percent and stops early when it sees `cancelled` between steps. It touches no widget."""

    progress = Signal(int)
    done = Signal(object)  # the result of work(), once

    def __init__(self) -> None:
        super().__init__()
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True  # a plain bool: set by the GUI thread, read between steps

    @Slot()
    def run(self) -> None:
        self.done.emit(self.work())

    def work(self) -> object:
        raise NotImplementedError


class StoreWorker(Worker):
    """A Worker on the quote database. Each job opens its own store in its own thread (an
    SQLite connection belongs to the thread that made it), as every other caller does, with
    open_store (which reads the file only through SQLite), and closes it when its work ends."""

    def __init__(self, db_path: Path) -> None:
        super().__init__()
        self.db_path = db_path

    def work(self) -> object:
        try:
            with open_store(self.db_path) as store:
                return self.work_on(store)
        except (StoreError, Refused) as exc:
            return self.failed(exc)

    def work_on(self, store: QuoteStore) -> object:
        raise NotImplementedError

    def failed(self, error: StoreError | Refused) -> object:
        """The result when the store cannot be opened or refuses the work."""
        raise NotImplementedError


class BackgroundJob(QObject):
    """Runs a Worker in its own QThread behind a window-modal progress dialog whose
    Cancel reaches the worker at once (`quiet`: no dialog, for work the person did not
    ask for and need not wait for). `finished` carries the result once the thread has
    stopped and the dialog is gone."""

    finished = Signal(object)

    def __init__(self, worker: Worker, label: str, parent: QWidget, quiet: bool = False) -> None:
        super().__init__(parent)
        self.worker = worker
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
