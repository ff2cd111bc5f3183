"""Application factory and the ASGI app (`uvicorn app.main:app`)."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import redis
from fastapi import FastAPI, Request, Response
from fastapi.middleware.cors import CORSMiddleware

from app import __version__
from app.api import health, orders
from app.cache import RedisOrderCache
from app.config import Settings
from app.db import make_engine, make_session_factory
from app.logging_config import configure_logging
from app.telemetry import instrument

logger = logging.getLogger("app.access")


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    configure_logging(settings.log_level)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.engine = None
        app.state.session_factory = None
        app.state.redis = None
        app.state.cache = None
        if settings.database_url:
            app.state.engine = make_engine(settings.database_url)
            app.state.session_factory = make_session_factory(app.state.engine)
        if settings.redis_url:
            client = redis.Redis.from_url(
                settings.redis_url, socket_timeout=1.0, socket_connect_timeout=1.0
            )
            app.state.redis = client
            app.state.cache = RedisOrderCache(client, settings.cache_ttl_seconds)
        logging.getLogger("app").info(
            "started",
            extra={
                "version": __version__,
                "database": bool(settings.database_url),
                "redis": bool(settings.redis_url),
            },
        )
        try:
            yield
        finally:
            if app.state.redis is not None:
                app.state.redis.close()
            if app.state.engine is not None:
                app.state.engine.dispose()

    app = FastAPI(title="Orders API", version=__version__, lifespan=lifespan)
    app.include_router(health.router)
    app.include_router(orders.router)
    if settings.cors_origins:
        # For a UI served from another origin (e.g. the Vite dev server on :5173).
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Accept", "Content-Type", "X-Request-ID"],
            expose_headers=["X-Request-ID"],
        )

    @app.middleware("http")
    async def access_log(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        request_id = request.headers.get("x-request-id") or uuid.uuid4().hex
        started = time.perf_counter()
        response = await call_next(request)
        response.headers["x-request-id"] = request_id
        logger.info(
            "request",
            extra={
                "request_id": request_id,
                "method": request.method,
                "path": request.url.path,
                "status_code": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 2),
            },
        )
        return response

    instrument(app, settings)
    return app


app = create_app()
