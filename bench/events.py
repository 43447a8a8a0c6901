"""Server-sent events: POST -> ``finished`` event latency, and 1,000 table streams on one process.

    .venv/bin/python -m bench.events [--posts N] [--streams M] [--check]

1. Starts ``claimex up`` (its own embedded Redis, two workers) on a free loopback port in a
   temporary data directory and warms the workers with a few abstracts. Then, one after
   another, ``--posts`` distinct one-sentence abstracts: each POSTed, its ``events_url`` opened
   (httpx + httpx-sse) and timed from the POST until the ``event: status`` whose data says
   ``finished``. The peer, measured in the same run over as many posts (interleaved, so both
   see the same machine): the same latency by polling ``GET /v1/jobs/{id}`` every 5 ms, as
   ``bench.idle`` does. Prints p50/p99/max of both and the ratio of their p99s (issue 16:
   events p99 under 200 ms).
2. One ``claimex serve`` on another free loopback port, on the Redis of that ``claimex up``
   (from its ``claimex-up.json``), holds ``--streams`` concurrent ``GET /v1/events`` streams,
   spoken as plain HTTP/1.1 over asyncio streams (a general client costs more CPU than the
   server on two cores). Once every stream has read ``: connected``, one new abstract that
   makes a table is POSTed through the ``claimex up`` API (its workers extract it) and each
   stream's ``event: table`` is timed from that POST, for at most 10 s. Prints the streams
   opened, errors, streams that got the event, fan-out p50/p99/max, and the RSS of the serve
   process (its whole process tree, from /proc) before the streams and with them all open.

``--check`` exits 1 if the events p99 is 200 ms or more or any stream failed or missed the
event. Every wait has a timeout, the processes are stopped (SIGINT, then kill) whatever
happens, and all traffic stays on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import redis
from httpx_sse import connect_sse

from bench.health import HOST, running
from bench.idle import percentile, pickup
from claimex.cli.state import FILE_NAME

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Mapping, Sequence

TARGET_P99_MS = 200.0
FAN_OUT_SECONDS = 10.0
OPEN_SECONDS = 120.0  # for all the streams to read ": connected"
OPENING_AT_ONCE = 64  # connections being set up at the same time
WHO = "bench.events"
WARM = 5  # abstracts posted and waited for before anything is timed


def claimex(
    args: Sequence[str], data_dir: Path, extra: Mapping[str, str]
) -> contextlib.AbstractContextManager[tuple[str, int]]:
    """A ``claimex`` subcommand on a free loopback port; (base URL, pid) once healthy."""
    return running(args, data_dir, WHO, extra)


def up_redis_url(data_dir: Path) -> str:
    """The Redis URL a running ``claimex up`` published in its data directory."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError, ValueError, KeyError):
            return str(json.loads((data_dir / FILE_NAME).read_text())["redis_url"])
        time.sleep(0.1)
    sys.exit(f"{WHO}: claimex up wrote no {FILE_NAME} within 30 s")


def text(n: int) -> str:
    """Abstract ``n``: one sentence with one claim, its number different for every ``n``."""
    return f"Our model reaches {10 + n / 100:.2f}% accuracy on ImageNet."


def post(client: httpx.Client, base: str, body: str) -> dict[str, str]:
    """The answer to POSTing ``body`` as an abstract; any status but 202 ends the bench."""
    response = client.post(f"{base}/v1/abstracts", json={"text": body})
    if response.status_code != 202:
        sys.exit(f"{WHO}: POST answered {response.status_code}: {response.text[:200]}")
    answer: dict[str, str] = response.json()
    return answer


