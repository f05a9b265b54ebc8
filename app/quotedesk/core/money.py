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

from quotedesk.core.problems import Invalid, shown

# Bounds on every amount read from a quote or price book (JPY included): with them, and
# the bounded counts and terms of a quote, no total comes near pricing's precision.
MAX_INTEGER_DIGITS = 12
MAX_DECIMAL_PLACES = 8

ZERO = Decimal(0)
HUNDRED = Decimal(100)


class NotADecimal(Invalid):
    """A money or percentage value that is not an exact decimal string."""


class FloatLiteral(str):
    """A JSON number with a fraction or exponent (json's parse_float), kept as its text
    so it never passes through float, and refused where a decimal string is wanted."""

    def __repr__(self) -> str:
        return str(self)


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
    """Read an amount given as a JSON string ("1500.00") or integer, within
    MAX_INTEGER_DIGITS and MAX_DECIMAL_PLACES; floats are refused because a binary float
    cannot hold most cent values exactly."""
    if isinstance(value, (bool, float, FloatLiteral)):
        raise NotADecimal("R-INPUT.float_literal", value=value)
    if isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, str):
        text = value.strip()
        try:
            result = Decimal(text)
        except InvalidOperation:
            raise NotADecimal("R-INPUT.not_decimal", value=shown(value)) from None
        if not result.is_finite() or "e" in text.lower():
            raise NotADecimal("R-INPUT.not_plain_decimal", value=shown(value))
    else:
        raise NotADecimal("R-INPUT.not_decimal", value=shown(value))
    if result.adjusted() >= MAX_INTEGER_DIGITS:
        raise NotADecimal("R-INPUT.too_many_digits", value=shown(value), max=MAX_INTEGER_DIGITS)
    if result.as_tuple().exponent < -MAX_DECIMAL_PLACES:  # type: ignore[operator]
        raise NotADecimal("R-INPUT.too_many_places", value=shown(value), max=MAX_DECIMAL_PLACES)
    return result


def percent_of(amount: Decimal, pct: Decimal) -> Decimal:
    """Unrounded `pct` percent of `amount`."""
    return amount * pct / HUNDRED
