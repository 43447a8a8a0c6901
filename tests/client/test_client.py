"""claimex.client against a real ``claimex up``, with a webhook receiver on loopback.

The service has its own embedded Redis and one worker. Checked: submit, wait by events, read
claims and tables, one verified webhook delivery per job, errors as ``ClaimexError``, and one
version everywhere.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from typing import TYPE_CHECKING

import httpx
import msgspec
import pytest

from claimex.client import BadSignature, ClaimexError, Client, verify_signature
from claimex.extractors.model import abstract_id
from claimex.workers.queue import JobStatus
from claimex.workers.redis_server import free_port

if TYPE_CHECKING:
    from collections.abc import Iterator

    from tests.receiver import Receive, Receiver

SECRET = "webhook-secret-for-tests"
TEXTS = (
    "Our network reaches 88.5% accuracy on ImageNet.",
    {
        "text": "The small variant reaches 74.0% accuracy on ImageNet.",
        "title": "Small",
        "date": "2024-05-01",
    },
)
START_TIMEOUT = 90.0
NOT_LISTED = "not in this server's webhook allow-list"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``claimex up`` on an embedded Redis, webhooks allowed to loopback; its URL once healthy.

    REDIS_URL names a port nobody listens on, so the embedded Redis is the one used.
    """
    tmp = tmp_path_factory.mktemp("up")
    port = free_port()
    env = dict(
        os.environ,
        REDIS_URL=f"redis://127.0.0.1:{free_port()}/0",
        CLAIMEX_WEBHOOK_ALLOW="127.0.0.1",
        CLAIMEX_WEBHOOK_SECRET=SECRET,
        PYTHONUNBUFFERED="1",
    )
    command = [sys.executable, "-m", "claimex.cli.main", "up", "--workers", "1"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--data-dir", str(tmp / "redis")]
    base = f"http://127.0.0.1:{port}"
    with (tmp / "up.err").open("w") as errors:
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=errors)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            assert process.poll() is None, (tmp / "up.err").read_text()
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            assert time.monotonic() < deadline, "claimex up did not answer"
            time.sleep(0.2)
        yield base
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _deliveries(receiver: Receiver, count: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while len(receiver.requests) < count:
        assert time.monotonic() < deadline, f"{len(receiver.requests)} of {count} deliveries"
        time.sleep(0.05)


def test_client_submits_waits_and_reads(service: str, receive: Receive) -> None:
    receiver = receive([200])
    with Client(service) as claimex:
        submitted = claimex.submit(list(TEXTS), callback_url=receiver.url)
        assert len(submitted.abstract_ids) == 2
        job = claimex.wait(submitted, timeout=60)
        assert job.status == "finished"
        events = list(claimex.events(submitted))
        assert [e.status for e in events][-1] == "finished"

        abstract = claimex.abstract(submitted.abstract_ids[1])
        assert abstract.title == "Small"
        assert abstract.claims
        page = claimex.claims(dataset="imagenet", metric="accuracy")
        assert page.total == 2
        assert {hit.claim.value for hit in page.items} == {88.5, 74.0}
        tables = claimex.tables(q="imagenet")
        assert tables.total == 1
        table_id = tables.items[0].id
        assert claimex.table(table_id).papers == 2
        assert claimex.table(table_id, format="csv").splitlines()[0].startswith("section,")
        assert len(claimex.table(table_id, format="timeline").points) == 1  # one dated paper

    # Exactly one verified delivery of the job's final status, and none more.
    _deliveries(receiver, 1)
    time.sleep(1.5)
    assert len(receiver.requests) == 1
    delivery = receiver.requests[0]
    verify_signature(SECRET, delivery.body, delivery.headers["x-claimex-signature"])
    assert delivery.headers["x-claimex-delivery"] == submitted.job_id
    status = msgspec.json.decode(delivery.body, type=JobStatus)
    assert status.id == submitted.job_id
    assert status.status == "finished"


def test_client_waits_by_polling_when_events_fail(
    service: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_events(*args: object, **kwargs: object) -> Iterator[object]:
        raise ClaimexError(404, {"detail": "no events here"})

    with Client(service) as claimex:
        monkeypatch.setattr(claimex, "events", no_events)
        submitted = claimex.submit("A tiny parser reaches 91.0 LAS on the Penn Treebank.")
        assert claimex.wait(submitted, timeout=60, poll_interval=0.05).status == "finished"


@pytest.mark.parametrize(
    ("url", "why"),
    [
        pytest.param("http://10.1.2.3/hook", NOT_LISTED, id="private"),
        pytest.param("http://localhost:9/hook", NOT_LISTED, id="name"),
        pytest.param("ftp://127.0.0.1/hook", "only http and https", id="scheme"),
        pytest.param("http://user:pw@127.0.0.1/hook", "user name or password", id="credentials"),
    ],
)
def test_client_refused_callback_is_a_problem_and_stores_nothing(
    service: str, url: str, why: str
) -> None:
    text = f"A refused callback ({url}) reaches 12.5% accuracy on ImageNet."
    with Client(service) as claimex:
        with pytest.raises(ClaimexError) as refused:
            claimex.submit(text, callback_url=url)
        assert refused.value.status == 422
        assert why in refused.value.problem["detail"]
        assert refused.value.problem["errors"][0]["path"] == "$.callback_url"
        with pytest.raises(ClaimexError) as stored:
            claimex.abstract(abstract_id(text))
        assert stored.value.status == 404


def test_client_errors_carry_the_problem_document(service: str) -> None:
    with Client(service) as claimex, pytest.raises(ClaimexError) as missing:
        claimex.job("0" * 32)
    assert missing.value.status == 404
    assert missing.value.problem["status"] == 404


def test_client_and_command_report_one_version(service: str) -> None:
    printed = subprocess.run(
        [sys.executable, "-m", "claimex.cli.main", "--version"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert printed.startswith(f"claimex {Client.version} ")
    assert Client.version not in ("", "unknown")


def test_client_receivers_refuse_a_forged_delivery() -> None:
    with pytest.raises(BadSignature):
        verify_signature(SECRET, b'{"id":"x"}', "t=1,v1=00")
