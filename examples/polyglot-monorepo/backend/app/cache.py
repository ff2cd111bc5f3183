"""Read-through cache of orders by id, in Redis when REDIS_URL is set.

The cache is an optimisation, never a source of truth: when Redis fails the
request is served from PostgreSQL and a warning is logged.
"""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any, Protocol

import redis

logger = logging.getLogger(__name__)

KEY_PREFIX = "orders:v1:"


def cache_key(order_id: uuid.UUID) -> str:
    return f"{KEY_PREFIX}{order_id}"


class OrderCache(Protocol):
    def get(self, order_id: uuid.UUID) -> dict[str, Any] | None: ...

    def set(self, order_id: uuid.UUID, value: dict[str, Any]) -> None: ...

    def invalidate(self, order_id: uuid.UUID) -> None: ...


class NullCache:
    """Used when no Redis is configured: every read is a miss."""

    def get(self, order_id: uuid.UUID) -> dict[str, Any] | None:
        return None

    def set(self, order_id: uuid.UUID, value: dict[str, Any]) -> None:
        return None

    def invalidate(self, order_id: uuid.UUID) -> None:
        return None


class KeyValueStore(Protocol):
    """The subset of the redis-py client the cache uses."""

    def get(self, name: str) -> Any: ...

    def set(self, name: str, value: str, ex: int | None = None) -> Any: ...

    def delete(self, *names: str) -> Any: ...


class RedisOrderCache:
    def __init__(self, client: KeyValueStore, ttl_seconds: int) -> None:
        self._client = client
        self._ttl = ttl_seconds

    def get(self, order_id: uuid.UUID) -> dict[str, Any] | None:
        try:
            raw = self._client.get(cache_key(order_id))
        except redis.RedisError as exc:
            logger.warning("cache read failed", extra={"error": str(exc)})
            return None
        if raw is None:
            return None
        try:
            value = json.loads(raw)
        except ValueError:
            logger.warning("cache entry is not JSON; ignoring", extra={"key": cache_key(order_id)})
            return None
        return value if isinstance(value, dict) else None

    def set(self, order_id: uuid.UUID, value: dict[str, Any]) -> None:
        try:
            self._client.set(cache_key(order_id), json.dumps(value), ex=self._ttl)
        except redis.RedisError as exc:
            logger.warning("cache write failed", extra={"error": str(exc)})

    def invalidate(self, order_id: uuid.UUID) -> None:
        try:
            self._client.delete(cache_key(order_id))
        except redis.RedisError as exc:
            logger.warning("cache invalidation failed", extra={"error": str(exc)})
