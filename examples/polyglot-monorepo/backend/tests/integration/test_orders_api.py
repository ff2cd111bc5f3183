"""The API end to end against real PostgreSQL and Redis."""

import json
import uuid
from typing import Any

import pytest
import redis
from fastapi.testclient import TestClient

from app.cache import cache_key

pytestmark = pytest.mark.integration

ORDER = {
    "customer": "Ada Lovelace",
    "items": [
        {"sku": "BOOK-1", "quantity": 2, "unit_price_cents": 1500},
        {"sku": "PEN-7", "quantity": 1, "unit_price_cents": 250},
    ],
}


def create(client: TestClient, **overrides: Any) -> dict[str, Any]:
    response = client.post("/api/orders", json={**ORDER, **overrides})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def test_ready_with_both_services(client: TestClient) -> None:
    response = client.get("/health/ready")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "redis": "ok"}}


def test_create_computes_total_and_keeps_item_order(client: TestClient) -> None:
    order = create(client, customer="  Ada Lovelace ")
    uuid.UUID(order["id"])
    assert order["customer"] == "Ada Lovelace"
    assert order["status"] == "pending"
    assert order["total_cents"] == 3250
    assert [item["sku"] for item in order["items"]] == ["BOOK-1", "PEN-7"]
    assert order["created_at"] == order["updated_at"]


@pytest.mark.parametrize(
    "payload",
    [
        {**ORDER, "items": []},
        {**ORDER, "customer": "   "},
        {**ORDER, "customer": "x" * 201},
        {**ORDER, "items": [{"sku": "X", "quantity": 0, "unit_price_cents": 1}]},
        {**ORDER, "items": [{"sku": "X", "quantity": 1}]},
        {**ORDER, "unexpected": True},
    ],
)
def test_create_validates(client: TestClient, payload: dict[str, Any]) -> None:
    assert client.post("/api/orders", json=payload).status_code == 422


def test_get_reads_through_the_cache(client: TestClient, redis_client: redis.Redis) -> None:
    order = create(client)
    oid = uuid.UUID(order["id"])
    assert redis_client.get(cache_key(oid)) is None
    first = client.get(f"/api/orders/{oid}")
    assert first.status_code == 200
    assert first.json() == order
    assert redis_client.get(cache_key(oid)) is not None
    assert 0 < int(redis_client.ttl(cache_key(oid))) <= 30
    # A second read is served from Redis, not PostgreSQL: prove it with a marked entry.
    redis_client.set(cache_key(oid), json.dumps({**order, "customer": "from-cache"}))
    assert client.get(f"/api/orders/{oid}").json()["customer"] == "from-cache"


def test_get_unknown_is_404(client: TestClient) -> None:
    response = client.get(f"/api/orders/{uuid.uuid4()}")
    assert response.status_code == 404
    assert "not found" in response.json()["detail"]
    assert client.get("/api/orders/not-a-uuid").status_code == 422


def test_status_lifecycle_invalidates_cache_and_emits_events(
    client: TestClient, redis_client: redis.Redis
) -> None:
    order = create(client)
    oid = order["id"]
    client.get(f"/api/orders/{oid}")  # warm the cache
    assert redis_client.exists(cache_key(uuid.UUID(oid)))

    for target in ("paid", "shipped"):
        response = client.post(f"/api/orders/{oid}/status", json={"status": target})
        assert response.status_code == 200, response.text
        assert response.json()["status"] == target
        assert not redis_client.exists(cache_key(uuid.UUID(oid)))
        assert client.get(f"/api/orders/{oid}").json()["status"] == target

    events = client.get("/api/events", params={"order_id": oid}).json()
    assert [(e["type"], e["version"]) for e in reversed(events)] == [
        ("order.created", 1),
        ("order.status_changed", 1),
        ("order.status_changed", 1),
    ]
    changes = [e["data"] for e in reversed(events) if e["type"] == "order.status_changed"]
    assert changes == [
        {"order_id": oid, "from": "pending", "to": "paid"},
        {"order_id": oid, "from": "paid", "to": "shipped"},
    ]
    created = events[-1]
    assert created["data"] == {
        "order_id": oid,
        "customer": "Ada Lovelace",
        "items": [
            {"sku": "BOOK-1", "quantity": 2, "unit_price_cents": 1500},
            {"sku": "PEN-7", "quantity": 1, "unit_price_cents": 250},
        ],
        "total_cents": 3250,
        "status": "pending",
    }
    assert created["occurred_at"].endswith("Z")
    uuid.UUID(created["id"])


def test_invalid_transition_is_409_and_changes_nothing(client: TestClient) -> None:
    oid = create(client)["id"]
    response = client.post(f"/api/orders/{oid}/status", json={"status": "shipped"})
    assert response.status_code == 409
    assert "cannot move an order from 'pending' to 'shipped'" in response.json()["detail"]
    assert client.get(f"/api/orders/{oid}").json()["status"] == "pending"
    assert len(client.get("/api/events", params={"order_id": oid}).json()) == 1


def test_status_change_errors(client: TestClient) -> None:
    missing = client.post(f"/api/orders/{uuid.uuid4()}/status", json={"status": "paid"})
    assert missing.status_code == 404
    oid = create(client)["id"]
    assert client.post(f"/api/orders/{oid}/status", json={"status": "lost"}).status_code == 422


def test_list_filters_and_paginates(client: TestClient) -> None:
    ids = [create(client, customer=f"customer {i}")["id"] for i in range(5)]
    client.post(f"/api/orders/{ids[0]}/status", json={"status": "cancelled"})

    page = client.get("/api/orders", params={"limit": 2}).json()
    assert page["limit"] == 2 and page["offset"] == 0
    assert [o["id"] for o in page["items"]] == ids[::-1][:2]  # newest first
    rest = client.get("/api/orders", params={"limit": 10, "offset": 2}).json()["items"]
    assert [o["id"] for o in rest] == ids[::-1][2:]

    cancelled = client.get("/api/orders", params={"status": "cancelled"}).json()["items"]
    assert [o["id"] for o in cancelled] == [ids[0]]
    assert client.get("/api/orders", params={"limit": 0}).status_code == 422
    assert client.get("/api/orders", params={"status": "nope"}).status_code == 422


def test_events_feed_is_newest_first(client: TestClient) -> None:
    first = create(client)["id"]
    second = create(client)["id"]
    feed = client.get("/api/events", params={"limit": 2}).json()
    assert [e["data"]["order_id"] for e in feed] == [second, first]
