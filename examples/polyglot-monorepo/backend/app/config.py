"""Settings read from the environment (twelve-factor style, no extra dependency)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

_SYNC_DRIVER = "postgresql+psycopg"


def normalize_database_url(url: str) -> str:
    """Return a SQLAlchemy URL that uses the psycopg (v3) driver.

    CI services and libpq tools hand out ``postgres://`` or ``postgresql://`` URLs;
    SQLAlchemy would pick psycopg2 for those, which this service does not ship.
    """
    for prefix in ("postgresql+psycopg2://", "postgresql://", "postgres://"):
        if url.startswith(prefix):
            return _SYNC_DRIVER + "://" + url[len(prefix) :]
    return url


def _positive_int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ValueError(f"{name} must be an integer, got {raw!r}") from exc
    if value <= 0:
        raise ValueError(f"{name} must be positive, got {value}")
    return value


@dataclass(frozen=True)
class Settings:
    database_url: str | None
    redis_url: str | None
    cache_ttl_seconds: int = 60
    log_level: str = "INFO"
    service_name: str = "orders-backend"
    otlp_endpoint: str | None = None
    cors_origins: tuple[str, ...] = ()

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        source = os.environ if env is None else env
        database_url = source.get("DATABASE_URL") or None
        return cls(
            database_url=normalize_database_url(database_url) if database_url else None,
            redis_url=source.get("REDIS_URL") or None,
            cache_ttl_seconds=_positive_int(source, "CACHE_TTL_SECONDS", 60),
            log_level=(source.get("LOG_LEVEL") or "INFO").upper(),
            service_name=source.get("OTEL_SERVICE_NAME") or "orders-backend",
            otlp_endpoint=source.get("OTEL_EXPORTER_OTLP_ENDPOINT") or None,
            cors_origins=tuple(
                o.strip() for o in (source.get("CORS_ORIGINS") or "").split(",") if o.strip()
            ),
        )
