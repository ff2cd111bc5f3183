import pytest

from app.domain import (
    TRANSITIONS,
    InvalidTransitionError,
    Line,
    OrderStatus,
    can_transition,
    ensure_transition,
    is_terminal,
    total_cents,
)


def test_every_status_has_a_transition_entry() -> None:
    assert set(TRANSITIONS) == set(OrderStatus)


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (OrderStatus.PENDING, OrderStatus.PAID),
        (OrderStatus.PENDING, OrderStatus.CANCELLED),
        (OrderStatus.PAID, OrderStatus.SHIPPED),
        (OrderStatus.PAID, OrderStatus.CANCELLED),
    ],
)
def test_allowed_transitions(current: OrderStatus, target: OrderStatus) -> None:
    assert can_transition(current, target)
    ensure_transition(current, target)


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (OrderStatus.PENDING, OrderStatus.SHIPPED),
        (OrderStatus.PENDING, OrderStatus.PENDING),
        (OrderStatus.SHIPPED, OrderStatus.CANCELLED),
        (OrderStatus.SHIPPED, OrderStatus.PAID),
        (OrderStatus.CANCELLED, OrderStatus.PENDING),
    ],
)
def test_rejected_transitions(current: OrderStatus, target: OrderStatus) -> None:
    assert not can_transition(current, target)
    with pytest.raises(InvalidTransitionError) as info:
        ensure_transition(current, target)
    assert info.value.current is current
    assert info.value.target is target
    assert repr(current.value) in str(info.value)


def test_terminal_error_message_says_none_allowed() -> None:
    with pytest.raises(InvalidTransitionError, match=r"allowed: none"):
        ensure_transition(OrderStatus.SHIPPED, OrderStatus.CANCELLED)


def test_terminal_statuses() -> None:
    assert {s for s in OrderStatus if is_terminal(s)} == {
        OrderStatus.SHIPPED,
        OrderStatus.CANCELLED,
    }


def test_total_sums_lines() -> None:
    assert total_cents([Line("a", 2, 150), Line("b", 1, 99)]) == 399


def test_total_of_no_lines_is_zero() -> None:
    assert total_cents([]) == 0


def test_total_rejects_bad_lines() -> None:
    with pytest.raises(ValueError, match="quantity"):
        total_cents([Line("a", 0, 100)])
    with pytest.raises(ValueError, match="unit price"):
        total_cents([Line("a", 1, -1)])
