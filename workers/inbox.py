"""The inbox: admitted abstract ids wait here, and RQ "drain" jobs take them in batches.

Clients mostly send one abstract per request; one RQ job per abstract would spend a few
milliseconds of RQ bookkeeping on every ~2 ms extraction. Instead admission appends ids to one
Redis list, and keeps just enough drain jobs queued for what waits: with ``J`` drain jobs
queued, ``N`` ids waiting and batches of ``B``, it tops ``J`` up to ``ceil(N / B)``. A starting
drain job takes one off ``J`` and pops up to ``B`` ids, which keeps ``J * B >= N`` — every
waiting id has a job coming — while a burst of requests shares a few jobs, and several workers
still share a long inbox.

A backfill's ids wait in a second list, the bulk inbox (``keys.bulk_inbox``): a drain job takes
from it only when the interactive inbox is empty, so a POST is extracted next even while a
corpus of thousands drains. The scripts are ``workers/scripts/{plan,top_up,take}.lua``.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from rq import Callback, Queue

from claimex.workers import keys, limits, lua

if TYPE_CHECKING:
    import redis

DRAIN_BATCH = 32
"""Most abstracts one drain job extracts: big enough to amortise RQ, small enough to share."""

JOB_TIMEOUT = limits.job_timeout(DRAIN_BATCH)
"""RQ's limit on one drain job (a last resort, see ``workers.limits``)."""

RUNNING_TTL = 2 * JOB_TIMEOUT
"""Longer than a drain job may run, so the record of its batch outlives it."""


DRAINS_TTL = 600
"""The drain count forgets itself after this long without admissions (``plan.lua``'s own
``DRAINS_TTL``, which must stay equal): if a queued drain job is ever lost, the count cannot
keep claiming work is coming for good."""

_TOP_UP = lua.source("plan", "top_up")
_TAKE = lua.source("take")


def enqueue_drains(connection: redis.Redis, count: int) -> None:
    """Put ``count`` drain jobs on the RQ queue in one round trip.

    If that fails, the count is given back so a later admission or top-up queues them.
    """
    if count <= 0:
        return
    pipe = connection.pipeline(transaction=True)
    queue = Queue(keys.QUEUE, connection=connection)
    for _ in range(count):
        # Named, not imported: the API process never loads the extractor.
        queue.enqueue_call(
            "claimex.workers.jobs.drain",
            timeout=JOB_TIMEOUT,
            result_ttl=600,
            failure_ttl=24 * 3600,
            on_failure=Callback("claimex.workers.jobs.on_drain_failure"),
            pipeline=pipe,
        )
    try:
        pipe.execute()
    except BaseException:
        connection.decrby(keys.drains(), count)
        raise


def top_up(connection: redis.Redis) -> int:
    """Queue drain jobs for the ids that have none coming; how many jobs were queued.

    An id is left without one after a failed or lost enqueue. Every drain job calls this when
    done, and every worker when it starts.
    """
    top_up_script = connection.register_script(_TOP_UP)
    rq_queue = Queue(keys.QUEUE, connection=connection).key
    lists = [keys.inbox(), keys.bulk_inbox(), keys.drains(), rq_queue]
    count = int(top_up_script(keys=lists, args=[DRAIN_BATCH]))
    enqueue_drains(connection, count)
    return count


def take(connection: redis.Redis, rq_job_id: str, owner: str | None = None) -> list[str]:
    """The batch for drain job ``rq_job_id``: up to ``DRAIN_BATCH`` ids, oldest first.

    ``owner`` (a worker id, see ``workers.liveness``) is recorded as holding the batch.
    """
    script = connection.register_script(_TAKE)
    ids = script(
        keys=[
            keys.inbox(),
            keys.bulk_inbox(),
            keys.drains(),
            keys.running(rq_job_id),
            keys.owners(),
        ],
        args=[DRAIN_BATCH, RUNNING_TTL, rq_job_id, owner or ""],
    )
    return [i.decode() for i in ids]


def release(connection: redis.Redis, rq_job_id: str) -> None:
    """Forget the batch of drain job ``rq_job_id`` (done, or failed and accounted for)."""
    pipe = connection.pipeline(transaction=True)
    pipe.delete(keys.running(rq_job_id))
    pipe.hdel(keys.owners(), rq_job_id)
    pipe.execute()


def taken_by(connection: redis.Redis, rq_job_id: str) -> list[str]:
    """The ids a drain job took, if it has not finished them."""
    blob = connection.get(keys.running(rq_job_id))
    return [] if blob is None else list(json.loads(blob))
