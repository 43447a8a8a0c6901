"""Server-sent events over real HTTP (uvicorn) and a real Redis, with real RQ workers.

A job's stream: in order, ending on the final status, each event backed by stored data, resumed
by ``Last-Event-ID``; the table stream: filtered by table, resumed too; and the hub that wakes
streams surviving a lost subscription.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, cast

import httpx
import pytest

from claimex.api import events as events_api
from claimex.workers import context, faults, keys
from claimex.workers.context import WorkerContext
from claimex.workers.worker import make_worker, warm_up

if TYPE_CHECKING:
    from collections.abc import Iterator

    import redis

ACCURACY = "Our network reaches 88.5% accuracy on ImageNet."
MORE_ACCURACY = "The tiny variant reaches 71.3% accuracy on ImageNet."
BLEU = "Our translation model scores 41.2 BLEU on WMT14 English-German."
NO_CLAIM = "We study how people read figures."


class Events:
    """Reads one event stream: ``next()`` gives (event name, id, data) or a comment."""

    def __init__(self, response: httpx.Response) -> None:
        self.response = response
        self._lines = response.iter_lines()

    def next(self) -> tuple[str, str | None, Any]:
        name, entry_id, data = "message", None, None
        for line in self._lines:
            if line.startswith(":"):
                return "comment", None, line[1:].strip()
            if not line:
                if data is not None:
                    return name, entry_id, json.loads(data)
                continue
            field, _, value = line.partition(":")
            value = value.removeprefix(" ")
            if field == "event":
                name = value
            elif field == "id":
                entry_id = value
            elif field == "data":
                data = value
        return "end", None, None

    def rest(self) -> list[tuple[str, str | None, Any]]:
        """Every event until the server closes the stream (comments left out)."""
        out = []
        while (event := self.next())[0] != "end":
            if event[0] != "comment":
                out.append(event)
        return out


@contextmanager
def stream(base: str, path: str, timeout: float = 20, **headers: str) -> Iterator[Events]:
    with (
        httpx.Client(base_url=base, timeout=timeout) as http,
        http.stream("GET", path, headers={"accept": "text/event-stream", **headers}) as response,
    ):
        assert response.status_code == 200, response.read()
        assert response.headers["content-type"].startswith("text/event-stream")
        events = Events(response)
        assert events.next() == ("comment", None, "connected")
        yield events


def post(base: str, body: dict[str, Any]) -> dict[str, Any]:
    answer = httpx.post(f"{base}/v1/abstracts", json=body, timeout=10)
    assert answer.status_code == 202, answer.text
    accepted: dict[str, Any] = answer.json()
    return accepted


def work(db: redis.Redis, worker: WorkerContext = context.DEFAULT) -> None:
    warm_up()
    make_worker(db, worker=worker).work(burst=True)


@pytest.mark.slow  # a live server and a worker, waited on event by event
def test_events_of_a_job_arrive_in_order_and_end_on_its_final_status(
    live_api: str, db: redis.Redis
) -> None:
    job = post(live_api, {"abstracts": [{"text": ACCURACY}, {"text": NO_CLAIM}]})
    assert job["events_url"] == f"/v1/jobs/{job['job_id']}/events"
    with stream(live_api, job["events_url"]) as events:
        first = events.next()
        assert first[0] == "status"
        assert first[2] == {"job_id": job["job_id"], "status": "queued", "abstracts": 2}
        work(db)
        rest = events.rest()
    assert [(name, data["status"]) for name, _, data in rest] == [
        ("status", "started"),
        ("abstract", "finished"),
        ("abstract", "finished"),
        ("status", "finished"),
    ]
    ids = [first[1], *(entry_id for _, entry_id, _ in rest)]
    assert ids == sorted(ids, key=lambda i: tuple(int(p) for p in str(i).split("-")))
    finished = {data["abstract_id"]: data["claims"] for name, _, data in rest if name == "abstract"}
    assert set(finished) == set(job["abstract_ids"])
    for abstract_id, count in finished.items():
        # An event tells of stored data only: the claims are there, as many as it says.
        stored = httpx.get(f"{live_api}/v1/abstracts/{abstract_id}").json()
        assert stored["claims"] is not None
        assert len(stored["claims"]) == count


def test_events_resume_after_the_last_event_id(live_api: str, db: redis.Redis) -> None:
    job = post(live_api, {"text": ACCURACY})
    work(db)
    with stream(live_api, job["events_url"]) as events:
        whole = events.rest()
    assert [data["status"] for _, _, data in whole] == ["queued", "started", "finished", "finished"]
    # Header values typed Any: mypy would match a ``**dict[str, str]`` against ``timeout`` too.
    headers: dict[str, Any] = {"last-event-id": str(whole[1][1])}
    with stream(live_api, job["events_url"], **headers) as events:
        resumed = events.rest()
    assert resumed == whole[2:]


def test_events_of_abstracts_already_extracted_come_at_once(live_api: str, db: redis.Redis) -> None:
    post(live_api, {"text": ACCURACY})
    work(db)
    again = post(live_api, {"text": ACCURACY})
    with stream(live_api, again["events_url"]) as events:
        got = events.rest()
    assert [(name, data["status"]) for name, _, data in got] == [
        ("status", "queued"),
        ("abstract", "finished"),
        ("status", "finished"),
    ]
    assert got[1][2]["claims"] >= 1


@pytest.mark.slow  # a live server and a worker, waited on event by event
def test_two_jobs_waiting_on_one_abstract_both_end(live_api: str, db: redis.Redis) -> None:
    first = post(live_api, {"text": BLEU})
    second = post(live_api, {"abstracts": [{"text": BLEU}, {"text": NO_CLAIM}]})
    work(db)
    for job in (first, second):
        with stream(live_api, job["events_url"]) as events:
            assert events.rest()[-1][2] == {"job_id": job["job_id"], "status": "finished"}


def test_a_failed_abstract_fails_its_job_with_the_reason(live_api: str, db: redis.Redis) -> None:
    job = post(live_api, {"abstracts": [{"text": ACCURACY}, {"text": NO_CLAIM}]})
    with stream(live_api, job["events_url"]) as events:
        work(db, WorkerContext(attempts=1, faults={faults.RAISE_VARIABLE: "figures"}))
        got = events.rest()
    failed = [data for name, _, data in got if name == "abstract" and data["status"] == "failed"]
    assert len(failed) == 1
    assert "extraction failed" in failed[0]["error"]
    assert got[-1][2]["status"] == "failed"
    assert httpx.get(f"{live_api}{job['status_url']}").json()["status"] == "failed"


def test_a_job_without_an_event_stream_is_followed_by_polling(
    live_api: str, db: redis.Redis
) -> None:
    job = post(live_api, {"text": ACCURACY})
    db.delete(keys.job_events(job["job_id"]))  # as a job stored before events existed
    work(db)
    with stream(live_api, job["events_url"]) as events:
        assert [data["status"] for _, _, data in events.rest()] == ["finished"]


@pytest.mark.parametrize(
    ("path", "status"),
    [
        pytest.param("/v1/jobs/0123456789abcdef0123456789abcdef/events", 404, id="unknown-job"),
        pytest.param("/v1/jobs/not-a-job/events", 404, id="malformed-job-id"),
        pytest.param("/v1/events?table=XYZ", 400, id="malformed-table-id"),
        pytest.param("/v1/events?since=yesterday", 400, id="malformed-since"),
        pytest.param(
            "/v1/events?" + "&".join(f"table={n:016x}" for n in range(101)), 400, id="too-many"
        ),
    ],
)
def test_events_errors_are_problem_documents(live_api: str, path: str, status: int) -> None:
    answer = httpx.get(f"{live_api}{path}", timeout=10)
    assert answer.status_code == status
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.json()["status"] == status


def test_table_events_follow_the_tables_asked_for(live_api: str, db: redis.Redis) -> None:
    post(live_api, {"text": ACCURACY})
    work(db)
    imagenet = httpx.get(f"{live_api}/v1/tables", params={"dataset": "imagenet"}).json()["items"]
    assert len(imagenet) == 1
    table_id = imagenet[0]["id"]
    with (
        stream(live_api, "/v1/events") as every,
        stream(live_api, f"/v1/events?table={table_id}") as one,
    ):
        post(live_api, {"text": BLEU})
        work(db)
        post(live_api, {"text": MORE_ACCURACY})
        work(db)
        first_any = every.next()
        first_one = one.next()
    assert first_any[0] == "table"
    assert first_any[2]["table_id"] != table_id
    assert first_one[0] == "table"
    assert first_one[2] == {"table_id": table_id, "papers": 2, "claims": 2}


def test_table_events_resume_after_the_last_event_id(live_api: str, db: redis.Redis) -> None:
    post(live_api, {"text": ACCURACY})
    work(db)
    entries = db.xrange(keys.table_events())
    assert entries
    post(live_api, {"text": MORE_ACCURACY})
    work(db)
    after = cast("bytes", entries[-1][0]).decode()
    # Header values typed Any, as in the job stream's resume above.
    resume: tuple[tuple[str, dict[str, Any]], ...] = (
        ("/v1/events", {"last-event-id": after}),
        (f"/v1/events?since={after}", {}),
    )
    for path, headers in resume:
        with stream(live_api, path, **headers) as events:
            name, entry_id, data = events.next()
        assert name == "table"
        assert entry_id is not None
        assert entry_id > after
        assert data["papers"] == 2


def test_streams_recover_when_the_hub_loses_its_subscription(
    live_api: str, db: redis.Redis
) -> None:
    job = post(live_api, {"text": ACCURACY})
    # A read timeout shorter than the keepalive: only the hub's re-subscription can wake it.
    assert events_api.KEEPALIVE_SECONDS > 8
    with stream(live_api, job["events_url"], timeout=8) as events:
        assert events.next()[2]["status"] == "queued"
        db.client_kill_filter(_type="pubsub")
        work(db)
        assert events.rest()[-1][2]["status"] == "finished"
