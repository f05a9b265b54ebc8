"""Sign-off confirmation: who signs off, and an approver above the discount threshold.
The names are checked as they are typed, with the store's own rules (core.quotes.signoff), so
the Sign off button is enabled only for a sign-off the store will accept."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from quotedesk.core.quotes.signoff import Refusal
from quotedesk.gui.problems_panel import refusal_text
from quotedesk.gui.screen_fit import fit_to_screen
from quotedesk.i18n import Formatter

Check = Callable[[str, str | None], list[Refusal]]  # (signed by, approver) -> refusals


class SignOffDialog(QDialog):
    def __init__(
        self, label: str, check: Check, over: list[tuple[int, Decimal]], threshold: Decimal,
        parent: QWidget | None = None, formatter: Formatter | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.check = check
        self.formatter = formatter or Formatter()
        self.setWindowTitle(self.tr("Sign off {0}").format(label))
        self.signed_by = QLineEdit()
        self.approver = QLineEdit()
        self.approver.setPlaceholderText(self.tr("required") if over else self.tr("not needed"))
        self.message = QLabel(
            self.tr("Signing off freezes this revision: it can no longer be edited, only revised.")
        )
        self.message.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(self.message)
        if over:
            lines = ", ".join(f"{line + 1} ({pct}%)" for line, pct in over)
            note = QLabel(
                self.tr(
                    "Manual discount above the approval threshold of {0}% on line {1}: "
                    "an approver other than you must be named."
                ).format(threshold, lines)
            )
            note.setWordWrap(True)
            note.setStyleSheet("color: #8a5300;")
            form.addRow(note)
        form.addRow(self.tr("Signed off by"), self.signed_by)
        form.addRow(self.tr("Approver"), self.approver)
        self.problem = QLabel()  # why Sign off is not possible yet, while typing
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b3261e;")
        form.addRow(self.problem)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Sign off"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self.signed_by.textChanged.connect(self._update)
        self.approver.textChanged.connect(self._update)
        self._update()
        fit_to_screen(self)

    def _update(self) -> None:
        by, approver = self.value()
        refusals = self.check(by, approver)
        # An empty name needs no red text: the disabled button says enough until typing.
        shown = [refusal_text(r, self.formatter) for r in refusals if by or r.field != "signed_by"]
        self.problem.setText("\n".join(shown))
        self.problem.setVisible(bool(shown))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not refusals)

    def accept(self) -> None:
        if not self.check(*self.value()):  # Enter in a field must not pass a refusal
            super().accept()

    def value(self) -> tuple[str, str | None]:
        return self.signed_by.text().strip(), self.approver.text().strip() or None

    @classmethod
    def ask(
        cls, label: str, check: Check, over: list[tuple[int, Decimal]], threshold: Decimal,
        parent: QWidget, formatter: Formatter | None = None,
    ) -> tuple[tuple[str, str | None], bool]:  # fmt: skip
        dialog = cls(label, check, over, threshold, parent, formatter)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        return dialog.value(), accepted
