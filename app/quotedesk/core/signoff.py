"""Whether a quote revision may be signed off. One check for the store (and so the
command line) and for the window's sign-off dialog, which shows the reasons while the
names are typed instead of failing after it closed."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple


class Refusal(NamedTuple):
    code: str  # the rule or reason, e.g. "R-TERM-1", "empty quote", "approval threshold"
    message: str
    field: str = ""  # what the person must fill in: "signed_by", "approver", "profile"


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
        refusals.append(Refusal("empty quote", "the quote has no lines"))
    if not str(customer.get("name") or "").strip():
        refusals.append(Refusal("empty quote", "the quote names no customer"))
    errors = priced.get("errors") or []
    if errors:
        first = errors[0]
        more = f" (and {len(errors) - 1} more error(s))" if len(errors) > 1 else ""
        refusals.append(Refusal(first["code"], first["message"] + more))
    if seller is not None and not seller.strip():
        refusals.append(
            Refusal(
                "no seller",
                "the reseller profile has no company name to print as the seller",
                "profile",
            )
        )
    by, approver = by.strip(), (approver or "").strip() or None
    if not by:
        refusals.append(
            Refusal("signer", "sign-off needs the name of the person signing off", "signed_by")
        )
    over = discounts_over(quote_file, threshold)
    if over and approver is None:
        line, pct = over[0]
        refusals.append(
            Refusal(
                "approval threshold",
                f"line {line + 1} has a manual discount of {pct}%, above the approval "
                f"threshold of {threshold}%; sign-off needs an approver",
                "approver",
            )
        )
    elif over and approver and by and approver.casefold() == by.casefold():
        refusals.append(
            Refusal(
                "approval threshold",
                f"the approver of a discount above {threshold}% must be someone other "
                "than the person signing off",
                "approver",
            )
        )
    return refusals
