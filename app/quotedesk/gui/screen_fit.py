"""Every window and dialog opens inside the screen it is on, its buttons and the quote's
total within reach: a 1024×640 laptop screen, or a large one at 200 % scaling."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QMargins, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication, QStyle, QWidget

# A title bar holds the window's icon and buttons besides the title (Windows: 3 × 46 px).
TITLE_BAR_BUTTONS = 180
# The window manager's borders, as most draw them.
BORDER = 4


def fit_to_screen(
    window: QWidget, preferred: QSize | None = None, geometry: QByteArray | None = None
) -> None:
    """Size the top-level `window` to `preferred` (its size hint by default), wide enough
    for its title, but no larger than its screen's available area less the frame; with
    `geometry` (from saveGeometry()), restore that instead, moved and shrunk onto the
    screen. A dialog is only sized: Qt centres it on its parent when shown."""
    # The frame is known only once the window is shown: allow for a title bar and borders.
    title_bar = window.style().pixelMetric(QStyle.PixelMetric.PM_TitleBarHeight, None, window)
    area = window.screen().availableGeometry() - QMargins(BORDER, title_bar, BORDER, BORDER)
    restored = geometry is not None and window.restoreGeometry(geometry)
    if restored and window.windowState() & (
        Qt.WindowState.WindowMaximized | Qt.WindowState.WindowFullScreen
    ):
        return  # the window manager fits a maximised window
    if restored:
        rect = window.geometry()
    else:
        size = preferred or window.sizeHint()
        font = QApplication.font()
        font.setBold(True)  # as most window managers draw titles
        title = QFontMetrics(font).horizontalAdvance(window.windowTitle()) + TITLE_BAR_BUTTONS
        rect = QRect(QPoint(), QSize(max(size.width(), title), size.height()))
        rect.moveCenter(area.center())
    rect.setSize(rect.size().boundedTo(area.size()))
    if window.parentWidget() is not None and not restored:
        window.resize(rect.size())
        return
    rect.moveLeft(max(area.left(), min(rect.left(), area.right() - rect.width() + 1)))
    rect.moveTop(max(area.top(), min(rect.top(), area.bottom() - rect.height() + 1)))
    window.setGeometry(rect)
