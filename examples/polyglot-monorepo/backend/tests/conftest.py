"""Shared fixtures.

Integration tests (marked ``integration``) need a PostgreSQL server in DATABASE_URL and
a Redis in REDIS_URL; CI provides both as workflow ``services:``. They are skipped only
when those variables are absent, so ``pytest`` works on a bare laptop too.

Isolation under pytest-xdist: every worker (``gw0``, ``gw1``, ... or ``main`` without
xdist) creates its own database ``<db>_test_<worker>`` on DATABASE_URL's server,
migrates it with Alembic, and drops it at the end of the session.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from alembic import command
from alembic.config import Config
from fastapi.testclient import TestClient
from sqlalchemy import URL, Engine, create_engine, make_url, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

from app.config import Settings, normalize_database_url
from app.main import create_app

BACKEND = Path(__file__).resolve().parent.parent
REQUIRED_ENV = ("DATABASE_URL", "REDIS_URL")


def missing_env() -> list[str]:
    return [name for name in REQUIRED_ENV if not os.environ.get(name)]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    missing = missing_env()
    if not missing:
        return
    skip = pytest.mark.skip(reason=f"integration test: {', '.join(missing)} not set")
    for item in items:
        if item.get_closest_marker("integration") is not None:
            item.add_marker(skip)


def worker_name() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def alembic_config(database_url: str) -> Config:
    cfg = Config(str(BACKEND / "alembic.ini"))
    cfg.attributes["database_url"] = database_url
    cfg.attributes["configure_logger"] = False
    return cfg


@pytest.fixture(scope="session")
def server_url() -> str:
    return normalize_database_url(os.environ["DATABASE_URL"])


def admin_engine(server: URL) -> Engine:
    """An AUTOCOMMIT engine on DATABASE_URL's database, or on the maintenance database
    ``postgres`` when the former does not exist yet."""
    for candidate in (server, server.set(database="postgres")):
        engine = create_engine(candidate, isolation_level="AUTOCOMMIT", poolclass=NullPool)
        try:
            with engine.connect():
                return engine
        except OperationalError:
            engine.dispose()
    raise RuntimeError(f"cannot connect to {server.render_as_string(hide_password=True)}")


@pytest.fixture(scope="session")
def database_url(server_url: str) -> Iterator[str]:
    """A fresh database for this xdist worker, migrated to head with Alembic."""
    server = make_url(server_url)
    name = f"{server.database or 'postgres'}_test_{worker_name()}"
    admin = admin_engine(server)
    quoted = admin.dialect.identifier_preparer.quote(name)
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)"))
        connection.execute(text(f"CREATE DATABASE {quoted}"))
    url = server.set(database=name).render_as_string(hide_password=False)
    command.upgrade(alembic_config(url), "head")
    try:
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)"))
        admin.dispose()


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    eng = create_engine(database_url)
    yield eng
    eng.dispose()


@pytest.fixture(scope="session")
def redis_url() -> str:
    return os.environ["REDIS_URL"]


@pytest.fixture(scope="session")
def redis_client(redis_url: str) -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(redis_url)
    yield client
    client.close()


@pytest.fixture()
def clean_db(engine: Engine) -> Engine:
    with engine.begin() as connection:
        connection.execute(text("TRUNCATE orders, order_items, outbox_events CASCADE"))
    return engine


@pytest.fixture()
def client(clean_db: Engine, database_url: str, redis_url: str) -> Iterator[TestClient]:
    settings = Settings(database_url=database_url, redis_url=redis_url, cache_ttl_seconds=30)
    with TestClient(create_app(settings)) as test_client:
        yield test_client
