"""Sign-off confirmation: who signs off, and an approver above the discount threshold."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)


def discounts_over(quote_file: dict[str, Any], threshold: Decimal) -> list[tuple[int, Decimal]]:
    """Lines whose manual discount passes the profile's approval threshold."""
    over = []
    for i, line in enumerate(quote_file.get("lines", ())):
        try:
            pct = Decimal(str(line.get("discount_pct"))) if isinstance(line, dict) else None
        except InvalidOperation:
            continue
        if pct is not None and pct.is_finite() and pct > threshold:
            over.append((i, pct))
    return over


class SignOffDialog(QDialog):
    def __init__(
        self, label: str, over: list[tuple[int, Decimal]], threshold: Decimal,
        parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.setWindowTitle(self.tr("Sign off {0}").format(label))
        self.needs_approver = bool(over)
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
            lines = ", ".join(f"{line} ({pct}%)" for line, pct in over)
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

    def _update(self) -> None:
        ok = bool(self.signed_by.text().strip()) and (
            not self.needs_approver or bool(self.approver.text().strip())
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)

    def value(self) -> tuple[str, str | None]:
        return self.signed_by.text().strip(), self.approver.text().strip() or None

    @classmethod
    def ask(
        cls, label: str, over: list[tuple[int, Decimal]], threshold: Decimal, parent: QWidget
    ) -> tuple[tuple[str, str | None], bool]:
        dialog = cls(label, over, threshold, parent)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        return dialog.value(), accepted
