"""The customer's postal address and contacts (R-RESELL-2): the technical contact receives
the licence, the billing contact the invoice. All three are one undo step when accepted."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from quotedesk.core.quotes.model import EMAIL_PATTERN
from quotedesk.gui.screen_fit import fit_to_screen

# Quote-file fields the dialog edits, under "customer".
CONTACTS = ("technical_contact", "billing_contact")


class PartiesDialog(QDialog):
    def __init__(self, customer: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Parties"))
        self.address = QPlainTextEdit()
        self.address.setTabChangesFocus(True)  # Tab moves on; Enter starts a new line
        self.address.setPlaceholderText(self.tr("Street, number\nPostal code, city"))
        address = customer.get("address")
        self.address.setPlainText(address if isinstance(address, str) else "")
        self.address.setFixedHeight(self.address.fontMetrics().lineSpacing() * 4 + 12)
        self.names: dict[str, QLineEdit] = {}
        self.emails: dict[str, QLineEdit] = {}
        self.hints: dict[str, QLabel] = {}

        licensee = QGroupBox(self.tr("Licensee (end user): {0}").format(customer.get("name") or ""))
        form = QFormLayout(licensee)
        form.addRow(self.tr("Postal address"), self.address)
        layout = QVBoxLayout(self)
        layout.addWidget(licensee)
        titles = {
            "technical_contact": self.tr("Technical contact (receives the licence)"),
            "billing_contact": self.tr("Billing contact (receives the invoice)"),
        }
        for key in CONTACTS:
            given = customer.get(key)
            given = given if isinstance(given, dict) else {}
            name = QLineEdit(_text(given.get("name")))
            email = QLineEdit(_text(given.get("email")), placeholderText="name@example.com")
            hint = QLabel()
            hint.setStyleSheet("color: #b3261e;")
            box = QGroupBox(titles[key])
            contact_form = QFormLayout(box)
            contact_form.addRow(self.tr("Name"), name)
            contact_form.addRow(self.tr("Email"), email)
            contact_form.addRow("", hint)
            email.textChanged.connect(lambda _, k=key: self._check_email(k))
            self.names[key], self.emails[key], self.hints[key] = name, email, hint
            self._check_email(key)
            layout.addWidget(box)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.address.setFocus()
        self.initial = self.values()
        fit_to_screen(self)

    def changes(self) -> dict[tuple[str, ...], Any]:
        """The fields edited in the dialog: an untouched field stays as given (R-Q-5)."""
        return {path: v for path, v in self.values().items() if v != self.initial[path]}

    def _check_email(self, key: str) -> None:
        """Said at once; the email is kept as typed all the same, and the quote shows the
        R-INPUT error until it is fixed."""
        email = self.emails[key].text().strip()
        bad = bool(email) and not EMAIL_PATTERN.fullmatch(email)
        self.hints[key].setText(self.tr("Not an email address") if bad else "")
        self.hints[key].setVisible(bad)

    def values(self) -> dict[tuple[str, ...], Any]:
        """The edited fields by quote-file path; None removes a field."""
        out: dict[tuple[str, ...], Any] = {
            ("customer", "address"): self.address.toPlainText().strip() or None
        }
        for key in CONTACTS:
            person = {
                "name": self.names[key].text().strip(),
                "email": self.emails[key].text().strip(),
            }
            out[("customer", key)] = {k: v for k, v in person.items() if v} or None
        return out


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""
