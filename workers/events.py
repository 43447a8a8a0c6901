"""Events: what happened to a job and to the tables, kept in Redis beside the data.

Every event is written by the same atomic step as the data it reports, so a client is never
told of something that is not stored:

- admission (``workers.queue``) opens the job's event list (``keys.job_events``: JSON entries,
  an event's id is its position; a list, not a stream, because a Redis stream preallocates
  4 KB and a job's few events take a hundred bytes) with a ``queued`` status event, reports
  the abstracts already extracted, and records which jobs wait for each of the others
  (``keys.watchers``);
- a worker's batch read adds ``started`` (``queue_started``), and the MULTI that stores a
  batch's claims settles each abstract for every job waiting on it (``queue_settled``): one
  ``abstract`` event each and, when a job has none left, its final ``status`` event (and its
  webhook falls due, ``workers.webhooks``);
- the tables' summary script (``workers.tables``) appends one entry per table it changed to
  the capped ``keys.table_events`` stream.

Each write also publishes the key's name on ``keys.EVENTS_CHANNEL``, which is how an API
process knows to read it again; the entries themselves are what a client receives, and a
reconnecting client resumes after the last entry it saw (``Last-Event-ID``).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, Literal

import msgspec

from claimex.workers import keys, lua

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    import redis

TABLE_EVENTS_KEPT = 2000
"""About how many table changes the table stream keeps for clients that reconnect."""

Final = Literal["finished", "failed"]
JobStage = Literal["queued", "started", "finished", "failed"]

# Run inside pipelines by their text (EVAL), see ``queue_settled``.
_SETTLE = lua.source("events", "settle")
_START = lua.source("events", "start")


class Settled(msgspec.Struct, frozen=True):
    """One abstract done with: extracted (with its claim count) or failed (with why)."""

    abstract_id: str
    status: Final
    claims: int = 0
    error: str = ""


def queue_settled(pipe: redis.client.Pipeline, settled: Sequence[Settled]) -> None:
    """Queue on ``pipe`` (the MULTI that stores them) the events of these settled abstracts.

    The script goes as its text (EVAL), not by hash: inside a MULTI a missing script would
    fail alone while the claims were stored, and its events would be lost.
    """
    if not settled:
        return
    args: list[object] = [keys.PREFIX, repr(time.time()), keys.EVENTS_CHANNEL]
    for item in settled:
        args += [item.abstract_id, item.status, item.claims, item.error]
    pipe.eval(_SETTLE, 0, *args)  # type: ignore[arg-type]


def queue_started(pipe: redis.client.Pipeline, abstract_ids: Sequence[str]) -> None:
    """Queue on ``pipe`` the ``started`` events of the jobs waiting on these abstracts."""
    if abstract_ids:
        pipe.eval(_START, 0, keys.PREFIX, keys.EVENTS_CHANNEL, *abstract_ids)


# What clients receive: the ``data`` of each server-sent event, by its ``event`` name.


class StatusEvent(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """``event: status`` — the job moved to ``status``; the stream ends on a final one."""

    job_id: str
    status: JobStage
    abstracts: int | None = None
    """With ``queued`` (the first event): how many distinct abstracts the job holds."""


class AbstractEvent(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """``event: abstract`` — one abstract of the job is extracted (``claims`` stored) or failed."""

    job_id: str
    abstract_id: str
    status: Final
    claims: int
    error: str | None = None


class TableEvent(msgspec.Struct, frozen=True, kw_only=True):
    """``event: table`` — a table gained, lost or changed rows; its size after the change.

    ``papers`` 0: the table is gone.
    """

    table_id: str
    papers: int
    claims: int


class _Entry(msgspec.Struct, frozen=True):
    """One stored entry of a job's event list, as the Lua scripts write it."""

    event: str
    status: str = "queued"
    id: str = ""
    claims: int = 0
    error: str | None = None
    abstracts: int | None = None


_entry_decoder = msgspec.json.Decoder(_Entry)
_STAGES: dict[str, JobStage] = {s: s for s in ("queued", "started", "finished", "failed")}


def job_event(job_id: str, blob: bytes) -> StatusEvent | AbstractEvent:
    """The event of one entry of a job's event list."""
    entry = _entry_decoder.decode(blob)
    if entry.event == "abstract":
        return AbstractEvent(
            job_id=job_id,
            abstract_id=entry.id,
            status="failed" if entry.status == "failed" else "finished",
            claims=entry.claims,
            error=entry.error or None,
        )
    stage = _STAGES.get(entry.status, "queued")
    return StatusEvent(job_id=job_id, status=stage, abstracts=entry.abstracts)


def _text(fields: Mapping[bytes, bytes], name: str) -> str:
    return fields.get(name.encode(), b"").decode()


def table_event(fields: Mapping[bytes, bytes]) -> TableEvent:
    """The event of one entry of the table stream."""
    return TableEvent(
        table_id=_text(fields, "table"),
        papers=int(_text(fields, "papers") or 0),
        claims=int(_text(fields, "claims") or 0),
    )


def is_final(event: StatusEvent | AbstractEvent) -> bool:
    """Whether a job's stream ends with this event."""
    return isinstance(event, StatusEvent) and event.status in ("finished", "failed")


def latest_table_event(connection: redis.Redis) -> str:
    """The id of the newest table change ("0-0" if none): what a page rendered now has seen."""
    newest: Any = connection.xrevrange(keys.table_events(), count=1)
    return newest[0][0].decode() if newest else "0-0"
