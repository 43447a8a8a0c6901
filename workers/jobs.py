"""The RQ job: take a batch from the inbox, extract claims, store them with their indexes.

A batch costs three Redis round trips whatever its size: one script to take it from the inbox,
one pipeline to read the abstracts (and the claims a previous run stored), one MULTI to write
every result. Processing a batch twice leaves the same claims and the same index members: a
re-run is harmless, never a duplicate.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from types import TracebackType
from typing import Any

import redis
from rq import get_current_job
from rq.job import Job

from extractors import extract
from workers import inbox, keys, store
from workers.queue import PENDING_TTL, started_marker

log = logging.getLogger(__name__)


def drain() -> int:
    """RQ entry point: extract one inbox batch with the connection RQ's worker holds."""
    job = get_current_job()
    if job is None:  # pragma: no cover - RQ always sets it while running a job
        raise RuntimeError("drain runs inside an RQ job")
    return drain_inbox(job.connection, job.id)


def drain_inbox(connection: redis.Redis, rq_job_id: str) -> int:
    """Take up to ``DRAIN_BATCH`` waiting ids and extract them; how many claims were stored."""
    abstract_ids = inbox.take(connection, rq_job_id)
    if not abstract_ids:
        return 0
    stored = process_batch(connection, abstract_ids, job_id=rq_job_id)
    connection.delete(keys.running(rq_job_id))
    # Heals a lost enqueue: ids left in the inbox with no drain job coming get one now.
    inbox.top_up(connection)
    return stored


def process_batch(connection: redis.Redis, abstract_ids: Sequence[str], *, job_id: str) -> int:
    """Extract and store claims for ``abstract_ids``; return how many claims were stored.

    One abstract whose extraction raises is recorded as failed; the others are still stored.
    """
    loaded = store.load_for_extraction(connection, abstract_ids, started_marker(job_id))
    batch: list[store.Extracted] = []
    failures: list[tuple[str, str]] = []
    for abstract_id, item in zip(abstract_ids, loaded, strict=True):
        if item.abstract is None:
            failures.append((abstract_id, "the abstract is not in the store"))
            continue
        try:
            claims = extract(item.abstract.text)
        except Exception as exc:  # extract() should not raise; one text must not sink a batch
            log.exception("extraction failed for abstract %s", abstract_id)
            failures.append((abstract_id, f"extraction failed: {type(exc).__name__}"))
            continue
        batch.append(store.Extracted(item.abstract, claims, item.old_claims))
    pipe = connection.pipeline(transaction=True)
    store.write_claims(pipe, batch)
    done = [e.abstract.id for e in batch]
    if done:
        pipe.delete(*(keys.pending(i) for i in done), *(keys.error(i) for i in done))
    for abstract_id, message in failures:
        pipe.set(keys.error(abstract_id), message, ex=PENDING_TTL)
        pipe.delete(keys.pending(abstract_id))
    pipe.execute()
    return sum(len(e.claims) for e in batch)


def on_drain_failure(
    job: Job,
    connection: redis.Redis,
    exc_type: type[BaseException] | None,
    exc_value: BaseException | None,
    traceback: TracebackType | None,
    *rest: Any,
) -> None:
    """RQ failure callback: a drain job that died (timeout, crash) fails the batch it took.

    Without this their pending markers would hold until they expire, and re-sending them
    would wait that long.
    """
    reason = "extraction job failed" if exc_type is None else f"job failed: {exc_type.__name__}"
    mark_failed(connection, inbox.taken_by(connection, job.id), reason)
    connection.delete(keys.running(job.id))


def mark_failed(connection: redis.Redis, abstract_ids: Sequence[str], reason: str) -> None:
    """Record ``reason`` for these abstracts and release their pending markers."""
    pipe = connection.pipeline(transaction=True)
    for abstract_id in abstract_ids:
        pipe.set(keys.error(abstract_id), reason, ex=PENDING_TTL)
        pipe.delete(keys.pending(abstract_id))
    pipe.execute()
