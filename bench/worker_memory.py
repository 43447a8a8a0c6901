"""Worker memory over many distinct, unusual abstracts: does it level off?

    .venv/bin/python -m bench.worker_memory [--abstracts 20000] [--every 2000] [--modes ...]

Starts an embedded ``redis-server`` of its own and one real ``claimex worker``, submits
``--abstracts`` distinct synthetic abstracts (every one with words, names and would-be units
never seen before, which is what grows per-string caches and spaCy's string store), and
samples the worker's memory every ``--every`` abstracts once they are extracted: the worker
process's RSS, and that of its extraction child (``workers.sandbox``) with its PSS (shared
pages counted in proportion, so parent and child are not counted twice). The peer, measured in
the same run, is the same worker with ``CLAIMEX_EXTRACT_TIMEOUT=0``: extraction in the worker
process itself, as before the sandbox, where whatever the extractor keeps stays for good.
Target (issue 13): worker RSS at most 250 MB after 20,000 abstracts.
"""

from __future__ import annotations

import argparse
import os
import random
import string
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

import redis

from claimex.workers import keys, metrics
from claimex.workers.queue import NewAbstract, submit
from claimex.workers.redis_server import EmbeddedRedis

if TYPE_CHECKING:
    from collections.abc import Sequence

TARGET_MB = 250.0
MB = 1024 * 1024


def synthetic(n: int, rng: random.Random) -> str:
    """A distinct abstract full of strings the pipeline has never seen."""

    def word(k: int = 7) -> str:
        return "".join(rng.choice(string.ascii_lowercase) for _ in range(k))

    name = word().capitalize() + str(n)
    return (
        f"We present {name}, a {word()} {word()} model. On {word().upper()}-{n % 997} it reaches "
        f"{rng.uniform(10, 99):.1f}% {word()} accuracy, {rng.uniform(1, 9):.2f} points above "
        f"{word().capitalize()}Net, with {rng.randint(2, 900)} {word()}s per {word()} and "
        f"{rng.uniform(1, 50):.1f} {word(3)}/{word(2)} throughput on {rng.randint(1, 64)} "
        f"{word(4).upper()} chips; {name} uses {rng.randint(1, 99)}B {word()} tokens."
    )


def _status(pid: int) -> dict[str, int]:
    """RSS and PSS of ``pid`` in bytes (PSS 0 where ``smaps_rollup`` is missing)."""
    found = {"rss": 0, "pss": 0}
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            name, _, value = line.partition(":")
            if name in ("Rss", "Pss"):
                found[name.lower()] = int(value.split()[0]) * 1024
    except OSError:
        pass
    return found


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def run_mode(
    name: str, extra_env: dict[str, str], count: int, every: int, timeout: float
) -> list[tuple[int, float, float, float]]:
    """Samples of (abstracts done, worker RSS MB, child RSS MB, worker+child PSS MB)."""
    samples: list[tuple[int, float, float, float]] = []
    rng = random.Random(20_000)
    with tempfile.TemporaryDirectory(prefix="claimex-bench-") as tmp:
        server = EmbeddedRedis(Path(tmp) / "redis", persist=False)
        server.start()
        env = dict(os.environ, REDIS_URL=server.url, **extra_env)
        with (Path(tmp) / "worker.log").open("wb") as log:
            worker = subprocess.Popen(
                [sys.executable, "-m", "claimex.cli.main", "worker"], env=env, stderr=log
            )
        db = redis.Redis.from_url(server.url)
        deadline = time.monotonic() + timeout
        try:
            sent = 0
            while sent < count:
                batch = min(every, count - sent)
                texts = [synthetic(sent + i, rng) for i in range(batch)]
                for start in range(0, batch, 500):
                    chunk = [NewAbstract(text=t) for t in texts[start : start + 500]]
                    submit(db, chunk, source="bench", job_ttl=3600)
                sent += batch
                while (
                    metrics.read(db)["abstracts_extracted"] + metrics.read(db)["abstracts_failed"]
                    < sent
                ):
                    if worker.poll() is not None or time.monotonic() > deadline:
                        sys.exit(f"bench.worker_memory: {name}: the worker stopped or timed out")
                    time.sleep(0.2)
                parent = _status(worker.pid)
                child = {"rss": 0, "pss": 0}
                for pid in _children(worker.pid):
                    found = _status(pid)
                    child = {k: child[k] + found[k] for k in child}
                samples.append(
                    (
                        sent,
                        parent["rss"] / MB,
                        child["rss"] / MB,
                        (parent["pss"] + child["pss"]) / MB,
                    )
                )
                print(
                    f"  {name:<12} {sent:>7,} abstracts  worker RSS {parent['rss'] / MB:6.0f} MB"
                    f"  child RSS {child['rss'] / MB:6.0f} MB  PSS total "
                    f"{(parent['pss'] + child['pss']) / MB:6.0f} MB",
                    flush=True,
                )
            assert db.llen(keys.inbox()) == 0
        finally:
            worker.terminate()
            worker.wait(30)
            db.close()
            server.stop()
    return samples


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line: how many abstracts, how often to sample, the timeout and the modes."""
    parser = argparse.ArgumentParser(prog="python -m bench.worker_memory", description=__doc__)
    parser.add_argument("--abstracts", type=int, default=20_000)
    parser.add_argument("--every", type=int, default=2_000, help="sample every N abstracts")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per mode at most")
    parser.add_argument(
        "--modes", default="sandbox,in-process", help="sandbox, in-process or both (the peer)"
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the worker in each mode over the abstracts and print how its memory grew."""
    args = parse_args(argv)
    modes = {"sandbox": {}, "in-process": {"CLAIMEX_EXTRACT_TIMEOUT": "0"}}
    results = {}
    for name in args.modes.split(","):
        print(f"bench.worker_memory: {name}", flush=True)
        results[name] = run_mode(name, modes[name], args.abstracts, args.every, args.timeout)
    print()
    for name, samples in results.items():
        first, last = samples[0], samples[-1]
        worst = max(s[1] + s[2] for s in samples)
        print(
            f"{name:<12} worker+child RSS after {first[0]:,}: {first[1] + first[2]:.0f} MB; after "
            f"{last[0]:,}: {last[1] + last[2]:.0f} MB (highest {worst:.0f}); PSS {last[3]:.0f} MB"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
