import json
import logging
import uuid
from typing import Any

import pytest
import redis

from app.cache import NullCache, RedisOrderCache, cache_key


class DictStore:
    """An in-memory stand-in with the three redis-py calls the cache uses."""

    def __init__(self) -> None:
        self.data: dict[str, str] = {}
        self.ttls: dict[str, int | None] = {}

    def get(self, name: str) -> Any:
        return self.data.get(name)

    def set(self, name: str, value: str, ex: int | None = None) -> Any:
        self.data[name] = value
        self.ttls[name] = ex
        return True

    def delete(self, *names: str) -> Any:
        for name in names:
            self.data.pop(name, None)
        return len(names)


class BrokenStore:
    def get(self, name: str) -> Any:
        raise redis.ConnectionError("down")

    def set(self, name: str, value: str, ex: int | None = None) -> Any:
        raise redis.ConnectionError("down")

    def delete(self, *names: str) -> Any:
        raise redis.TimeoutError("slow")


def test_key_is_versioned() -> None:
    oid = uuid.UUID(int=1)
    assert cache_key(oid) == "orders:v1:00000000-0000-0000-0000-000000000001"


def test_round_trip_with_ttl() -> None:
    store = DictStore()
    cache = RedisOrderCache(store, ttl_seconds=30)
    oid = uuid.uuid4()
    assert cache.get(oid) is None
    cache.set(oid, {"id": str(oid), "total_cents": 5})
    assert cache.get(oid) == {"id": str(oid), "total_cents": 5}
    assert store.ttls[cache_key(oid)] == 30
    cache.invalidate(oid)
    assert cache.get(oid) is None


@pytest.mark.parametrize("raw", ["not json", json.dumps([1, 2])])
def test_corrupt_entries_are_misses(raw: str) -> None:
    store = DictStore()
    oid = uuid.uuid4()
    store.data[cache_key(oid)] = raw
    assert RedisOrderCache(store, 30).get(oid) is None


def test_redis_failures_degrade_to_misses(caplog: pytest.LogCaptureFixture) -> None:
    cache = RedisOrderCache(BrokenStore(), 30)
    oid = uuid.uuid4()
    with caplog.at_level(logging.WARNING, logger="app.cache"):
        assert cache.get(oid) is None
        cache.set(oid, {})
        cache.invalidate(oid)
    assert [r.getMessage() for r in caplog.records] == [
        "cache read failed",
        "cache write failed",
        "cache invalidation failed",
    ]


def test_null_cache() -> None:
    cache = NullCache()
    oid = uuid.uuid4()
    cache.set(oid, {"a": 1})
    cache.invalidate(oid)
    assert cache.get(oid) is None
