"""The window's messages name fields and values as the window labels them, in its
language: no quote-file path (`customer.technical_contact.email`), no code
(`datacenter`), no database error left in English. The command line keeps the quote
file's names and English."""

from __future__ import annotations

import argparse
import sqlite3

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from quotedesk.gui.app import _open_store
from tests.gui.conftest import FIXTURES, when_dialog_opens
from tests.gui.test_problem_messages import shown
from tests.gui.test_renewals_view import import_in_renewals_view

RENEWALS = {
    "schema": 1,
    "quote_date": "2026-11-23",
    "currency": "USD",
    "customer": {
        "name": "山田商事",
        "country": "JP",
        "technical_contact": {"name": "山田", "email": "yamada@"},
    },
    "lines": [
        {"product": "jira", "deployment": "datacenter", "users": 500, "action": "renew",
         "current_end_date": "2027-13-01", "sen": "SEN-1000001"},
        {"product": "jira", "deployment": "datacenter", "users": 500, "action": "renew",
         "sen": "SEN-1000002"},
    ],
}  # fmt: skip


def test_a_ja_window_names_fields_by_the_window_labels_and_an_invalid_date_once(ja):
    ja.open_data(RENEWALS)
    errors = [t for t in shown(ja) if t.startswith("R-INPUT")]
    assert errors == [
        "R-INPUT — 技術担当者のメール：'yamada@' は ana@example.com のようなメールアドレスでは"
        "ありません",
        # Line 1's date is not a date: said once, not also "needs a current end date".
        "R-INPUT — 行 1：現在の終了日：'2027-13-01' は日付（YYYY-MM-DD）ではありません（1 行目）",
        "R-INPUT — 更新 の行には 現在の終了日 が必要です（2 行目）",
    ]
    # The JSON (and the command line) keep the quote file's names, in English.
    messages = [e["message"] for e in ja.draft.view["errors"] if e["code"] == "R-INPUT"]
    assert messages == [
        "customer.technical_contact.email: 'yamada@' is not an email address such as "
        "ana@example.com",
        "line 0: current_end_date: '2027-13-01' is not a date (YYYY-MM-DD)",
        "a renew line needs its current_end_date",
    ]


def test_an_en_window_names_the_same_fields_by_its_labels(make_window):
    window = make_window()
    window.open_data(RENEWALS)
    errors = [t for t in shown(window) if t.startswith("R-INPUT")]
    assert errors == [
        "R-INPUT — technical contact email: 'yamada@' is not an email address such as "
        "ana@example.com",
        "R-INPUT — line 1: current end date: '2027-13-01' is not a date (YYYY-MM-DD) (line 1)",
        "R-INPUT — a Renew line needs its current end date (line 2)",
    ]


def test_a_ja_licence_import_names_the_deployment_as_the_window_does(qtbot, ja, tmp_path):
    rows = (FIXTURES / "licences.csv").read_text().splitlines()
    rows[1] = rows[1].replace(",jira,", ",nosuch,")
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(rows) + "\n")
    (told,) = import_in_renewals_view(qtbot, ja, bad)
    assert told.splitlines()[1] == "2 行目：不明な製品 'nosuch'（データセンター、年払い）"


def test_a_ja_licence_file_with_a_wrong_header_is_refused_in_japanese(qtbot, ja, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("licence,product,deployment,edition,billing,customer,country,subdivision\n")
    (told,) = import_in_renewals_view(qtbot, ja, bad)
    columns = (
        "licence,product,deployment,edition,billing,users,end_date,customer,country,subdivision"
    )
    assert told == f"bad.csv：ヘッダーに列 users, end_date がありません（必要な列：{columns}）"


def test_a_ja_window_says_the_database_is_busy_in_japanese(qtbot, ja):
    ja.new_quote()
    qtbot.keyClicks(ja.editor.header.customer_name, "Yamada")
    ja.save()
    ja.store.conn.execute("PRAGMA busy_timeout = 100")  # not 5 s of waiting in a test
    other = sqlite3.connect(ja.store.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another Quote Desk in the middle of a save
    told: list[str] = []
    ja.message_shown.connect(told.append)
    try:
        qtbot.keyClicks(ja.editor.header.customer_name, " KK")
        qtbot.keyClick(ja, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert told == [
        f"データベースは使用中です：別の Quote Desk が {ja.store.path} に書き込んでいます。"
        "もう一度お試しください"
    ]


def test_a_file_that_is_not_a_quote_database_is_refused_in_the_window_language(qtbot, ja, tmp_path):
    notes = tmp_path / "notes.db"
    notes.write_text("shopping list\n" * 20)
    said: list[str] = []

    def read_and_close(box) -> None:
        assert isinstance(box, QMessageBox)
        said.append(box.text())
        box.accept()

    when_dialog_opens(read_and_close)
    with pytest.raises(SystemExit):
        _open_store(argparse.Namespace(db=notes, screenshot=None), ja)
    assert said == [
        f"{notes} は見積データベースではありません（SQLite ファイルではありません）。"
        "ファイルは変更していません"
    ]
