"""cli/backfill.py: ``claimex backfill`` as a real process against real workers on one Redis.

Workers are ``claimex worker`` processes on the test database; everything stays on loopback
and every wait is bounded.
"""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from typing import TYPE_CHECKING, cast

import pytest
import redis
from rq import Queue, Worker

from claimex.cli.backfill import parse_summary
from claimex.cli.main import main
from claimex.extractors.model import abstract_id
from claimex.workers import inbox, keys, metrics

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

    from litestar import Litestar
    from litestar.testing import TestClient

# Slow, left out of the fast loop (scripts/test -m "not slow"):
# each case runs `claimex backfill` and workers as processes.
pytestmark = pytest.mark.slow

TIMEOUT = 120.0


def _texts(n: int, tag: str = "") -> list[str]:
    return [
        f"Model{tag} {i} reaches {50 + (i % 500) / 10:.1f}% accuracy on ImageNet "
        f"with {i % 90 + 1}B parameters."
        for i in range(n)
    ]


def _jsonl(texts: list[str]) -> str:
    return "".join(json.dumps({"title": f"T{n}", "text": t}) + "\n" for n, t in enumerate(texts))


def _ids(db: redis.Redis, key: Callable[[str], str]) -> set[str]:
    return {k.decode().rpartition(":")[2] for k in db.scan_iter(match=key("*"), count=1000)}


def _claimex(*args: str, redis_url: str, **kw: object) -> subprocess.Popen[str]:
    env = dict(os.environ, REDIS_URL=redis_url, PYTHONUNBUFFERED="1")
    return subprocess.Popen(  # type: ignore[call-overload,no-any-return]
        [sys.executable, "-m", "claimex.cli.main", *args], env=env, text=True, **kw
    )


@pytest.fixture
def start_workers(redis_url: str) -> Iterator[Callable[[int], list[subprocess.Popen[str]]]]:
    """Starts ``claimex worker`` processes on the test database; stops them after the test."""
    started: list[subprocess.Popen[str]] = []

    def start(n: int) -> list[subprocess.Popen[str]]:
        new = [_claimex("worker", redis_url=redis_url) for _ in range(n)]
        started.extend(new)
        return new

    yield start
    for process in started:
        process.send_signal(signal.SIGTERM)
    for process in started:
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _backfill_wait(redis_url: str, *args: str) -> tuple[int, str, str]:
    process = _claimex(
        "backfill", "--wait", "--timeout", str(TIMEOUT), *args,
        redis_url=redis_url, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    out, err = process.communicate(timeout=TIMEOUT + 30)
    return process.returncode, out, err


def test_backfill_dry_run_counts_and_warns_with_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], redis_url: str
) -> None:
    corpus = tmp_path / "corpus.jsonl"
    texts = _texts(5)
    corpus.write_text(_jsonl(texts[:3]) + "{not json\n" + _jsonl(texts[3:] + texts[:1]))
    os.environ["REDIS_URL"] = redis_url
    try:
        assert main(["backfill", "--dry-run", str(corpus)]) == 0
    finally:
        del os.environ["REDIS_URL"]
    out, err = capsys.readouterr()
    assert f"warning: {corpus}:4: " in err
    counts = parse_summary(out.strip().splitlines()[-1])
    assert counts | {"read": 6, "new": 5, "repeated": 1, "malformed": 1} == counts
    assert redis.Redis.from_url(redis_url).dbsize() == 0


def test_backfill_missing_file_is_a_command_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["backfill", str(tmp_path / "absent.jsonl")]) == 2
    assert "absent.jsonl: no such file" in capsys.readouterr().err


