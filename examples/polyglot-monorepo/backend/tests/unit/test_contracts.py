"""The events this service emits against the JSON Schemas in ../contracts/schemas.

A structural check (keys, required fields, closed objects, status enum) with the
standard library; the contracts package validates its own examples with a full JSON
Schema validator. Skipped when the contracts folder is not beside the backend.
"""

import json
import uuid
from pathlib import Path
from typing import Any

import pytest

from app import events
from app.domain import Line, OrderStatus

SCHEMAS = Path(__file__).resolve().parents[3] / "contracts" / "schemas"

pytestmark = pytest.mark.skipif(not SCHEMAS.is_dir(), reason="no ../contracts/schemas")


def load(name: str) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    return schema


def resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    if ref is None:
        return node
    assert ref.startswith("#/$defs/"), ref
    target: dict[str, Any] = schema["$defs"][ref.removeprefix("#/$defs/")]
    return target


def check_object(schema: dict[str, Any], node: dict[str, Any], value: dict[str, Any]) -> None:
    node = resolve(schema, node)
    assert node.get("type") == "object"
    assert set(node.get("required", [])) <= set(value), "missing required fields"
    if node.get("additionalProperties") is False:
        assert set(value) <= set(node["properties"]), "fields the schema does not allow"
    for key, item in value.items():
        prop = resolve(schema, node["properties"][key])
        if "const" in prop:
            assert item == prop["const"], key
        if "enum" in prop:
            assert item in prop["enum"], key
        if prop.get("type") == "object":
            check_object(schema, prop, item)
        if prop.get("type") == "array":
            for element in item:
                check_object(schema, prop["items"], element)


def test_status_enum_matches_the_contract() -> None:
    for name in ("order.created.v1.json", "order.status_changed.v1.json"):
        assert set(load(name)["$defs"]["status"]["enum"]) == {s.value for s in OrderStatus}


def test_order_created_matches_its_schema() -> None:
    event = events.order_created(
        order_id=uuid.uuid4(),
        customer="Ada Lovelace",
        status=OrderStatus.PENDING,
        total_cents=3998,
        items=[Line("BOOK-1", 2, 1999)],
    )
    schema = load("order.created.v1.json")
    check_object(schema, schema, dict(event))


def test_order_status_changed_matches_its_schema() -> None:
    event = events.order_status_changed(
        order_id=uuid.uuid4(), from_status=OrderStatus.PENDING, to_status=OrderStatus.PAID
    )
    schema = load("order.status_changed.v1.json")
    check_object(schema, schema, dict(event))
