"""Pricing with the reseller profile's defaults: one function for the window, the command
line and the store's sign-off check, so a quote prices the same wherever it is priced.

- R-Q-3: the quote is valid for the profile's `validity_days`.
- R-DISC-PARTNER: the profile's partner discount applies when the quote file sets none
  (a quote's own `partner_discount_pct`, even "0", wins).
- R-RESELL-1: a profile with a company name sells through a reseller.
"""

from __future__ import annotations

from datetime import date

from quotedesk.core import PriceBook, PricedQuote, Quote, RuleTables, price
from quotedesk.core.records import ResellerProfile


def is_reseller(profile: ResellerProfile) -> bool:
    """R-RESELL-1: a seller's name is set, so the quote is sold through a reseller."""
    return bool(profile.company.strip())


def with_profile_defaults(quote: Quote, profile: ResellerProfile) -> Quote:
    """R-DISC-PARTNER: the quote with the profile's partner discount when it sets none."""
    if "partner_discount_pct" in quote.source or not profile.partner_discount_pct:
        return quote
    return quote._replace(partner_discount_pct=profile.partner_discount_pct)


def price_with_profile(
    quote: Quote, book: PriceBook, rules: RuleTables, today: date, profile: ResellerProfile
) -> PricedQuote:
    return price(
        with_profile_defaults(quote, profile),
        book,
        rules,
        today,
        validity_days=profile.validity_days,
        reseller=is_reseller(profile),
    )
