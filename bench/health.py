"""Waiting for a claimex process the benches started to answer ``/health``."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import time

import httpx

POLL = 0.1  # seconds between two /health requests


def wait_healthy(base: str, process: subprocess.Popen[bytes], timeout: float, who: str) -> None:
    """Return once ``{base}/health`` answers 200; exit with a one-line message naming ``who``
    (the bench) if ``process`` exits first or ``timeout`` seconds pass."""
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
