"""Use cases: each one is a single database transaction (state change + outbox event)."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import events
from app.domain import Line, OrderStatus, ensure_transition, total_cents
from app.models import Order, OrderItem, OutboxEvent, utcnow
from app.schemas import OrderCreate

logger = logging.getLogger(__name__)


class OrderNotFoundError(LookupError):
    def __init__(self, order_id: uuid.UUID) -> None:
        super().__init__(f"order {order_id} not found")
        self.order_id = order_id


def _emit(session: Session, event: events.Envelope, aggregate_id: uuid.UUID) -> None:
    session.add(OutboxEvent.from_envelope(event, aggregate_id))


def _log_emitted(event: events.Envelope) -> None:
    logger.info("event emitted", extra={"event": event})


def create_order(session: Session, payload: OrderCreate) -> Order:
    lines = [Line(it.sku, it.quantity, it.unit_price_cents) for it in payload.items]
    now = utcnow()
    order = Order(
        id=uuid.uuid4(),
        customer=payload.customer,
        status=OrderStatus.PENDING,
        total_cents=total_cents(lines),
        created_at=now,
        updated_at=now,
        items=[
            OrderItem(
                position=i, sku=li.sku, quantity=li.quantity, unit_price_cents=li.unit_price_cents
            )
            for i, li in enumerate(lines)
        ],
    )
    session.add(order)
    event = events.order_created(
        order_id=order.id,
        customer=order.customer,
        status=order.status,
        total_cents=order.total_cents,
        items=lines,
        occurred_at=now,
    )
    _emit(session, event, order.id)
    session.commit()
    _log_emitted(event)
    return order


def get_order(session: Session, order_id: uuid.UUID) -> Order:
    order = session.get(Order, order_id)
    if order is None:
        raise OrderNotFoundError(order_id)
    return order


def list_orders(
    session: Session, *, status: OrderStatus | None, limit: int, offset: int
) -> Sequence[Order]:
    query = select(Order).order_by(Order.created_at.desc(), Order.id).limit(limit).offset(offset)
    if status is not None:
        query = query.where(Order.status == status)
    return session.scalars(query).all()


def change_status(session: Session, order_id: uuid.UUID, target: OrderStatus) -> Order:
    """Move an order to ``target``; the row is locked so concurrent changes serialise."""
    order = session.get(Order, order_id, with_for_update=True)
    if order is None:
        raise OrderNotFoundError(order_id)
    current = order.status
    ensure_transition(current, target)
    order.status = target
    event = events.order_status_changed(order_id=order.id, from_status=current, to_status=target)
    _emit(session, event, order.id)
    session.commit()
    _log_emitted(event)
    return order


def recent_events(
    session: Session, *, limit: int, order_id: uuid.UUID | None = None
) -> list[events.Envelope]:
    query = select(OutboxEvent).order_by(OutboxEvent.occurred_at.desc()).limit(limit)
    if order_id is not None:
        query = query.where(OutboxEvent.aggregate_id == order_id)
    return [row.to_envelope() for row in session.scalars(query)]
