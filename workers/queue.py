"""Admitting abstracts: store them, mark them pending, hand them to workers; report on jobs.

An abstract's id is its content hash, so admission is "store if new, queue for extraction if
neither extracted nor already pending". That decision runs as one Lua script, atomically per
request: two clients sending the same abstract at once get one record and one extraction.
Admitted ids go to the inbox (``workers.inbox``), which RQ drain jobs empty in batches.

A job here is a *submission*: the abstracts of one request. Its status is derived from the
state of those abstracts (extracted, pending, failed), never from RQ's own job records, so it
stays right for abstracts that another request already queued and after RQ expires its data.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Sequence
from typing import Literal

import anyio.to_thread
import msgspec
import redis
import redis.asyncio

from claimex.extractors.model import Abstract, abstract_id
from claimex.workers import events, inbox, keys, store
from claimex.workers.errors import JobNotFound

Status = Literal["queued", "started", "finished", "failed"]

PENDING_TTL = 24 * 3600
"""Seconds a pending marker lives: a crashed worker blocks re-sending for at most this long."""

# KEYS: (abstract, claims, pending) per abstract, then the job record, the inbox, the drains.
# ARGV: pending ttl, pending marker, job ttl, job record, drain batch, then one abstract
# record per abstract, then their ids, then the job id, the key prefix, the time now and the
# webhook URL ('' for none).
# Returns {positions of the abstracts queued for extraction (0-based), drain jobs to enqueue}.
# It also opens the job's event stream (workers.events): "queued", the abstracts already
# extracted, and the job as a watcher of every other one.
_ADMIT = (
    inbox.PLAN_LUA
    + events.LUA
    + """
local n = (#KEYS - 3) / 3
local job, prefix = ARGV[6 + 2 * n], ARGV[7 + 2 * n]
local now, callback = ARGV[8 + 2 * n], ARGV[9 + 2 * n]
local stream, state = prefix .. 'events:' .. job, prefix .. 'job-state:' .. job
local todo, watched, done = {}, {}, {}
local started = false
for i = 0, n - 1 do
  local id = ARGV[6 + n + i]
  redis.call('SET', KEYS[3 * i + 1], ARGV[6 + i], 'NX')
  local claims = redis.call('GET', KEYS[3 * i + 2])
  if claims then
    done[#done + 1] = {id, claim_count(claims)}
  else
    watched[#watched + 1] = id
    if redis.call('SET', KEYS[3 * i + 3], ARGV[2], 'NX', 'EX', ARGV[1]) then
      todo[#todo + 1] = i
      redis.call('RPUSH', KEYS[#KEYS - 1], id)
    elseif string.sub(redis.call('GET', KEYS[3 * i + 3]) or '', 1, 8) == 'started:' then
      started = true
    end
  end
end
redis.call('SET', KEYS[#KEYS - 2], ARGV[4], 'EX', ARGV[3])
redis.call('HSET', state, 'left', #watched, 'failed', 0)
if callback ~= '' then redis.call('HSET', state, 'callback', callback) end
redis.call('EXPIRE', state, ARGV[3])
redis.call('RPUSH', stream, cjson.encode({event = 'status', status = 'queued', abstracts = n}))
if started then job_start(prefix, job) end
for _, item in ipairs(done) do
  redis.call('RPUSH', stream, cjson.encode(
    {event = 'abstract', id = item[1], status = 'finished', claims = item[2]}))
end
for _, id in ipairs(watched) do
  redis.call('SADD', prefix .. 'watch:' .. id, job)
  redis.call('EXPIRE', prefix .. 'watch:' .. id, ARGV[1])
end
if #watched == 0 then job_finish(prefix, job, now) end
redis.call('EXPIRE', stream, ARGV[3])
return {todo, plan(KEYS[#KEYS - 1], KEYS[#KEYS], tonumber(ARGV[5]))}
"""
)

_encoder = msgspec.msgpack.Encoder()


class NewAbstract(msgspec.Struct, frozen=True, kw_only=True):
    """An abstract as a client hands it in, before it has an id or a receipt time."""

    text: str
    title: str | None = None
    date: str | None = None  # ISO 8601 (``workers.dates``), checked by whoever read it


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
    """The ids this submission queued for extraction (the others were done or pending)."""


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


class _Admission(msgspec.Struct, frozen=True):
    """Everything the admission script needs, computed before touching Redis."""

    job_id: str
    ids: tuple[str, ...]
    unique: tuple[str, ...]
    script_args: tuple[object, ...]


def _prepare(
    abstracts: Sequence[NewAbstract], source: str, job_ttl: int, callback_url: str | None
) -> _Admission:
    now = time.time()
    job_id = uuid.uuid4().hex
    ids = tuple(abstract_id(a.text) for a in abstracts)
    first: dict[str, NewAbstract] = {}
    for new_id, new in zip(ids, abstracts, strict=True):
        first.setdefault(new_id, new)
    script_keys: list[str] = []
    records: list[bytes] = []
    for new_id, new in first.items():
        script_keys += [keys.abstract(new_id), keys.claims(new_id), keys.pending(new_id)]
        record = Abstract(
            id=new_id, text=new.text, title=new.title, source=source, received_at=now, date=new.date
        )
        records.append(store.encode_abstract(record))
    script_keys += [keys.job(job_id), keys.inbox(), keys.drains()]
    job = JobRecord(id=job_id, abstract_ids=tuple(first), created_at=now)
    args = (
        len(script_keys),
        *script_keys,
        PENDING_TTL,
        queued_marker(job_id),
        job_ttl,
        _encoder.encode(job),
        inbox.DRAIN_BATCH,
        *records,
        *first,
        job_id,
        keys.PREFIX,
        repr(now),
        callback_url or "",
    )
    return _Admission(job_id=job_id, ids=ids, unique=tuple(first), script_args=args)


def _submission(admission: _Admission, positions: Sequence[int]) -> Submission:
    todo = tuple(admission.unique[int(p)] for p in positions)
    return Submission(job_id=admission.job_id, abstract_ids=admission.ids, enqueued=todo)


def submit(
    connection: redis.Redis,
    abstracts: Sequence[NewAbstract],
    *,
    source: str,
    job_ttl: int,
    callback_url: str | None = None,
) -> Submission:
    """Store the abstracts and queue those that need extracting, in one atomic step.

    When this returns, every abstract is in Redis (the API answers 202 only after that).
    ``callback_url`` (already checked, ``workers.callbacks``) gets the job's status when it
    ends (``workers.webhooks``).
    """
    admission = _prepare(abstracts, source, job_ttl, callback_url)
    positions, drains = inbox.run_script(connection, _ADMIT, *admission.script_args)
    # Should this fail, the ids wait in the inbox and the next admission queues their jobs.
    inbox.enqueue_drains(connection, int(drains))
    return _submission(admission, positions)


async def submit_async(
    connection: redis.asyncio.Redis,
    sync_connection: redis.Redis,
    abstracts: Sequence[NewAbstract],
    *,
    source: str,
    job_ttl: int,
    callback_url: str | None = None,
) -> Submission:
    """``submit`` for an event loop: the admission script runs on the asyncio client.

    RQ only speaks to a blocking client, so enqueuing drain jobs (needed by one request in
    ``DRAIN_BATCH`` under load) runs on ``sync_connection`` in a worker thread.
    """
    admission = _prepare(abstracts, source, job_ttl, callback_url)
    positions, drains = await inbox.run_script_async(connection, _ADMIT, *admission.script_args)
    if int(drains) > 0:
        await anyio.to_thread.run_sync(inbox.enqueue_drains, sync_connection, int(drains))
    return _submission(admission, positions)


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
