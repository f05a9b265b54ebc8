"""Whether a quote revision may be signed off. One check for the store (and so the
command line) and for the window's sign-off dialog, which shows the reasons while the
names are typed instead of failing after it closed."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple

from quotedesk.core.problems import message_of, render


class Refusal(NamedTuple):
    code: str  # the rule or reason: a pricing error's rule (R-Q-2), "R-DISC-MANUAL"...
    key: str  # its message (resources/i18n/messages.json)
    params: dict[str, object]
    field: str = ""  # what the person must fill in: "signed_by", "approver", "profile"

    @property
    def message(self) -> str:
        return self.text("en")

    def text(self, language: str, value: Callable[[str, object], object] | None = None) -> str:
        return render(self.key, self.params, language, value)


def discounts_over(quote_file: dict[str, Any], threshold: Decimal) -> list[tuple[int, Decimal]]:
    """Lines (0-based) whose manual discount passes the approval threshold."""
    over = []
    for index, line in enumerate(quote_file.get("lines") or ()):
        raw = line.get("discount_pct") if isinstance(line, dict) else None
        try:
            pct = Decimal(str(raw)) if raw is not None else None
        except InvalidOperation:
            pct = None  # an unreadable discount is an R-INPUT error, refused on its own
        if pct is not None and pct.is_finite() and pct > threshold:
            over.append((index, pct))
    return over


def sign_off_refusals(
    quote_file: dict[str, Any],
    priced: dict[str, Any],
    *,
    seller: str | None,
    threshold: Decimal,
    by: str,
    approver: str | None,
) -> list[Refusal]:
    """Every reason the revision cannot be signed off by `by` (empty: it can). Lines are
    named as people count them, from 1. `seller` is the profile's company name, which the
    PDF prints as the seller; None skips that check (the command line cannot set a
    profile yet)."""
    refusals = []
    customer = quote_file.get("customer") or {}
    if not quote_file.get("lines"):
        refusals.append(Refusal("empty quote", "signoff.no_lines", {}))
    if not str(customer.get("name") or "").strip():
        refusals.append(Refusal("empty quote", "signoff.no_customer", {}))
    errors = priced.get("errors") or []
    if errors:  # R-Q-2: a quote with errors is not signed off; the first one is named
        first, more = errors[0], len(errors) - 1
        key = {0: "R-Q-2.first", 1: "R-Q-2.one_more"}.get(more, "R-Q-2.errors")
        params: dict[str, object] = {"first": message_of(first), "more": more}
        refusals.append(Refusal(first["code"], key, params))
    if seller is not None and not seller.strip():
        refusals.append(Refusal("no seller", "signoff.no_seller", {}, "profile"))
    by, approver = by.strip(), (approver or "").strip() or None
    if not by:
        refusals.append(Refusal("signer", "signoff.no_signer", {}, "signed_by"))
    over = discounts_over(quote_file, threshold)
    if over and approver is None:
        line, pct = over[0]
        params = {"line_no": line + 1, "pct": pct, "threshold": threshold}
        refusals.append(
            Refusal("R-DISC-MANUAL", "R-DISC-MANUAL.needs_approver", params, "approver")
        )
    elif over and approver and by and approver.casefold() == by.casefold():
        params = {"threshold": threshold}
        refusals.append(Refusal("R-DISC-MANUAL", "R-DISC-MANUAL.same_person", params, "approver"))
    return refusals
