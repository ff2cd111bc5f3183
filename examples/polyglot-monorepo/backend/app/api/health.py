"""Kubernetes-style probes: liveness never touches dependencies, readiness does."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, Request, Response, status
from sqlalchemy import Engine

from app.db import ping

router = APIRouter(prefix="/health", tags=["health"])
logger = logging.getLogger(__name__)


@router.get("/live")
def live() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/ready")
def ready(request: Request, response: Response) -> dict[str, Any]:
    checks: dict[str, str] = {}
    engine: Engine | None = getattr(request.app.state, "engine", None)
    if engine is None:
        checks["database"] = "not configured"
    else:
        try:
            ping(engine)
            checks["database"] = "ok"
        except Exception as exc:  # any failure means "not ready"
            logger.warning("readiness: database check failed", extra={"error": str(exc)})
            checks["database"] = "error"
    redis_client = getattr(request.app.state, "redis", None)
    if redis_client is None:
        checks["redis"] = "skipped"
    else:
        try:
            redis_client.ping()
            checks["redis"] = "ok"
        except Exception as exc:
            logger.warning("readiness: redis check failed", extra={"error": str(exc)})
            checks["redis"] = "error"
    healthy = checks["database"] == "ok" and checks["redis"] in ("ok", "skipped")
    if not healthy:
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    return {"status": "ok" if healthy else "unavailable", "checks": checks}
