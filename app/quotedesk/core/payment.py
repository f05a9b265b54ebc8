"""Payment methods and terms shown on every quote (R-PAY-1..5)."""

from __future__ import annotations

from decimal import Decimal

from quotedesk.core.lines import ResolvedLine
from quotedesk.core.priced import PaymentMethod

NET14_FROM, NET14_BELOW = Decimal(1000), Decimal(20000)
NET30_ORIGINAL, NET30_IMPROVED = Decimal(10000), Decimal(20000)


def payment_methods(
    lines: list[ResolvedLine],
    currency: str,
    experience: str,
    pre_tax: Decimal,
    usd_per_unit: Decimal | None,
) -> tuple[PaymentMethod, ...]:
    """`pre_tax` is in the quote currency; `usd_per_unit` converts it to USD for the
    thresholds (None: unknown, so terms are offered subject to approval)."""
    if any(r.deployment == "cloud" and r.is_monthly for r in lines):
        return (
            PaymentMethod(
                "credit_card", "Credit card (MasterCard, Visa, American Express)", "R-PAY-1"
            ),
            PaymentMethod("paypal", "PayPal", "R-PAY-1"),
        )
    out = []
    if currency != "AUD":  # R-PAY-2
        out.append(
            PaymentMethod(
                "credit_card",
                "Credit card (MasterCard, Visa, American Express; not Discover)",
                "R-PAY-2",
            )
        )
    out.append(PaymentMethod("paypal", "PayPal", "R-PAY-3"))
    out.append(PaymentMethod("bank_transfer", "Bank transfer (7–14 business days)", "R-PAY-3"))
    if currency != "AUD":
        out.append(PaymentMethod("check", "Check (7–14 business days)", "R-PAY-3"))
    if currency == "USD":
        out.append(PaymentMethod("ach", "ACH (5–7 business days)", "R-PAY-3"))
    out += _net_terms(lines, experience, pre_tax, usd_per_unit)
    return tuple(out)


def _net_terms(
    lines: list[ResolvedLine], experience: str, pre_tax: Decimal, usd_per_unit: Decimal | None
) -> list[PaymentMethod]:
    has_dc = any(r.deployment == "datacenter" for r in lines)
    has_annual_cloud = any(r.deployment == "cloud" and not r.is_monthly for r in lines)
    if not (has_dc or has_annual_cloud):
        return []
    # R-PAY-4: an order with a Data Center line is invoiced (in part) by the original
    # billing system, so R-PAY-5's original threshold applies to it, never Net-14.
    original = has_dc or experience == "original"
    if usd_per_unit is None:
        terms = "Net-30 terms" if original else "Net-14 / Net-30 terms"
        return [
            PaymentMethod(
                "net_terms",
                f"{terms} subject to approval (no USD exchange rate on the quote)",
                "R-PAY-5",
            )
        ]
    usd = pre_tax * usd_per_unit
    if original:
        return [PaymentMethod("net_30", "Net-30 terms", "R-PAY-5")] if usd >= NET30_ORIGINAL else []
    if usd >= NET30_IMPROVED:  # improved billing: annual cloud lines only from here
        return [PaymentMethod("net_30", "Net-30 terms after a one-time credit check", "R-PAY-5")]
    if NET14_FROM <= usd < NET14_BELOW:
        return [PaymentMethod("net_14", "Net-14 terms (no credit check)", "R-PAY-4")]
    return []