@pytest.mark.slow
def test_backfill_killed_midway_then_rerun_finishes_without_duplicates(
    tmp_path: Path,
    redis_url: str,
    db: redis.Redis,
    start_workers: Callable[[int], list[subprocess.Popen[str]]],
) -> None:
    texts = _texts(2000)
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(_jsonl(texts + texts[:100]))

    # First run reads stdin, which the test feeds half of and never closes: it is killed
    # mid-corpus, with chunks stored and queued and the rest unread.
    first = _claimex(
        "backfill", "-", "--batch-size", "4",
        redis_url=redis_url, stdin=subprocess.PIPE, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    assert first.stdin is not None
    first.stdin.write(_jsonl(texts[:1000]))
    first.stdin.flush()
    deadline = time.monotonic() + TIMEOUT
    while len(_ids(db, keys.abstract)) < 900:
        assert time.monotonic() < deadline, "the first run stored nothing"
        time.sleep(0.05)
    first.send_signal(signal.SIGKILL)
    first.wait(10)
    first.stdin.close()
    stored_before = len(_ids(db, keys.abstract))
    assert 900 <= stored_before < 2000

    start_workers(2)
    status, out, err = _backfill_wait(redis_url, str(corpus), "--batch-size", "16")
    assert status == 0, err
    counts = parse_summary(out.strip().splitlines()[-1])
    assert counts["read"] == 2100
    assert counts["new"] == 2000 - stored_before
    assert counts["done"] == counts["new"] + counts["requeued"]
    distinct = {abstract_id(t) for t in texts}
    assert _ids(db, keys.abstract) == _ids(db, keys.claims) == distinct
    assert not _ids(db, keys.pending)


@pytest.mark.slow
def test_backfill_three_workers_drain_one_backfill(
    tmp_path: Path,
    redis_url: str,
    db: redis.Redis,
    start_workers: Callable[[int], list[subprocess.Popen[str]]],
) -> None:
    texts = _texts(1500, tag="3w")
    corpus = tmp_path / "corpus.jsonl.gz"
    corpus.write_bytes(gzip.compress(_jsonl(texts + texts[::7]).encode()))
    start_workers(3)
    status, out, err = _backfill_wait(redis_url, str(corpus), "--batch-size", "8")
    assert status == 0, err
    counts = parse_summary(out.strip().splitlines()[-1])
    assert (counts["new"], counts["done"], counts["failed"]) == (1500, 1500, 0)

    distinct = {abstract_id(t) for t in texts}
    assert _ids(db, keys.abstract) == _ids(db, keys.claims) == distinct
    busy = Worker.all(queue=Queue(keys.QUEUE, connection=db))
    assert len(busy) == 3
    jobs_per_worker = [w.successful_job_count for w in busy]
    # Drain jobs take up to 32 ids each; every abstract was extracted once, by one of them.
    assert sum(jobs_per_worker) >= -(-1500 // inbox.DRAIN_BATCH)
    assert metrics.read(db)["abstracts_extracted"] == 1500
    assert sum(1 for n in jobs_per_worker if n > 0) >= 2, jobs_per_worker


@pytest.mark.slow
def test_backfill_wait_counts_an_abstract_that_failed(
    tmp_path: Path,
    redis_url: str,
    db: redis.Redis,
    client: TestClient[Litestar],
    start_workers: Callable[[int], list[subprocess.Popen[str]]],
) -> None:
    texts = _texts(6, tag="f")
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(_jsonl(texts))
    process = _claimex(
        "backfill", "--wait", "--timeout", str(TIMEOUT), "--batch-size", "3", str(corpus),
        redis_url=redis_url, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    deadline = time.monotonic() + TIMEOUT
    while db.llen(keys.bulk_inbox()) < 6:
        assert time.monotonic() < deadline, "the backfill queued nothing"
        time.sleep(0.05)
    lost = abstract_id(texts[4])
    db.delete(keys.abstract(lost))  # gone from the store: its extraction fails
    (run,) = db.keys(keys.backfill_run("*"))
    jobs = [cast("bytes", j).decode() for j in db.hkeys(run)]
    failing = next(j for j in jobs if lost in client.get(f"/v1/jobs/{j}").json()["abstract_ids"])

    start_workers(1)
    out, err = process.communicate(timeout=TIMEOUT + 30)
    assert process.returncode == 1, err
    counts = parse_summary(out.strip().splitlines()[-1])
    assert (counts["new"], counts["done"], counts["failed"]) == (6, 5, 1)

    body = client.get(f"/v1/jobs/{failing}").json()
    assert body["status"] == "failed"
    assert body["error"] == "the abstract is not in the store"


def test_backfill_reextract_runs_every_abstract_again(
    tmp_path: Path,
    redis_url: str,
    db: redis.Redis,
    start_workers: Callable[[int], list[subprocess.Popen[str]]],
) -> None:
    texts = _texts(40, tag="re")
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(_jsonl(texts))
    start_workers(1)
    status, out, err = _backfill_wait(redis_url, str(corpus))
    assert status == 0, err
    claims = {i: db.get(keys.claims(i)) for i in _ids(db, keys.claims)}

    status, out, err = _backfill_wait(redis_url, str(corpus))
    assert status == 0, err
    again = parse_summary(out.strip().splitlines()[-1])
    assert (again["new"], again["requeued"], again["extracted"]) == (0, 0, 40)

    status, out, err = _backfill_wait(redis_url, "--reextract", str(corpus))
    assert status == 0, err
    redone = parse_summary(out.strip().splitlines()[-1])
    assert (redone["requeued"], redone["extracted"], redone["done"]) == (40, 0, 40)
    assert {i: db.get(keys.claims(i)) for i in _ids(db, keys.claims)} == claims
