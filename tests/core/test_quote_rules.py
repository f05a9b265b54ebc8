"""R-Q-1's quote number and R-Q-3's expiry, each written once in the core for the store,
the PDF and the window."""

from __future__ import annotations

from datetime import date

from quotedesk.core.deployment import fixed_terms, terms_fit
from quotedesk.core.quotes.number import QuoteNumber, quote_label
from quotedesk.core.quotes.validity import status_on, valid_until


def test_R_Q_1_a_number_parses_with_its_revision_and_prints_with_its_suffix():
    assert QuoteNumber.parse("QD-2026-00042-R2") == QuoteNumber("QD-2026-00042", 2)
    assert QuoteNumber.parse("QD-2026-00042") == QuoteNumber("QD-2026-00042", None)
    assert QuoteNumber.parse("ACME-EU-2026-00007").parts == ("ACME-EU", 2026, 7)
    assert QuoteNumber.parse("QD-26-42") is None
    assert QuoteNumber.first("QD", 2026, 42).label == "QD-2026-00042"
    assert quote_label("QD-2026-00042", 1) == "QD-2026-00042"
    assert str(QuoteNumber("QD-2026-00042", 3)) == "QD-2026-00042-R3"


def test_R_TEAM_2_a_provisional_label_names_its_device_and_parses_like_a_number():
    label = QuoteNumber.provisional("QD", "1A2B3C4D-5E6F-4A1B-8C9D-0E1F2A3B4C5D", 3)
    assert label == QuoteNumber("QD-DRAFT-1a2b3c4d-3", 1)
    assert QuoteNumber.parse("QD-DRAFT-1a2b3c4d-3-R2") == QuoteNumber("QD-DRAFT-1a2b3c4d-3", 2)
    assert QuoteNumber.parse("QD-DRAFT-1a2b3c4d-3").parts == ("QD-DRAFT-1a2b3c4d", 0, 3)


def test_R_Q_3_a_committed_quote_is_expired_the_day_after_its_last_valid_day():
    until = valid_until(date(2026, 11, 20), 10)
    assert until == date(2026, 11, 30)
    assert status_on("signed_off", until, date(2026, 11, 30)) == "signed_off"
    assert status_on("signed_off", until, date(2026, 12, 1)) == "expired"
    assert status_on("sent", "2026-11-30", date(2026, 12, 1)) == "expired"
    # A draft is no commitment yet; an accepted quote was accepted in time.
    assert status_on("draft", until, date(2026, 12, 1)) == "draft"
    assert status_on("accepted", until, date(2026, 12, 1)) == "accepted"


def test_data_center_has_no_edition_and_is_billed_annually():
    assert fixed_terms("datacenter") and not fixed_terms("cloud")
    assert terms_fit("datacenter", "", "annual")
    assert not terms_fit("datacenter", "standard", "annual")
    assert not terms_fit("datacenter", "", "monthly")
    assert terms_fit("cloud", "premium", "monthly")
