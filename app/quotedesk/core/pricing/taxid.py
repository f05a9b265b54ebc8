"""Offline tax-ID checks (format and check digits) through python-stdnum.

stdnum is imported only when a quote carries a tax ID, so pricing a quote without one
never pays for it.
"""

import re
from typing import NamedTuple

# Indian Corporate Identity Number: listing status, industry code, state, year, type, serial.
# It has no check digit, so only its shape can be checked (stdnum has no module for it).
_CIN = r"[LU]\d{5}[A-Z]{2}\d{4}[A-Z]{3}\d{6}"  # compiled by `re` on first use


class TaxIdCheck(NamedTuple):
    valid: bool
    kind: str  # e.g. "EU VAT ID", "GSTIN"
    reason: str  # why it is invalid, or the normalised number when valid


def check_eu_vat(tax_id: str, country: str) -> TaxIdCheck:
    """R-TAX-EU: a VAT ID of the customer's own member state (Greece writes EL)."""
    from stdnum.eu import vat  # stdnum: only for a quote with a tax ID
    from stdnum.exceptions import ValidationError

    try:
        number = vat.validate(tax_id)
    except ValidationError as exc:
        return TaxIdCheck(False, "EU VAT ID", f"{tax_id}: {exc}")
    prefix = "EL" if country == "GR" else country
    if not number.startswith(prefix):
        return TaxIdCheck(False, "EU VAT ID", f"{number} is not a VAT ID of {country}")
    return TaxIdCheck(True, "EU VAT ID", number)


def check_india(tax_id: str) -> TaxIdCheck:
    """R-TAX-IN: a PAN, CIN or GSTIN."""
    from stdnum.exceptions import ValidationError  # stdnum: only for a quote with a tax ID
    from stdnum.in_ import gstin, pan

    compact = re.sub(r"[\s-]", "", tax_id).upper()
    if re.fullmatch(_CIN, compact):
        return TaxIdCheck(True, "CIN", compact)
    module, kind = (gstin, "GSTIN") if len(compact) == 15 else (pan, "PAN")
    try:
        return TaxIdCheck(True, kind, module.validate(compact))
    except ValidationError as exc:
        return TaxIdCheck(False, kind, f"{tax_id}: {exc}")


def check_tax_id(scheme: str, tax_id: str, country: str) -> TaxIdCheck:
    """Check `tax_id` under a tax table's scheme ("eu" or "in")."""
    if scheme == "eu":
        return check_eu_vat(tax_id, country)
    return check_india(tax_id)
