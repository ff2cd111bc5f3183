"""Pure order rules: statuses, allowed transitions and totals (no I/O).

Lifecycle: pending -> paid -> shipped; pending or paid -> cancelled.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class OrderStatus(StrEnum):
    PENDING = "pending"
    PAID = "paid"
    SHIPPED = "shipped"
    CANCELLED = "cancelled"


TRANSITIONS: dict[OrderStatus, frozenset[OrderStatus]] = {
    OrderStatus.PENDING: frozenset({OrderStatus.PAID, OrderStatus.CANCELLED}),
    OrderStatus.PAID: frozenset({OrderStatus.SHIPPED, OrderStatus.CANCELLED}),
    OrderStatus.SHIPPED: frozenset(),
    OrderStatus.CANCELLED: frozenset(),
}


class InvalidTransitionError(ValueError):
    def __init__(self, current: OrderStatus, target: OrderStatus) -> None:
        allowed = ", ".join(sorted(TRANSITIONS[current])) or "none"
        super().__init__(
            f"cannot move an order from {current.value!r} to {target.value!r} (allowed: {allowed})"
        )
        self.current = current
        self.target = target


def can_transition(current: OrderStatus, target: OrderStatus) -> bool:
    return target in TRANSITIONS[current]


def ensure_transition(current: OrderStatus, target: OrderStatus) -> None:
    if not can_transition(current, target):
        raise InvalidTransitionError(current, target)


def is_terminal(status: OrderStatus) -> bool:
    return not TRANSITIONS[status]


@dataclass(frozen=True)
class Line:
    sku: str
    quantity: int
    unit_price_cents: int


def total_cents(lines: Iterable[Line]) -> int:
    """Sum of quantity x unit price over the lines, in cents."""
    total = 0
    for line in lines:
        if line.quantity <= 0:
            raise ValueError(f"quantity of {line.sku!r} must be positive")
        if line.unit_price_cents < 0:
            raise ValueError(f"unit price of {line.sku!r} must not be negative")
        total += line.quantity * line.unit_price_cents
    return total
