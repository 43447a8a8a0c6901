"""Abandoned batches: workers keep a heartbeat, and live workers requeue a dead one's batch.

A drain job records which worker holds its batch (``keys.owners``) when it takes it from the
inbox. Each worker process runs a ``Heartbeat`` thread that refreshes ``keys.worker(id)``
(expiring after ``ttl`` seconds) every ``ttl / 3`` seconds and, while it is healthy, reaps: a
batch whose owner's heartbeat has expired goes back to the front of the inbox — the ids that
still have no claims, their pending markers reset to queued — and drain jobs are queued for it.

A worker killed with SIGKILL mid-batch stored nothing of it (a batch is written in one MULTI),
so the batch is extracted once, by whoever takes it next. After Redis was unreachable, a worker
reaps only once it has refreshed its heartbeat for a whole ``ttl``: by then every live worker
has had time to refresh its own, so a slow but live worker's batch is never taken from it.

The worker's entry point passes ``ttl`` (``CLAIMEX_WORKER_HEARTBEAT``: seconds, default 30), and
hands the heartbeat's ``worker_id`` to its jobs (``workers.context``).
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
import uuid

import redis

from claimex.workers import inbox, keys, lua, markers, metrics
from claimex.workers.queue import PENDING_TTL

log = logging.getLogger(__name__)

DEFAULT_TTL = 30.0
REQUEUED_MARKER = markers.queued(markers.REQUEUED)

_REQUEUE = lua.source("requeue")


def reap(connection: redis.Redis) -> int:
    """Requeue the batches of workers whose heartbeat expired; how many ids went back."""
    raw: dict[bytes, bytes] = connection.hgetall(keys.owners())  # type: ignore[assignment]
    held = {k.decode(): v.decode() for k, v in raw.items()}
    if not held:
        return 0
    owners = sorted(set(held.values()))
    pipe = connection.pipeline(transaction=False)
    for owner in owners:
        pipe.exists(keys.worker(owner))
    dead = {o for o, alive in zip(owners, pipe.execute(), strict=True) if not alive}
    requeued = 0
    for job_id, owner in held.items():
        if owner not in dead:
            continue
        count = requeue(connection, job_id, owner, top_up=False)
        if count:
            log.warning(
                "requeued %d abstracts of drain job %s (worker %s died)", count, job_id, owner
            )
        requeued += count
    if requeued:
        inbox.top_up(connection)
    return requeued


def requeue(connection: redis.Redis, job_id: str, owner: str, *, top_up: bool = True) -> int:
    """Put the batch ``owner`` holds for drain job ``job_id`` back at the inbox's front.

    Only the ids that still have no claims go back; nothing happens unless ``owner`` still
    holds it. How many went back.
    """
    script = connection.register_script(_REQUEUE)
    count = int(
        script(
            keys=[keys.owners(), keys.running(job_id), keys.inbox()],
            args=[job_id, owner, keys.claims(""), keys.pending(""), PENDING_TTL, REQUEUED_MARKER],
        )
    )
    if count:
        metrics.count(connection, "abstracts_requeued", count)
        if top_up:
            inbox.top_up(connection)
    return count


def requeue_own(connection: redis.Redis, worker_id: str) -> int:
    """Give back every batch this worker holds, when it knows it runs none (a restart)."""
    raw: dict[bytes, bytes] = connection.hgetall(keys.owners())  # type: ignore[assignment]
    mine = [k.decode() for k, v in raw.items() if v.decode() == worker_id]
    count = sum(requeue(connection, job_id, worker_id, top_up=False) for job_id in mine)
    if count:
        log.warning("requeued %d abstracts this worker held when Redis went away", count)
        inbox.top_up(connection)
    return count


class Heartbeat(threading.Thread):
    """Refreshes this worker's heartbeat and reaps dead workers' batches, until stopped."""

    def __init__(self, connection: redis.Redis, ttl: float) -> None:
        super().__init__(name="claimex-heartbeat", daemon=True)
        self.connection = connection
        self.ttl = ttl
        self.worker_id = uuid.uuid4().hex
        self._halt = threading.Event()
        self._healthy_since: float | None = None

    def beat(self) -> None:
        """One round: refresh the heartbeat, then reap if healthy for a whole ttl."""
        try:
            self.connection.set(keys.worker(self.worker_id), "1", px=int(self.ttl * 1000))
            now = time.monotonic()
            if self._healthy_since is None:
                self._healthy_since = now
            if now - self._healthy_since >= self.ttl:
                reap(self.connection)
        except redis.exceptions.RedisError as exc:
            self._healthy_since = None
            log.warning("heartbeat: Redis unavailable: %s", exc)

    def run(self) -> None:
        """Beat every third of the ttl until stopped."""
        while not self._halt.is_set():
            self.beat()
            self._halt.wait(self.ttl / 3)

    def start(self) -> None:
        """Beat once now, so the worker counts as alive at once, then beat in the thread."""
        self.beat()
        super().start()

    def stop(self) -> None:
        """Stop beating and delete this worker's heartbeat, if Redis answers."""
        self._halt.set()
        self.join(timeout=self.ttl)
        with contextlib.suppress(redis.exceptions.RedisError):
            self.connection.delete(keys.worker(self.worker_id))
