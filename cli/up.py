"""``claimex up``: the whole service on one machine — Redis, the API and N workers.

Redis is the one at ``REDIS_URL`` when that is set and answers, else an embedded
``redis-server`` that claimex starts and stops, keeping its data in ``--data-dir`` (default
``$CLAIMEX_DATA_DIR`` or ``./data/redis``). Once everything answers, the banner says where
things are and ``claimex-up.json`` in the data directory tells the other commands
(``claimex backfill``, ``worker``, ``serve``) which Redis to use (``cli.state``).

``claimex up`` supervises what it started: a child that exits (or the embedded Redis) is
started again, after 1 s, then 2, 4 … up to ``MAX_BACKOFF`` s while it keeps dying within
``STABLE_AFTER`` s; nothing else is stopped meanwhile. The children run in their own
sessions, so a Ctrl-C reaches only this process, which then stops them in order: API first
(no new work), workers (each finishes its current job), Redis last.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import msgspec

from claimex.cli import state
from claimex.cli.errors import CommandError
from claimex.cli.settings import load_settings
from claimex.workers.redis_server import EmbeddedRedis, RedisServerError, answers

if TYPE_CHECKING:
    import argparse
    from collections.abc import Sequence
    from types import FrameType

    from claimex.settings import ServiceSettings

NAME = "up"
HELP = "run everything on this machine: Redis (embedded if none answers), the API and workers"
STOP_TIMEOUT = 15.0
MAX_BACKOFF = 30.0
STABLE_AFTER = 60.0
"""A child that ran this long before exiting is restarted after the shortest pause again."""
POLL_SECONDS = 0.5
DEMO_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
"""The team's sample of daily-paper dumps, next to the repository when it is checked out."""


class _Stop(Exception):
    """Raised by the signal handler to leave the supervision loop."""


class Backoff:
    """When to start a process again after it exited, waiting longer while it keeps dying.

    1, 2, 4 … ``MAX_BACKOFF`` s while it keeps exiting within ``STABLE_AFTER`` s of its start,
    1 s again once it ran that long.
    """

    def __init__(self) -> None:
        self.failures = 0

    def after_exit(self, ran_for: float) -> float:
        """Seconds to wait before the next start of a process that ran for ``ran_for`` seconds."""
        self.failures = self.failures + 1 if ran_for < STABLE_AFTER else 1
        return min(MAX_BACKOFF, 2.0 ** (self.failures - 1))


