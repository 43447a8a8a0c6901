"""One Redis pub/sub subscription per API process, waking the event streams that wait on a key.

Events live in Redis streams (``workers.events``); what a client receives is always read from
them. The hub only says *when* to read: every write of events publishes the stream's name on
``keys.EVENTS_CHANNEL``, and the hub sets the wake-up of each open event stream following that
name. A thousand idle streams thus cost one Redis connection and no command at all.

If the subscription breaks (Redis restarted), the hub subscribes again and wakes every stream,
which reads what it may have missed. The subscription is opened with the first stream and kept
for the life of the process.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict
from collections.abc import AsyncIterator

import redis
import redis.asyncio

from claimex.workers import keys

log = logging.getLogger(__name__)

READS_AT_ONCE = 16
"""Most event-stream reads of Redis at one time on this process. One table change wakes every
stream that follows the tables; their reads queue here instead of each taking a connection of
the shared pool (which refuses the 101st) — a burst of a thousand reads takes some tens of ms."""
POLL_SECONDS = 1.0
"""How long one read of the subscription waits for a message."""
RETRY_SECONDS = 1.0


class EventHub:
    """Wake-ups for event streams by stream name, from one pub/sub subscription."""

    def __init__(self, client: redis.asyncio.Redis) -> None:
        self._client = client
        self._waiters: defaultdict[str, set[asyncio.Event]] = defaultdict(set)
        self._task: asyncio.Task[None] | None = None
        self._subscribed = asyncio.Event()
        self.reads = asyncio.Semaphore(READS_AT_ONCE)
        """Held around every Redis read an event stream makes (``api.events``)."""

    @property
    def streams(self) -> int:
        """How many event streams are open on this process."""
        return sum(len(w) for w in self._waiters.values())

    @contextlib.asynccontextmanager
    async def watch(self, key: str) -> AsyncIterator[asyncio.Event]:
        """An event set whenever stream ``key`` may have new entries, for the block's length.

        It returns once the subscription is open, so nothing published afterwards is missed.
        """
        if self._task is None:
            self._task = asyncio.create_task(self._listen(), name="claimex-event-hub")
        wake = asyncio.Event()
        self._waiters[key].add(wake)
        try:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._subscribed.wait(), timeout=POLL_SECONDS * 5)
            yield wake
        finally:
            waiting = self._waiters.get(key)
            if waiting is not None:
                waiting.discard(wake)
                if not waiting:
                    del self._waiters[key]

    def _wake(self, key: str) -> None:
        for wake in self._waiters.get(key, ()):
            wake.set()

    def _wake_all(self) -> None:
        for waiting in self._waiters.values():
            for wake in waiting:
                wake.set()

    async def _listen(self) -> None:
        while True:
            pubsub = self._client.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.subscribe(keys.EVENTS_CHANNEL)
                self._subscribed.set()
                # Whatever was published while the subscription was away is read now.
                self._wake_all()
                while True:
                    message = await pubsub.get_message(timeout=POLL_SECONDS)
                    if message is not None and message.get("type") == "message":
                        self._wake(bytes(message["data"]).decode())
            except (redis.exceptions.RedisError, OSError) as exc:
                self._subscribed.clear()
                log.warning("event hub: Redis subscription lost (%s); subscribing again", exc)
                await asyncio.sleep(RETRY_SECONDS)
            finally:
                with contextlib.suppress(Exception):
                    await pubsub.aclose()  # type: ignore[no-untyped-call]

    async def close(self) -> None:
        """Stop listening (the app's shutdown)."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
