"""Backfill: store a stream of abstracts and queue their extraction, resumably.

The stream comes from ``workers.readers`` and is consumed a chunk at a time (``BATCH_SIZE``
records), so memory stays flat however long the corpus is. Each chunk is one submission
through the same admission as the API's (``workers.queue.submit``, one Lua script): each
abstract is stored unless stored (the first receipt wins), skipped if extracted or already
held by a job, else queued. A backfill's ids wait in the bulk inbox, which drain jobs take
from only when nothing interactive waits; from there on they are the API's: the same drain
jobs, the same retries of an abstract whose extraction raises, the same dead-worker reaper
(``workers.liveness``).

With ``Plan.reextract`` (``claimex backfill --reextract``) abstracts that already have claims
are queued again too, as after an extractor upgrade; the worker replaces their claims.

Each chunk's job is recorded under its run (``keys.backfill_run``: job id → abstracts queued),
and the run's done and failed counts are read from those jobs' own counters (``keys.job_state``,
kept by the store's MULTI, ``workers.events``): the records the API's jobs use.

Resumable, because Redis is the only memory of what was done. Admission is atomic per chunk
and puts the ids in the inbox in the same step, so a run killed at any point leaves every
stored abstract either extracted, queued, or (if its extraction failed) free to be queued
again by the next run; a drain job lost on the way is replaced by the next admission's count.
Ids are content hashes, so nothing a rerun does can create a second record.
"""

from __future__ import annotations

import itertools
import uuid
from typing import TYPE_CHECKING, Any

import msgspec
from rq import Queue

from claimex.workers import keys, queue

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Sequence

    import redis

    from claimex.workers.sources import SourceRecord

BATCH_SIZE = 512
"""Records read, stored and queued per round trip (one admission, one job); it bounds the
records held in memory."""


class Counts(msgspec.Struct, kw_only=True):
    """What a backfill has seen and caused so far (mutable: updated chunk by chunk)."""

    read: int = 0
    malformed: int = 0
    new: int = 0
    """Stored by this run and queued."""
    requeued: int = 0
    """Stored earlier but not extracted (never, or it failed; or re-extraction asked for) and
    not held by a job: queued again by this run."""
    extracted: int = 0
    """Skipped: claims already stored."""
    queued: int = 0
    """Skipped: a live job already holds it (another run, the API, or earlier in this run)."""
    repeated: int = 0
    """Skipped: the same text again within one chunk (repeats further apart count as queued)."""
    done: int = 0
    failed: int = 0

    @property
    def expected(self) -> int:
        """Abstracts this run queued, which its jobs will count as done or failed."""
        return self.new + self.requeued

    @property
    def skipped(self) -> int:
        """Abstracts this run left alone: already extracted, held by a live job, or repeated."""
        return self.extracted + self.queued + self.repeated


class Plan(msgspec.Struct, frozen=True, kw_only=True):
    """How a backfill cuts its work: abstracts per job, how long records stay, re-extraction.

    ``batch_size`` abstracts are admitted at a time, as one job; its records are kept for
    ``job_ttl`` seconds; ``reextract`` queues abstracts that already have claims again.
    """

    batch_size: int = BATCH_SIZE
    job_ttl: int = 7 * 24 * 3600
    reextract: bool = False
    """Queue abstracts that already have claims again (after an extractor upgrade): the new
    claims replace the old ones and their table rows."""


DEFAULT_PLAN = Plan()


def new_run_id() -> str:
    """A fresh random id for one backfill run: 16 hex digits."""
    return uuid.uuid4().hex[:16]


def chunked(records: Iterable[SourceRecord], size: int) -> Iterator[list[SourceRecord]]:
    """Consecutive lists of at most ``size`` records, read lazily."""
    iterator = iter(records)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def backfill(
    connection: redis.Redis,
    records: Iterable[SourceRecord],
    *,
    run_id: str,
    counts: Counts,
    plan: Plan = DEFAULT_PLAN,
    on_chunk: Callable[[Counts], None] = lambda counts: None,
) -> Counts:
    """Store and queue every record of ``records``; ``counts`` is updated after each chunk."""
    for chunk in chunked(records, plan.batch_size):
        enqueue_chunk(connection, chunk, run_id=run_id, counts=counts, plan=plan)
        on_chunk(counts)
    return counts


