"""Request and response models of the HTTP API."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from app.domain import OrderStatus

Sku = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")]


class OrderItemIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sku: Sku
    quantity: Annotated[int, Field(gt=0, le=10_000)]
    unit_price_cents: Annotated[int, Field(ge=0, le=100_000_000)]


class OrderCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    customer: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    items: Annotated[list[OrderItemIn], Field(min_length=1, max_length=100)]


class OrderItemOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    sku: str
    quantity: int
    unit_price_cents: int


class OrderOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    customer: str
    status: OrderStatus
    items: list[OrderItemOut]
    total_cents: int
    created_at: datetime
    updated_at: datetime


class OrderPage(BaseModel):
    items: list[OrderOut]
    limit: int
    offset: int


class StatusChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: OrderStatus


class EventOut(BaseModel):
    type: str
    version: int
    id: uuid.UUID
    occurred_at: str
    data: dict[str, Any]


class Problem(BaseModel):
    detail: str
