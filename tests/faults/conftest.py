"""Real processes for fault tests: a redis-server of the test's own, ``claimex`` subprocesses.

Redis runs on a free loopback port with its append-only file in ``tmp_path``, so a test can
stop and restart it on the same data. Every process is killed at the end of the test; every
wait is bounded by a deadline.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, cast

import httpx
import pytest
import redis

from claimex.workers.redis_server import EmbeddedRedis, free_port

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

REPO = Path(__file__).resolve().parents[2]
START_TIMEOUT = 90.0


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    """Poll ``condition`` every 50 ms until true; fail the test after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(0.05)


class Processes:
    """Starts ``claimex`` subcommands against one Redis and kills them all at the end."""

    def __init__(self, redis_url: str, logs: Path) -> None:
        self.redis_url = redis_url
        self.logs = logs
        self.started: list[subprocess.Popen[bytes]] = []

    def claimex(self, *args: str, name: str, **env: str) -> subprocess.Popen[bytes]:
        environment = dict(os.environ, REDIS_URL=self.redis_url, PYTHONUNBUFFERED="1", **env)
        with (self.logs / f"{name}.log").open("wb") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "claimex.cli.main", *args],
                env=environment,
                cwd=REPO,
                stdout=subprocess.DEVNULL,
                stderr=log,
            )
        self.started.append(process)
        return process

    def worker(self, name: str, **env: str) -> subprocess.Popen[bytes]:
        env.setdefault("CLAIMEX_WORKER_HEARTBEAT", "1")
        return self.claimex("worker", name=name, **env)

    def serve(self, **env: str) -> str:
        """A ``claimex serve`` on a free port; its base URL once /health answers 200."""
        port = free_port()
        name = (
            "api"
            if not any(cast("list[str]", p.args)[3:4] == ["serve"] for p in self.started)
            else f"api-{port}"
        )
        process = self.claimex(
            "serve", "--port", str(port), name=name, CLAIMEX_HOST="127.0.0.1", **env
        )
        base = f"http://127.0.0.1:{port}"

        def up() -> bool:
            assert process.poll() is None, "claimex serve exited"
            try:
                return httpx.get(f"{base}/health", timeout=1).status_code == 200
            except httpx.HTTPError:
                return False

        wait_for(up, START_TIMEOUT, "claimex serve to answer")
        return base

    def log(self, name: str) -> str:
        return (self.logs / f"{name}.log").read_text(errors="replace")

    def kill_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                process.kill()
            process.wait(10)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[EmbeddedRedis]:
    """A redis-server of this test's own, AOF on, data in ``tmp_path / 'redis'``."""
    embedded = EmbeddedRedis(tmp_path / "redis")
    embedded.start()
    try:
        yield embedded
    finally:
        embedded.stop()


@pytest.fixture
def conn(server: EmbeddedRedis) -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(server.url)
    try:
        yield client
    finally:
        client.close()


@pytest.fixture
def procs(server: EmbeddedRedis, tmp_path: Path) -> Iterator[Processes]:
    processes = Processes(server.url, tmp_path)
    try:
        yield processes
    finally:
        processes.kill_all()
