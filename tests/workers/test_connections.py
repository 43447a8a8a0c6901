"""workers/connections.py: every client has the timeouts its use needs, RQ's poll included."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import pytest

from claimex.workers import connections
from claimex.workers.worker import make_worker

if TYPE_CHECKING:
    import redis


@pytest.mark.parametrize(
    ("make", "seconds"),
    [
        (connections.request, connections.REQUEST_SECONDS),
        (connections.command, connections.COMMAND_SECONDS),
        (connections.job, connections.JOB_SECONDS),
        (connections.poll, connections.POLL_READ_SECONDS),
    ],
)
def test_each_use_has_its_read_timeout(make: object, seconds: float, redis_url: str) -> None:
    client = make(redis_url)  # type: ignore[operator]
    assert connections.read_timeout(client) == seconds
    assert client.ping()


def test_the_poll_outlasts_rqs_blocking_dequeue(db: redis.Redis) -> None:
    worker = make_worker(db)
    assert worker.dequeue_timeout == connections.POLL_SECONDS
    poll = connections.read_timeout(worker.connection)
    assert poll is not None
    assert poll > worker.dequeue_timeout


@pytest.mark.parametrize("use", ["request", "command", "job", "poll", "heartbeat"])
def test_like_keeps_the_address_and_database_and_sets_the_timeout(
    db: redis.Redis, use: str
) -> None:
    derived = connections.like(db, use)
    assert derived is connections.like(db, use)
    mine, theirs = derived.connection_pool.connection_kwargs, db.connection_pool.connection_kwargs
    assert [mine[k] for k in ("host", "port", "db")] == [theirs[k] for k in ("host", "port", "db")]
    assert mine["socket_timeout"] == connections._USES[use][0]
    db.set("claimex:probe", "here")
    assert derived.get("claimex:probe") == b"here"


@pytest.mark.slow
def test_a_connection_opened_before_the_worker_does_not_time_out_its_poll(
    db: redis.Redis,
) -> None:
    # The bug: the connection of the start-up PING kept redis-py's 5 s read timeout, and RQ's
    # blocking poll on it failed after 5 s ("could not connect", then a back-off of up to 60 s).
    assert db.ping()
    worker = make_worker(db)
    began = time.monotonic()
    assert worker.connection.blpop(["claimex:nothing-comes"], timeout=6) is None
    assert time.monotonic() - began >= 5.5
