"""Order totals for the orders API."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Line:
    sku: str
    quantity: int
    unit_cents: int


def total_cents(lines: list[Line], discount_percent: int = 0) -> int:
    if not 0 <= discount_percent <= 100:
        raise ValueError("discount_percent must be between 0 and 100")
    gross = sum(line.quantity * line.unit_cents for line in lines)
    return gross - (gross * discount_percent) // 100