class Child:
    """One supervised ``claimex`` subcommand."""

    def __init__(self, name: str, command: Sequence[str]) -> None:
        self.name = name
        self.command = list(command)
        self.process: subprocess.Popen[bytes] | None = None
        self.started = 0.0
        self.backoff = Backoff()
        self.restart_at: float | None = None

    def start(self, settings: ServiceSettings) -> None:
        """Start the subcommand in a session of its own, with Redis and the API's address set."""
        env = dict(os.environ)
        env |= {
            "REDIS_URL": settings.redis_url,
            "CLAIMEX_HOST": settings.host,
            "CLAIMEX_PORT": str(settings.port),
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "claimex.cli.main", *self.command],
            env=env,
            stdout=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.started = time.monotonic()
        self.restart_at = None

    def supervise(self, settings: ServiceSettings, now: float) -> None:
        """Start the child again once its pause after an exit is over."""
        if self.restart_at is not None:
            if now >= self.restart_at:
                self.start(settings)
            return
        if self.process is None or (code := self.process.poll()) is None:
            return
        delay = self.backoff.after_exit(now - self.started)
        self.restart_at = now + delay
        print(
            f"claimex up: {self.name} exited (status {code}); starting it again in {delay:g} s",
            file=sys.stderr,
            flush=True,
        )


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``--workers``, the API's ``--host`` and ``--port``, and the embedded Redis's options."""
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
    """Start the embedded Redis if needed, the API and the workers; supervise them until stopped."""
    settings = load_settings(os.environ)
    if args.host:
        settings = msgspec.structs.replace(settings, host=args.host)
    if args.port:
        settings = msgspec.structs.replace(settings, port=args.port)
    if args.workers < 1:
        raise CommandError("--workers must be at least 1")
    _check_port_free(settings.host, settings.port)
    data_dir = state.data_dir(os.environ, args.data_dir)

    embedded: EmbeddedRedis | None = None
    given = os.environ.get("REDIS_URL", "").strip()
    # Unset, REDIS_URL is never guessed (a Redis on 6379 may be somebody else's).
    if args.embedded_redis or not given or not answers(settings.redis_url):
        embedded = EmbeddedRedis(data_dir)
        embedded.start()
        settings = msgspec.structs.replace(settings, redis_url=embedded.url)
    api = Child("the API", ["serve"])
    children = [api] + [Child(f"worker {n}", ["worker"]) for n in range(1, args.workers + 1)]
    previous = {s: signal.signal(s, _raise_stop) for s in (signal.SIGINT, signal.SIGTERM)}
    published: Path | None = None
    try:
        for child in children:
            child.start(settings)
        url = f"http://{settings.host}:{settings.port}"
        _wait_ready(url, api)
        published = state.publish(data_dir, redis_url=settings.redis_url, api_url=url)
        _announce(url, settings, embedded, args.workers, published)
        _supervise(settings, embedded, children)
    except _Stop:
        print("claimex up: stopping…", flush=True)
        return 0
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        if published is not None:
            state.withdraw(published)
        _stop_children([c.process for c in children if c.process is not None])
        if embedded is not None:
            embedded.stop()
        print("claimex up: stopped", flush=True)


def _supervise(
    settings: ServiceSettings, embedded: EmbeddedRedis | None, children: list[Child]
) -> NoReturn:
    """Until stopped, start again the embedded Redis or a child that exited, after a pause.

    The pause grows while the same process keeps exiting soon after its start (``Backoff``).
    """
    redis_backoff, redis_down_at = Backoff(), time.monotonic()
    while True:
        now = time.monotonic()
        if embedded is not None and not embedded.running():
            pause = redis_backoff.after_exit(now - redis_down_at)
            print(
                f"claimex up: the embedded Redis exited; starting it again in {pause:g} s",
                file=sys.stderr,
                flush=True,
            )
            time.sleep(pause)
            redis_down_at = time.monotonic()
            try:
                embedded.restart()
            except RedisServerError as exc:
                print(f"claimex up: {exc}", file=sys.stderr, flush=True)
        for child in children:
            child.supervise(settings, now)
        time.sleep(POLL_SECONDS)


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


def _wait_ready(url: str, api: Child, timeout: float = 60) -> None:
    """Wait until ``/health`` answers 200; ``CommandError`` if the API exits or times out first.

    The API exiting during start-up is a configuration error (it would exit again), so it stops
    ``claimex up`` instead of being restarted.
    """
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=1) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        if api.process is not None and api.process.poll() is not None:
            raise CommandError("the API exited during start-up (see its output above)")
        if time.monotonic() > deadline:
            raise CommandError(f"the API did not become ready at {url} within {timeout:.0f}s")
        time.sleep(0.1)


def claimex_command() -> str:
    """How to run this claimex from another terminal.

    ``claimex`` if that is the one on PATH, else this installation's script by its absolute
    path.
    """
    script = Path(sys.executable).parent / "claimex"
    on_path = shutil.which("claimex")
    if on_path and Path(on_path).resolve() == script.resolve():
        return "claimex"
    return str(script) if script.exists() else f"{sys.executable} -m claimex.cli.main"


def _announce(
    url: str,
    settings: ServiceSettings,
    embedded: EmbeddedRedis | None,
    workers: int,
    published: Path,
) -> None:
    if embedded is None:
        where = settings.redis_url
    else:
        where = f"embedded, {embedded.url}, data in {embedded.data_dir}"
    lines = [
        f"claimex is up at {url}",
        f"  API docs  {url}/docs",
        f"  Redis     {where}",
        f"  workers   {workers}",
        f"  state     {published} (other claimex commands here use this Redis)",
    ]
    if DEMO_CORPUS.is_dir():
        demo = f"{claimex_command()} backfill {DEMO_CORPUS}/*.txt"
        if published.resolve() != state.CHECKOUT / state.DEFAULT_DATA_DIR / state.FILE_NAME:
            # Other commands find the checkout's data/redis from any directory; elsewhere they
            # must be told where it is.
            demo = f"{state.DATA_DIR_VARIABLE}={published.parent.resolve()} {demo}"
        lines.append(f"  demo data {demo}   (in another terminal)")
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
