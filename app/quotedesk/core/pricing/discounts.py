"""Discounts (R-DISC-*): program → partner → manual, each on what the ones before left.

>>> from decimal import Decimal as D
>>> discounts, net = chain(D("4000.00"), [("program", D(75), "R"), ("partner", D(10), "R")], 2)
>>> [d.amount for d in discounts], net
([Decimal('3000.00'), Decimal('100.00')], Decimal('900.00'))
"""

from __future__ import annotations

from decimal import Decimal

from quotedesk.core.money import percent_of, round_money
from quotedesk.core.priced import Discount
from quotedesk.core.pricing.lines import ResolvedLine
from quotedesk.core.problems import ProblemLog
from quotedesk.core.rules import Grant, Program

Step = tuple[str, Decimal, str]  # kind, percent, rule


def chain(
    list_price: Decimal, steps: list[Step], places: int
) -> tuple[tuple[Discount, ...], Decimal]:
    """Apply each percentage to what is left after the previous ones, rounding each
    discount half-up; a step that takes nothing is not shown. Returns the discounts and
    the net amount left after them."""
    left = list_price
    out = []
    for kind, pct, rule in steps:
        amount = round_money(percent_of(left, pct), places)
        if amount == 0:
            continue
        out.append(Discount(kind, pct, amount, rule))
        left -= amount
    return tuple(out), left


def program_grant(
    program: Program, r: ResolvedLine, tier_max: int | None, log: ProblemLog
) -> Grant | None:
    """The program's discount for a line, or None with a warning saying why not."""
    blocked_by = None
    for grant in program.grants:
        if not _matches(grant, r):
            continue
        if grant.tier_above is not None and tier_max is not None and tier_max <= grant.tier_above:
            blocked_by = grant
            continue
        return grant
    if blocked_by is not None and blocked_by.otherwise:
        log.warn(program.rule, blocked_by.otherwise, r.index, users=blocked_by.tier_above)
    else:
        log.warn(program.rule, program.not_eligible, r.index, name=r.name)
    return None


def _matches(grant: Grant, r: ResolvedLine) -> bool:
    if grant.deployment != r.deployment:
        return False
    if r.is_app:
        if "app" not in grant.products:
            return False
        if grant.parent is not None and r.family not in grant.parent:
            return False
        if grant.parent_not is not None and r.family in grant.parent_not:
            return False
    elif r.product not in grant.products and "*" not in grant.products:
        return False
    if grant.editions is not None and r.edition not in grant.editions:
        return False
    return grant.billing is None or grant.billing == r.billing
