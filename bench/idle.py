"""Pickup after idling: POST -> job finished, on a ``claimex up`` that sat idle first.

    .venv/bin/python -m bench.idle [--idle SECONDS] [--posts N]

Starts ``claimex up`` (its own embedded Redis, two workers) on a free loopback port in a
temporary data directory, POSTs ``--posts`` single abstracts one after another right away
(the peer: a warm, busy service), then lets it sit idle ``--idle`` seconds (issue 13: at least
two minutes, longer than any socket timeout a worker's connection could have) and POSTs as
many again. Each latency runs from the POST to the poll that first sees the job ``finished``
(polled every 5 ms). Prints p50/p99 of both and their ratio; exits 1 if the idle p99 is over
``--target`` milliseconds (200).
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

import httpx

from bench.health import running

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

POLL = 0.005  # seconds between polls of the job


@contextlib.contextmanager
def service(data_dir: Path) -> Iterator[str]:
    """A ``claimex up`` with embedded Redis on loopback; yields its base URL once healthy."""
    with running(["up", "--embedded-redis", "--workers", "2"], data_dir, "bench.idle") as (base, _):
        yield base


def pickup(client: httpx.Client, base: str, text: str) -> float:
    """Seconds from POSTing ``text`` to its job reading ``finished``."""
    began = time.perf_counter()
    response = client.post(f"{base}/v1/abstracts", json={"text": text})
    if response.status_code != 202:
        sys.exit(f"bench.idle: POST answered {response.status_code}: {response.text[:200]}")
    status_url = base + response.json()["status_url"]
    deadline = began + 60
    while time.perf_counter() < deadline:
        if client.get(status_url).json().get("status") == "finished":
            return time.perf_counter() - began
        time.sleep(POLL)
    sys.exit("bench.idle: a job did not finish within 60 s")


def run(client: httpx.Client, base: str, label: str, n: int) -> list[float]:
    """The pickup seconds of ``n`` distinct abstracts, posted one after another."""
    return [
        pickup(client, base, f"Zeta reaches {60 + (i % 40)}.{i % 10}% on FooQA ({label} {i}).")
        for i in range(n)
    ]


def percentile(values: Sequence[float], q: float) -> float:
    """The value at quantile ``q`` of ``values``: the nearest rank, not interpolated."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main(argv: Sequence[str] | None = None) -> int:
    """Time pickups warm and after idling; 1 if the idle p99 is over ``--target``."""
    parser = argparse.ArgumentParser(prog="python -m bench.idle", description=__doc__)
    parser.add_argument("--idle", type=float, default=130.0, help="seconds idle (default 130)")
    parser.add_argument("--posts", type=int, default=50, help="POSTs per phase (default 50)")
    parser.add_argument("--target", type=float, default=200.0, help="idle p99 bound, ms")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp, service(Path(tmp)) as base, httpx.Client() as c:
        run(c, base, "warm-up", 3)
        warm = run(c, base, "warm", args.posts)
        print(f"bench.idle: idle for {args.idle:g} s …", file=sys.stderr)
        time.sleep(args.idle)
        idle = run(c, base, "idle", args.posts)
    for name, values in (("warm (peer)", warm), ("after idling", idle)):
        p50, p99 = statistics.median(values) * 1000, percentile(values, 0.99) * 1000
        print(f"{name:14} POST -> finished  p50 {p50:7.1f} ms  p99 {p99:7.1f} ms  n={len(values)}")
    ratio = percentile(idle, 0.99) / max(percentile(warm, 0.99), 1e-9)
    print(f"ratio idle/warm p99: {ratio:.2f}x (target: idle p99 <= {args.target:g} ms)")
    return 0 if percentile(idle, 0.99) * 1000 <= args.target else 1


if __name__ == "__main__":
    raise SystemExit(main())
