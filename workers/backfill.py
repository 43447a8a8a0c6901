"""Backfill: store a stream of abstracts and queue their extraction in batches, resumably.

The stream comes from ``workers.readers`` and is consumed a chunk at a time (``CHUNK_JOBS``
jobs of ``batch_size`` abstracts), so memory stays flat however long the corpus is. For each
chunk, two or three round trips:

1. one Lua script, atomic per chunk: store each abstract unless stored (``SET NX``, the first
   receipt wins, as in the API), skip it if extracted, else claim its pending marker
   (``SET NX``) naming the RQ job that is about to carry it;
2. only for abstracts whose marker was already held: is the job it names still alive? If not
   (see ``_dead_markers``), the marker is taken over by compare-and-set and they are requeued;
3. one MULTI with every RQ job of the chunk (``enqueue_many``) and their job records (so
   ``GET /v1/jobs/{id}`` answers for them).

With ``Plan.reextract`` (``claimex backfill --reextract``) abstracts that already have claims
are queued again too, as after an extractor upgrade; the worker replaces their claims.

Resumable, because Redis is the only memory of what was done. A run killed after step 1 leaves
abstracts stored with a marker that names a job which does not exist; the rerun finds them
there, finds no such job, and queues them again. Abstracts already extracted or held by a live
job are skipped; stored abstracts with no marker at all (extraction failed, or the marker
expired) are queued again — rerunning is also how failed abstracts are retried. Ids are
content hashes, so nothing a rerun does can create a second record.
"""

from __future__ import annotations

import itertools
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence

import msgspec
import redis
from rq import Callback, Queue, Retry
from rq.job import Job

from claimex.extractors.model import Abstract
from claimex.workers import inbox, keys, limits, queue, store
from claimex.workers.readers import SourceRecord

BATCH_SIZE = 32
"""Abstracts per RQ job: ~0.1 s of extraction, which amortises RQ's few ms per job."""

CHUNK_JOBS = 16
"""Jobs enqueued per round trip; with ``BATCH_SIZE`` it bounds the records held in memory."""

RETRIES = 2
"""Times RQ runs a failed batch job again before keeping it as failed."""

RESULT_TTL = 600

_LIVE_STATUSES = frozenset({b"queued", b"started", b"scheduled", b"deferred"})

# KEYS: (abstract, claims, pending) per abstract.  ARGV: pending ttl, "1" to queue extracted
# abstracts again (else "0"), then the abstract record of each, then the marker for each.
# Returns per abstract: 0 stored now and queued, 1 already extracted, 2 stored before (not
# extracted, no marker — or extracted, with re-extraction asked for) and queued again, else
# the marker that already holds it.
_ADMIT = """
local n = #KEYS / 3
local out = {}
for i = 0, n - 1 do
  local fresh = redis.call('SET', KEYS[3 * i + 1], ARGV[3 + i], 'NX')
  if ARGV[2] ~= '1' and redis.call('EXISTS', KEYS[3 * i + 2]) == 1 then
    out[i + 1] = 1
  elseif redis.call('SET', KEYS[3 * i + 3], ARGV[3 + n + i], 'NX', 'EX', ARGV[1]) then
    out[i + 1] = fresh and 0 or 2
  else
    out[i + 1] = redis.call('GET', KEYS[3 * i + 3])
  end
end
return out
"""

# KEYS: pending markers.  ARGV: pending ttl, then the marker each is expected to hold, then
# the marker to put in its place.  Returns 1 per marker replaced, 0 where it had changed.
_TAKE_OVER = """
local n = #KEYS
local out = {}
for i = 1, n do
  if redis.call('GET', KEYS[i]) == ARGV[1 + i] then
    redis.call('SET', KEYS[i], ARGV[1 + n + i], 'EX', ARGV[1])
    out[i] = 1
  else
    out[i] = 0
  end
end
return out
"""

_encoder = msgspec.msgpack.Encoder()


