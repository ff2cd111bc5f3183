import pytest

from app.config import Settings, normalize_database_url


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u:p@h:5432/db", "postgresql+psycopg://u:p@h:5432/db"),
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql+psycopg2://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite://", "sqlite://"),
    ],
)
def test_normalize_database_url(given: str, expected: str) -> None:
    assert normalize_database_url(given) == expected


def test_from_env_defaults() -> None:
    settings = Settings.from_env({})
    assert settings == Settings(database_url=None, redis_url=None)
    assert settings.cache_ttl_seconds == 60
    assert settings.log_level == "INFO"


def test_from_env_reads_everything() -> None:
    settings = Settings.from_env(
        {
            "DATABASE_URL": "postgres://u@db/orders",
            "REDIS_URL": "redis://cache:6379/0",
            "CACHE_TTL_SECONDS": "5",
            "LOG_LEVEL": "debug",
            "OTEL_SERVICE_NAME": "orders",
            "OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318",
            "CORS_ORIGINS": "http://localhost:5173, https://ui.example ,",
        }
    )
    assert settings.database_url == "postgresql+psycopg://u@db/orders"
    assert settings.redis_url == "redis://cache:6379/0"
    assert settings.cache_ttl_seconds == 5
    assert settings.log_level == "DEBUG"
    assert settings.service_name == "orders"
    assert settings.otlp_endpoint == "http://collector:4318"
    assert settings.cors_origins == ("http://localhost:5173", "https://ui.example")


def test_empty_values_count_as_unset() -> None:
    settings = Settings.from_env({"DATABASE_URL": "", "REDIS_URL": "", "CACHE_TTL_SECONDS": " "})
    assert settings.database_url is None
    assert settings.redis_url is None
    assert settings.cache_ttl_seconds == 60


def test_from_os_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CACHE_TTL_SECONDS", "7")
    assert Settings.from_env().cache_ttl_seconds == 7


@pytest.mark.parametrize(("raw", "message"), [("abc", "integer"), ("0", "positive")])
def test_bad_ttl(raw: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Settings.from_env({"CACHE_TTL_SECONDS": raw})
