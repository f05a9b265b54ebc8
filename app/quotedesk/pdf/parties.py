"""The parties and licence references of a PDF quote (R-RESELL-2): the end-user licensee
with its address and technical contact, the billing organisation, and on each line the
licence it renews.

The billing organisation is the reseller of the profile; selling direct (no reseller
company in the profile) it is the customer, with the customer's billing contact.
Everything here comes from the quote file as given, so a value of the wrong type (an
R-INPUT error on the quote) prints as nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from quotedesk.core.messages import text
from quotedesk.core.priced import PricedLine
from quotedesk.pdf.document import QuoteDocument

if TYPE_CHECKING:
    from reportlab.platypus import Flowable

    from quotedesk.pdf.styles import Styles

# A line's action -> how its licence reference reads ("renews SEN-1234").
REFERENCE_TEXTS = {"renew": "R-RESELL-2.renews", "upgrade": "R-RESELL-2.upgrades"}


def party_label(key: str, lang: str) -> str:
    """A parties heading ("licensee", "technical_contact"...) in `lang`."""
    return text(f"R-RESELL-2.{key}", lang)


def _texts(value: Any, *keys: str) -> dict[str, str]:
    """The text fields `keys` of an object from the quote file, "" when absent or not text."""
    data = value if isinstance(value, Mapping) else {}
    return {key: data[key] if isinstance(data.get(key), str) else "" for key in keys}


def contact(doc: QuoteDocument, key: str) -> dict[str, str]:
    customer = doc.quote_file.get("customer")
    return _texts(customer.get(key) if isinstance(customer, Mapping) else None, "name", "email")


def party_fields(doc: QuoteDocument) -> list[tuple[str, str]]:
    """The printed parties' texts a person typed, named as the quote file names them."""
    fields = []
    for key in ("technical_contact", "billing_contact"):
        for part, value in contact(doc, key).items():
            fields.append((f"customer {key} {part}", value))
    for i, line in enumerate(doc.quote_file.get("lines") or ()):
        for key, value in _texts(line, "sen", "site_url").items():
            fields.append((f"line {i + 1} {key}", value))
    return fields


def contact_lines(
    doc: QuoteDocument, key: str, lang: str, styles: Styles, width: float
) -> list[Flowable]:
    """A contact as a small label, then the name and the email (the email may break
    anywhere: it has no spaces to wrap at)."""
    person = contact(doc, key)
    if not any(person.values()):
        return []
    out = [Spacer(1, 1.5 * mm), styles.para(party_label(key, lang), styles.label, width)]
    if person["name"]:
        out.append(styles.para(person["name"], styles.body, width))
    if person["email"]:
        out.append(styles.para(person["email"], styles.cell, width))
    return out


def billing_block(doc: QuoteDocument, lang: str, styles: Styles, width: float) -> list[Flowable]:
    profile = doc.profile
    out: list[Flowable] = [
        styles.para(party_label("billing_organisation", lang), styles.label, width)
    ]
    if profile.company:
        out.append(styles.para(profile.company, styles.strong, width))
        if profile.email:
            out.append(styles.para(profile.email, styles.cell, width))
        return out
    out.append(styles.para(doc.customer.get("name") or " ", styles.strong, width))
    return out + contact_lines(doc, "billing_contact", lang, styles, width)


def line_reference(doc: QuoteDocument, line: PricedLine, lang: str) -> str:
    """What a priced product line's own quote line says it renews: "renews SEN-1234";
    "" when it names no licence."""
    lines = doc.quote_file.get("lines")
    index = line.index
    if line.kind != "product" or not isinstance(lines, list) or not isinstance(index, int):
        return ""
    raw = lines[index] if 0 <= index < len(lines) else None
    given = _texts(raw, "sen", "site_url", "action")
    # A site prints as its address without "https://": shorter, and what people call it.
    site = given["site_url"].removeprefix("https://")
    reference = " · ".join(v for v in (given["sen"], site) if v)
    if not reference:
        return ""
    action = given["action"]
    parent = raw.get("parent") if isinstance(raw, dict) else None
    if not action and isinstance(parent, int) and 0 <= parent < len(lines):
        action = _texts(lines[parent], "action")["action"]  # an app renews with its parent
    code = REFERENCE_TEXTS.get(action, "R-RESELL-2.licence")
    return text(code, lang, reference=reference)
