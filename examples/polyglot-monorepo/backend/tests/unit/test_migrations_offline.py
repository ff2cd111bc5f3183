"""Alembic in offline mode renders the migration as SQL without any database."""

import pytest
from alembic import command

from tests.conftest import alembic_config

URL = "postgresql://nobody@db.invalid/orders"


def test_upgrade_renders_the_schema(capsys: pytest.CaptureFixture[str]) -> None:
    command.upgrade(alembic_config(URL), "head", sql=True)
    sql = capsys.readouterr().out
    for table in ("orders", "order_items", "outbox_events"):
        assert f"CREATE TABLE {table} (" in sql
    assert "CONSTRAINT ck_orders_status_valid CHECK" in sql
    assert "data JSONB NOT NULL" in sql
    assert "CREATE INDEX ix_outbox_events_unpublished" in sql
    assert "WHERE published_at IS NULL" in sql


def test_downgrade_renders_drops(capsys: pytest.CaptureFixture[str]) -> None:
    command.downgrade(alembic_config(URL), "0001:base", sql=True)
    sql = capsys.readouterr().out
    assert sql.index("DROP TABLE outbox_events") < sql.index("DROP TABLE orders")


def test_url_comes_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = alembic_config(URL)
    del cfg.attributes["database_url"]
    monkeypatch.setenv("DATABASE_URL", "postgres://nobody@db.invalid/orders")
    command.upgrade(cfg, "head", sql=True)
    assert "CREATE TABLE orders" in capsys.readouterr().out


def test_missing_url_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = alembic_config(URL)
    del cfg.attributes["database_url"]
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with pytest.raises(RuntimeError, match="DATABASE_URL is not set"):
        command.upgrade(cfg, "head", sql=True)
