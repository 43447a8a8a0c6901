"""Shared fixtures: a real Redis, one empty database per test, and the API over it.

Redis is, in order: the one at ``REDIS_URL``, one on 127.0.0.1:6379, or an embedded
``redis-server`` started for the session on a free loopback port. Tests use database 15 only
and flush it before and after each test, so they never see each other's data (nor yours).
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import redis
import uvicorn
from litestar.testing import TestClient

from claimex.api.app import create_app
from claimex.settings import ServiceSettings
from claimex.workers.redis_server import EmbeddedRedis, answers, free_port
from tests.receiver import Receive, Receiver

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from litestar import Litestar

TEST_DB = 15
LOCAL_REDIS = "redis://127.0.0.1:6379/0"


def _with_db(url: str, db: int) -> str:
    """``url`` pointing at database ``db`` (any database in the URL is replaced)."""
    base, _, last = url.rstrip("/").rpartition("/")
    if base.count("/") >= 2 and last.isdigit():
        return f"{base}/{db}"
    return f"{url.rstrip('/')}/{db}"


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """URL of a Redis server for the whole session (its database is chosen per test)."""
    for url in (os.environ.get("REDIS_URL", ""), LOCAL_REDIS):
        if url and answers(url):
            yield url
            return
    server = EmbeddedRedis(Path(tmp_path_factory.mktemp("redis")), persist=False)
    server.start()
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture
def redis_url(redis_server: str) -> Iterator[str]:
    """URL of the empty test database, flushed before and after the test."""
    url = _with_db(redis_server, TEST_DB)
    client = redis.Redis.from_url(url)
    client.flushdb()
    try:
        yield url
    finally:
        client.flushdb()
        client.close()


@pytest.fixture
def db(redis_url: str) -> Iterator[redis.Redis]:
    """A client on the empty test database."""
    client = redis.Redis.from_url(redis_url)
    try:
        yield client
    finally:
        client.close()


@pytest.fixture
def settings(redis_url: str) -> ServiceSettings:
    """Service settings on the test database, with small limits that tests can reach."""
    return ServiceSettings(
        redis_url=redis_url, max_body_bytes=64_000, max_batch=5, max_text_chars=5_000
    )


@pytest.fixture
def app(settings: ServiceSettings) -> Litestar:
    return create_app(settings)


@pytest.fixture
def client(app: Litestar) -> Iterator[TestClient[Litestar]]:
    """The API through Litestar's test client, lifespan (and so the Redis client) running."""
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def live_api(app: Litestar) -> Iterator[str]:
    """The app under a real uvicorn on a free loopback port, in a thread; its base URL.

    For what the test client cannot show: responses that stream (server-sent events) and
    clients that speak real HTTP.
    """
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=free_port(),
        log_level="warning",
        lifespan="on",
        timeout_graceful_shutdown=2,
    )
    web = uvicorn.Server(config)
    thread = threading.Thread(target=web.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while not web.started:
            assert thread.is_alive(), "uvicorn stopped"
            assert time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.02)
        yield f"http://127.0.0.1:{config.port}"
    finally:
        web.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def receive() -> Iterator[Receive]:
    """Start receivers: ``receive([500, 200])``, ``receive([302], location=url)``."""
    started: list[Receiver] = []

    def start(statuses: Sequence[int] = (200,), location: str | None = None) -> Receiver:
        receiver = Receiver(statuses, location)
        started.append(receiver)
        return receiver

    yield start
    for receiver in started:
        receiver.close()
