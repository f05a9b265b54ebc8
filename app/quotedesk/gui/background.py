"""Long work off the GUI thread, behind a progress dialog whose Cancel is honoured."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget


class BackgroundJob(QObject):
    """Runs `worker` in its own QThread behind a window-modal progress dialog.

    The worker is a QObject with `progress = Signal(int)` (percent), `done = Signal(object)`
    (its result, emitted once at the end), a `run()` slot and a `cancel()` method that
    sets a flag it reads between steps. `finished` carries the result once the thread
    has stopped and the dialog is gone."""

    finished = Signal(object)

    def __init__(self, worker: Any, label: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.worker = worker
        self.thread = QThread(self)
        worker.moveToThread(self.thread)
        self.progress = QProgressDialog(label, self.tr("Cancel"), 0, 100, parent)
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(300)
        # Direct: the worker's own thread is busy and would see a queued call too late.
        self.progress.canceled.connect(worker.cancel, Qt.ConnectionType.DirectConnection)
        worker.progress.connect(self.progress.setValue)
        worker.done.connect(self._done)
        self.thread.started.connect(worker.run)

    def start(self) -> None:
        self.thread.start()

    def _done(self, result: object) -> None:
        self.thread.quit()
        self.thread.wait()
        self.progress.reset()
        self.progress.deleteLater()
        self.finished.emit(result)
        self.deleteLater()