def enqueue_chunk(
    connection: redis.Redis,
    chunk: Sequence[SourceRecord],
    *,
    run_id: str,
    counts: Counts,
    plan: Plan,
) -> None:
    """Admit one chunk as one submission, count what became of each record, record its job."""
    counts.read += len(chunk)
    new = [
        queue.NewAbstract(text=r.text, title=r.title, date=r.date, source=_source(r)) for r in chunk
    ]
    submission = queue.submit(
        connection,
        new,
        source="backfill",
        job_ttl=plan.job_ttl,
        bulk=True,
        reextract=plan.reextract,
        backfill=True,
    )
    counts.repeated += len(chunk) - len(submission.unique)
    admitted = submission.admitted
    counts.new += admitted.count("new")
    counts.requeued += admitted.count("requeued")
    counts.extracted += admitted.count("extracted")
    counts.queued += admitted.count("pending")
    pipe = connection.pipeline(transaction=True)
    pipe.hset(keys.backfill_run(run_id), submission.job_id, len(submission.enqueued))
    pipe.expire(keys.backfill_run(run_id), plan.job_ttl)
    pipe.execute()


def survey_chunk(
    connection: redis.Redis | None,
    chunk: Sequence[SourceRecord],
    counts: Counts,
    reextract: bool = False,
) -> None:
    """``--dry-run``: count a chunk as ``enqueue_chunk`` would, reading Redis, writing nothing.

    Without a connection every distinct record of the chunk counts as new. Repeats are only
    recognised within a chunk: a dry run keeps no memory of the records it has read.
    """
    counts.read += len(chunk)
    unique = _first_of_each(chunk)
    counts.repeated += len(chunk) - len(unique)
    if connection is None:
        counts.new += len(unique)
        return
    pipe = connection.pipeline(transaction=False)
    for record in unique:
        pipe.exists(keys.abstract(record.id))
        pipe.exists(keys.claims(record.id))
        pipe.exists(keys.pending(record.id))
    replies = pipe.execute()
    for n in range(len(unique)):
        stored, extracted, pending = replies[3 * n : 3 * n + 3]
        if extracted and not reextract:
            counts.extracted += 1
        elif pending:
            counts.queued += 1
        elif stored:
            counts.requeued += 1
        else:
            counts.new += 1


def outcome(connection: redis.Redis, run_id: str) -> tuple[int, int]:
    """How many of the run's queued abstracts are finished: (done, failed), from its jobs."""
    raw: Any = connection.hgetall(keys.backfill_run(run_id))
    jobs = [(job_id.decode(), int(queued)) for job_id, queued in raw.items()]
    if not jobs:
        return 0, 0
    pipe = connection.pipeline(transaction=False)
    for job_id, _ in jobs:
        pipe.hmget(keys.job_state(job_id), ["left", "failed"])
    done = failed = 0
    for (_, queued), (left, failed_here) in zip(jobs, pipe.execute(), strict=True):
        if left is None:  # the job's records expired: nothing left to count
            continue
        failed += int(failed_here or 0)
        done += queued - int(left) - int(failed_here or 0)
    return done, failed


class Activity(msgspec.Struct, frozen=True, kw_only=True):
    """What the claimex queue holds right now, and how many workers listen to it."""

    queued: int
    started: int
    scheduled: int
    workers: int

    @property
    def idle(self) -> bool:
        """Whether no job is waiting, running or waiting for a retry."""
        return self.queued == self.started == self.scheduled == 0


def activity(connection: redis.Redis) -> Activity:
    """The claimex queue's jobs (waiting, running, waiting for a retry) and its workers."""
    from rq import Worker  # noqa: PLC0415  # only --wait needs it

    rq_queue = Queue(keys.QUEUE, connection=connection)
    return Activity(
        queued=rq_queue.count,
        started=rq_queue.started_job_registry.count,
        scheduled=rq_queue.scheduled_job_registry.count,
        workers=Worker.count(queue=rq_queue),
    )


def _first_of_each(chunk: Sequence[SourceRecord]) -> list[SourceRecord]:
    """The chunk without repeats (first occurrence kept, order kept)."""
    first: dict[str, SourceRecord] = {}
    for record in chunk:
        first.setdefault(record.id, record)
    return list(first.values())


def _source(record: SourceRecord) -> str:
    where = "stdin" if record.source == "-" else record.source
    return f"{where}:{record.line}"
