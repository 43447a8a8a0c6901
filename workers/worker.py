"""The worker process: load the extraction pipeline once, then take jobs from the queue.

``SimpleWorker`` runs each job in this process; RQ's default ``Worker`` forks a child per job.
Warming up before the first job makes the first abstract as fast as the rest in both; the fork
still costs a few milliseconds per job, which is why ``SimpleWorker`` is the default (see the
figures in ``bench/service.py``'s output and the commit that chose it). Either way extraction
itself runs in the worker's sandbox child (``workers.sandbox``), under a time budget.

Redis clients: RQ polls on one made for its blocking dequeue (``connections.like(…, "poll")``:
a read timeout longer than the poll, so an idle worker never sees a false timeout), jobs use
their own, the heartbeat thread its own. Through a Redis outage the worker waits: RQ's poll
retries every ``MAX_RECONNECT_WAIT`` s at most, a job waits inside each Redis step, and should
RQ's loop give up all the same, it is started again once Redis answers, after giving back the
batches this worker held.
"""

from __future__ import annotations

import logging
import signal
import time
from typing import TYPE_CHECKING

import msgspec
import redis
from rq import Queue, SimpleWorker, Worker
from rq.worker import BaseWorker

from claimex.extractors import extract
from claimex.workers import callbacks, connections, context, inbox, keys, liveness, webhooks

if TYPE_CHECKING:
    from types import FrameType

    from rq.executions import Execution
    from rq.job import Job

log = logging.getLogger(__name__)

# Touches every lazily loaded part of the extractor: numbers, sentences (spaCy), and units
# with a measurement after the number ("12 ms", "3.4 GB"), which loads quantulum3's unit
# table, about 2-3 s that would otherwise land on the first job (and on every forked job).
WARM_UP_TEXT = (
    "We train a 7B-parameter model on 555B tokens for 3 days on 8 GPUs. It reaches 88.5% "
    "accuracy on ImageNet and 41.2 BLEU, runs 2.5x faster than ResNet-50 with 12 ms latency "
    "and 3.4 GB of memory, and improves F1 by 2.1 points."
)

MAX_RECONNECT_WAIT = 2.0
"""Longest pause between two of RQ's reconnection attempts (RQ's own default is 60 s)."""


class _WithContext(BaseWorker):
    """An RQ worker that hands its ``WorkerContext`` to every job it performs."""

    max_connection_wait_time = MAX_RECONNECT_WAIT
    claimex_context: context.WorkerContext = context.DEFAULT

    def perform_job(self, job: Job, queue: Queue, execution: Execution) -> bool:
        context.attach(job, self.claimex_context)
        return super().perform_job(job, queue, execution)


class _SimpleWorker(_WithContext, SimpleWorker):
    pass


class _ForkWorker(_WithContext, Worker):
    pass


class _Stop(Exception):
    """A stop signal arrived while the worker waited for Redis between two runs of RQ's loop."""


def warm_up() -> None:
    """Import and exercise the extractor so lexicons and models are loaded before any job."""
    extract(WARM_UP_TEXT)


def make_worker(
    connection: redis.Redis,
    *,
    fork: bool = False,
    worker: context.WorkerContext = context.DEFAULT,
) -> BaseWorker:
    """A worker on the claimex queue whose jobs extract as ``worker`` says.

    ``fork=True`` isolates each job in a child process.

    It polls on a client of its own derived from ``connection``, whatever timeouts
    ``connection`` has, with a read timeout longer than RQ's blocking poll.
    """
    poller = connections.like(connection, "poll")
    queue = Queue(keys.QUEUE, connection=poller)
    kind = _ForkWorker if fork else _SimpleWorker
    made = kind([queue], connection=poller, worker_ttl=connections.WORKER_TTL)
    made.claimex_context = worker
    return made


def _raise_stop(signum: int, frame: FrameType | None) -> None:
    raise _Stop


def run_worker(
    connection: redis.Redis,
    *,
    burst: bool = False,
    fork: bool = False,
    heartbeat_ttl: float = liveness.DEFAULT_TTL,
    webhook_settings: callbacks.WebhookSettings | None = None,
    worker: context.WorkerContext = context.DEFAULT,
) -> bool:
    """Warm up, then work until stopped (or, with ``burst``, until the queue is empty).

    A heartbeat thread runs alongside, which also requeues the batches of dead workers
    (``workers.liveness``); with webhooks on, a dispatcher thread delivers them
    (``workers.webhooks``). Every job gets ``worker``, with the heartbeat's id.
    """
    warm_up()
    # Ids left waiting with no drain job coming (a crash, a lost job) get one when a worker
    # starts, which is when an operator would look.
    inbox.top_up(connection)
    heartbeat = liveness.Heartbeat(connections.like(connection, "heartbeat"), heartbeat_ttl)
    heartbeat.start()
    worker = msgspec.structs.replace(worker, worker_id=heartbeat.worker_id)
    dispatcher = webhooks.start_dispatcher(
        connection, webhook_settings or callbacks.WebhookSettings()
    )
    worked = False
    restarts = 0
    try:
        while True:
            began = time.monotonic()
            rq_worker = make_worker(connection, fork=fork, worker=worker)
            try:
                worked |= bool(
                    rq_worker.work(burst=burst, logging_level="WARNING", with_scheduler=False)
                )
            except redis.exceptions.RedisError as exc:  # RQ's teardown, with Redis away
                log.warning("the worker loop ended on a Redis error: %s", exc)
            if burst or getattr(rq_worker, "_shutdown_requested_date", None) is not None:
                return worked
            restarts = restarts + 1 if time.monotonic() - began < 30 else 1
            if not _restart_after_pause(connection, heartbeat.worker_id, restarts):
                return worked
    finally:
        if dispatcher is not None:
            dispatcher.stop()
        heartbeat.stop()


def _restart_after_pause(connection: redis.Redis, worker_id: str, restarts: int) -> bool:
    """Wait for Redis, give back this worker's batches, then say to run RQ's loop again.

    False when a stop signal arrives meanwhile. Quick successive restarts back off (up to
    30 s), so a loop that ends at once for another reason cannot spin.
    """
    log.warning("the worker loop stopped; starting it again once Redis answers")
    previous = {s: signal.signal(s, _raise_stop) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        time.sleep(min(30.0, 0.5 * 2 ** (restarts - 1)))
        connections.wait_until_up(connection, what="worker restart")
        connections.through_outage(
            lambda: liveness.requeue_own(connection, worker_id), what="requeue"
        )
    except _Stop:
        return False
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
    return True
