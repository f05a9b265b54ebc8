"""The tax table prints the stored tax lines' typed amounts (core.priced.read_priced),
the customer's local currency too (R-TAX-LOCAL); rendered and read back with pdfplumber."""

from __future__ import annotations

from decimal import Decimal

from quotedesk.pdf import render_quote_pdf
from tests.pdf.conftest import pdf_text


def test_R_TAX_LOCAL_the_tax_table_shows_the_tax_in_the_local_currency(document):
    # 7,200.00 net (8,000.00 less the 10% partner discount); Swiss VAT 8.1%: 583.20;
    # at 0.8 CHF to the dollar: 466.56 CHF.
    doc = document(
        customer={"name": "Muster AG", "country": "CH"},
        local_currency="CHF",
        exchange_rate="0.8",
    )
    [vat] = doc.priced_quote.taxes
    assert (vat.base, vat.rate, vat.amount) == (
        Decimal("7200.00"),
        Decimal("8.1"),
        Decimal("583.20"),
    )
    assert (vat.local_currency, vat.local_amount) == ("CHF", Decimal("466.56"))
    assert doc.priced_quote.total == Decimal("7783.20")
    lines = "\n".join(pdf_text(render_quote_pdf(doc))).splitlines()
    vat_row = lines.index("VAT CH 8.1% $7,200.00 $583.20")
    # Babel writes "CHF 466.56" with a no-break space, which pdfplumber reads as nothing.
    assert lines[vat_row + 1].replace(" ", "") == "≈CHF466.56"
    assert "Total $7,783.20" in lines
