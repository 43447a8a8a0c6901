"""What handlers receive by dependency injection: the Redis client and the settings.

The client is made in the app's lifespan and kept on ``app.state``; handlers never build one.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

import redis
from litestar import Litestar
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide

from api.settings import Settings

STATE_KEY = "redis"

Db = NamedDependency[redis.Redis]
"""A handler parameter ``db: Db`` receives the app's Redis client."""

AppSettings = NamedDependency[Settings]
"""A handler parameter ``settings: AppSettings`` receives the app's settings."""


def redis_lifespan(settings: Settings) -> Callable[[Litestar], AbstractAsyncContextManager[None]]:
    """Open a Redis client for the app's lifetime; no connection is made until first use,
    so the API starts (and reports itself not ready) while Redis is down."""

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        client = redis.Redis.from_url(
            settings.redis_url,
            socket_connect_timeout=2,
            socket_timeout=5,
            health_check_interval=30,
        )
        app.state[STATE_KEY] = client
        try:
            yield
        finally:
            client.close()

    return lifespan


def _provide_redis(state: State) -> redis.Redis:
    client: redis.Redis = state[STATE_KEY]
    return client


def dependencies(settings: Settings) -> dict[str, Provide]:
    """The app-level dependencies: ``db`` (the Redis client) and ``settings``."""

    def provide_settings() -> Settings:
        return settings

    return {
        "db": Provide(_provide_redis, sync_to_thread=False),
        "settings": Provide(provide_settings, use_cache=True, sync_to_thread=False),
    }
