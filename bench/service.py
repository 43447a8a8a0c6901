"""Service benchmark: POST throughput and latency of one API process, and end-to-end rate.

    .venv/bin/python -m bench.service [--requests N] [--rate R] [--corpus DIR] …

1. ``POST /v1/abstracts`` against one ``claimex serve`` process on loopback, each request a new
   abstract (so every one is stored *and* queued): the most POST/s that 64 keep-alive
   connections get, then latency at a fixed arrival rate (default 1,000 req/s), measured from
   each request's scheduled send time so a stalled server cannot hide its queue.
2. ``extract()`` alone, in one process and in two side by side: the rates workers should
   approach (each warmed up as a worker is, over the same texts).
3. End to end: workers started and warmed first, then the corpus POSTed in batches, timed until
   every abstract's claims are stored — with 1 and 2 workers, in-process and forking.

Other work on the machine moves these figures a lot; every figure is the best of ``--repeat``.

The load generator speaks HTTP/1.1 over asyncio streams itself: a general client costs more
CPU per request than the server being measured, on the same two cores. Redis is ``REDIS_URL``,
else 127.0.0.1:6379, else an embedded one; the bench uses database 14 and flushes it.
Request counts and durations are bounded; all traffic stays on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import multiprocessing
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import redis
from rq import Worker

from bench.health import wait_healthy
from claimex.extractors.model import abstract_id
from claimex.workers import keys
from claimex.workers.redis_server import EmbeddedRedis, answers, free_port

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"
BENCH_DB = 14
HOST = "127.0.0.1"


# ---------------------------------------------------------------- corpus and processes


def load_abstracts(corpus: Path) -> list[str]:
    """Paragraphs over 300 characters of the corpus files: abstracts, near enough for timing."""
    texts: dict[str, None] = {}
    for path in sorted(corpus.glob("*.txt")):
        for raw in path.read_text(encoding="utf-8").split("\n\n"):
            paragraph = raw.strip()
            if len(paragraph) > 300:
                texts[paragraph] = None
    if not texts:
        sys.exit(f"bench.service: no abstracts in {corpus}")
    return list(texts)


@contextlib.contextmanager
def redis_for_bench() -> Iterator[str]:
    """URL of database 14 on a Redis that answers (an embedded one if need be)."""
    for url in (os.environ.get("REDIS_URL", ""), "redis://127.0.0.1:6379/0"):
        if url and answers(url):
            yield url.rsplit("/", 1)[0] + f"/{BENCH_DB}"
            return
    with tempfile.TemporaryDirectory() as data:
        server = EmbeddedRedis(Path(data), persist=False)
        server.start()
        try:
            yield server.url.rsplit("/", 1)[0] + f"/{BENCH_DB}"
        finally:
            server.stop()


def _env(redis_url: str, port: int = 0) -> dict[str, str]:
    env = dict(os.environ, REDIS_URL=redis_url, CLAIMEX_HOST=HOST)
    if port:
        env["CLAIMEX_PORT"] = str(port)
    return env


def _claimex(*args: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "claimex.cli.main", *args],
        env=env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _stop(processes: Sequence[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def api_process(redis_url: str) -> Iterator[int]:
    """One ``claimex serve`` on a free loopback port; yields the port once /health is 200."""
    port = free_port()
    process = _claimex("serve", env=_env(redis_url, port))
    try:
        wait_healthy(f"http://{HOST}:{port}", process, 60, "bench.service")
        yield port
    finally:
        _stop([process])


# ---------------------------------------------------------------- the load generator


@dataclass
class Result:
    """Latencies (seconds) of the requests sent, statuses that were not 202, and the span."""

    latencies: list[float]
    errors: int
    seconds: float

    def p99_ms(self) -> float:
        """The 99th percentile latency, in ms."""
        ms = sorted(1000 * x for x in self.latencies)
        return ms[min(len(ms) - 1, int(0.99 * len(ms)))]

    def line(self) -> str:
        """The run in one line: requests, rate, p50/p99/max latency and the non-202 count."""
        ms = sorted(1000 * x for x in self.latencies)
        p50 = statistics.median(ms)
        p99 = ms[min(len(ms) - 1, int(0.99 * len(ms)))]
        rate = len(ms) / self.seconds
        return (
            f"{len(ms):,} requests in {self.seconds:.2f} s = {rate:,.0f} POST/s; "
            f"latency p50 {p50:.2f} ms, p99 {p99:.2f} ms, max {ms[-1]:.1f} ms; "
            f"non-202: {self.errors}"
        )


def _bodies(abstracts: Sequence[str], run: str) -> Iterator[bytes]:
    """An endless supply of distinct abstracts: corpus texts with a per-request suffix."""
    for n in itertools.count():
        text = f"{abstracts[n % len(abstracts)]} [{run}-{n}]"
        yield json.dumps({"text": text}).encode()


def _request(body: bytes) -> bytes:
    head = (
        f"POST /v1/abstracts HTTP/1.1\r\nHost: {HOST}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def _exchange(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, body: bytes) -> int:
    """Send one POST on a keep-alive connection and read the whole response; its status."""
    writer.write(_request(body))
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    await reader.readexactly(length)
    return status


async def closed_loop(port: int, bodies: Iterator[bytes], total: int, connections: int) -> Result:
    """``connections`` clients each sending back to back until ``total`` requests are done."""
    latencies: list[float] = []
    errors = 0
    remaining = itertools.islice(bodies, total)

    async def client() -> None:
        nonlocal errors
        reader, writer = await asyncio.open_connection(HOST, port)
        try:
            for body in remaining:
                start = time.perf_counter()
                if await _exchange(reader, writer, body) != 202:
                    errors += 1
                latencies.append(time.perf_counter() - start)
        finally:
            writer.close()

    start = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(connections)))
    return Result(latencies, errors, time.perf_counter() - start)


async def open_loop(
    port: int, bodies: Iterator[bytes], rate: float, seconds: float, connections: int
) -> Result:
    """Requests sent on a fixed schedule (``rate`` per second) over a pool of connections.

    Latency counts from the scheduled send time, so time spent waiting for a free connection
    (the server falling behind) is part of it.
    """
    pool: asyncio.Queue[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = asyncio.Queue()
    for _ in range(connections):
        pool.put_nowait(await asyncio.open_connection(HOST, port))
    latencies: list[float] = []
    errors = 0

    async def send(due: float, body: bytes) -> None:
        nonlocal errors
        reader, writer = await pool.get()
        try:
            if await _exchange(reader, writer, body) != 202:
                errors += 1
        finally:
            pool.put_nowait((reader, writer))
        latencies.append(time.perf_counter() - due)

    total = int(rate * seconds)
    tasks: list[asyncio.Task[None]] = []
    start = time.perf_counter()
    sent = 0
    while sent < total:
        now = time.perf_counter()
        while sent < total and start + sent / rate <= now:
            tasks.append(asyncio.create_task(send(start + sent / rate, next(bodies))))
            sent += 1
        await asyncio.sleep(max(0.0, start + sent / rate - time.perf_counter()))
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - start
    while not pool.empty():
        pool.get_nowait()[1].close()
    return Result(latencies, errors, elapsed)


# ---------------------------------------------------------------- extraction rates


def _extract_pass(abstracts: Sequence[str]) -> float:
    """Seconds for one pass of ``extract()`` over ``abstracts``, warmed up as a worker is."""
    from claimex.extractors import extract  # noqa: PLC0415 - only this step needs the extractor
    from claimex.workers.worker import warm_up  # noqa: PLC0415

    warm_up()
    start = time.perf_counter()
    for text in abstracts:
        extract(text)
    return time.perf_counter() - start


def extract_rate(abstracts: Sequence[str], processes: int) -> float:
    """Abstracts per second of ``processes`` plain ``extract()`` loops running side by side.

    The yardstick for as many workers: on a shared two-core machine two processes rarely get
    twice the rate of one, and a worker should be compared with what the cores give, not with
    a multiple of the one-process figure.
    """
    context = multiprocessing.get_context("spawn")
    with context.Pool(processes) as pool:
        seconds = pool.map(_extract_pass, [abstracts] * processes)
    return processes * len(abstracts) / max(seconds)


def end_to_end(
    redis_url: str, port: int, abstracts: Sequence[str], *, workers: int, fork: bool, batch: int
) -> float:
    """Abstracts per second from the first POST until every abstract's claims are stored."""
    db = redis.Redis.from_url(redis_url)
    db.flushdb()
    args = ["worker", "--fork"] if fork else ["worker"]
    processes = [_claimex(*args, env=_env(redis_url)) for _ in range(workers)]
    try:
        # A worker registers once it has warmed up the extractor; time starts after that.
        deadline = time.monotonic() + 120
        while Worker.count(connection=db) < workers:
            if time.monotonic() > deadline:
                sys.exit("bench.service: workers did not start")
            time.sleep(0.05)
        bodies = [
            json.dumps({"abstracts": [{"text": t} for t in abstracts[i : i + batch]]}).encode()
            for i in range(0, len(abstracts), batch)
        ]
        ids = [abstract_id(t) for t in abstracts]
        start = time.perf_counter()
        posted = asyncio.run(closed_loop(port, iter(bodies), len(bodies), 8))
        if posted.errors:
            sys.exit(f"bench.service: {posted.errors} POSTs failed")
        # Poll cheaply (the bench shares the cores): only the ids not yet seen extracted.
        remaining = [keys.claims(i) for i in ids]
        while remaining:
            time.sleep(0.02)
            pipe = db.pipeline(transaction=False)
            for key in remaining:
                pipe.exists(key)
            remaining = [k for k, found in zip(remaining, pipe.execute(), strict=True) if not found]
        return len(ids) / (time.perf_counter() - start)
    finally:
        _stop(processes)
        db.flushdb()
        db.close()


