"""What signs a quote: a certificate file (.p12, .pfx), or a key on a token or smartcard
chosen from the certificates its PKCS#11 module finds (read without the PIN). The last
choice is offered again; the PIN is asked for afterwards and never kept."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from quotedesk.gui.settings import Settings
from quotedesk.pdf import PdfError
from quotedesk.pdf.tokens import TokenCertificate, default_module, known_modules, list_certificates

CertificateRole = Qt.ItemDataRole.UserRole


class SigningKeyDialog(QDialog):
    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle(self.tr("Sign with"))
        self.file_choice = QRadioButton(self.tr("Certificate &file (.p12, .pfx)"))
        self.token_choice = QRadioButton(self.tr("&Token or smartcard (PKCS#11)"))
        self.module = QComboBox()
        self.module.setEditable(True)
        offered = [settings.pkcs11_module, str(default_module() or ""), *map(str, known_modules())]
        for path in dict.fromkeys(p for p in offered if p):
            self.module.addItem(path)
        choose = QPushButton(self.tr("Choose…"))
        choose.clicked.connect(self._choose_module)
        refresh = QPushButton(self.tr("&Refresh"))  # after plugging a token in
        refresh.clicked.connect(self.list_keys)
        self.keys = QListWidget()
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        self.token_box = QWidget()
        module_row = QHBoxLayout()
        module_row.addWidget(QLabel(self.tr("Module:")))
        module_row.addWidget(self.module, 1)
        module_row.addWidget(choose)
        module_row.addWidget(refresh)
        token_layout = QVBoxLayout(self.token_box)
        token_layout.addLayout(module_row)
        token_layout.addWidget(self.keys)
        token_layout.addWidget(self.problem)
        layout = QVBoxLayout(self)
        for widget in (self.file_choice, self.token_choice, self.token_box, self.buttons):
            layout.addWidget(widget)

        self.module.activated.connect(lambda _index: self.list_keys())
        if (line := self.module.lineEdit()) is not None:
            line.returnPressed.connect(self.list_keys)
        self.keys.currentRowChanged.connect(lambda _row: self._update())
        self.token_choice.toggled.connect(self._token_toggled)
        self.file_choice.setChecked(True)
        if settings.signing_with == "token":
            self.token_choice.setChecked(True)
        self._update()

    def chosen(self) -> tuple[Path, TokenCertificate] | None:
        """The module and the certificate whose key signs; None for a certificate file."""
        item = self.keys.currentItem()
        if not self.token_choice.isChecked() or item is None:
            return None
        certificate: TokenCertificate = item.data(CertificateRole)
        return Path(self.module.currentText().strip()), certificate

    def list_keys(self) -> None:
        """The signing certificates on the module's tokens, the last one used selected."""
        self.keys.clear()
        module = self.module.currentText().strip()
        if not module:
            self._say(self.tr("Choose the PKCS#11 module of your token or smartcard."))
            return
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)  # a card reader is slow
        try:
            tokens, certificates = list_certificates(Path(module))
        except PdfError as exc:
            self._say(str(exc))
            return
        finally:
            QApplication.restoreOverrideCursor()
        for certificate in certificates:
            text = self.tr("{0} on {1} ({2}), valid until {3}")
            item = QListWidgetItem(
                text.format(certificate.subject, certificate.token, certificate.label,
                            certificate.expires.isoformat())
            )  # fmt: skip
            item.setData(CertificateRole, certificate)
            self.keys.addItem(item)
            last = (self.settings.token, self.settings.token_key)
            if (certificate.token, certificate.label) == last or self.keys.count() == 1:
                self.keys.setCurrentItem(item)
        if not tokens:
            self._say(self.tr("No token or smartcard found: is it plugged in?"))
        elif not certificates:
            self._say(self.tr("No signing certificate on {0}.").format(", ".join(tokens)))
        else:
            self._say("")

    def _token_toggled(self, on: bool) -> None:
        if on and self.keys.count() == 0:
            self.list_keys()
        self._update()

    def _choose_module(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("PKCS#11 module"), self.module.currentText(),
            self.tr("PKCS#11 module (*.so *.dll *.dylib);;All files (*)"),
        )  # fmt: skip
        if path:
            self.module.setCurrentText(path)
            self.list_keys()

    def _say(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(bool(text))
        self._update()

    def _update(self) -> None:
        token = self.token_choice.isChecked()
        self.token_box.setEnabled(token)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(not token or self.keys.currentItem() is not None)
