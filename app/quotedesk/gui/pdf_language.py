"""The language of the next PDF, chosen per export beside the PDF buttons and apart from
the window's language. A stored quote remembers the language its PDF was last exported
in (the customer's: the export operation keeps it), and its next export starts from it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from quotedesk.i18n import LANGUAGE_NAMES

if TYPE_CHECKING:
    from quotedesk.gui.context import WindowContext
    from quotedesk.gui.open_quote import OpenQuote


class PdfLanguagePicker(QWidget):
    def __init__(self, context: WindowContext) -> None:
        super().__init__(context.widget())
        self.context = context
        self.combo = QComboBox()
        for code, name in LANGUAGE_NAMES.items():  # as the profile dialog lists them
            self.combo.addItem(name, code)
        label = QLabel(self.tr("PDF language"))
        label.setBuddy(self.combo)
        tip = self.tr("The language of the PDF preview and export; the window keeps its own")
        self.combo.setToolTip(tip)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 0, 6, 0)
        layout.addWidget(label)
        layout.addWidget(self.combo)
        self.show_quote(None)

    def language(self) -> str:
        return str(self.combo.currentData())

    def show_quote(self, draft: OpenQuote | None) -> None:
        """Start from the language the quote was last exported in, else the window's."""
        remembered = None
        if draft is not None and draft.stored is not None:  # so the store is open
            remembered = self.context.store.customer_language(draft.stored.number)
        found = self.combo.findData(remembered or self.context.formatter.language)
        self.combo.setCurrentIndex(max(found, 0))
