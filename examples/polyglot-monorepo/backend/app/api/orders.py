"""Orders: create, list, get (cached), change status; and the outbox events feed."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, status

from app import service
from app.api.deps import CacheDep, SessionDep
from app.domain import InvalidTransitionError, OrderStatus
from app.schemas import EventOut, OrderCreate, OrderOut, OrderPage, Problem, StatusChange

router = APIRouter(prefix="/api", tags=["orders"])


def _dump(order: Any) -> dict[str, Any]:
    return OrderOut.model_validate(order).model_dump(mode="json")


@router.post("/orders", status_code=status.HTTP_201_CREATED, response_model=OrderOut)
def create_order(payload: OrderCreate, session: SessionDep) -> dict[str, Any]:
    return _dump(service.create_order(session, payload))


@router.get("/orders", response_model=OrderPage)
def list_orders(
    session: SessionDep,
    status_filter: Annotated[OrderStatus | None, Query(alias="status")] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    orders = service.list_orders(session, status=status_filter, limit=limit, offset=offset)
    return {"items": [_dump(o) for o in orders], "limit": limit, "offset": offset}


@router.get(
    "/orders/{order_id}",
    response_model=OrderOut,
    responses={404: {"model": Problem}},
)
def get_order(order_id: uuid.UUID, session: SessionDep, cache: CacheDep) -> dict[str, Any]:
    cached = cache.get(order_id)
    if cached is not None:
        return cached
    try:
        body = _dump(service.get_order(session, order_id))
    except service.OrderNotFoundError as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(exc)) from exc
    cache.set(order_id, body)
    return body


@router.post(
    "/orders/{order_id}/status",
    response_model=OrderOut,
    responses={404: {"model": Problem}, 409: {"model": Problem}},
)
def change_status(
    order_id: uuid.UUID, change: StatusChange, session: SessionDep, cache: CacheDep
) -> dict[str, Any]:
    try:
        order = service.change_status(session, order_id, change.status)
    except service.OrderNotFoundError as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(exc)) from exc
    except InvalidTransitionError as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, str(exc)) from exc
    finally:
        # Invalidate on every attempt: a stale entry must never outlive a write.
        cache.invalidate(order_id)
    return _dump(order)


@router.get("/events", response_model=list[EventOut], tags=["events"])
def list_events(
    session: SessionDep,
    order_id: uuid.UUID | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> list[dict[str, Any]]:
    return [dict(e) for e in service.recent_events(session, limit=limit, order_id=order_id)]
