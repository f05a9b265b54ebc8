"""The window's texts in the chosen language: Qt's own (OK, Cancel, calendars) from Qt's
translations, the app's from resources/i18n/gui.json, keyed by the English text given to
tr(). A JSON catalog needs no lupdate/lrelease step and reads like the PDF texts."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QObject, QTranslator

from quotedesk.core.io.resources import translations


@cache
def gui_texts(language: str) -> dict[str, str]:
    """English text -> its translation; empty for English. The PDF's texts come too: a
    quote priced before payment methods had text codes shows their English labels, which
    the window words as the PDF does (coded texts come from core.messages)."""
    return {**translations("pdf", language), **translations("gui", language)}


class CatalogTranslator(QTranslator):
    def __init__(self, texts: dict[str, str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.texts = texts

    def translate(
        self, context: str, source_text: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        # None (a null string) lets Qt fall back to the English text.
        return self.texts.get(source_text)

    def isEmpty(self) -> bool:
        return not self.texts


def install_translations(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Install the translators for `language`; returns them (to remove them again)."""
    locale = QLocale(language.replace("-", "_"))
    QLocale.setDefault(locale)  # widget dates and numbers
    installed: list[QTranslator] = []
    qt = QTranslator(app)
    if qt.load(locale, "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        installed.append(qt)
    texts = gui_texts(language)
    if texts:
        installed.append(CatalogTranslator(texts, app))
    for translator in installed:
        app.installTranslator(translator)
    return installed
