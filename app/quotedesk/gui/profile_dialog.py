"""The reseller profile: company, address, logo, partner discount, approval threshold,
number prefix and defaults."""

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

from quotedesk.core.quote import CURRENCIES
from quotedesk.core.records import ResellerProfile
from quotedesk.gui.quote_header import PERCENT
from quotedesk.i18n import LANGUAGE_NAMES


class ProfileDialog(QDialog):
    def __init__(self, profile: ResellerProfile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Reseller profile"))
        self._profile = profile
        self.company = QLineEdit(profile.company)
        self.address = QPlainTextEdit(profile.address)
        self.address.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        self.tax_id = QLineEdit(profile.tax_id)
        self.email = QLineEdit(profile.email)
        self.logo = QLineEdit(profile.logo_path)
        choose = QPushButton(self.tr("Choose…"))
        choose.clicked.connect(self._choose_logo)
        logo_row = QHBoxLayout()
        logo_row.addWidget(self.logo, 1)
        logo_row.addWidget(choose)
        self.partner_discount = self._percent(profile.partner_discount_pct)
        self.threshold = self._percent(profile.approval_threshold_pct)
        self.prefix = QLineEdit(profile.number_prefix)
        self.prefix.setValidator(
            QRegularExpressionValidator(QRegularExpression(r"[A-Za-z0-9]{1,10}"), self)
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
        self.validity.setSuffix(self.tr(" days"))

        form = QFormLayout(self)
        form.addRow(self.tr("Company"), self.company)
        form.addRow(self.tr("Address"), self.address)
        form.addRow(self.tr("Tax ID"), self.tax_id)
        form.addRow(self.tr("Email"), self.email)
        form.addRow(self.tr("Logo"), logo_row)
        form.addRow(self.tr("Partner discount %"), self.partner_discount)
        form.addRow(self.tr("Approval threshold %"), self.threshold)
        form.addRow(self.tr("Quote number prefix"), self.prefix)
        form.addRow(self.tr("Default currency"), self.currency)
        form.addRow(self.tr("Default language"), self.language)
        form.addRow(self.tr("Quotes valid for"), self.validity)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _percent(self, value: Decimal) -> QLineEdit:
        edit = QLineEdit(str(value))
        edit.setValidator(QRegularExpressionValidator(PERCENT, self))
        return edit

    def _choose_logo(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Logo"), self.logo.text(), self.tr("Images (*.png *.jpg *.jpeg)")
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
        )

    @classmethod
    def edit(cls, profile: ResellerProfile, parent: QWidget) -> tuple[ResellerProfile, bool]:
        dialog = cls(profile, parent)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        return dialog.value(), accepted
