"""Export signed PDF with a key on a token or smartcard (SoftHSM2, tests/softhsm.py): the
window lists the certificates the module finds, asks for the PIN in a password field,
remembers the choice but never the PIN, and a token that fails is one message and no file."""

from __future__ import annotations

import shutil
from collections.abc import Callable

from cryptography import x509
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QInputDialog, QLineEdit

from quotedesk.gui.signing_dialog import SigningKeyDialog
from quotedesk.pdf import verify_pdf
from tests.gui.conftest import pick_file, sign_off_as, start_quote, when_dialog_opens
from tests.softhsm import TOKEN_PIN


def signed_off_quote(qtbot, window) -> None:
    start_quote(qtbot, window)
    sign_off_as(qtbot, window, "Ana Souza")
    qtbot.waitUntil(lambda: window.draft.read_only)


Answer = Callable[[QDialog], None]


def choose_token(qtbot, label: str, then: Answer | None) -> Answer:
    """For when_dialog_opens: choose "Token or smartcard", then the key
    of the token `label`, and answer the next dialog with `then` (None: no dialog follows)."""

    def act(dialog) -> None:
        assert isinstance(dialog, SigningKeyDialog)
        choice = dialog.token_choice  # a click on its round indicator, at the left
        qtbot.mouseClick(choice, Qt.MouseButton.LeftButton, pos=QPoint(8, choice.height() // 2))
        assert dialog.token_choice.isChecked()
        rows = [dialog.keys.item(row).text() for row in range(dialog.keys.count())]
        (row,) = [n for n, text in enumerate(rows) if f" on {label} (reseller)" in text]
        dialog.keys.setCurrentRow(row)
        if then is not None:
            when_dialog_opens(then)
        qtbot.mouseClick(
            dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
        )

    return act


def type_pin(qtbot, pin: str, then: Answer, asked: list[str]) -> Answer:
    """For when_dialog_opens: type `pin` into the PIN dialog and press Enter."""

    def act(dialog) -> None:
        assert isinstance(dialog, QInputDialog)
        asked.append(dialog.labelText())
        field = dialog.findChild(QLineEdit)
        assert field.echoMode() == QLineEdit.EchoMode.Password
        qtbot.keyClicks(field, pin)
        when_dialog_opens(then)
        qtbot.keyClick(field, Qt.Key.Key_Return)

    return act


def test_a_signed_off_quote_is_signed_with_the_token_after_a_mistyped_pin(
    qtbot, window, tmp_path, softhsm, monkeypatch
):
    monkeypatch.setenv("QUOTEDESK_PKCS11_MODULE", str(softhsm.module))  # the module offered
    signed_off_quote(qtbot, window)
    out, asked = tmp_path / "signed.pdf", []
    right = type_pin(qtbot, TOKEN_PIN, pick_file(out), asked)
    when_dialog_opens(choose_token(qtbot, "quotedesk", type_pin(qtbot, "0000", right, asked)))
    window.menu.export_signed_action.trigger()
    assert asked == [
        "PIN of quotedesk:",
        "token 'quotedesk': wrong PIN\n\nPIN of quotedesk:",
    ]
    issuer = x509.load_pem_x509_certificate(softhsm.ca_pem.read_bytes())
    result = verify_pdf(out.read_bytes(), [issuer])
    assert result.valid, result.reasons
    assert result.signatures[0].signer == "Common Name: Nordlicht Partners"
    settings = window.settings
    assert (settings.signing_with, settings.pkcs11_module) == ("token", str(softhsm.module))
    assert (settings.token, settings.token_key) == ("quotedesk", "reseller")
    settings.sync()
    assert TOKEN_PIN not in (tmp_path / "settings.ini").read_text()  # never the PIN

    monkeypatch.delenv("QUOTEDESK_PKCS11_MODULE")
    again = SigningKeyDialog(settings)  # the next signing starts at the same key
    qtbot.addWidget(again)
    module, certificate = again.chosen()
    assert module == softhsm.module
    assert (certificate.token, certificate.label) == ("quotedesk", "reseller")


def test_a_token_pulled_out_while_choosing_where_to_save_is_a_message_and_no_file(
    qtbot, window, tmp_path, softhsm, monkeypatch
):
    monkeypatch.setenv("QUOTEDESK_PKCS11_MODULE", str(softhsm.module))
    signed_off_quote(qtbot, window)
    messages = []
    window.message_shown.connect(messages.append)
    out = tmp_path / "signed.pdf"
    save = pick_file(out)

    def pull_out_then_save(dialog) -> None:
        shutil.rmtree(softhsm.folders["pulled-2"])
        save(dialog)

    when_dialog_opens(
        choose_token(qtbot, "pulled-2", type_pin(qtbot, TOKEN_PIN, pull_out_then_save, []))
    )
    window.menu.export_signed_action.trigger()
    assert len(messages) == 1
    assert messages[0].startswith("token 'pulled-2' was removed or stopped answering while signing")
    assert list(tmp_path.glob("*.pdf")) == []
    assert [p for p in tmp_path.iterdir() if p.name.startswith(".signed.pdf")] == []


def test_a_locked_token_is_a_message_and_no_pin_is_asked(
    qtbot, window, tmp_path, softhsm, monkeypatch
):
    monkeypatch.setenv("QUOTEDESK_PKCS11_MODULE", str(softhsm.module))
    signed_off_quote(qtbot, window)
    messages = []
    window.message_shown.connect(messages.append)
    when_dialog_opens(choose_token(qtbot, "locked", None))  # no PIN dialog follows
    window.menu.export_signed_action.trigger()
    assert messages == [
        "token 'locked' is locked after too many wrong PINs; unlock it with its administrator "
        "PIN (PUK) in the token's own software"
    ]


def test_the_dialog_names_a_missing_module_and_offers_no_key(qtbot, tmp_path, monkeypatch):
    monkeypatch.delenv("QUOTEDESK_PKCS11_MODULE", raising=False)
    from quotedesk.gui.settings import Settings

    dialog = SigningKeyDialog(Settings(tmp_path / "settings.ini"))
    qtbot.addWidget(dialog)
    dialog.token_choice.setChecked(True)
    dialog.module.setCurrentText(str(tmp_path / "opensc-pkcs11.so"))
    dialog.list_keys()
    assert dialog.problem.text().startswith(f"{tmp_path}/opensc-pkcs11.so: no such PKCS#11 module")
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
    dialog.file_choice.setChecked(True)  # a certificate file needs no key from the list
    assert dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
