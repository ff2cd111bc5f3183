"""The HTTP layer without any backing service: probes, 503s, validation, headers."""

import sys
import types
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app
from app.telemetry import instrument

UNREACHABLE_DB = "postgresql+psycopg://nobody@127.0.0.1:1/nothing?connect_timeout=1"
UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"


@pytest.fixture()
def bare() -> Iterator[TestClient]:
    with TestClient(create_app(Settings(database_url=None, redis_url=None))) as client:
        yield client


def test_live_is_always_ok(bare: TestClient) -> None:
    response = bare.get("/health/live")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_request_id_is_echoed_or_generated(bare: TestClient) -> None:
    assert bare.get("/health/live", headers={"x-request-id": "r-1"}).headers["x-request-id"] == (
        "r-1"
    )
    assert len(bare.get("/health/live").headers["x-request-id"]) == 32


def test_ready_without_database_is_503(bare: TestClient) -> None:
    response = bare.get("/health/ready")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": "not configured", "redis": "skipped"},
    }


def test_ready_with_unreachable_services_is_503() -> None:
    settings = Settings(database_url=UNREACHABLE_DB, redis_url=UNREACHABLE_REDIS)
    with TestClient(create_app(settings)) as client:
        response = client.get("/health/ready")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "error", "redis": "error"}


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/orders"),
        ("GET", "/api/orders/00000000-0000-0000-0000-000000000001"),
        ("GET", "/api/events"),
    ],
)
def test_data_routes_need_a_database(bare: TestClient, method: str, path: str) -> None:
    response = bare.request(method, path)
    assert response.status_code == 503
    assert response.json() == {"detail": "database is not configured"}


def test_openapi_lists_the_routes(bare: TestClient) -> None:
    paths = bare.get("/openapi.json").json()["paths"]
    assert {
        "/health/live",
        "/health/ready",
        "/api/orders",
        "/api/orders/{order_id}",
        "/api/orders/{order_id}/status",
        "/api/events",
    } <= set(paths)


def test_cors_is_off_by_default(bare: TestClient) -> None:
    response = bare.get("/health/live", headers={"Origin": "http://localhost:5173"})
    assert "access-control-allow-origin" not in response.headers


def test_cors_allows_configured_origins() -> None:
    settings = Settings(database_url=None, redis_url=None, cors_origins=("http://localhost:5173",))
    with TestClient(create_app(settings)) as client:
        preflight = client.options(
            "/api/orders",
            headers={
                "Origin": "http://localhost:5173",
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "content-type",
            },
        )
        assert preflight.status_code == 200
        assert preflight.headers["access-control-allow-origin"] == "http://localhost:5173"
        other = client.get("/health/live", headers={"Origin": "http://evil.example"})
        assert "access-control-allow-origin" not in other.headers


def test_telemetry_off_without_endpoint() -> None:
    assert instrument(FastAPI(), Settings(database_url=None, redis_url=None)) is False


def test_telemetry_off_when_package_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "opentelemetry.instrumentation.fastapi", None)
    settings = Settings(database_url=None, redis_url=None, otlp_endpoint="http://c:4318")
    assert instrument(FastAPI(), settings) is False


def test_telemetry_on_when_package_present(monkeypatch: pytest.MonkeyPatch) -> None:
    instrumented: list[FastAPI] = []

    class FakeInstrumentor:
        @staticmethod
        def instrument_app(app: FastAPI) -> None:
            instrumented.append(app)

    module = types.ModuleType("opentelemetry.instrumentation.fastapi")
    module.FastAPIInstrumentor = FakeInstrumentor  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "opentelemetry.instrumentation.fastapi", module)
    app = FastAPI()
    settings = Settings(database_url=None, redis_url=None, otlp_endpoint="http://c:4318")
    assert instrument(app, settings) is True
    assert instrumented == [app]


def test_module_level_app_exists() -> None:
    from app.main import app

    assert isinstance(app, FastAPI)
