"""FastAPI dependencies over the resources built in the application lifespan."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from sqlalchemy.orm import Session, sessionmaker

from app.cache import NullCache, OrderCache


def get_session(request: Request) -> Iterator[Session]:
    factory: sessionmaker[Session] | None = getattr(request.app.state, "session_factory", None)
    if factory is None:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, "database is not configured")
    with factory() as session:
        yield session


def get_cache(request: Request) -> OrderCache:
    cache: OrderCache | None = getattr(request.app.state, "cache", None)
    return cache if cache is not None else NullCache()


SessionDep = Annotated[Session, Depends(get_session)]
CacheDep = Annotated[OrderCache, Depends(get_cache)]
