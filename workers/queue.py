"""Admitting abstracts: store them, mark them pending, enqueue one RQ job; and report on jobs.

An abstract's id is its content hash, so admission is "store if new, enqueue if neither
extracted nor already pending". That decision runs as one Lua script, atomically per request:
two clients sending the same abstract at once get one record and one job between them.

A job's status is derived from the state of its abstracts (extracted, pending, failed), not
from RQ's job hash, so it stays right for abstracts another job is extracting and after RQ has
expired its own records.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Sequence
from typing import Literal

import msgspec
import redis
from rq import Callback, Queue

from extractors.model import Abstract, abstract_id
from workers import keys, store
from workers.errors import JobNotFound

Status = Literal["queued", "started", "finished", "failed"]

PENDING_TTL = 24 * 3600
"""Seconds a pending marker lives: a crashed worker blocks re-sending for at most this long."""

# KEYS: (abstract, claims, pending) per abstract, then the job record.
# ARGV: pending ttl, pending marker, job ttl, job record, then one abstract record per abstract.
# Returns the 0-based positions of the abstracts that need extracting.
_ADMIT = """
local n = (#KEYS - 1) / 3
local todo = {}
for i = 0, n - 1 do
  redis.call('SET', KEYS[3 * i + 1], ARGV[5 + i], 'NX')
  if redis.call('EXISTS', KEYS[3 * i + 2]) == 0 then
    if redis.call('SET', KEYS[3 * i + 3], ARGV[2], 'NX', 'EX', ARGV[1]) then
      todo[#todo + 1] = i
    end
  end
end
redis.call('SET', KEYS[#KEYS], ARGV[4], 'EX', ARGV[3])
return todo
"""

_encoder = msgspec.msgpack.Encoder()


class NewAbstract(msgspec.Struct, frozen=True, kw_only=True):
    """An abstract as a client hands it in, before it has an id or a receipt time."""

    text: str
    title: str | None = None


class JobRecord(msgspec.Struct, frozen=True, kw_only=True):
    """What is kept of a submission: its abstracts and when it was made."""

    id: str
    abstract_ids: tuple[str, ...]
    created_at: float


_job_decoder = msgspec.msgpack.Decoder(JobRecord)


class Submission(msgspec.Struct, frozen=True, kw_only=True):
    """The outcome of admitting abstracts: the job to poll and each abstract's id, in order."""

    job_id: str
    abstract_ids: tuple[str, ...]
    enqueued: tuple[str, ...]
    """The ids this submission's RQ job will extract (the others were done or pending)."""


class AbstractState(msgspec.Struct, frozen=True, kw_only=True):
    """Where one abstract of a job stands."""

    id: str
    status: Status
    error: str | None = None


class JobStatus(msgspec.Struct, frozen=True, kw_only=True):
    """A job as reported to clients."""

    id: str
    status: Status
    abstract_ids: tuple[str, ...]
    abstracts: tuple[AbstractState, ...]
    created_at: float
    error: str | None = None


def queued_marker(job_id: str) -> str:
    return f"queued:{job_id}"


def started_marker(job_id: str) -> str:
    return f"started:{job_id}"


def submit(
    connection: redis.Redis,
    abstracts: Sequence[NewAbstract],
    *,
    source: str,
    job_ttl: int,
) -> Submission:
    """Store the abstracts, then enqueue one job for those that need extracting.

    When this returns, every abstract is in Redis (the API answers 202 only after that).
    """
    now = time.time()
    job_id = uuid.uuid4().hex
    ids = tuple(abstract_id(a.text) for a in abstracts)
    first: dict[str, NewAbstract] = {}
    for new_id, new in zip(ids, abstracts, strict=True):
        first.setdefault(new_id, new)
    unique = list(first)
    script_keys: list[str] = []
    records: list[bytes] = []
    for new_id, new in first.items():
        script_keys += [keys.abstract(new_id), keys.claims(new_id), keys.pending(new_id)]
        record = Abstract(id=new_id, text=new.text, title=new.title, source=source, received_at=now)
        records.append(store.encode_abstract(record))
    script_keys.append(keys.job(job_id))
    job = JobRecord(id=job_id, abstract_ids=tuple(unique), created_at=now)
    positions = connection.eval(
        _ADMIT,
        len(script_keys),
        *script_keys,
        PENDING_TTL,
        queued_marker(job_id),
        job_ttl,
        _encoder.encode(job),
        *records,
    )
    todo = tuple(unique[int(p)] for p in positions)
    if todo:
        try:
            _enqueue(connection, job_id, todo, job_ttl)
        except BaseException:
            # Without a job the markers would block re-sending until they expire.
            connection.delete(*(keys.pending(i) for i in todo))
            raise
    return Submission(job_id=job_id, abstract_ids=ids, enqueued=todo)


def _enqueue(connection: redis.Redis, job_id: str, ids: Sequence[str], job_ttl: int) -> None:
    # The function is named, not imported, so the API process never loads the extractor.
    Queue(keys.QUEUE, connection=connection).enqueue_call(
        "workers.jobs.extract_batch",
        args=(list(ids),),
        job_id=job_id,
        timeout=60 + 2 * len(ids),
        result_ttl=600,
        failure_ttl=job_ttl,
        on_failure=Callback("workers.jobs.on_batch_failure"),
    )


def job_status(connection: redis.Redis, job_id: str) -> JobStatus:
    """The job's status and each of its abstracts', read in two round trips."""
    blob = connection.get(keys.job(job_id))
    if blob is None:
        raise JobNotFound(job_id)
    job = _job_decoder.decode(store.as_bytes(blob))
    pipe = connection.pipeline(transaction=False)
    for i in job.abstract_ids:
        pipe.exists(keys.claims(i))
        pipe.get(keys.pending(i))
        pipe.get(keys.error(i))
    replies = pipe.execute()
    states = tuple(
        _state(i, replies[3 * n], replies[3 * n + 1], replies[3 * n + 2])
        for n, i in enumerate(job.abstract_ids)
    )
    return JobStatus(
        id=job.id,
        status=_overall(states),
        abstract_ids=job.abstract_ids,
        abstracts=states,
        created_at=job.created_at,
        error=next((s.error for s in states if s.error), None),
    )


def _state(
    abstract_id: str, extracted: int, marker: bytes | None, error: bytes | None
) -> AbstractState:
    if marker is not None:
        started = marker.startswith(b"started:")
        return AbstractState(id=abstract_id, status="started" if started else "queued")
    if extracted:
        return AbstractState(id=abstract_id, status="finished")
    if error is not None:
        return AbstractState(id=abstract_id, status="failed", error=error.decode())
    return AbstractState(
        id=abstract_id,
        status="failed",
        error="no worker finished this abstract before its job expired; send it again",
    )


def _overall(states: Sequence[AbstractState]) -> Status:
    found = {s.status for s in states}
    if "started" in found:
        return "started"
    if "queued" in found:
        return "queued"
    if "failed" in found:
        return "failed"
    return "finished"
