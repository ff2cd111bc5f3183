"""Optional OpenTelemetry: on only when OTEL_EXPORTER_OTLP_ENDPOINT is set and the
instrumentation package is installed (it is not a dependency of this service; in
Kubernetes the OpenTelemetry Operator injects it)."""

from __future__ import annotations

import importlib
import logging

from fastapi import FastAPI

from app.config import Settings

logger = logging.getLogger(__name__)


def instrument(app: FastAPI, settings: Settings) -> bool:
    if not settings.otlp_endpoint:
        return False
    try:
        module = importlib.import_module("opentelemetry.instrumentation.fastapi")
    except ImportError:
        logger.info(
            "OTEL_EXPORTER_OTLP_ENDPOINT is set but opentelemetry-instrumentation-fastapi "
            "is not installed; tracing stays off"
        )
        return False
    module.FastAPIInstrumentor.instrument_app(app)
    logger.info("OpenTelemetry instrumentation enabled", extra={"endpoint": settings.otlp_endpoint})
    return True
