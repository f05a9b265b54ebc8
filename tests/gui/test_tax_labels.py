"""R-TAX-*: the totals panel names each tax in the window's language."""

from __future__ import annotations

from tests.gui.conftest import JIRA_ANNUAL

QC_QUOTE = {
    "schema": 1,
    "quote_date": "2026-11-23",
    "currency": "USD",
    "customer": {"name": "Ltée", "country": "CA", "subdivision": "QC", "exemptions": ["qst"]},
    "lines": [dict(JIRA_ANNUAL, users=100, months=12)],
}


def test_R_TAX_CA_tax_rows_read_in_japanese(make_window):
    window = make_window("ja")
    window.open_data(QC_QUOTE)
    labels = [label for label, _ in window.editor.totals.rows]
    # GST 5% of 8,000.00 = 400.00; QST exempt with the customer's QST number.
    assert any(label.startswith("物品サービス税 (GST), CA: ") for label in labels)
    assert "ケベック州売上税 (QST), CA-QC: QST 番号あり" in labels
    assert not any("QST number" in label for label in labels)
