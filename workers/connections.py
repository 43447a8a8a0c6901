"""Every Redis client claimex makes, each with the timeouts and retries its use needs.

redis-py (8.x) gives a connection a 5 s read timeout and ten retries unless told otherwise.
Neither fits every use: RQ's worker waits for jobs in one blocking command that lasts up to
``POLL_SECONDS``, which a 5 s read timeout breaks every 5 s (RQ then logs a false "could not
connect" and backs off for up to a minute, during which queued jobs wait); an API request,
on the contrary, must fail within a few seconds when Redis is gone. RQ only raises the timeout
of connections it has not made yet, so a connection opened before (the worker's start-up
PING) kept the 5 s. Hence one constructor per use, and no ``redis.Redis.from_url`` elsewhere:

=========  ==================  ===========================================================
use        read timeout        for
=========  ==================  ===========================================================
request    5 s, 1 retry        API handlers, ``/health``, the rate limit (``request*``)
command    30 s, 3 retries     the CLI: backfill, start-up checks (``command``)
job        30 s, 3 retries     a worker's reads and writes of a batch (``job``)
poll       POLL_SECONDS + 10   RQ's blocking dequeue, and only that (``poll``)
heartbeat  5 s, 1 retry        the worker's heartbeat thread (``heartbeat``)
=========  ==================  ===========================================================

Every client connects within ``CONNECT_SECONDS`` and keeps TCP keepalive on, so a peer that
vanished is noticed even during a long poll. "1 retry" is what lets the first command after a
Redis restart succeed: the pooled connection it picks is dead, and one fresh try reconnects.
Everything retried is idempotent (the admission and drain scripts re-run to the same state).
"""

from __future__ import annotations

import logging
import socket
import time
from typing import TYPE_CHECKING, Any, TypeVar

import redis
import redis.asyncio
from redis.asyncio.retry import Retry as AsyncRetry
from redis.backoff import ExponentialBackoff, NoBackoff
from redis.retry import Retry

from claimex.workers import limits

if TYPE_CHECKING:
    from collections.abc import Callable

log = logging.getLogger(__name__)
T = TypeVar("T")

CONNECT_SECONDS = 2.0
REQUEST_SECONDS = 5.0
COMMAND_SECONDS = 30.0
JOB_SECONDS = 30.0

WORKER_TTL = 420
"""RQ's worker ttl (its default): RQ polls for ``WORKER_TTL - 15`` seconds at a time."""
POLL_SECONDS = WORKER_TTL - 15
POLL_READ_SECONDS = POLL_SECONDS + 10
"""Longer than the poll, as RQ itself would set it (``BaseWorker.connection_timeout``)."""

KEEPALIVE: dict[int, int] = {
    option: value
    for name, value in (("TCP_KEEPIDLE", 10), ("TCP_KEEPINTVL", 5), ("TCP_KEEPCNT", 3))
    if (option := getattr(socket, name, None)) is not None
}
"""A silent peer is declared dead after about 10 + 3 * 5 = 25 s."""


def _options(read_seconds: float | None, retries: int) -> dict[str, Any]:
    backoff = NoBackoff() if retries <= 1 else ExponentialBackoff(cap=1.0, base=0.05)
    return {
        "socket_connect_timeout": CONNECT_SECONDS,
        "socket_timeout": read_seconds,
        "socket_keepalive": True,
        "socket_keepalive_options": KEEPALIVE,
        "retry": Retry(backoff, retries),
        "health_check_interval": 30,
    }


_USES: dict[str, tuple[float, int]] = {
    "request": (REQUEST_SECONDS, 1),
    "command": (COMMAND_SECONDS, 3),
    "job": (JOB_SECONDS, 3),
    "poll": (POLL_READ_SECONDS, 1),
    "heartbeat": (REQUEST_SECONDS, 1),
}


def _for(use: str, *, unix: bool) -> dict[str, Any]:
    options = _options(*_USES[use])
    if unix:  # a Unix socket takes no TCP options
        options.pop("socket_keepalive")
        options.pop("socket_keepalive_options")
    return options


def _client(url: str, use: str) -> redis.Redis:
    return redis.Redis.from_url(url, **_for(use, unix=url.startswith("unix://")))


def request(url: str) -> redis.Redis:
    """For API handlers in threads: fail within seconds when Redis is gone (503)."""
    return _client(url, "request")


def request_async(url: str) -> redis.asyncio.Redis:
    """``request`` for the API's event loop."""
    options = _for("request", unix=url.startswith("unix://"))
    options["retry"] = AsyncRetry(NoBackoff(), 1)
    return redis.asyncio.Redis.from_url(url, **options)


def command(url: str) -> redis.Redis:
    """For command-line tools: large pipelines (a backfill chunk) may take a while."""
    return _client(url, "command")


def job(url: str) -> redis.Redis:
    """For a worker's batch reads and writes."""
    return _client(url, "job")


def poll(url: str) -> redis.Redis:
    """For RQ's worker, whose dequeue blocks for up to ``POLL_SECONDS``."""
    return _client(url, "poll")


_derived: dict[tuple[int, str], tuple[redis.ConnectionPool, redis.Redis]] = {}


def like(client: redis.Redis, use: str) -> redis.Redis:
    """A client to the same Redis as ``client`` (address, database, password, TLS) for ``use``.

    Its own pool: connections made for another use keep their timeouts, whatever RQ or anyone
    does to ``client``'s. One per (pool, use) per process.
    """
    pool = client.connection_pool
    key = (id(pool), use)
    found = _derived.get(key)
    if found is not None and found[0] is pool:
        return found[1]
    kwargs = dict(pool.connection_kwargs) | _for(use, unix="path" in pool.connection_kwargs)
    derived = redis.Redis(
        connection_pool=redis.ConnectionPool(connection_class=pool.connection_class, **kwargs)
    )
    _derived[key] = (pool, derived)
    return derived


def read_timeout(client: redis.Redis) -> float | None:
    """The read timeout of the connections ``client`` makes (for tests and diagnostics)."""
    value: float | None = client.connection_pool.connection_kwargs.get("socket_timeout")
    return value


OUTAGE_SECONDS = limits.OUTAGE_SECONDS

OUTAGE_ERRORS = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)


def through_outage(
    call: Callable[[], T], *, what: str, wait: float = OUTAGE_SECONDS, pause: float = 0.1
) -> T:
    """``call()``, tried again while Redis is unreachable, for up to ``wait`` seconds.

    Only for idempotent steps (or steps made so): a step whose reply was lost is run again.
    The first failure is logged, then one line every ten seconds or so.
    """
    deadline = time.monotonic() + wait
    logged = 0.0
    while True:
        try:
            return call()
        except OUTAGE_ERRORS as exc:
            now = time.monotonic()
            if now + pause > deadline:
                raise
            if now - logged >= 10:
                log.warning("Redis unavailable during %s (%s); waiting for it", what, exc)
                logged = now
            time.sleep(pause)
            pause = min(pause * 2, 1.0)


def wait_until_up(client: redis.Redis, *, what: str, wait: float | None = None) -> None:
    """Block until ``client`` answers PING (for ever when ``wait`` is None)."""
    through_outage(client.ping, what=what, wait=float("inf") if wait is None else wait)
