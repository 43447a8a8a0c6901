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
from typing import TYPE_CHECKING, Literal

import anyio.to_thread
import msgspec
import redis

from claimex.extractors.model import Abstract, abstract_id
from claimex.workers import inbox, keys, lua, markers, store
from claimex.workers.errors import JobNotFound

if TYPE_CHECKING:
    from collections.abc import Sequence

    import redis.asyncio

Status = Literal["queued", "started", "finished", "failed"]

PENDING_TTL = 24 * 3600
"""Seconds a pending marker lives: a crashed worker blocks re-sending for at most this long."""

_ADMIT = lua.source("plan", "events", "admit")

_encoder = msgspec.msgpack.Encoder()


class NewAbstract(msgspec.Struct, frozen=True, kw_only=True):
    """An abstract as a client hands it in, before it has an id or a receipt time."""

    text: str
    title: str | None = None
    date: str | None = None  # ISO 8601 (``workers.dates``), checked by whoever read it
    source: str | None = None
    """Where it came from ("api", "corpus.txt:12"), if not the submission's ``source``."""


class JobRecord(msgspec.Struct, frozen=True, kw_only=True):
    """What is kept of a submission: its abstracts and when it was made."""

    id: str
    abstract_ids: tuple[str, ...]
    created_at: float


_job_decoder = msgspec.msgpack.Decoder(JobRecord)


Admitted = Literal["new", "extracted", "requeued", "pending"]
"""What admission did with one abstract: stored it and queued it (``new``), skipped it because
it has claims (``extracted``), queued again one stored before (``requeued``: never extracted,
failed, or re-extraction asked for), or skipped it because a job already holds it."""
_ADMITTED: tuple[Admitted, ...] = ("new", "extracted", "requeued", "pending")


class Options(msgspec.Struct, frozen=True, kw_only=True):
    """How a submission is admitted; the API's are the defaults.

    A backfill sets ``bulk`` (its ids wait in the bulk inbox, drained only when nothing
    interactive waits) and ``backfill`` (its job waits only for what it queued and records no
    event per abstract).
    """

    source: str
    job_ttl: int
    callback_url: str | None = None
    bulk: bool = False
    reextract: bool = False
    backfill: bool = False


class Submission(msgspec.Struct, frozen=True, kw_only=True):
    """The outcome of admitting abstracts: the job to poll and each abstract's id, in order."""

    job_id: str
    abstract_ids: tuple[str, ...]
    unique: tuple[str, ...]
    """The distinct ids, first occurrence first: what ``admitted`` is about."""
    admitted: tuple[Admitted, ...]

    @property
    def enqueued(self) -> tuple[str, ...]:
        """The ids this submission queued for extraction (the others were done or pending)."""
        return tuple(
            i for i, a in zip(self.unique, self.admitted, strict=True) if a in ("new", "requeued")
        )


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


class _Admission(msgspec.Struct, frozen=True):
    """Everything the admission script needs, computed before touching Redis."""

    job_id: str
    ids: tuple[str, ...]
    unique: tuple[str, ...]
    script_keys: tuple[str, ...]
    script_args: tuple[str | bytes | int, ...]


def _prepare(abstracts: Sequence[NewAbstract], options: Options, now: float) -> _Admission:
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
            id=new_id,
            text=new.text,
            title=new.title,
            source=new.source or options.source,
            received_at=now,
            date=new.date,
        )
        records.append(store.encode_abstract(record))
    script_keys += [keys.job(job_id), keys.inbox(), keys.bulk_inbox(), keys.drains()]
    job = JobRecord(id=job_id, abstract_ids=tuple(first), created_at=now)
    flags = [options.bulk, options.reextract, options.backfill]
    args = (
        PENDING_TTL,
        markers.queued(job_id),
        options.job_ttl,
        _encoder.encode(job),
        inbox.DRAIN_BATCH,
        job_id,
        keys.PREFIX,
        repr(now),
        options.callback_url or "",
        *("1" if flag else "0" for flag in flags),
        *records,
        *first,
    )
    return _Admission(
        job_id=job_id,
        ids=ids,
        unique=tuple(first),
        script_keys=tuple(script_keys),
        script_args=args,
    )


def _submission(admission: _Admission, codes: Sequence[int]) -> Submission:
    return Submission(
        job_id=admission.job_id,
        abstract_ids=admission.ids,
        unique=admission.unique,
        admitted=tuple(_ADMITTED[int(c)] for c in codes),
    )


def submit(
    connection: redis.Redis,
    abstracts: Sequence[NewAbstract],
    *,
    source: str,
    job_ttl: int,
    callback_url: str | None = None,
    bulk: bool = False,
    reextract: bool = False,
    backfill: bool = False,
) -> Submission:
    """Store the abstracts and queue those that need extracting, in one atomic step.

    The keyword arguments are ``Options``'s.

    When this returns, every abstract is in Redis (the API answers 202 only after that).
    ``callback_url`` (already checked, ``workers.callbacks``) gets the job's status when it
    ends (``workers.webhooks``).
    """
    now = time.time()
    options = Options(
        source=source,
        job_ttl=job_ttl,
        callback_url=callback_url,
        bulk=bulk,
        reextract=reextract,
        backfill=backfill,
    )
    admission = _prepare(abstracts, options, now)
    script = connection.register_script(_ADMIT)
    codes, drains = script(keys=admission.script_keys, args=admission.script_args)
    # Should this fail, the ids wait in the inbox and the next admission queues their jobs.
    inbox.enqueue_drains(connection, int(drains))
    submission = _submission(admission, codes)
    if backfill and len(submission.enqueued) < len(submission.unique):
        # A backfill's job is what it queued: its status must not wait for abstracts that
        # another job holds, nor list those it skipped.
        record = JobRecord(id=submission.job_id, abstract_ids=submission.enqueued, created_at=now)
        connection.set(keys.job(submission.job_id), _encoder.encode(record), xx=True, keepttl=True)
    return submission


async def submit_async(
    connection: redis.asyncio.Redis,
    sync_connection: redis.Redis,
    abstracts: Sequence[NewAbstract],
    *,
    source: str,
    job_ttl: int,
    callback_url: str | None = None,
) -> Submission:
    """``submit`` for an event loop (an API request): the admission runs on the asyncio client.

    RQ only speaks to a blocking client, so enqueuing drain jobs (needed by one request in
    ``DRAIN_BATCH`` under load) runs on ``sync_connection`` in a worker thread.
    """
    options = Options(source=source, job_ttl=job_ttl, callback_url=callback_url)
    admission = _prepare(abstracts, options, time.time())
    script = connection.register_script(_ADMIT)
    codes, drains = await script(keys=admission.script_keys, args=admission.script_args)
    if int(drains) > 0:
        await anyio.to_thread.run_sync(inbox.enqueue_drains, sync_connection, int(drains))
    return _submission(admission, codes)


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
        stage: Status = "started" if markers.is_started(marker) else "queued"
        return AbstractState(id=abstract_id, status=stage)
    if extracted:
        return AbstractState(id=abstract_id, status="finished")
    if error is not None:
        return AbstractState(id=abstract_id, status="failed", error=error.decode())
    return AbstractState(
        id=abstract_id,
        status="failed",
        error="no worker finished this abstract before its job expired; send it again",
    )


_OUTRANKING: tuple[Status, ...] = ("started", "queued", "failed")  # a job's status, first found


def _overall(states: Sequence[AbstractState]) -> Status:
    found = {s.status for s in states}
    return next((status for status in _OUTRANKING if status in found), "finished")
