"""Redis bytes stored per byte accepted, on hostile and ordinary POSTs.

    .venv/bin/python -m bench.storage [--only WORD] [--check]

Each input is one POST body within the default limits (a 20,000-character text, or a batch
of 500 abstracts in a body under 2 MB, titles at their limit). It goes through a real
``claimex serve`` on loopback and the workers' own code (``workers.jobs.process``, in this
process), into an embedded ``redis-server`` of the benchmark's own, flushed between inputs.
"Stored" is the sum of ``MEMORY USAGE`` over every key left afterwards (RQ's included),
broken down by key family; "accepted" is the body's length in bytes. The peer, in the same
run, is an ordinary abstract POSTed the same way. Target (issue 13): at most 5 bytes stored per
byte accepted for every hostile POST; ``--check`` exits 1 if one is over.

A body that is the ordinary abstract with one hostile part (a title at its limit) also gets
its *marginal* ratio: the bytes it stores beyond the ordinary abstract per byte it adds. Its
plain ratio is bounded below by the peer's (a short abstract's indexes and tables cost some
ten kilobytes whatever its title), so for such a body the check reads the marginal ratio,
which is what shows whether the hostile part is copied; both are printed.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import redis

from bench.health import wait_healthy
from claimex.workers import inbox, jobs
from claimex.workers.redis_server import EmbeddedRedis, free_port

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

TARGET = 5.0
TEXT_LIMIT = 20_000
BODY_LIMIT = 2_000_000
BATCH_LIMIT = 500
TITLE_LIMIT = 500

ORDINARY = (
    "Large language models are costly to fine-tune. We propose LoRA-X, which trains 0.1% of "
    "the parameters of a 7B model. On GLUE, LoRA-X reaches 88.5 average score, 1.2 points above "
    "full fine-tuning, and on SQuAD v2 it gets 86.1 F1 (vs. 84.9 for adapters). Training takes "
    "3.5 hours on 8 A100 GPUs, 2.5x faster than the baseline, and memory drops from 80 GB to "
    "24 GB. Ablations on MNLI show that rank 8 is enough: accuracy changes by less than 0.3%."
)


def repeat(unit: str, size: int) -> str:
    """``unit`` repeated and cut to exactly ``size`` characters."""
    return (unit * (size // len(unit) + 1))[:size]


def _tables_text(n: int, size: int) -> str:
    """One sentence naming a new dataset and metric for every score: a table per claim."""
    parts = [f"On Set{i} we reach {i % 90 + 5}.5 Metric{i} score" for i in range(n)]
    return repeat(", ".join(parts) + ". ", size)


def _batch(texts: Iterator[str], title: str | None) -> dict[str, object]:
    abstracts: list[dict[str, object]] = []
    size = 20
    for text in texts:
        item: dict[str, object] = {"text": text}
        if title is not None:
            item["title"] = title
        size += len(json.dumps(item)) + 1
        if size > BODY_LIMIT - 1000 or len(abstracts) == BATCH_LIMIT:
            break
        abstracts.append(item)
    return {"abstracts": abstracts}


def bodies() -> Iterator[tuple[str, dict[str, object]]]:
    """Every POST body, by name: ordinary ones first (the peers), then the hostile ones."""
    yield "ordinary abstract (peer)", {"text": ORDINARY, "title": "LoRA-X"}
    yield (
        "ordinary batch of 500 (peer)",
        _batch(
            (f"{ORDINARY} Run {n}." for n in range(BATCH_LIMIT)), "LoRA-X: a title of some length"
        ),
    )
    yield "one-sentence scores", {"text": repeat("88.5% accuracy on ImageNet, ", TEXT_LIMIT)}
    yield "1 on", {"text": repeat("1 on ", TEXT_LIMIT)}
    yield "1%", {"text": repeat("1% ", TEXT_LIMIT)}
    yield "numbers, short sentences", {"text": repeat("A 5% B. ", TEXT_LIMIT)}
    yield "a table per claim", {"text": _tables_text(400, TEXT_LIMIT)}
    yield "long title (+ordinary)", {"text": ORDINARY, "title": "T" * TITLE_LIMIT}
    yield (
        "batch: dense claims, long titles",
        _batch(
            (
                f"Run {n}: {repeat('We get 88.5% accuracy on ImageNet. ', 3_500)}"
                for n in range(10**6)
            ),
            "T" * TITLE_LIMIT,
        ),
    )
    yield (
        "batch: a table per claim",
        _batch((f"Run {n}: " + _tables_text(60, 3_800) for n in range(10**6)), None),
    )


def _family(key: bytes) -> str:
    name = key.decode(errors="replace")
    if name.startswith("rq:"):
        return "rq"
    parts = name.split(":")
    if len(parts) > 2 and parts[1] == "tbl":
        return "tbl:" + (parts[3] if len(parts) > 3 else parts[2])
    if len(parts) > 2 and parts[1] == "idx":
        return "idx"
    return parts[1] if len(parts) > 1 else name


def stored(db: redis.Redis) -> Counter[str]:
    """``MEMORY USAGE`` of every key, summed by key family."""
    sizes: Counter[str] = Counter()
    for key in db.scan_iter(count=1000):
        sizes[_family(key)] += int(db.memory_usage(key, samples=0) or 0)
    return sizes


def _serve(url: str, port: int, log: Path) -> subprocess.Popen[bytes]:
    env = dict(os.environ, REDIS_URL=url, CLAIMEX_HOST="127.0.0.1", CLAIMEX_PORT=str(port))
    with log.open("wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "claimex.cli.main", "serve"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=out,
        )


def drain(db: redis.Redis) -> None:
    """Extract everything admitted, with the workers' own code, in this process."""
    while ids := inbox.take(db, "bench-drain"):
        jobs.process(db, ids, job_id="bench-drain", retry=True)
        inbox.release(db, "bench-drain")
    db.delete(*db.keys("rq:*") or ["-"])  # drain jobs queued for workers this bench replaces


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line: which bodies, and ``--check``."""
    parser = argparse.ArgumentParser(prog="python -m bench.storage", description=__doc__)
    parser.add_argument("--only", default=None, help="only bodies whose name contains this")
    parser.add_argument("--check", action="store_true", help=f"exit 1 above {TARGET:g} bytes/byte")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """POST every body, print the bytes it stores per byte; 1 with ``--check`` if one is over."""
    args = parse_args(argv)
    over: list[str] = []
    with tempfile.TemporaryDirectory(prefix="claimex-bench-") as tmp:
        server = EmbeddedRedis(Path(tmp) / "redis", persist=False)
        server.start()
        port = free_port()
        api = _serve(server.url, port, Path(tmp) / "api.log")
        base = f"http://127.0.0.1:{port}"
        try:
            wait_healthy(base, api, 60, "bench.storage")
            db = redis.Redis.from_url(server.url)
            print(
                f"{'body':<34} {'accepted':>10} {'stored':>11} {'ratio':>6} {'marg.':>6}"
                "  largest families"
            )
            peer: tuple[int, int] | None = None
            for name, body in bodies():
                if args.only and args.only not in name:
                    continue
                db.flushdb()
                raw = json.dumps(body).encode()
                answer = httpx.post(
                    f"{base}/v1/abstracts",
                    content=raw,
                    headers={"content-type": "application/json"},
                    timeout=60,
                )
                if answer.status_code != 202:
                    print(f"{name:<34} refused: {answer.status_code} {answer.text[:80]}")
                    continue
                drain(db)
                sizes = stored(db)
                total = sum(sizes.values())
                ratio = checked = total / len(raw)
                marginal = "-"
                if name.startswith("ordinary abstract"):
                    peer = (len(raw), total)
                elif "(+ordinary)" in name and peer is not None and len(raw) > peer[0]:
                    checked = (total - peer[1]) / (len(raw) - peer[0])
                    marginal = f"{checked:.2f}"
                top = ", ".join(f"{f} {b / 1024:,.0f}K" for f, b in sizes.most_common(4))
                print(f"{name:<34} {len(raw):>10,} {total:>11,} {ratio:>6.2f} {marginal:>6}  {top}")
                if "(peer)" not in name and checked > TARGET:
                    over.append(f"{name}: {checked:.2f}")
        finally:
            api.terminate()
            api.wait(10)
            server.stop()
    print(f"\nhostile POSTs over {TARGET:g} bytes stored per byte accepted: {len(over)}")
    for line in over:
        print(f"  {line}")
    return 1 if args.check and over else 0


if __name__ == "__main__":
    sys.exit(main())
