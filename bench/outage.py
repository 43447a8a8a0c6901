"""A Redis outage during a backfill: how soon the service answers again, and what was lost.

    .venv/bin/python -m bench.outage [--abstracts N] [--down SECONDS]

On loopback, in a temporary directory: an embedded Redis (append-only file on, as ``claimex up``
runs it), ``claimex up --workers 2`` on it, and ``claimex backfill --wait`` of ``--abstracts``
synthetic abstracts. Once the workers are extracting, Redis is stopped for ``--down`` seconds
(issue 13: 30) and started again on the same port and data. Reported: seconds from Redis's
return to the first ``GET /health`` 200 and the first ``POST`` 202 (target: within 5 s; the
peer is the same POST on the running service before the outage); whether every ``claimex``
process is still alive; the backfill's exit status; and that every abstract was extracted
exactly once (the workers' ``abstracts_extracted`` counter equals the abstracts, none failed).
Exits 1 when a check fails.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import redis

from claimex.workers import keys, metrics
from claimex.workers.redis_server import EmbeddedRedis, free_port

if TYPE_CHECKING:
    from collections.abc import Sequence

HOST = "127.0.0.1"
REPO = Path(__file__).resolve().parents[1]


def _env(redis_url: str, port: int, data: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLAIMEX_")}
    return env | {
        "REDIS_URL": redis_url,
        "CLAIMEX_HOST": HOST,
        "CLAIMEX_PORT": str(port),
        "CLAIMEX_DATA_DIR": str(data),
    }


def _claimex(args: Sequence[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "claimex.cli.main", *args],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=out,
        )


def _until(check: object, timeout: float, step: float = 0.05) -> float | None:
    """Seconds until ``check()`` is true, or None after ``timeout``."""
    began = time.monotonic()
    while time.monotonic() - began < timeout:
        with contextlib.suppress(httpx.HTTPError, redis.RedisError):
            if check():  # type: ignore[operator]
                return time.monotonic() - began
        time.sleep(step)
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Stop Redis in the middle of a backfill, start it again, and report; 1 if a check fails."""
    parser = argparse.ArgumentParser(prog="python -m bench.outage", description=__doc__)
    parser.add_argument("--abstracts", type=int, default=3000)
    parser.add_argument("--down", type=float, default=30.0, help="seconds Redis is away")
    parser.add_argument("--timeout", type=float, default=600.0, help="bound on the whole run")
    args = parser.parse_args(argv)
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        server = EmbeddedRedis(root / "redis")
        server.start()
        port = free_port()
        base = f"http://{HOST}:{port}"
        env = _env(server.url, port, root / "up")
        corpus = root / "corpus.jsonl"
        corpus.write_text(
            "".join(
                json.dumps({"text": f"Run {n} reaches {50 + n % 50}.{n % 10}% on FooQA."}) + "\n"
                for n in range(args.abstracts)
            )
        )
        up = _claimex(["up", "--workers", "2"], env, root / "up.log")
        http = httpx.Client(timeout=3)
        db = redis.Redis.from_url(server.url)
        backfill = None
        try:
            if _until(lambda: http.get(f"{base}/health").status_code == 200, 120) is None:
                sys.exit("bench.outage: claimex up did not start")
            began = time.monotonic()
            peer = http.post(f"{base}/v1/abstracts", json={"text": "Peer reaches 1.5% F1."})
            peer_ms = (time.monotonic() - began) * 1000
            backfill = _claimex(["backfill", "--wait", str(corpus)], env, root / "backfill.log")
            extracting = _until(lambda: metrics.read(db)["abstracts_extracted"] > 50, 120)
            if extracting is None:
                sys.exit("bench.outage: the workers never started extracting")
            server.stop()
            time.sleep(args.down)
            server = EmbeddedRedis(root / "redis", port=server.port)
            server.start()
            health = _until(lambda: http.get(f"{base}/health").status_code == 200, 60)
            post = _until(
                lambda: (
                    http.post(f"{base}/v1/abstracts", json={"text": "Back: 2.5% F1."}).status_code
                    == 202
                ),
                60,
            )
            deadline = time.monotonic() + args.timeout
            while backfill.poll() is None and time.monotonic() < deadline:
                time.sleep(0.5)
            alive = up.poll() is None
            if backfill.returncode:
                tail = (root / "backfill.log").read_text(errors="replace").splitlines()[-3:]
                print("backfill said:", *tail, sep="\n  ", file=sys.stderr)
            counts = metrics.read(db)
            stored = sum(1 for _ in db.scan_iter(keys.claims("*"), count=1000))
        finally:
            if backfill is not None and backfill.poll() is None:
                backfill.kill()
            up.send_signal(signal.SIGINT)
            with contextlib.suppress(subprocess.TimeoutExpired):
                up.wait(60)
            if up.poll() is None:
                up.kill()
            server.stop()
        expected = args.abstracts + 2  # the corpus, the peer POST and the one after the outage
        rows = [
            ("peer: POST on the running service", f"{peer_ms:.0f} ms ({peer.status_code})"),
            (f"Redis away {args.down:g} s, then back: /health 200 after", _s(health)),
            ("  first POST 202 after", _s(post)),
            ("claimex up still running", str(alive)),
            ("backfill exit status", str(backfill.returncode if backfill else None)),
            (
                "abstracts extracted (counter) / with claims",
                f"{counts['abstracts_extracted']} / {stored} of {expected}",
            ),
            ("abstracts failed", str(counts["abstracts_failed"])),
        ]
        width = max(len(label) for label, _ in rows)
        for label, value in rows:
            print(f"{label:<{width}}  {value}")
        ok = (
            health is not None
            and post is not None
            and max(health, post) <= 5.0
            and alive
            and (backfill.returncode if backfill else 1) == 0
            and counts["abstracts_extracted"] == expected
            and counts["abstracts_failed"] == 0
        )
    print("bench.outage:", "every check passed" if ok else "a check FAILED")
    return 0 if ok else 1


def _s(seconds: float | None) -> str:
    return "never (60 s)" if seconds is None else f"{seconds:.2f} s"


if __name__ == "__main__":
    raise SystemExit(main())
