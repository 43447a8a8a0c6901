"""Server-sent events: a job's progress until it ends, and table changes as they happen.

``/v1/jobs/{job_id}/events`` follows one job, until it ends; ``/v1/events`` follows the
tables' changes, for pages and dashboards.

Each event's ``id`` says where it is kept (a job's: its position in the job's event list; a
table change's: its stream entry id); a client that reconnects with ``Last-Event-ID`` gets
every event after it that is still kept (a job's, for as long as the job; the tables', the
last ``workers.events.TABLE_EVENTS_KEPT`` changes). Between events
a comment line keeps idle connections open through proxies.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from typing import Annotated, Any, TypeVar

import anyio.to_thread
import msgspec
import redis
import redis.asyncio
from litestar import Request, get
from litestar.datastructures import State
from litestar.params import FromPath, Parameter
from litestar.response import ServerSentEvent, ServerSentEventMessage

from claimex.api.dependencies import AsyncDb, Db, Hub
from claimex.api.errors import invalid_query, problem_responses
from claimex.api.event_hub import EventHub
from claimex.api.jobs import JOB_ID
from claimex.api.tables import TABLE_ID
from claimex.workers import events, keys, queue
from claimex.workers.errors import JobNotFound

KEEPALIVE_SECONDS = 15.0
READ_COUNT = 100
POLL_SECONDS = 0.5
"""For a job without an event stream (stored before events existed): how often it is polled."""
RETRY_MS = 2000
MAX_TABLES = 100
HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}

_TABLE_EVENT_ID = re.compile(r"\d{1,20}-\d{1,20}")
_JOB_EVENT_ID = re.compile(r"\d{1,9}")
_encoder = msgspec.json.Encoder()

Fields = Mapping[bytes, bytes]
T = TypeVar("T")
Reader = Callable[[str], Awaitable[list[tuple[str, T]]]]
"""Reads a key's entries after an event id: (id, entry) pairs, oldest first."""


def _last_event_id(request: Request[object, object, State], form: re.Pattern[str]) -> str | None:
    last = request.headers.get("last-event-id", "").strip()
    return last if form.fullmatch(last) else None


def job_reader(db: redis.asyncio.Redis, job_id: str) -> Reader[bytes]:
    """A job's events after position ``after`` ("-1": from the first)."""
    key = keys.job_events(job_id)

    async def read(after: str) -> list[tuple[str, bytes]]:
        start = int(after) + 1
        entries: Any = await db.lrange(key, start, start + READ_COUNT - 1)
        return [(str(start + n), entry) for n, entry in enumerate(entries)]

    return read


def table_reader(db: redis.asyncio.Redis) -> Reader[Fields]:
    """The table changes after stream entry ``after``."""

    async def read(after: str) -> list[tuple[str, Fields]]:
        reply: Any = await db.xread({keys.table_events(): after}, count=READ_COUNT)
        return [(i.decode(), fields) for i, fields in (reply[0][1] if reply else [])]

    return read


async def follow(
    hub: EventHub, key: str, read: Reader[T], after: str
) -> AsyncIterator[tuple[str, T] | None]:
    """The entries of ``key`` after ``after`` as they come; None when a keepalive is due."""
    async with hub.watch(key) as wake:
        while True:
            wake.clear()
            try:
                async with hub.reads:
                    entries = await read(after)
            except redis.exceptions.RedisError:
                # Redis away: the stream stays open and reads again once it may be back.
                yield None
                await asyncio.sleep(RETRY_MS / 1000)
                continue
            for entry in entries:
                after = entry[0]
                yield entry
            if len(entries) == READ_COUNT:
                continue
            try:
                await asyncio.wait_for(wake.wait(), timeout=KEEPALIVE_SECONDS)
            except TimeoutError:
                yield None


def _message(name: str, data: msgspec.Struct, entry_id: str | None) -> ServerSentEventMessage:
    return ServerSentEventMessage(data=_encoder.encode(data).decode(), event=name, id=entry_id)


_KEEPALIVE = ServerSentEventMessage(data=None, comment="keepalive")


