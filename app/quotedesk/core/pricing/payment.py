"""Payment methods and terms shown on every quote (R-PAY-1..5).

Each method is a text code with parameters (its words are in `resources/i18n/
messages.json`); its thresholds and business-day windows are in `resources/rules/
policies.json` under the rule ids."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from quotedesk.core.priced import PaymentMethod
from quotedesk.core.pricing.lines import ResolvedLine


def payment_methods(
    lines: list[ResolvedLine],
    currency: str,
    experience: str,
    pre_tax: Decimal,
    usd_per_unit: Decimal | None,
    policies: dict[str, dict[str, Any]],
) -> tuple[PaymentMethod, ...]:
    """`pre_tax` is in the quote currency; `usd_per_unit` converts it to USD for the
    thresholds (None: unknown, so terms are offered subject to approval)."""
    if any(r.deployment == "cloud" and r.is_monthly for r in lines):
        return (
            PaymentMethod("credit_card", "R-PAY-1.credit_card", {}, "R-PAY-1"),
            PaymentMethod("paypal", "R-PAY-1.paypal", {}, "R-PAY-1"),
        )
    windows = policies["R-PAY-3"]
    card_and_check = currency not in policies["R-PAY-2"]["no_card_or_check_currencies"]

    def within(method: str) -> PaymentMethod:
        low, high = windows[f"{method}_days"]
        return PaymentMethod(method, f"R-PAY-3.{method}", {"low": low, "high": high}, "R-PAY-3")

    out = []
    if card_and_check:
        out.append(PaymentMethod("credit_card", "R-PAY-2.credit_card", {}, "R-PAY-2"))
    out += [PaymentMethod("paypal", "R-PAY-3.paypal", {}, "R-PAY-3"), within("bank_transfer")]
    if card_and_check:
        out.append(within("check"))
    if currency in windows["ach_currencies"]:
        out.append(within("ach"))
    out += _net_terms(lines, experience, pre_tax, usd_per_unit, policies)
    return tuple(out)


def _net_terms(
    lines: list[ResolvedLine],
    experience: str,
    pre_tax: Decimal,
    usd_per_unit: Decimal | None,
    policies: dict[str, dict[str, Any]],
) -> list[PaymentMethod]:
    has_dc = any(r.deployment == "datacenter" for r in lines)
    has_annual_cloud = any(r.deployment == "cloud" and not r.is_monthly for r in lines)
    if not (has_dc or has_annual_cloud):
        return []
    # R-PAY-4: an order with a Data Center line is invoiced (in part) by the original
    # billing system, so R-PAY-5's original threshold applies to it, never Net-14.
    original = has_dc or experience == "original"
    if usd_per_unit is None:
        code = "R-PAY-5.net_30_approval" if original else "R-PAY-5.net_14_or_30_approval"
        return [PaymentMethod("net_terms", code, {}, "R-PAY-5")]
    usd = pre_tax * usd_per_unit
    net30, net14 = policies["R-PAY-5"], policies["R-PAY-4"]
    if original:
        if usd >= Decimal(net30["original_from_usd"]):
            return [PaymentMethod("net_30", "R-PAY-5.net_30", {}, "R-PAY-5")]
        return []
    if usd >= Decimal(net30["improved_from_usd"]):  # improved billing: annual cloud only
        return [PaymentMethod("net_30", "R-PAY-5.net_30_credit_check", {}, "R-PAY-5")]
    if Decimal(net14["net14_from_usd"]) <= usd < Decimal(net14["net14_below_usd"]):
        return [PaymentMethod("net_14", "R-PAY-4.net_14", {}, "R-PAY-4")]
    return []
