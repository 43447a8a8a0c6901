"""Load test: 10,000 POSTs at concurrency 64 to one API process while two workers drain.

    .venv/bin/python -m bench.load [--requests N] [--connections C] [--timeout S]

Everything runs on 127.0.0.1: Redis (``REDIS_URL``, else 127.0.0.1:6379, else an embedded one;
database 14, flushed), one ``claimex serve``, two ``claimex worker``. Each POST carries one new
abstract. Reports the requests that did not get a 202 (must be 0), p50/p99 latency, then waits
(bounded by ``--timeout``) until every accepted abstract has its claims and checks that none
failed and none was extracted twice. Exits 1 if any check fails.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import redis

from bench.service import (
    DEFAULT_CORPUS,
    HOST,
    _bodies,
    _claimex,
    _env,
    _stop,
    api_process,
    closed_loop,
    load_abstracts,
    redis_for_bench,
)
from claimex.extractors.model import abstract_id
from claimex.workers import keys, metrics

if TYPE_CHECKING:
    from collections.abc import Sequence

RUN = "load"


def _texts(abstracts: Sequence[str], total: int) -> list[str]:
    """The texts ``_bodies(abstracts, RUN)`` sends, in order."""
    return [f"{abstracts[n % len(abstracts)]} [{RUN}-{n}]" for n in range(total)]


def _missing(db: redis.Redis, ids: Sequence[str]) -> list[str]:
    pipe = db.pipeline(transaction=False)
    for i in ids:
        pipe.exists(keys.claims(i))
    return [i for i, found in zip(ids, pipe.execute(), strict=True) if not found]


def _wait(condition_left: int, what: str, deadline: float) -> None:
    if time.monotonic() > deadline:
        sys.exit(f"bench.load: timed out waiting for {what} ({condition_left} left)")


def main(argv: Sequence[str] | None = None) -> int:
    """Post the load and wait; 1 unless every POST got 202 and every abstract was extracted once."""
    parser = argparse.ArgumentParser(prog="bench.load", description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=600.0, help="bound on the whole run, s")
    args = parser.parse_args(argv)
    if not 1 <= args.requests <= 100_000 or not 1 <= args.connections <= 256:
        sys.exit("bench.load: --requests must be 1..100000 and --connections 1..256")
    deadline = time.monotonic() + args.timeout
    abstracts = load_abstracts(args.corpus)
    texts = _texts(abstracts, args.requests)
    ids = list(dict.fromkeys(abstract_id(t) for t in texts))

    with redis_for_bench() as redis_url:
        db = redis.Redis.from_url(redis_url)
        db.flushdb()
        workers = [_claimex("worker", env=_env(redis_url)) for _ in range(args.workers)]
        try:
            while (alive := len(db.keys(keys.worker("*")))) < args.workers:
                _wait(args.workers - alive, "the workers to start", deadline)
                time.sleep(0.2)
            with api_process(redis_url) as port:
                print(
                    f"bench.load: {args.requests:,} POSTs, {args.connections} connections, "
                    f"one API at http://{HOST}:{port}, {args.workers} workers, Redis {redis_url}"
                )
                left = max(1.0, deadline - time.monotonic())
                loop = closed_loop(port, _bodies(abstracts, RUN), args.requests, args.connections)
                result = asyncio.run(asyncio.wait_for(loop, left))
                print(f"  POST: {result.line()}")
                posted = time.monotonic()
                missing = ids
                while missing:
                    _wait(len(missing), "every abstract's claims", deadline)
                    time.sleep(0.5)
                    missing = _missing(db, missing)
                drained = time.monotonic() - posted
            counts = metrics.read(db)
        finally:
            _stop(workers)
        failed = sum(1 for i in ids if db.exists(keys.error(i)))
        extracted = int(counts["abstracts_extracted"])
        db.flushdb()
        db.close()

    print(
        f"  drained {len(ids):,} abstracts {drained:.1f} s after the last POST; "
        f"lost {len(missing)}, failed {failed}, extractions {extracted:,} "
        f"(twice: {max(0, extracted - len(ids))})"
    )
    ok = result.errors == 0 and not missing and failed == 0 and extracted == len(ids)
    print(f"  {'OK' if ok else 'FAILED'}: errors {result.errors}, lost {len(missing)}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
