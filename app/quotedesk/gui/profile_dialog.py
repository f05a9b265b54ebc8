"""The reseller profile: company, address, logo, partner discount, approval threshold,
number prefix, defaults and the timestamp authority for signed PDFs."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from PySide6.QtCore import QRegularExpression
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from quotedesk.core.quotes.model import CURRENCIES
from quotedesk.core.records import ResellerProfile
from quotedesk.gui.screen_fit import fit_to_screen
from quotedesk.i18n import LANGUAGE_NAMES

PERCENT = QRegularExpression(r"(100|\d{1,2})([.,]\d{0,2})?")


class ProfileFields:
    """The profile's input widgets, built once from a profile and read back by value():
    the profile dialog lays them out in one form, the first-run assistant over pages."""

    def __init__(self, profile: ResellerProfile, parent: QWidget) -> None:
        self._profile = profile
        self._parent = parent
        self.company = QLineEdit(profile.company)
        self.address = QPlainTextEdit(profile.address)
        self.address.setTabChangesFocus(True)
        self.address.setFixedHeight(parent.fontMetrics().lineSpacing() * 4 + 12)
        self.tax_id = QLineEdit(profile.tax_id)
        self.email = QLineEdit(profile.email)
        self.logo = QLineEdit(profile.logo_path)
        choose = QPushButton(parent.tr("Choose…"))
        choose.clicked.connect(self._choose_logo)
        self.logo_row = QHBoxLayout()
        self.logo_row.addWidget(self.logo, 1)
        self.logo_row.addWidget(choose)
        self.partner_discount = self._percent(profile.partner_discount_pct)
        self.threshold = self._percent(profile.approval_threshold_pct)
        self.prefix = QLineEdit(profile.number_prefix)
        self.prefix.setValidator(
            QRegularExpressionValidator(QRegularExpression(r"[A-Za-z0-9]{1,10}"), parent)
        )
        self.currency = QComboBox()
        self.currency.addItems(CURRENCIES)
        self.currency.setCurrentText(profile.default_currency)
        self.language = QComboBox()
        for code, name in LANGUAGE_NAMES.items():  # each by its own name; the code is stored
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(profile.default_language)))
        self.validity = QSpinBox()
        self.validity.setRange(1, 365)
        self.validity.setValue(profile.validity_days)
        self.validity.setSuffix(parent.tr(" days"))
        self.timestamp_url = QLineEdit(profile.timestamp_url)
        self.timestamp_url.setToolTip(
            parent.tr("Address of an RFC 3161 timestamp authority: signed PDFs get a time it "
                      "vouches for (PAdES B-T). Empty: signed without one.")
        )  # fmt: skip

    def company_rows(self) -> list[tuple[str, QWidget | QHBoxLayout]]:
        return [
            (self._parent.tr("Company"), self.company),
            (self._parent.tr("Address"), self.address),
            (self._parent.tr("Tax ID"), self.tax_id),
            (self._parent.tr("Email"), self.email),
            (self._parent.tr("Logo"), self.logo_row),
        ]

    def default_rows(self) -> list[tuple[str, QWidget | QHBoxLayout]]:
        return [
            (self._parent.tr("Default currency"), self.currency),
            (self._parent.tr("Default language"), self.language),
            (self._parent.tr("Quotes valid for"), self.validity),
            (self._parent.tr("Partner discount %"), self.partner_discount),
        ]

    def _percent(self, value: Decimal) -> QLineEdit:
        edit = QLineEdit(str(value))
        edit.setValidator(QRegularExpressionValidator(PERCENT, self._parent))
        return edit

    def _choose_logo(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self._parent,
            self._parent.tr("Logo"),
            self.logo.text(),
            self._parent.tr("Images (*.png *.jpg *.jpeg)"),
        )
        if path:
            self.logo.setText(path)

    def value(self) -> ResellerProfile:
        def pct(edit: QLineEdit) -> Decimal:
            return Decimal(edit.text().replace(",", ".") or "0")

        return dataclasses.replace(
            self._profile,
            company=self.company.text().strip(),
            address=self.address.toPlainText().strip(),
            tax_id=self.tax_id.text().strip(),
            email=self.email.text().strip(),
            logo_path=self.logo.text().strip(),
            partner_discount_pct=pct(self.partner_discount),
            approval_threshold_pct=pct(self.threshold),
            number_prefix=self.prefix.text().strip() or "QD",
            default_currency=self.currency.currentText(),
            default_language=self.language.currentData(),
            validity_days=self.validity.value(),
            timestamp_url=self.timestamp_url.text().strip(),
        )


def add_rows(form: QFormLayout, rows: list[tuple[str, QWidget | QHBoxLayout]]) -> None:
    for label, field in rows:
        form.addRow(label, field)


class ProfileDialog(QDialog):
    def __init__(self, profile: ResellerProfile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Reseller profile"))
        self.fields = ProfileFields(profile, self)
        form = QFormLayout(self)
        add_rows(form, self.fields.company_rows())
        add_rows(form, self.fields.default_rows())
        form.addRow(self.tr("Approval threshold %"), self.fields.threshold)
        form.addRow(self.tr("Quote number prefix"), self.fields.prefix)
        form.addRow(self.tr("Timestamp authority"), self.fields.timestamp_url)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        fit_to_screen(self)

    def value(self) -> ResellerProfile:
        return self.fields.value()

    @classmethod
    def edit(cls, profile: ResellerProfile, parent: QWidget) -> tuple[ResellerProfile, bool]:
        dialog = cls(profile, parent)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        value = dialog.value()
        dialog.deleteLater()
        return value, accepted
