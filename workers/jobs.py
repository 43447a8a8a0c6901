"""The RQ job: take a batch from the inbox, extract claims, store them with their indexes.

A batch costs four Redis round trips whatever its size: one script to take it from the inbox,
one pipeline to read the abstracts (and the claims a previous run stored), one to register the
abbreviations they define and read those their claims use (``workers.aliases``), one MULTI to
write every result. Processing a batch twice leaves the same claims and the same index members: a
re-run is harmless, never a duplicate.
"""

from __future__ import annotations

import contextlib
import logging
import time
import uuid
from typing import TYPE_CHECKING, Any

import msgspec
from rq import get_current_job

from claimex.workers import (
    aliases,
    connections,
    context,
    events,
    inbox,
    jsonlog,
    keys,
    liveness,
    markers,
    metrics,
    store,
)
from claimex.workers.extraction import TIMEOUT_REASON, Extraction, extract_all
from claimex.workers.queue import PENDING_TTL

if TYPE_CHECKING:
    from collections.abc import Sequence
    from types import TracebackType

    import redis
    from rq.job import Job

log = logging.getLogger(__name__)

WRITTEN_TTL = 3600
"""Seconds a batch's write receipt lives (long enough for any retry of that write)."""


def drain() -> int:
    """RQ entry point: extract one inbox batch.

    Redis commands go through a client of their own (``connections.like(…, "job")``), not
    RQ's, whose read timeout is sized for its blocking poll.
    """
    job = get_current_job()
    if job is None:  # pragma: no cover - RQ always sets it while running a job
        raise RuntimeError("drain runs inside an RQ job")
    return drain_inbox(connections.like(job.connection, "job"), job.id, context.of(job))


def drain_inbox(
    connection: redis.Redis, rq_job_id: str, worker: context.WorkerContext = context.DEFAULT
) -> int:
    """Extract up to ``DRAIN_BATCH`` waiting ids as ``worker`` says; how many claims were stored.

    Every Redis step waits through an outage (``connections.through_outage``) and is safe to
    run again, so a Redis restart in the middle of a batch delays it and loses nothing.
    """
    started = time.perf_counter()
    abstract_ids = connections.through_outage(
        lambda: inbox.take(connection, rq_job_id, worker.worker_id), what="take"
    )
    if not abstract_ids:
        return 0
    outcome = "failed"
    try:
        result = process(connection, abstract_ids, job_id=rq_job_id, retry=True, worker=worker)
        outcome = "partial" if result.failed else "retrying" if result.retried else "finished"
    except connections.OUTAGE_ERRORS:
        # Redis stayed away longer than we wait: the batch goes back to the inbox as soon as
        # it returns (by the worker's restart, ``liveness.requeue_own``).
        outcome = "interrupted"
        raise
    finally:
        jsonlog.emit(
            "job",
            job_id=rq_job_id,
            abstracts=len(abstract_ids),
            duration_ms=round(1000 * (time.perf_counter() - started), 2),
            outcome=outcome,
        )
    connections.through_outage(lambda: inbox.release(connection, rq_job_id), what="release")
    # Heals a lost enqueue: ids left in the inbox with no drain job coming get one now.
    connections.through_outage(lambda: inbox.top_up(connection), what="top-up")
    return result.claims


class BatchResult(msgspec.Struct, frozen=True):
    """What a batch came to: claims stored, abstracts failed for good, abstracts retried.

    ``final`` are the abstracts that failed in a way trying again cannot help (over the time
    budget), among ``failed``.
    """

    claims: int
    failed: int
    retried: int
    final: tuple[str, ...] = ()


def process_batch(connection: redis.Redis, abstract_ids: Sequence[str], *, job_id: str) -> int:
    """Extract and store claims for ``abstract_ids``; return how many claims were stored.

    One abstract whose extraction raises is recorded as failed; the others are still stored.
    """
    return process(connection, abstract_ids, job_id=job_id).claims


def is_final(error: bytes | str | None) -> bool:
    """Whether a stored error says the abstract must not be tried again (a timeout)."""
    if error is None:
        return False
    text = error.decode() if isinstance(error, bytes) else error
    return text.startswith(TIMEOUT_REASON)


