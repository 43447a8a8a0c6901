"""What handlers receive by dependency injection: the Redis clients and the settings.

The clients are made in the app's lifespan and kept on ``app.state``; handlers never build one.
There are two: an asyncio client for the hot path (admitting abstracts on the event loop) and
a blocking one for RQ and for the read handlers, which run in worker threads.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass

import redis
import redis.asyncio
from litestar import Litestar
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide

from claimex.api.event_hub import EventHub
from claimex.settings import ServiceSettings
from claimex.workers import connections

STATE_KEY = "redis"
HUB_STATE_KEY = "event_hub"
ASYNC_STATE_KEY = "redis_async"

Hub = NamedDependency[EventHub]
"""A handler parameter ``hub: Hub`` receives the process's event hub (``api.event_hub``)."""

Db = NamedDependency[redis.Redis]
"""A handler parameter ``db: Db`` receives the app's blocking Redis client."""

AsyncDb = NamedDependency[redis.asyncio.Redis]
"""A handler parameter ``async_db: AsyncDb`` receives the app's asyncio Redis client."""

AppSettings = NamedDependency[ServiceSettings]
"""A handler parameter ``settings: AppSettings`` receives the app's settings."""


@dataclass(frozen=True, slots=True)
class Admission:
    """What admitting abstracts needs: both Redis clients and the settings, as one dependency.

    The hot path asks for this one dependency rather than three: Litestar resolves several
    dependencies of a request in a task group of their own, which costs more than the
    admission's own work.
    """

    db: redis.Redis
    async_db: redis.asyncio.Redis
    settings: ServiceSettings


Admitting = NamedDependency[Admission]
"""A handler parameter ``admission: Admitting`` receives the clients and settings together."""


def redis_lifespan(
    settings: ServiceSettings,
) -> Callable[[Litestar], AbstractAsyncContextManager[None]]:
    """Open the Redis clients and the event hub for the app's lifetime.

    No connection is made until first use, so the API starts (and reports itself not ready)
    while Redis is down.
    """

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        # Short timeouts: with Redis gone a request should fail fast (503), not hang; one
        # retry, so the first request after a Redis restart replaces its dead pooled
        # connection instead of failing on it.
        client = connections.request(settings.redis_url)
        async_client = connections.request_async(settings.redis_url)
        app.state[STATE_KEY] = client
        app.state[ASYNC_STATE_KEY] = async_client
        hub = EventHub(async_client)
        app.state[HUB_STATE_KEY] = hub
        try:
            yield
        finally:
            await hub.close()
            await async_client.aclose()
            client.close()

    return lifespan


def _provide_redis(state: State) -> redis.Redis:
    client: redis.Redis = state[STATE_KEY]
    return client


def _provide_async_redis(state: State) -> redis.asyncio.Redis:
    client: redis.asyncio.Redis = state[ASYNC_STATE_KEY]
    return client


def _provide_hub(state: State) -> EventHub:
    hub: EventHub = state[HUB_STATE_KEY]
    return hub


def dependencies(settings: ServiceSettings) -> dict[str, Provide]:
    """The app-level dependencies, by the names handlers ask for them with.

    ``db`` and ``async_db`` (Redis clients), ``hub`` (event wake-ups), ``settings``, and
    ``admission`` (the clients and settings together, for the hot path).
    """

    def provide_settings() -> ServiceSettings:
        return settings

    def provide_admission(state: State) -> Admission:
        return Admission(state[STATE_KEY], state[ASYNC_STATE_KEY], settings)

    return {
        "admission": Provide(provide_admission, sync_to_thread=False),
        "db": Provide(_provide_redis, sync_to_thread=False),
        "async_db": Provide(_provide_async_redis, sync_to_thread=False),
        "hub": Provide(_provide_hub, sync_to_thread=False),
        "settings": Provide(provide_settings, use_cache=True, sync_to_thread=False),
    }
