import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest

from app import events
from app.domain import Line, OrderStatus


def test_rfc3339_is_utc_with_z() -> None:
    moment = datetime(2026, 1, 31, 13, 0, 0, 123456, tzinfo=timezone(timedelta(hours=1)))
    assert events.rfc3339(moment) == "2026-01-31T12:00:00.123456Z"


def test_rfc3339_rejects_naive_datetimes() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        events.rfc3339(datetime(2026, 1, 1))


def test_envelope_shape() -> None:
    event_id = uuid.uuid4()
    env = events.envelope(
        "x.happened", {"k": 1}, event_id=event_id, occurred_at=datetime(2026, 1, 1, tzinfo=UTC)
    )
    assert env == {
        "type": "x.happened",
        "version": 1,
        "id": str(event_id),
        "occurred_at": "2026-01-01T00:00:00.000000Z",
        "data": {"k": 1},
    }


def test_envelope_defaults_id_and_time() -> None:
    env = events.envelope("x", {})
    uuid.UUID(env["id"])
    parsed = datetime.fromisoformat(env["occurred_at"])
    assert abs(datetime.now(UTC) - parsed) < timedelta(seconds=5)


def test_order_created_data() -> None:
    order_id = uuid.uuid4()
    env = events.order_created(
        order_id=order_id,
        customer="Ada Lovelace",
        status=OrderStatus.PENDING,
        total_cents=300,
        items=[Line("sku-1", 3, 100)],
    )
    assert env["type"] == "order.created"
    assert env["version"] == 1
    assert env["data"] == {
        "order_id": str(order_id),
        "customer": "Ada Lovelace",
        "items": [{"sku": "sku-1", "quantity": 3, "unit_price_cents": 100}],
        "total_cents": 300,
        "status": "pending",
    }


def test_order_status_changed_data() -> None:
    order_id = uuid.uuid4()
    env = events.order_status_changed(
        order_id=order_id, from_status=OrderStatus.PAID, to_status=OrderStatus.SHIPPED
    )
    assert env["type"] == "order.status_changed"
    assert env["data"] == {
        "order_id": str(order_id),
        "from": "paid",
        "to": "shipped",
    }


def test_outbox_row_round_trips_the_envelope() -> None:
    from app.models import OutboxEvent

    env = events.order_status_changed(
        order_id=uuid.uuid4(), from_status=OrderStatus.PENDING, to_status=OrderStatus.CANCELLED
    )
    row = OutboxEvent.from_envelope(env, uuid.UUID(env["data"]["order_id"]))
    assert row.published_at is None
    assert row.to_envelope() == env