def process(
    connection: redis.Redis,
    abstract_ids: Sequence[str],
    *,
    job_id: str,
    retry: bool = False,
    worker: context.WorkerContext = context.DEFAULT,
) -> BatchResult:
    """``process_batch``, telling what became of the batch.

    With ``retry`` (drain jobs), an abstract whose extraction raises goes back to the end of
    the inbox instead, until it has raised ``worker.attempts`` times; only then is it failed.
    An abstract over the time budget (``worker.budget``) fails at once, for good.
    """
    marker = markers.started(job_id)
    loaded = connections.through_outage(
        lambda: store.load_for_extraction(connection, abstract_ids, marker), what="load"
    )
    extraction = extract_all(list(zip(abstract_ids, loaded, strict=True)), worker)
    batch, failures, raised = extraction.done, extraction.failed, extraction.raised
    final = tuple(i for i, message in failures if is_final(message))
    retried: list[str] = []
    if raised and retry:
        counts = connections.through_outage(
            lambda: _count_attempts(connection, [i for i, _ in raised]), what="attempts"
        )
        limit = worker.attempts
        for (abstract_id, message), attempts in zip(raised, counts, strict=True):
            if attempts < limit:
                retried.append(abstract_id)
            else:
                failures.append((abstract_id, f"{message} (after {attempts} attempts)"))
    else:
        failures += raised
    token = uuid.uuid4().hex
    first = True
    learned: list[str] = []

    def write() -> None:
        nonlocal batch, first, learned
        if not first:
            # The MULTI may have been applied before its reply was lost: if so, it is done;
            # else the claims stored meanwhile are read again, so that counts move right.
            if connection.exists(keys.written(token)):
                return
            again = store.load_for_extraction(connection, [e.abstract.id for e in batch], marker)
            batch = [
                msgspec.structs.replace(e, old_claims=fresh.old_claims, old_places=fresh.old_places)
                for e, fresh in zip(batch, again, strict=True)
            ]
        first = False
        batch, taught = aliases.resolve(connection, batch)
        learned = learned or taught
        _write(
            connection,
            token,
            batch=batch,
            failures=failures,
            retried=retried,
            extraction=extraction,
        )

    connections.through_outage(write, what="store")
    if learned:
        done = [e.abstract.id for e in batch]
        connections.through_outage(
            lambda: aliases.place_earlier(connection, learned, done), what="aliases"
        )
    # The receipt only served a retry of the write; a lost DEL leaves it to expire.
    with contextlib.suppress(*connections.OUTAGE_ERRORS):
        connection.delete(keys.written(token))
    return BatchResult(
        claims=sum(len(e.claims) for e in batch),
        failed=len(failures),
        retried=len(retried),
        final=final,
    )


def _write(
    connection: redis.Redis,
    token: str,
    *,
    batch: Sequence[store.Extracted],
    failures: Sequence[tuple[str, str]],
    retried: Sequence[str],
    extraction: Extraction,
) -> None:
    """One MULTI: the claims and their indexes, errors, markers, retries, events and counters."""
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
        pipe.set(keys.pending(abstract_id), markers.queued(markers.RETRY), ex=PENDING_TTL)
    if retried:
        pipe.rpush(keys.inbox(), *retried)
    events.queue_settled(
        pipe,
        [events.Settled(e.abstract.id, "finished", len(e.claims)) for e in batch]
        + [events.Settled(i, "failed", error=message) for i, message in failures],
    )
    timed_out = sum(1 for _, message in failures if is_final(message))
    metrics.record_extractions(pipe, extraction.durations)
    metrics.count(pipe, "jobs_done" if not failures else "jobs_failed")
    metrics.count(pipe, "abstracts_extracted", len(done))
    metrics.count(pipe, "abstracts_failed", len(failures))
    metrics.count(pipe, "abstracts_retried", len(retried))
    metrics.count(pipe, "abstracts_timed_out", timed_out)
    metrics.count(pipe, "abstracts_truncated", extraction.truncated)
    pipe.set(keys.written(token), 1, ex=WRITTEN_TTL)
    pipe.execute()


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
    would wait that long. A job that died because Redis was away gives its batch back to the
    inbox instead: nothing was wrong with the abstracts.
    """
    if exc_type is not None and issubclass(exc_type, connections.OUTAGE_ERRORS):
        owner = connection.hget(keys.owners(), job.id)
        if owner is not None:
            liveness.requeue(connection, job.id, store.as_bytes(owner).decode())
            return
    reason = "extraction job failed" if exc_type is None else f"job failed: {exc_type.__name__}"
    mark_failed(connection, inbox.taken_by(connection, job.id), reason)
    inbox.release(connection, job.id)


def mark_failed(connection: redis.Redis, abstract_ids: Sequence[str], reason: str) -> None:
    """Record ``reason`` for these abstracts and release their pending markers."""
    pipe = connection.pipeline(transaction=True)
    for abstract_id in abstract_ids:
        pipe.set(keys.error(abstract_id), reason, ex=PENDING_TTL)
        pipe.delete(keys.pending(abstract_id))
    events.queue_settled(pipe, [events.Settled(i, "failed", error=reason) for i in abstract_ids])
    pipe.execute()