def via_events(client: httpx.Client, base: str, body: str) -> float:
    """Seconds from POSTing ``body`` to its job's final ``event: status`` (``finished``)."""
    began = time.perf_counter()
    events_url = base + post(client, base, body)["events_url"]
    with connect_sse(client, "GET", events_url) as source:
        for event in source.iter_sse():
            if event.event != "status":
                continue
            status = json.loads(event.data)["status"]
            if status == "finished":
                return time.perf_counter() - began
            if status == "failed" or time.perf_counter() > began + 60:
                sys.exit(f"{WHO}: a job ended {status!r} (or not within 60 s)")
    sys.exit(f"{WHO}: a job's event stream closed before its final status")


def rss_kb(pid: int) -> int:
    """VmRSS of ``pid`` and all its descendants, in KB (from /proc)."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        with contextlib.suppress(OSError, ValueError):
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
    return total


@dataclass
class Stream:
    """One held ``/v1/events`` connection: when it was ready, what it got, or what went wrong."""

    connected: asyncio.Event = field(default_factory=asyncio.Event)
    received: float | None = None
    error: str | None = None
    failed_at: float = 0.0


async def _body(reader: asyncio.StreamReader, chunked: bool) -> AsyncIterator[bytes]:
    """The response body as it comes, chunked transfer coding undone."""
    while True:
        if not chunked:
            data = await reader.read(65536)
            if not data:
                return
            yield data
            continue
        size = int((await reader.readline()).split(b";")[0].strip() or b"0", 16)
        if size == 0:
            return
        yield await reader.readexactly(size)
        await reader.readexactly(2)


async def hold(port: int, stream: Stream, opening: asyncio.Semaphore) -> None:
    """Open one ``GET /v1/events`` stream and read it until cancelled."""
    writer: asyncio.StreamWriter | None = None
    try:
        async with opening:
            reader, opened = await asyncio.wait_for(asyncio.open_connection(HOST, port), 10)
            writer = opened
            opened.write(
                f"GET /v1/events HTTP/1.1\r\nHost: {HOST}:{port}\r\n"
                "Accept: text/event-stream\r\n\r\n".encode()
            )
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
            if head[9:12] != b"200":
                stream.error = f"HTTP {head[9:12].decode()}"
                return
            chunked = b"transfer-encoding: chunked" in head.lower()
        pending = b""
        async for data in _body(reader, chunked):
            *lines, pending = (pending + data).split(b"\n")
            for raw in lines:
                got = raw.rstrip(b"\r")
                if got == b": connected":
                    stream.connected.set()
                elif got == b"event: table" and stream.received is None:
                    stream.received = time.perf_counter()
        stream.error = "closed by the server"
    except (OSError, TimeoutError, asyncio.IncompleteReadError, ValueError) as exc:
        stream.error = type(exc).__name__
    finally:
        stream.failed_at = time.perf_counter()
        if writer is not None:
            writer.close()


@dataclass
class FanOut:
    """What the table streams saw: streams opened, errors, latencies, serve RSS, Redis clients."""

    opened: int
    errors: Counter[str]
    latencies: list[float]
    rss_before: int
    rss_open: int
    redis_clients: int


async def fan_out(serve: str, pid: int, up: str, redis_url: str, count: int) -> FanOut:
    """Open ``count`` table streams on ``serve``, POST one abstract on ``up``, time the event."""
    port = int(serve.rsplit(":", 1)[1])
    rss_before = rss_kb(pid)
    streams = [Stream() for _ in range(count)]
    opening = asyncio.Semaphore(OPENING_AT_ONCE)
    tasks = [asyncio.create_task(hold(port, s, opening)) for s in streams]
    try:
        deadline = time.perf_counter() + OPEN_SECONDS
        while time.perf_counter() < deadline and not all(
            s.connected.is_set() or s.error for s in streams
        ):
            await asyncio.sleep(0.05)
        opened = sum(s.connected.is_set() and not s.error for s in streams)
        await asyncio.sleep(1.0)  # let the server settle before reading its memory
        rss_open = rss_kb(pid)
        print(f"{WHO}: {opened} streams open; posting the abstract …", file=sys.stderr)
        async with httpx.AsyncClient(timeout=10) as client:
            began = time.perf_counter()
            response = await client.post(
                f"{up}/v1/abstracts", json={"text": "Our model reaches 91.2% accuracy on ImageNet."}
            )
            if response.status_code != 202:
                sys.exit(f"{WHO}: POST answered {response.status_code}: {response.text[:200]}")
        while time.perf_counter() < began + FAN_OUT_SECONDS and not all(
            s.received is not None or s.error for s in streams
        ):
            await asyncio.sleep(0.01)
        db = redis.Redis.from_url(redis_url)
        clients = int(db.info("clients")["connected_clients"])
        db.close()
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    errors = Counter(
        f"{s.error} {'after' if s.failed_at >= began else 'before'} the POST"
        if s.error
        else "not connected"
        for s in streams
        if s.error or not s.connected.is_set()
    )
    latencies = [
        s.received - began
        for s in streams
        if s.received is not None and s.received - began <= FAN_OUT_SECONDS
    ]
    return FanOut(opened, errors, latencies, rss_before, rss_open, clients)


def line(name: str, seconds: Sequence[float]) -> str:
    """One result line: p50, p99 and max of ``seconds`` in ms, and how many."""
    ms = [1000 * s for s in seconds]
    return (
        f"{name:28} p50 {statistics.median(ms):7.1f} ms  p99 {percentile(ms, 0.99):7.1f} ms  "
        f"max {max(ms):7.1f} ms  n={len(ms)}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run both measurements and print them; 1 with ``--check`` if a target is missed."""
    parser = argparse.ArgumentParser(prog=f"python -m {WHO}", description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=200, help="POSTs per method (default 200)")
    parser.add_argument("--streams", type=int, default=1000, help="table streams (default 1000)")
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp, httpx.Client(timeout=10) as client:
        data_dir = Path(tmp)
        with claimex(["up", "--embedded-redis", "--workers", "2"], data_dir, {}) as (up, _):
            for n in range(WARM):  # the workers' first jobs load what they need
                pickup(client, up, text(n))
            events, polling = [], []
            print(f"{WHO}: {args.posts} posts each way …", file=sys.stderr)
            for i in range(args.posts):
                events.append(via_events(client, up, text(WARM + 2 * i)))
                polling.append(pickup(client, up, text(WARM + 2 * i + 1)))
            redis_url = up_redis_url(data_dir)
            with claimex(["serve"], data_dir, {"REDIS_URL": redis_url}) as (serve, pid):
                print(f"{WHO}: opening {args.streams} streams on {serve} …", file=sys.stderr)
                fan = asyncio.run(fan_out(serve, pid, up, redis_url, args.streams))
    print(line("POST -> finished, events", events))
    print(line("POST -> finished, polling", polling))
    ratio = percentile(events, 0.99) / max(percentile(polling, 0.99), 1e-9)
    print(
        f"ratio events p99 / polling p99: {ratio:.2f}x (target: events p99 < {TARGET_P99_MS:g} ms)"
    )
    errors = sum(fan.errors.values())
    got = len(fan.latencies)
    detail = ", ".join(f"{k}: {v}" for k, v in fan.errors.items()) or "none"
    print(f"streams: {fan.opened} of {args.streams} opened; errors {errors} ({detail})")
    print(f"event: table within {FAN_OUT_SECONDS:g} s on {got} of {args.streams} streams")
    if fan.latencies:
        print(line("POST -> event: table", fan.latencies))
    per_stream = (fan.rss_open - fan.rss_before) / max(fan.opened, 1)
    print(
        f"serve RSS: {fan.rss_before:,} KB before, {fan.rss_open:,} KB with the streams, "
        f"{per_stream:.1f} KB per stream; Redis clients after the fan-out: {fan.redis_clients}"
    )
    ok = percentile(events, 0.99) * 1000 < TARGET_P99_MS and errors == 0 and got == args.streams
    return 1 if args.check and not ok else 0


if __name__ == "__main__":
    raise SystemExit(main())
