"""Backfill benchmark: 10,000 abstracts end to end through ``claimex backfill --wait``.

    .venv/bin/python -m bench.backfill [--abstracts N] [--workers 1 2] [--memory-gb G] …

1. The corpus: the distinct abstracts of ``../shared/corpus`` read with ``workers.readers``,
   repeated until there are N (default 10,000), each copy after the first with a short
   wordless tag appended ("Copy bd.") so that every text, and so every id, differs while the
   extraction stays representative. Written to a JSONL file in a temporary directory.
2. ``extract()`` on one pinned core over the first 2,000 of those texts, in a child process:
   the single-core rate the end-to-end figures are compared with.
3. End to end, for each worker count: an empty database, W ``claimex worker`` processes
   started and warmed (timing starts once all are registered), then ``claimex backfill
   --wait`` on the file; abstracts/s is N over the backfill's wall time. Afterwards: every
   abstract stored once and extracted exactly once (the workers' own extraction count: 0 lost,
   0 duplicated), no pending marker. Peak RSS of every process, from ``wait4``.
4. Memory: a ~1 GB JSONL of distinct abstracts through ``claimex backfill --dry-run`` (the
   reader path, Redis lookups included); its peak RSS must stay under 200 MB. The file is
   deleted afterwards.

Redis is ``REDIS_URL``, else 127.0.0.1:6379, else an embedded one; the bench uses database 13
and flushes it. Everything stays on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import string
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

import msgspec
import redis
from rq import Queue, Worker

from claimex.cli.backfill import parse_summary
from claimex.workers import keys, metrics, queue
from claimex.workers.readers import distinct_abstracts
from claimex.workers.redis_server import EmbeddedRedis, answers

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from claimex.workers.sources import Problem

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"
BENCH_DB = 13
TARGET_RATE = 300.0
MEMORY_LIMIT_MB = 200.0
EXTRACT_SAMPLE = 2000
START_TIMEOUT = 120.0
RUN_TIMEOUT = 900.0


class Record(msgspec.Struct):
    """One line of the generated corpus: an abstract's title and text."""

    title: str | None
    text: str


def tag(n: int) -> str:
    """A wordless, digit-free tag for copy ``n`` (0 → "", 1 → "b", 27 → "bb" …)."""
    letters = ""
    while n:
        n, digit = divmod(n, 26)
        letters = string.ascii_lowercase[digit] + letters
    return letters


def corpus_records(corpus: Path, count: int, *, start: int = 0) -> Iterator[Record]:
    """``count`` distinct records: the corpus's abstracts, copies tagged so that ids differ."""

    def ignore(problem: Problem) -> None:
        pass

    paths = sorted(str(p) for p in corpus.glob("*.txt"))
    base = [(r.title, r.text) for r in distinct_abstracts(paths, on_problem=ignore)]
    if not base:
        raise SystemExit(f"no abstracts found in {corpus}")
    for n in range(start, start + count):
        title, text = base[n % len(base)]
        copy = n // len(base)
        yield Record(title, text if copy == 0 else f"{text} Copy {tag(copy)}.")


def write_jsonl(path: Path, records: Iterator[Record]) -> int:
    """Write ``records`` to ``path``, one JSON object a line; how many were written."""
    encoder = msgspec.json.Encoder()
    written = 0
    with path.open("wb") as out:
        for record in records:
            out.write(encoder.encode(record) + b"\n")
            written += 1
    return written


def redis_base_url() -> tuple[str, EmbeddedRedis | None]:
    """The URL, without a database, of a Redis that answers, and the server if one was started."""
    for url in (os.environ.get("REDIS_URL", ""), "redis://127.0.0.1:6379/0"):
        if url and answers(url):
            return url.rsplit("/", 1)[0] if url.count("/") > 2 else url, None
    server = EmbeddedRedis(Path(tempfile.mkdtemp(prefix="claimex-bench-redis-")), persist=False)
    server.start()
    return server.url.rsplit("/", 1)[0], server


def claimex(args: Sequence[str], redis_url: str, **kw: object) -> subprocess.Popen[bytes]:
    """Start ``claimex ARGS…`` in a child on ``redis_url``; ``kw`` goes to ``Popen``."""
    env = dict(os.environ, REDIS_URL=redis_url, PYTHONUNBUFFERED="1")
    return subprocess.Popen(  # type: ignore[call-overload,no-any-return]
        [sys.executable, "-m", "claimex.cli.main", *args], env=env, **kw
    )


def reap(process: subprocess.Popen[bytes], timeout: float) -> tuple[int, float, float]:
    """Wait for a child: exit status, peak RSS in MB and CPU seconds (``wait4``, per process)."""
    deadline = time.monotonic() + timeout
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            process.returncode = os.waitstatus_to_exitcode(status)
            cpu = usage.ru_utime + usage.ru_stime
            return process.returncode, usage.ru_maxrss / 1024, cpu
        if time.monotonic() > deadline:
            process.kill()
        time.sleep(0.05)


