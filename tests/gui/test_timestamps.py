"""Signed PDFs from the window and their timestamps, with a real timestamp authority and
OCSP responder on 127.0.0.1 (tests/pki.py): offline a signed export is B-B and History
shows it waiting; once the profile names an authority, File > Add timestamps now extends
every waiting PDF in the background (B-LTA)."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import QMessageBox

from quotedesk.pdf import verify_pdf
from quotedesk.pdf.signing import load_certificates
from tests.gui.conftest import (
    pick_file,
    sign_off_as,
    sign_with_file,
    start_quote,
    when_dialog_opens,
)
from tests.pki import closed_port_url


def export_signed(qtbot, window, p12, out) -> None:
    """Sign off the quote being edited and export it signed to `out` as a person does."""
    start_quote(qtbot, window)
    sign_off_as(qtbot, window, "Ana Souza")
    qtbot.waitUntil(lambda: window.draft.read_only)

    def type_password(dialog) -> None:
        dialog.setTextValue("secret")
        when_dialog_opens(pick_file(out))
        dialog.accept()

    when_dialog_opens(sign_with_file(pick_file(p12, then=type_password)))
    window.menu.export_signed_action.trigger()


def history_levels(window) -> list[str]:
    dialog = window.show_history()
    try:
        return [dialog.list.item(row, 4).text() for row in range(dialog.list.rowCount())]
    finally:
        dialog.close()


def set_authority(qtbot, window, url: str) -> None:
    def fill(dialog) -> None:
        qtbot.keyClicks(dialog.fields.timestamp_url, url)
        dialog.accept()

    when_dialog_opens(fill)
    window.menu.profile_action.trigger()


def test_an_offline_signed_export_waits_in_history_until_add_timestamps_now(
    qtbot, window, tmp_path, pki
):
    said = []
    window.message_shown.connect(said.append)
    out = tmp_path / "signed.pdf"
    export_signed(qtbot, window, pki.p12("reseller"), out)
    assert said[-1] == (
        f"Exported {out}, signed without a timestamp (PAdES B-B): no timestamp authority is "
        "set in the reseller profile."
    )
    assert verify_pdf(out.read_bytes()).level == "B-B"
    assert history_levels(window) == ["B-B, waiting for a timestamp"]

    window.menu.timestamps_action.trigger()
    assert said[-1] == "Set a timestamp authority in Settings > Reseller profile first."

    set_authority(qtbot, window, pki.tsa_url)
    assert window.store.profile().timestamp_url == pki.tsa_url
    with qtbot.waitSignal(window.message_shown, timeout=60_000) as shown:
        window.menu.timestamps_action.trigger()
    assert shown.args == ["Timestamped: QD-2026-00001 (B-LTA)"]
    assert history_levels(window) == ["B-LTA, long-term"]
    root = load_certificates(pki.pem("root"))
    result = verify_pdf(out.read_bytes(), root, tsa_trust=root)
    assert result.valid and result.level == "B-LTA"

    window.menu.timestamps_action.trigger()
    assert said[-1] == "No signed PDF is waiting for a timestamp."


def test_with_the_authority_down_the_export_is_signed_and_says_why_it_has_no_timestamp(
    qtbot, window, tmp_path, pki
):
    down = closed_port_url()
    window.apply_profile(replace(window.store.profile(), timestamp_url=down))
    said = []
    window.message_shown.connect(said.append)
    out = tmp_path / "signed.pdf"
    export_signed(qtbot, window, pki.p12("reseller"), out)
    assert said[-1].startswith(
        f"Exported {out}, signed without a timestamp (PAdES B-B): the timestamp authority "
        f"{down} gave no timestamp (Cannot connect to host 127.0.0.1"
    )
    assert said[-1].endswith(". File > Add timestamps now adds it once the authority answers.")
    assert history_levels(window) == ["B-B, waiting for a timestamp"]

    before = out.read_bytes()
    with qtbot.waitSignal(window.message_shown, timeout=60_000) as shown:
        window.menu.timestamps_action.trigger()
    heading, failure = shown.args[0].splitlines()
    assert heading == "Not timestamped:"
    assert failure.startswith(f"QD-2026-00001: the timestamp authority {down} gave no timestamp")
    (box,) = [b for b in window.findChildren(QMessageBox) if b.text() == shown.args[0]]
    assert box.icon() == QMessageBox.Icon.Warning
    assert out.read_bytes() == before
    assert history_levels(window) == ["B-B, waiting for a timestamp"]


def test_with_the_authority_up_the_window_exports_b_t(qtbot, window, tmp_path, pki):
    window.apply_profile(replace(window.store.profile(), timestamp_url=pki.tsa_url))
    out = tmp_path / "signed.pdf"
    export_signed(qtbot, window, pki.p12("reseller"), out)
    assert window.statusBar().currentMessage() == (
        f"Exported {out}, signed with a timestamp (PAdES B-T)"
    )
    assert verify_pdf(out.read_bytes()).level == "B-T"
    assert history_levels(window) == ["B-T, timestamped"]
