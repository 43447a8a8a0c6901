"""The RQ job: take a batch from the inbox, extract claims, store them with their indexes.

A batch costs three Redis round trips whatever its size: one script to take it from the inbox,
one pipeline to read the abstracts (and the claims a previous run stored), one MULTI to write
every result. Processing a batch twice leaves the same claims and the same index members: a
re-run is harmless, never a duplicate.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Sequence
from types import TracebackType
from typing import Any

import msgspec
import redis
from rq import get_current_job
from rq.job import Job

from extractors import extract
from workers import faults, inbox, jsonlog, keys, liveness, metrics, store
from workers.queue import PENDING_TTL, started_marker

log = logging.getLogger(__name__)

ATTEMPTS_VARIABLE = "CLAIMEX_EXTRACT_ATTEMPTS"
DEFAULT_ATTEMPTS = 3
RETRY_MARKER = "queued:retry"


def drain() -> int:
    """RQ entry point: extract one inbox batch with the connection RQ's worker holds."""
    job = get_current_job()
    if job is None:  # pragma: no cover - RQ always sets it while running a job
        raise RuntimeError("drain runs inside an RQ job")
    return drain_inbox(job.connection, job.id)


def drain_inbox(connection: redis.Redis, rq_job_id: str) -> int:
    """Take up to ``DRAIN_BATCH`` waiting ids and extract them; how many claims were stored."""
    started = time.perf_counter()
    abstract_ids = inbox.take(connection, rq_job_id, liveness.current_worker())
    if not abstract_ids:
        return 0
    outcome = "failed"
    try:
        result = process(connection, abstract_ids, job_id=rq_job_id, retry=True)
        outcome = "partial" if result.failed else "retrying" if result.retried else "finished"
    finally:
        jsonlog.emit(
            "job",
            job_id=rq_job_id,
            abstracts=len(abstract_ids),
            duration_ms=round(1000 * (time.perf_counter() - started), 2),
            outcome=outcome,
        )
    inbox.release(connection, rq_job_id)
    # Heals a lost enqueue: ids left in the inbox with no drain job coming get one now.
    inbox.top_up(connection)
    return result.claims


class BatchResult(msgspec.Struct, frozen=True):
    """What a batch came to: claims stored, abstracts failed for good, abstracts retried."""

    claims: int
    failed: int
    retried: int


def max_attempts() -> int:
    """How often an abstract whose extraction raises is tried (``CLAIMEX_EXTRACT_ATTEMPTS``)."""
    raw = os.environ.get(ATTEMPTS_VARIABLE, "").strip()
    return max(1, int(raw)) if raw else DEFAULT_ATTEMPTS


def process_batch(connection: redis.Redis, abstract_ids: Sequence[str], *, job_id: str) -> int:
    """Extract and store claims for ``abstract_ids``; return how many claims were stored.

    One abstract whose extraction raises is recorded as failed; the others are still stored.
    """
    return process(connection, abstract_ids, job_id=job_id).claims


def process(
    connection: redis.Redis, abstract_ids: Sequence[str], *, job_id: str, retry: bool = False
) -> BatchResult:
    """``process_batch``, telling what became of the batch.

    With ``retry`` (drain jobs), an abstract whose extraction raises goes back to the end of
    the inbox instead, until it has raised ``max_attempts()`` times; only then is it failed.
    """
    loaded = store.load_for_extraction(connection, abstract_ids, started_marker(job_id))
    batch: list[store.Extracted] = []
    failures: list[tuple[str, str]] = []
    raised: list[tuple[str, str]] = []
    durations: list[float] = []
    for abstract_id, item in zip(abstract_ids, loaded, strict=True):
        if item.abstract is None:
            failures.append((abstract_id, "the abstract is not in the store"))
            continue
        began = time.perf_counter()
        try:
            faults.before_extract(item.abstract.text)
            claims = extract(item.abstract.text)
        except Exception as exc:  # extract() should not raise; one text must not sink a batch
            log.exception("extraction failed for abstract %s", abstract_id)
            raised.append((abstract_id, f"extraction failed: {type(exc).__name__}"))
            continue
        durations.append(time.perf_counter() - began)
        batch.append(store.Extracted(item.abstract, claims, item.old_claims))
    retried: list[str] = []
    if raised and retry:
        counts = _count_attempts(connection, [i for i, _ in raised])
        limit = max_attempts()
        for (abstract_id, message), attempts in zip(raised, counts, strict=True):
            if attempts < limit:
                retried.append(abstract_id)
            else:
                failures.append((abstract_id, f"{message} (after {attempts} attempts)"))
    else:
        failures += raised
    pipe = connection.pipeline(transaction=True)
    store.write_claims(pipe, batch)
    done = [e.abstract.id for e in batch]
    if done:
        pipe.delete(*(keys.pending(i) for i in done), *(keys.error(i) for i in done))
        pipe.delete(*(keys.attempts(i) for i in done))
    for abstract_id, message in failures:
        pipe.set(keys.error(abstract_id), message, ex=PENDING_TTL)
        pipe.delete(keys.pending(abstract_id), keys.attempts(abstract_id))
    for abstract_id in retried:
        pipe.set(keys.pending(abstract_id), RETRY_MARKER, ex=PENDING_TTL)
    if retried:
        pipe.rpush(keys.inbox(), *retried)
    metrics.record_extractions(pipe, durations)
    metrics.count(pipe, "jobs_done" if not failures else "jobs_failed")
    metrics.count(pipe, "abstracts_extracted", len(done))
    metrics.count(pipe, "abstracts_failed", len(failures))
    metrics.count(pipe, "abstracts_retried", len(retried))
    pipe.execute()
    return BatchResult(
        claims=sum(len(e.claims) for e in batch), failed=len(failures), retried=len(retried)
    )


def _count_attempts(connection: redis.Redis, abstract_ids: Sequence[str]) -> list[int]:
    pipe = connection.pipeline(transaction=True)
    for abstract_id in abstract_ids:
        pipe.incr(keys.attempts(abstract_id))
        pipe.expire(keys.attempts(abstract_id), PENDING_TTL)
    replies = pipe.execute()
    return [int(r) for r in replies[::2]]


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
    inbox.release(connection, job.id)


def mark_failed(connection: redis.Redis, abstract_ids: Sequence[str], reason: str) -> None:
    """Record ``reason`` for these abstracts and release their pending markers."""
    pipe = connection.pipeline(transaction=True)
    for abstract_id in abstract_ids:
        pipe.set(keys.error(abstract_id), reason, ex=PENDING_TTL)
        pipe.delete(keys.pending(abstract_id))
    pipe.execute()