def extract_rate(path: Path, sample: int) -> float:
    """Single-core ``extract()`` rate over the first ``sample`` texts, in a pinned child."""
    code = (
        "import os, sys, time, msgspec\n"
        "from bench.backfill import Record\n"
        "from workers.worker import warm_up\n"
        "from extractors import extract\n"
        "os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})\n"
        "decoder = msgspec.json.Decoder(Record)\n"
        "with open(sys.argv[1], 'rb') as f:\n"
        "    texts = [decoder.decode(line).text for _, line in zip(range(int(sys.argv[2])), f)]\n"
        "warm_up()\n"
        "start = time.perf_counter()\n"
        "for text in texts:\n"
        "    extract(text)\n"
        "print(len(texts) / (time.perf_counter() - start))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(path), str(sample)],
        check=True,
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    return float(out.stdout.strip())


class EndToEnd(msgspec.Struct):
    """One end-to-end run: its rate, each process's peak RSS and CPU, and what was stored."""

    workers: int
    seconds: float
    rate: float
    backfill_rss_mb: float
    worker_rss_mb: list[float]
    backfill_cpu: float
    redis_cpu: float
    worker_cpu: list[float]
    stored: int
    extracted: int
    pending: int
    extractions: int
    interactive_ms: list[float]
    summary: dict[str, int]


def end_to_end(redis_url: str, path: Path, workers: int, count: int) -> EndToEnd:
    """Backfill ``path`` with ``workers`` fresh workers on an empty database, and measure it."""
    db = redis.Redis.from_url(redis_url)
    db.flushdb()
    rq_queue = Queue(keys.QUEUE, connection=db)
    started = [claimex(["worker"], redis_url, stdout=subprocess.DEVNULL) for _ in range(workers)]
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while Worker.count(queue=rq_queue) < workers:
            if time.monotonic() > deadline:
                raise SystemExit("the workers did not start in time")
            time.sleep(0.1)
        redis_cpu = _redis_cpu(db)
        begin = time.perf_counter()
        probe = _Interactive(redis_url)
        backfill = claimex(
            ["backfill", "--wait", "--timeout", str(RUN_TIMEOUT), str(path)],
            redis_url,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        assert backfill.stdout is not None
        probe.start()
        output = backfill.stdout.read().decode()
        probe.stop()
        status, backfill_rss, backfill_cpu = reap(backfill, RUN_TIMEOUT + 60)
        seconds = time.perf_counter() - begin
        redis_cpu = _redis_cpu(db) - redis_cpu
        if status not in (0, 1):
            raise SystemExit(f"claimex backfill exited with {status}: {output}")
        extractions = int(metrics.read(db)["abstracts_extracted"])
    finally:
        for process in started:
            process.send_signal(signal.SIGTERM)
        reaped = [reap(process, 60) for process in started]
    summary = parse_summary(output.strip().splitlines()[-1])
    result = EndToEnd(
        workers=workers,
        seconds=seconds,
        rate=count / seconds,
        backfill_rss_mb=backfill_rss,
        worker_rss_mb=[rss for _, rss, _ in reaped],
        backfill_cpu=backfill_cpu,
        redis_cpu=redis_cpu,
        worker_cpu=[cpu for _, _, cpu in reaped],
        # The probe's abstracts are not the backfill's.
        stored=_count(db, keys.abstract("*")) - probe.submitted,
        extracted=_count(db, keys.claims("*")) - probe.submitted,
        pending=_count(db, keys.pending("*")),
        extractions=extractions - probe.submitted,
        interactive_ms=probe.latencies,
        summary=summary,
    )
    db.flushdb()
    return result


class _Interactive(threading.Thread):
    """While the backfill drains, time single abstracts admitted as the API admits them.

    One at a time, each measured until its job is finished (polled every 5 ms), in ms.
    """

    def __init__(self, redis_url: str) -> None:
        super().__init__(daemon=True)
        self.db = redis.Redis.from_url(redis_url)
        self.latencies: list[float] = []
        self.submitted = 0
        self._halt = threading.Event()

    def run(self) -> None:
        self._halt.wait(2.0)  # the backfill has queued its first chunks
        n = 0
        while not self._halt.is_set():
            text = f"Interactive probe {n} reaches {50 + n % 40}.5% accuracy on ImageNet."
            began = time.perf_counter()
            job = queue.submit(self.db, [queue.NewAbstract(text=text)], source="bench", job_ttl=600)
            self.submitted += 1
            while queue.job_status(self.db, job.job_id).status not in ("finished", "failed"):
                if self._halt.wait(0.005):
                    return
            self.latencies.append(1000 * (time.perf_counter() - began))
            n += 1
            self._halt.wait(0.5)

    def stop(self) -> None:
        self._halt.set()
        self.join(timeout=10)


def _redis_cpu(db: redis.Redis) -> float:
    """CPU seconds the Redis server has used (all clients: others' too, if it is shared)."""
    info = db.info("cpu")
    return float(info["used_cpu_user"]) + float(info["used_cpu_sys"])


def _count(db: redis.Redis, pattern: str) -> int:
    return sum(1 for _ in db.scan_iter(match=pattern, count=10_000))


def memory_check(
    redis_url: str, corpus: Path, gigabytes: float, directory: Path
) -> dict[str, float]:
    """Peak RSS of ``claimex backfill --dry-run`` over a generated JSONL of ``gigabytes``."""
    path = directory / "backfill-memory.jsonl"
    size, records = 0, 0
    target = int(gigabytes * 1e9)
    encoder = msgspec.json.Encoder()
    try:
        with path.open("wb") as out:
            batch = 10_000
            while size < target:
                for record in corpus_records(corpus, batch, start=records):
                    line = encoder.encode(record) + b"\n"
                    out.write(line)
                    size += len(line)
                records += batch
        redis.Redis.from_url(redis_url).flushdb()
        begin = time.perf_counter()
        process = claimex(
            ["backfill", "--dry-run", str(path)],
            redis_url,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        assert process.stdout is not None
        output = process.stdout.read().decode()
        _, rss, _ = reap(process, RUN_TIMEOUT)
        seconds = time.perf_counter() - begin
    finally:
        path.unlink(missing_ok=True)
    read = parse_summary(output.strip().splitlines()[-1]).get("read", 0)
    return {"bytes": size, "records": read, "seconds": seconds, "peak_rss_mb": rss}


def main(argv: Sequence[str] | None = None) -> int:
    """Run every measurement and print it; 1 if a figure is below its target."""
    parser = argparse.ArgumentParser(prog="python -m bench.backfill", description=__doc__)
    parser.add_argument("--abstracts", type=int, default=10_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--memory-gb", type=float, default=1.0, help="0 skips the memory check")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args(argv)

    base, embedded = redis_base_url()
    redis_url = f"{base}/{BENCH_DB}"
    failures: list[str] = []
    try:
        with tempfile.TemporaryDirectory(prefix="claimex-bench-") as tmp:
            path = Path(tmp) / "corpus.jsonl"
            count = write_jsonl(path, corpus_records(args.corpus, args.abstracts))
            print(f"corpus: {count:,} abstracts, {path.stat().st_size / 1e6:.1f} MB of JSONL")
            single = extract_rate(path, min(EXTRACT_SAMPLE, count))
            print(f"extract() on one pinned core: {single:,.0f} abstracts/s")
            print()
            header = "workers   seconds   abstracts/s   × 1 core   backfill RSS   worker RSS (MB)"
            print(header)
            for workers in args.workers:
                r = end_to_end(redis_url, path, workers, count)
                rss = ", ".join(f"{m:.0f}" for m in r.worker_rss_mb)
                print(
                    f"{r.workers:>7}   {r.seconds:>7.1f}   {r.rate:>11,.0f}   "
                    f"{r.rate / single:>8.2f}   {r.backfill_rss_mb:>9.0f} MB   {rss}"
                )
                lost = count - r.extracted
                duplicated = (r.stored - count) + (r.extractions - count)
                print(
                    f"          stored {r.stored:,}, extracted {r.extracted:,}, pending "
                    f"{r.pending}, extractions {r.extractions:,}, summary {json.dumps(r.summary)}"
                    f" → lost {lost}, duplicated {duplicated}"
                )
                if r.interactive_ms:
                    ms = sorted(r.interactive_ms)
                    p99 = ms[min(len(ms) - 1, int(0.99 * len(ms)))]
                    print(
                        f"          a POST during the backfill, to its job finished: p50 "
                        f"{ms[len(ms) // 2]:.0f} ms, p99 {p99:.0f} ms over {len(ms)} "
                        "(the backfill's ids wait in the bulk inbox)"
                    )
                cpu = ", ".join(f"{c:.1f}" for c in r.worker_cpu)
                print(
                    f"          CPU seconds: backfill {r.backfill_cpu:.1f}, workers {cpu}, "
                    f"Redis {r.redis_cpu:.1f} "
                    f"(including start-up and warm-up) over {r.seconds:.1f} s of wall time"
                )
                if lost or duplicated or r.pending or r.summary.get("failed"):
                    failures.append(f"{workers} worker(s): lost {lost}, duplicated {duplicated}")
                if workers == 2 and r.rate < TARGET_RATE:
                    failures.append(f"2 workers: {r.rate:.0f} abstracts/s < {TARGET_RATE:.0f}")
            if args.memory_gb > 0:
                print()
                m = memory_check(redis_url, args.corpus, args.memory_gb, Path(tmp))
                print(
                    f"memory: --dry-run over {m['bytes'] / 1e9:.2f} GB ({m['records']:,.0f} "
                    f"records) in {m['seconds']:.0f} s, peak RSS {m['peak_rss_mb']:.0f} MB "
                    f"(limit {MEMORY_LIMIT_MB:.0f})"
                )
                if m["peak_rss_mb"] >= MEMORY_LIMIT_MB:
                    failures.append(f"dry-run peak RSS {m['peak_rss_mb']:.0f} MB")
    finally:
        if embedded is not None:
            embedded.stop()
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\n(bench process itself: peak RSS {own:.0f} MB)")
    for failure in failures:
        print(f"BELOW TARGET: {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
