"""The PDF the customer would receive, shown in the app (QtPdf) before it is saved."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from quotedesk.gui.screen_fit import fit_to_screen

ZOOM_STEP = 1.25


class PdfPreview(QDialog):
    """Every page of `data`, fitted to the width, with zoom and a page counter. "Save"
    asks the owner to write these very bytes, so what was looked at is what is sent."""

    save_requested = Signal(bytes)

    def __init__(self, data: bytes, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data = data
        self.setWindowTitle(self.tr("Preview — {0}").format(title))
        # QtPdf reads from the device while it shows pages: the buffer lives with the dialog.
        self.buffer = QBuffer(self)
        self.buffer.setData(QByteArray(data))
        self.buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(self)
        self.document.load(self.buffer)
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setPageSpacing(12)

        tools = QToolBar()
        tools.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        zoom_keys = QKeySequence.StandardKey
        for text, keys, slot in (
            (self.tr("Zoom out"), zoom_keys.ZoomOut, lambda: self.zoom(1 / ZOOM_STEP)),
            (self.tr("Zoom in"), zoom_keys.ZoomIn, lambda: self.zoom(ZOOM_STEP)),
            (self.tr("Fit width"), "Ctrl+0", self.fit_width),
        ):
            action = QAction(text, self)
            action.setShortcut(QKeySequence(keys))
            action.triggered.connect(slot)
            tools.addAction(action)
        self.page_label = QLabel()
        tools.addSeparator()
        tools.addWidget(self.page_label)
        self.view.pageNavigator().currentPageChanged.connect(self._show_page)
        self.document.pageCountChanged.connect(self._show_page)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.save_button = buttons.addButton(
            self.tr("Save PDF…"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.save_button.setShortcut(QKeySequence.StandardKey.Save)
        buttons.accepted.connect(lambda: self.save_requested.emit(self.data))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(tools)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
        self._show_page()
        fit_to_screen(self, QSize(860, 980))

    def zoom(self, factor: float) -> None:
        # Zoom is a display scale, not money: float is Qt's own type here.
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(min(8.0, max(0.1, self.view.zoomFactor() * factor)))

    def fit_width(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

    def _show_page(self) -> None:
        count = self.document.pageCount()
        current = self.view.pageNavigator().currentPage() + 1 if count else 0
        self.page_label.setText(self.tr("Page {0} of {1}").format(current, count))