# ---------------------------------------------------------------- main


def main(argv: Sequence[str] | None = None) -> int:
    """Measure the POST figures, ``extract()`` alone and end to end, and print each as it comes."""
    parser = argparse.ArgumentParser(prog="bench.service", description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--requests", type=int, default=10_000, help="POSTs at full speed")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--rate", type=float, default=1000.0, help="fixed arrival rate, req/s")
    parser.add_argument("--seconds", type=float, default=5.0, help="duration at fixed rate")
    parser.add_argument("--batch", type=int, default=20, help="abstracts per POST end to end")
    parser.add_argument(
        "--copies", type=int, default=3, help="end to end: the corpus this many times, each new"
    )
    parser.add_argument(
        "--repeat", type=int, default=2, help="best of this many runs (the cores are shared)"
    )
    parser.add_argument("--skip-e2e", action="store_true", help="only the POST figures")
    parser.add_argument("--skip-post", action="store_true", help="only the end-to-end figures")
    args = parser.parse_args(argv)
    abstracts = load_abstracts(args.corpus)
    print(f"corpus: {len(abstracts)} abstracts from {args.corpus}; {os.cpu_count()} CPUs")

    with redis_for_bench() as redis_url, api_process(redis_url) as port:
        db = redis.Redis.from_url(redis_url)
        print(f"Redis: {redis_url}; API: one `claimex serve` process at http://{HOST}:{port}")
        if not args.skip_post:
            print("\nPOST /v1/abstracts (one new abstract each: stored + queued before the 202)")
            db.flushdb()
            bodies = _bodies(abstracts, "warm")
            asyncio.run(closed_loop(port, bodies, 500, 8))
            db.flushdb()
            runs = []
            for n in range(args.repeat):
                bodies = _bodies(abstracts, f"max{n}")
                runs.append(asyncio.run(closed_loop(port, bodies, args.requests, args.connections)))
                db.flushdb()
            full = max(runs, key=lambda r: len(r.latencies) / r.seconds)
            print(f"  max, {args.connections} connections:  {full.line()}")
            db.flushdb()
            runs = []
            for n in range(args.repeat):
                bodies = _bodies(abstracts, f"rate{n}")
                runs.append(
                    asyncio.run(open_loop(port, bodies, args.rate, args.seconds, args.connections))
                )
                db.flushdb()
            fixed = min(runs, key=lambda r: r.p99_ms())
            print(f"  fixed {args.rate:,.0f} req/s for {args.seconds:g} s: {fixed.line()}")
            db.flushdb()

        # Distinct texts (new ids) for every copy; the baseline runs over the very same list.
        texts = [f"{t} [copy {k}]" for k in range(args.copies) for t in abstracts]
        baseline = {n: max(extract_rate(texts, n) for _ in range(args.repeat)) for n in (1, 2)}
        print(
            f"\nextract() alone over {len(texts)} abstracts: {baseline[1]:.1f}/s in one process, "
            f"{baseline[2]:.1f}/s from two side by side"
        )
        if not args.skip_e2e:
            print(f"\nend to end: POST in batches of {args.batch} → RQ → claims stored")
            for workers, fork in ((1, False), (1, True), (2, False), (2, True)):
                rate = max(
                    end_to_end(redis_url, port, texts, workers=workers, fork=fork, batch=args.batch)
                    for _ in range(args.repeat)
                )
                kind = "forking Worker" if fork else "SimpleWorker  "
                print(
                    f"  {workers} x {kind}: {rate:6.1f} abstracts/s = "
                    f"{rate / baseline[workers]:.0%} of {workers} x extract() alone"
                )
            rate = max(
                end_to_end(redis_url, port, texts, workers=1, fork=False, batch=1)
                for _ in range(args.repeat)
            )
            print(
                f"  1 x SimpleWorker, one abstract per POST: {rate:6.1f} abstracts/s"
                f" = {rate / baseline[1]:.0%} of 1 x extract() alone"
            )
        db.flushdb()
        db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
