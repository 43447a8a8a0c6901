"""The worker process: load the extraction pipeline once, then take jobs from the queue.

``SimpleWorker`` runs each job in this process; RQ's default ``Worker`` forks a child per job.
Warming up before the first job makes the first abstract as fast as the rest in both; the fork
still costs a few milliseconds per job, which is why ``SimpleWorker`` is the default (see the
figures in ``bench/service.py``'s output and the commit that chose it).
"""

from __future__ import annotations

import redis
from rq import Queue, SimpleWorker, Worker
from rq.worker import BaseWorker

from extractors import extract
from workers import inbox, keys, liveness

# Touches every lazily loaded part of the extractor: numbers, sentences (spaCy), and units
# with a measurement after the number ("12 ms", "3.4 GB"), which loads quantulum3's unit
# table, about 2-3 s that would otherwise land on the first job (and on every forked job).
WARM_UP_TEXT = (
    "We train a 7B-parameter model on 555B tokens for 3 days on 8 GPUs. It reaches 88.5% "
    "accuracy on ImageNet and 41.2 BLEU, runs 2.5x faster than ResNet-50 with 12 ms latency "
    "and 3.4 GB of memory, and improves F1 by 2.1 points."
)


def warm_up() -> None:
    """Import and exercise the extractor so lexicons and models are loaded before any job."""
    extract(WARM_UP_TEXT)


def make_worker(connection: redis.Redis, *, fork: bool = False) -> BaseWorker:
    """A worker on the claimex queue; ``fork=True`` isolates each job in a child process."""
    queue = Queue(keys.QUEUE, connection=connection)
    if fork:
        return Worker([queue], connection=connection)
    return SimpleWorker([queue], connection=connection)


def run_worker(
    connection: redis.Redis,
    *,
    burst: bool = False,
    fork: bool = False,
    heartbeat_ttl: float = liveness.DEFAULT_TTL,
) -> bool:
    """Warm up, then work until stopped (or, with ``burst``, until the queue is empty).

    A heartbeat thread runs alongside, which also requeues the batches of dead workers
    (``workers.liveness``).
    """
    warm_up()
    # Ids left waiting with no drain job coming (a crash, a lost job) get one when a worker
    # starts, which is when an operator would look.
    inbox.top_up(connection)
    heartbeat = liveness.Heartbeat(
        redis.Redis(connection_pool=connection.connection_pool), heartbeat_ttl
    )
    heartbeat.start()
    try:
        worker = make_worker(connection, fork=fork)
        return bool(worker.work(burst=burst, logging_level="WARNING", with_scheduler=False))
    finally:
        heartbeat.stop()