class Counts(msgspec.Struct, kw_only=True):
    """What a backfill has seen and caused so far (mutable: updated chunk by chunk)."""

    read: int = 0
    malformed: int = 0
    new: int = 0
    """Stored by this run and queued."""
    requeued: int = 0
    """Stored earlier but never extracted, with no live job: queued again by this run."""
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
        return self.extracted + self.queued + self.repeated


class Plan(msgspec.Struct, frozen=True, kw_only=True):
    """How a backfill cuts its work: abstracts per job, and how long records are kept."""

    batch_size: int = BATCH_SIZE
    job_ttl: int = 7 * 24 * 3600
    retries: int = RETRIES
    reextract: bool = False
    """Queue abstracts that already have claims again (after an extractor upgrade): the new
    claims replace the old ones and their table rows."""


DEFAULT_PLAN = Plan()


def new_run_id() -> str:
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
    for chunk in chunked(records, plan.batch_size * CHUNK_JOBS):
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
    """Store, classify and queue one chunk (see the module docstring for the steps)."""
    counts.read += len(chunk)
    unique = _first_of_each(chunk)
    counts.repeated += len(chunk) - len(unique)
    now = time.time()
    # Each slice of batch_size abstracts gets its job id before the script runs, so that the
    # markers it sets name the job that will carry them.
    job_ids = [uuid.uuid4().hex for _ in range(0, len(unique), plan.batch_size)]
    markers = [queue.queued_marker(job_ids[n // plan.batch_size]) for n in range(len(unique))]
    script_keys = [
        key for r in unique for key in (keys.abstract(r.id), keys.claims(r.id), keys.pending(r.id))
    ]
    records = [store.encode_abstract(_abstract(r, now)) for r in unique]
    replies = inbox.run_script(
        connection,
        _ADMIT,
        len(script_keys),
        *script_keys,
        queue.PENDING_TTL,
        "1" if plan.reextract else "0",
        *records,
        *markers,
    )
    batches: dict[str, list[str]] = {job_id: [] for job_id in job_ids}
    held: dict[str, bytes] = {}
    for record, marker, reply in zip(unique, markers, replies, strict=True):
        if reply in (0, 2):
            batches[marker.removeprefix("queued:")].append(record.id)
            counts.new += reply == 0
            counts.requeued += reply == 2
        elif reply == 1:
            counts.extracted += 1
        else:
            held[record.id] = reply
    taken = _take_over(connection, _dead_markers(connection, held), plan.batch_size)
    counts.requeued += sum(len(ids) for ids in taken.values())
    counts.queued += len(held) - sum(len(ids) for ids in taken.values())
    batches |= taken
    _enqueue(connection, {j: ids for j, ids in batches.items() if ids}, run_id, plan, now)


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
        pipe.get(keys.pending(record.id))
    replies = pipe.execute()
    held: dict[str, bytes] = {}
    for n, record in enumerate(unique):
        stored, extracted, marker = replies[3 * n : 3 * n + 3]
        if extracted and not reextract:
            counts.extracted += 1
        elif marker is not None:
            held[record.id] = marker
        elif stored:
            counts.requeued += 1
        else:
            counts.new += 1
    dead = len(_dead_markers(connection, held))
    counts.requeued += dead
    counts.queued += len(held) - dead


def outcome(connection: redis.Redis, run_id: str) -> tuple[int, int]:
    """How many of the run's queued abstracts its jobs finished: (done, failed)."""
    done, failed = connection.hmget(keys.backfill_run(run_id), ["done", "failed"])
    return int(done or 0), int(failed or 0)


class Activity(msgspec.Struct, frozen=True, kw_only=True):
    """What the claimex queue holds right now, and how many workers listen to it."""

    queued: int
    started: int
    scheduled: int
    workers: int

    @property
    def idle(self) -> bool:
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


def _abstract(record: SourceRecord, now: float) -> Abstract:
    where = "stdin" if record.source == "-" else record.source
    return Abstract(
        id=record.id,
        text=record.text,
        title=record.title,
        source=f"{where}:{record.line}",
        received_at=now,
        date=record.date,
    )


def _dead_markers(connection: redis.Redis, held: dict[str, bytes]) -> dict[str, bytes]:
    """The markers among ``held`` (abstract id → marker) that name no live job.

    A marker ``queued:X`` or ``started:X`` is alive when RQ job X is waiting, running or
    waiting for a retry. With no RQ job X, it is alive only if X is a submission record: the
    API queues through the inbox, whose drain jobs have ids of their own. A backfill writes
    its RQ jobs and their records in one MULTI, so a backfill marker with neither is the trace
    of a run killed between storing and enqueuing: dead.
    """
    if not held:
        return {}
    job_ids = {marker.partition(b":")[2].decode() for marker in held.values()}
    ordered = sorted(job_ids)
    pipe = connection.pipeline(transaction=False)
    for job_id in ordered:
        pipe.hget(Job.key_for(job_id), "status")
        pipe.exists(keys.job(job_id))
    replies = pipe.execute()
    alive = {
        job_id
        for n, job_id in enumerate(ordered)
        if replies[2 * n] in _LIVE_STATUSES or (replies[2 * n] is None and replies[2 * n + 1])
    }
    return {
        abstract_id: marker
        for abstract_id, marker in held.items()
        if marker.partition(b":")[2].decode() not in alive
    }


def _take_over(
    connection: redis.Redis, dead: dict[str, bytes], batch_size: int
) -> dict[str, list[str]]:
    """Point dead markers at new jobs (compare-and-set); the new jobs' ids and abstracts."""
    if not dead:
        return {}
    ids = list(dead)
    job_ids = [uuid.uuid4().hex for _ in range(0, len(ids), batch_size)]
    new_markers = [queue.queued_marker(job_ids[n // batch_size]) for n in range(len(ids))]
    replaced = inbox.run_script(
        connection,
        _TAKE_OVER,
        len(ids),
        *(keys.pending(i) for i in ids),
        queue.PENDING_TTL,
        *(dead[i] for i in ids),
        *new_markers,
    )
    taken: dict[str, list[str]] = {}
    for abstract_id, marker, ok in zip(ids, new_markers, replaced, strict=True):
        if ok:
            taken.setdefault(marker.removeprefix("queued:"), []).append(abstract_id)
    return taken


def _enqueue(
    connection: redis.Redis, batches: dict[str, list[str]], run_id: str, plan: Plan, now: float
) -> None:
    """Every batch as one RQ job plus its job record, all in one MULTI."""
    if not batches:
        return
    rq_queue = Queue(keys.QUEUE, connection=connection)
    jobs = [
        Queue.prepare_data(
            # Named, not imported: this process never loads the extractor.
            "claimex.workers.batches.extract_batch",
            args=(ids,),
            kwargs={"run_id": run_id},
            job_id=job_id,
            timeout=limits.job_timeout(plan.batch_size),
            result_ttl=RESULT_TTL,
            failure_ttl=plan.job_ttl,
            retry=Retry(max=plan.retries) if plan.retries else None,
            on_failure=Callback("claimex.workers.batches.on_batch_failure"),
        )
        for job_id, ids in batches.items()
    ]
    pipe = connection.pipeline(transaction=True)
    rq_queue.enqueue_many(jobs, pipeline=pipe)
    for job_id, ids in batches.items():
        record = queue.JobRecord(id=job_id, abstract_ids=tuple(ids), created_at=now)
        pipe.set(keys.job(job_id), _encoder.encode(record), ex=plan.job_ttl)
    # Created here so that it exists, and expires, even before a job counts into it.
    pipe.hincrby(keys.backfill_run(run_id), "done", 0)
    pipe.expire(keys.backfill_run(run_id), plan.job_ttl)
    pipe.execute()
