"""A claimex process the benches start on loopback, and waiting for it to answer ``/health``."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import httpx

from claimex.workers.redis_server import free_port

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Sequence

HOST = "127.0.0.1"
REPO = Path(__file__).resolve().parents[1]

POLL = 0.1  # seconds between two /health requests


def wait_healthy(base: str, process: subprocess.Popen[bytes], timeout: float, who: str) -> None:
    """Return once ``{base}/health`` answers 200; exit if ``process`` ends or ``timeout`` passes.

    The exit's one-line message names ``who``, the bench.
    """
    deadline = time.monotonic() + timeout
    while True:
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                return
        if process.poll() is not None:
            sys.exit(f"{who}: the claimex process exited at start-up")
        if time.monotonic() > deadline:
            sys.exit(f"{who}: the claimex process did not answer /health in {timeout:.0f} s")
        time.sleep(POLL)


@contextlib.contextmanager
def running(
    args: Sequence[str], data_dir: Path, who: str, extra: Mapping[str, str] | None = None
) -> Iterator[tuple[str, int]]:
    """``claimex <args>`` on a free loopback port; yields (base URL, pid) once healthy.

    Of the caller's claimex variables it gets only ``extra``; afterwards it is stopped (SIGINT,
    then kill).
    """
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLAIMEX_") and k != "REDIS_URL"}
    env |= {"CLAIMEX_HOST": HOST, "CLAIMEX_PORT": str(port), "CLAIMEX_DATA_DIR": str(data_dir)}
    process = subprocess.Popen(
        [sys.executable, "-m", "claimex.cli.main", *args],
        cwd=REPO,
        env=env | dict(extra or {}),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://{HOST}:{port}"
    try:
        wait_healthy(base, process, 120, who)
        yield base, process.pid
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