async def _job_messages(
    db: redis.asyncio.Redis, hub: EventHub, job_id: str, after: str
) -> AsyncIterator[ServerSentEventMessage]:
    yield ServerSentEventMessage(data=None, comment="connected", retry=RETRY_MS)
    async for entry in follow(hub, keys.job_events(job_id), job_reader(db, job_id), after):
        if entry is None:
            yield _KEEPALIVE
            continue
        entry_id, blob = entry
        event = events.job_event(job_id, blob)
        name = "abstract" if isinstance(event, events.AbstractEvent) else "status"
        yield _message(name, event, entry_id)
        if events.is_final(event):
            return


async def _polled_messages(
    sync_db: redis.Redis, job_id: str
) -> AsyncIterator[ServerSentEventMessage]:
    """Status events of a job that has no event stream, from its polled status."""
    yield ServerSentEventMessage(data=None, comment="connected", retry=RETRY_MS)
    seen: str | None = None
    while True:
        try:
            status = await anyio.to_thread.run_sync(queue.job_status, sync_db, job_id)
        except JobNotFound:
            return
        if status.status != seen:
            seen = status.status
            yield _message("status", events.StatusEvent(job_id=job_id, status=seen), None)
        if seen in ("finished", "failed"):
            return
        await asyncio.sleep(POLL_SECONDS)


@get(
    "/v1/jobs/{job_id:str}/events",
    responses=problem_responses(404),
    media_type="text/event-stream",
)
async def job_events(
    job_id: FromPath[str],
    request: Request[object, object, State],
    db: Db,
    async_db: AsyncDb,
    hub: Hub,
) -> ServerSentEvent:
    """The job's events as they happen (`text/event-stream`), ending on its final status.

    `event: status` (data: `job_id`, `status` queued/started/finished/failed) and
    `event: abstract` for each abstract extracted or failed (`abstract_id`, `status`,
    `claims`, `error`). Reconnect with `Last-Event-ID` to resume.
    """
    if not JOB_ID.fullmatch(job_id):
        raise JobNotFound(job_id)
    async with hub.reads:
        found = await async_db.exists(keys.job(job_id))
        streamed = await async_db.exists(keys.job_events(job_id))
    if not found:
        raise JobNotFound(job_id)
    after = _last_event_id(request, _JOB_EVENT_ID) or "-1"
    content = (
        _job_messages(async_db, hub, job_id, after) if streamed else _polled_messages(db, job_id)
    )
    return ServerSentEvent(content, headers=HEADERS)


async def _table_messages(
    db: redis.asyncio.Redis, hub: EventHub, tables: frozenset[str], after: str
) -> AsyncIterator[ServerSentEventMessage]:
    yield ServerSentEventMessage(data=None, comment="connected", retry=RETRY_MS)
    async for entry in follow(hub, keys.table_events(), table_reader(db), after):
        if entry is None:
            yield _KEEPALIVE
            continue
        entry_id, fields = entry
        event = events.table_event(fields)
        if not tables or event.table_id in tables:
            yield _message("table", event, entry_id)


@get("/v1/events", responses=problem_responses(), media_type="text/event-stream")
async def table_events(
    request: Request[object, object, State],
    async_db: AsyncDb,
    hub: Hub,
    table: Annotated[
        list[str] | None,
        Parameter(description="table ids to follow (repeat the parameter); none: every table"),
    ] = None,
    since: Annotated[
        str | None,
        Parameter(description="an event id: start after it (as `Last-Event-ID` does)"),
    ] = None,
) -> ServerSentEvent:
    """Table changes as they happen (`text/event-stream`), one `event: table` per change.

    Each has the `table_id`, and the table's `papers` and `claims` after the change (`papers`
    0: the table is gone).

    Without `Last-Event-ID` or `since`, only changes after the connection are sent.
    """
    wanted = frozenset(table or ())
    if len(wanted) > MAX_TABLES:
        raise invalid_query(f"at most {MAX_TABLES} tables at once, got {len(wanted)}", "table")
    for table_id in wanted:
        if not TABLE_ID.fullmatch(table_id):
            raise invalid_query(f"{table_id!r} is not a table id (16 hex digits)", "table")
    if since is not None and not _TABLE_EVENT_ID.fullmatch(since):
        raise invalid_query(f"{since!r} is not an event id (like 1700000000000-0)", "since")
    after = _last_event_id(request, _TABLE_EVENT_ID) or since
    if after is None:
        async with hub.reads:
            latest: Any = await async_db.xrevrange(keys.table_events(), count=1)
        after = latest[0][0].decode() if latest else "0"
    return ServerSentEvent(_table_messages(async_db, hub, wanted, after), headers=HEADERS)
