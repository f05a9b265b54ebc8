"""The first-run assistant: on a database whose profile names no seller, ask who the
reseller is, so the first PDF goes out with a seller block (sign-off needs one)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from quotedesk.core.records import ResellerProfile
from quotedesk.gui.profile_dialog import ProfileFields, add_rows
from quotedesk.gui.screen_fit import fit_to_screen
from quotedesk.operations.profile import save_profile

if TYPE_CHECKING:
    from quotedesk.gui.context import WindowContext


class _Page(QWizardPage):
    def __init__(
        self, title: str, intro: str, rows: list[tuple[str, QWidget | QHBoxLayout]]
    ) -> None:
        super().__init__()
        self.setTitle(title)
        text = QLabel(intro)
        text.setWordWrap(True)
        form = QFormLayout()
        add_rows(form, rows)
        column = QVBoxLayout(self)
        column.addWidget(text)
        column.addLayout(form)
        column.addStretch(1)


class _CompanyPage(_Page):
    """Next stays disabled until the company has a name: sign-off needs one."""

    def __init__(self, fields: ProfileFields, intro: str, title: str) -> None:
        super().__init__(title, intro, fields.company_rows())
        self._company = fields.company
        self._company.textChanged.connect(self.completeChanged)

    def isComplete(self) -> bool:
        return bool(self._company.text().strip())


class FirstRunAssistant(QWizard):
    def __init__(self, profile: ResellerProfile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Welcome to Quote Desk"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.fields = ProfileFields(profile, self)
        self.addPage(
            _CompanyPage(
                self.fields,
                self.tr(
                    "Quotes print your company as the seller. Only the name is needed "
                    "now; everything here can be changed later under Settings → Reseller "
                    "profile."
                ),
                self.tr("Who is selling?"),
            )
        )
        self.addPage(
            _Page(
                self.tr("Your defaults"),
                self.tr("New quotes start with these values."),
                self.fields.default_rows(),
            )
        )
        fit_to_screen(self)

    def value(self) -> ResellerProfile:
        return self.fields.value()


def offer_first_run(context: WindowContext) -> FirstRunAssistant | None:
    """Open the assistant over the window when its database has no seller name; finishing
    it saves the profile as the profile dialog does."""
    profile = context.store.profile()
    if profile.company:
        return None
    assistant = FirstRunAssistant(profile, context.widget())

    def save() -> None:
        profile = assistant.value()
        changes = context.run(lambda: save_profile(context.store, profile))
        if changes is not None:  # else refused: the message is shown, nothing changes
            context.refresh(changes)

    assistant.accepted.connect(save)
    assistant.open()
    return assistant
