"""``claimex up``: the whole service on one machine — Redis, the API and N workers.

Redis is the one at ``REDIS_URL`` when it answers, else an embedded ``redis-server`` that
claimex starts and stops, keeping its data in ``$CLAIMEX_DATA_DIR`` (default ``./data/redis``).
The API and workers run as child processes in their own sessions, so a Ctrl-C reaches only
this process, which then stops them in order: API first (no new work), workers (each finishes
its current job), Redis last.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

import msgspec

from api.settings import Settings
from cli.errors import CommandError
from cli.redis_server import EmbeddedRedis, answers
from cli.settings import load_settings

NAME = "up"
HELP = "run everything on this machine: Redis (embedded if none answers), the API and workers"

STOP_TIMEOUT = 15.0

DEMO_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
"""The team's sample of daily-paper dumps, next to the repository when it is checked out."""


class _Stop(Exception):
    """Raised by the signal handler to leave the supervision loop."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--workers", type=int, default=2, help="number of workers (default 2)")
    parser.add_argument("--host", help="API address (default: CLAIMEX_HOST or 127.0.0.1)")
    parser.add_argument("--port", type=int, help="API port (default: CLAIMEX_PORT or 8000)")
    parser.add_argument(
        "--data-dir",
        type=Path,
        help="embedded Redis data (default: CLAIMEX_DATA_DIR or ./data/redis)",
    )
    parser.add_argument(
        "--embedded-redis",
        action="store_true",
        help="start an embedded Redis even if one answers at REDIS_URL",
    )


def run(args: argparse.Namespace) -> int:
    settings = load_settings(os.environ)
    if args.host:
        settings = msgspec.structs.replace(settings, host=args.host)
    if args.port:
        settings = msgspec.structs.replace(settings, port=args.port)
    if args.workers < 1:
        raise CommandError("--workers must be at least 1")
    _check_port_free(settings.host, settings.port)
    data_dir = args.data_dir or Path(os.environ.get("CLAIMEX_DATA_DIR") or "data/redis")

    embedded: EmbeddedRedis | None = None
    if args.embedded_redis or not answers(settings.redis_url):
        embedded = EmbeddedRedis(data_dir)
        embedded.start()
        settings = msgspec.structs.replace(settings, redis_url=embedded.url)
    children: list[subprocess.Popen[bytes]] = []
    previous = {s: signal.signal(s, _raise_stop) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        children.append(_spawn(["serve"], settings))
        children += [_spawn(["worker"], settings) for _ in range(args.workers)]
        url = f"http://{settings.host}:{settings.port}"
        _wait_ready(url, children)
        _announce(url, settings, embedded, args.workers)
        while True:
            for child in children:
                if child.poll() is not None:
                    print(f"claimex up: a child exited ({child.args!r}); stopping", file=sys.stderr)
                    return 1
            time.sleep(0.5)
    except _Stop:
        print("claimex up: stopping…", flush=True)
        return 0
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        _stop_children(children)
        if embedded is not None:
            embedded.stop()
        print("claimex up: stopped", flush=True)


def _raise_stop(signum: int, frame: FrameType | None) -> None:
    raise _Stop


def _check_port_free(host: str, port: int) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError as exc:
            raise CommandError(
                f"cannot listen on {host}:{port} ({exc.strerror}); set CLAIMEX_PORT or --port"
            ) from None


def _spawn(command: Sequence[str], settings: Settings) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    env |= {
        "REDIS_URL": settings.redis_url,
        "CLAIMEX_HOST": settings.host,
        "CLAIMEX_PORT": str(settings.port),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "cli.main", *command],
        env=env,
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )


def _wait_ready(url: str, children: Sequence[subprocess.Popen[bytes]], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=1) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        if any(child.poll() is not None for child in children):
            raise CommandError("a service process exited during start-up (see its output above)")
        if time.monotonic() > deadline:
            raise CommandError(f"the API did not become ready at {url} within {timeout:.0f}s")
        time.sleep(0.1)


def _announce(url: str, settings: Settings, embedded: EmbeddedRedis | None, workers: int) -> None:
    if embedded is None:
        where = settings.redis_url
    else:
        where = f"embedded, {embedded.url}, data in {embedded.data_dir}"
    lines = [
        f"claimex is up at {url}",
        f"  API docs  {url}/docs",
        f"  Redis     {where}",
        f"  workers   {workers}",
    ]
    if DEMO_CORPUS.is_dir():
        lines.append(f"  demo data claimex backfill {DEMO_CORPUS}/*.txt   (in another terminal)")
    lines.append("Press Ctrl-C to stop.")
    print("\n".join(lines), flush=True)


def _stop_children(children: Sequence[subprocess.Popen[bytes]]) -> None:
    """SIGTERM each child (uvicorn drains, an RQ worker finishes its job); kill late ones."""
    for child in children:
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT
    for child in children:
        try:
            child.wait(max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
