"""Exact money arithmetic: `Decimal` only, rounded half-up at named points.

>>> round_money(Decimal("49.572"), 2)
Decimal('49.57')
>>> round_money(Decimal("2.5"), 0)
Decimal('3')
>>> format_amount(Decimal("-0.00"))
'0.00'
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

ZERO = Decimal(0)
HUNDRED = Decimal(100)


class NotADecimal(ValueError):
    """A money or percentage value that is not an exact decimal string."""


_QUANTUM = {places: Decimal(1).scaleb(-places) for places in range(5)}


def round_money(amount: Decimal, places: int) -> Decimal:
    """Round half-up (ties away from zero) to `places` decimals."""
    return amount.quantize(_QUANTUM[places], rounding=ROUND_HALF_UP)


def format_amount(amount: Decimal) -> str:
    """Plain decimal string, never exponent notation, never "-0"."""
    if amount == 0:
        amount = abs(amount)
    return format(amount, "f")


def parse_decimal(value: object) -> Decimal:
    """Read an amount given as a JSON string ("1500.00") or integer; floats are refused
    because a binary float cannot hold most cent values exactly."""
    if isinstance(value, (bool, float)):
        raise NotADecimal(f'{value!r} must be written as a string, e.g. "1500.00"')
    if isinstance(value, int):
        return Decimal(value)
    if not isinstance(value, str):
        raise NotADecimal(f"{value!r} is not a decimal number")
    text = value.strip()
    try:
        result = Decimal(text)
    except InvalidOperation:
        raise NotADecimal(f"{value!r} is not a decimal number") from None
    if not result.is_finite() or "e" in text.lower():
        raise NotADecimal(f"{value!r} is not a plain decimal number")
    return result


def percent_of(amount: Decimal, pct: Decimal) -> Decimal:
    """Unrounded `pct` percent of `amount`."""
    return amount * pct / HUNDRED
