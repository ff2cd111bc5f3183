"""Domain events: versioned JSON envelopes (see ../contracts/*.v1.json).

Every event has the shape::

    {"type": "order.created", "version": 1, "id": "<uuid>",
     "occurred_at": "<RFC 3339, UTC>", "data": {...}}

They are written to the ``outbox_events`` table in the same transaction as the
change they describe (transactional outbox), and logged as JSON.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, TypedDict

from app.domain import Line, OrderStatus

ORDER_CREATED = "order.created"
ORDER_STATUS_CHANGED = "order.status_changed"
EVENT_VERSION = 1


class Envelope(TypedDict):
    type: str
    version: int
    id: str
    occurred_at: str
    data: dict[str, Any]


def rfc3339(moment: datetime) -> str:
    """UTC timestamp with a ``Z`` suffix, e.g. ``2026-01-31T12:00:00.123456Z``."""
    if moment.tzinfo is None:
        raise ValueError("timestamps must be timezone-aware")
    return moment.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def envelope(
    event_type: str,
    data: dict[str, Any],
    *,
    event_id: uuid.UUID | None = None,
    occurred_at: datetime | None = None,
) -> Envelope:
    return {
        "type": event_type,
        "version": EVENT_VERSION,
        "id": str(event_id or uuid.uuid4()),
        "occurred_at": rfc3339(occurred_at or datetime.now(UTC)),
        "data": data,
    }


def order_created(
    *,
    order_id: uuid.UUID,
    customer: str,
    status: OrderStatus,
    total_cents: int,
    items: Iterable[Line],
    occurred_at: datetime | None = None,
) -> Envelope:
    return envelope(
        ORDER_CREATED,
        {
            "order_id": str(order_id),
            "customer": customer,
            "items": [
                {
                    "sku": line.sku,
                    "quantity": line.quantity,
                    "unit_price_cents": line.unit_price_cents,
                }
                for line in items
            ],
            "total_cents": total_cents,
            "status": status.value,
        },
        occurred_at=occurred_at,
    )


def order_status_changed(
    *,
    order_id: uuid.UUID,
    from_status: OrderStatus,
    to_status: OrderStatus,
    occurred_at: datetime | None = None,
) -> Envelope:
    return envelope(
        ORDER_STATUS_CHANGED,
        {
            "order_id": str(order_id),
            "from": from_status.value,
            "to": to_status.value,
        },
        occurred_at=occurred_at,
    )
