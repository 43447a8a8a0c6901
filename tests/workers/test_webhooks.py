"""workers/webhooks.py and workers/signatures.py: a job's final status, signed, to its URL.

A job with a ``callback_url`` POSTs its final status, signed, to a real HTTP receiver on
loopback once a real worker has settled it; failed tries are retried with a backoff up to a
bound, redirects are never followed, a URL no longer allowed is never called, a claimed delivery
is leased to one worker, and the dispatcher thread delivers on its own.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, NamedTuple

import msgspec
import pytest

from claimex.workers import keys, queue, signatures, webhooks
from claimex.workers.callbacks import WebhookSettings
from claimex.workers.redis_server import free_port
from claimex.workers.worker import make_worker, warm_up

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    import httpx
    import redis

    from tests.receiver import Receive

SECRET = "s" * 20
SETTINGS = WebhookSettings(networks=("127.0.0.1/32",), secret=SECRET, attempts=3)
TEXT = "Our model reaches 88.5% accuracy on ImageNet."
OTHER = "The distilled parser keeps 97.1 LAS on the Penn Treebank at half the parameters."


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    """The deliveries' HTTP client."""
    with webhooks.new_client() as client:
        yield client


def _settled_job(db: redis.Redis, callback_url: str | None, *texts: str) -> str:
    """The id of a job submitted with ``callback_url`` and extracted by a real burst worker."""
    new = [queue.NewAbstract(text=t) for t in texts or (TEXT,)]
    submission = queue.submit(db, new, source="test", job_ttl=600, callback_url=callback_url)
    warm_up()
    assert make_worker(db).work(burst=True) is True
    return submission.job_id


def _state(db: redis.Redis, job_id: str) -> dict[str, str]:
    state: dict[bytes, bytes] = db.hgetall(keys.job_state(job_id))  # type: ignore[assignment]
    return {k.decode(): v.decode() for k, v in state.items()}


def _due(db: redis.Redis) -> list[str]:
    return [m.decode() for m in db.zrange(keys.webhooks_due(), 0, -1)]  # type: ignore[union-attr]


def _make_due_now(db: redis.Redis, job_id: str) -> None:
    """Skip the backoff: the retry falls due now."""
    db.zadd(keys.webhooks_due(), {job_id: time.time()})


def _deliver_once(
    db: redis.Redis, settings: WebhookSettings, http: httpx.Client
) -> webhooks.Outcome:
    job_id = webhooks.claim_due(db)
    assert job_id is not None
    return webhooks.deliver(db, job_id, settings, http)


# signatures

BODY = b'{"id":"job-1","status":"finished"}'
AT = 1_700_000_000


def test_signatures_sign_then_verify_round_trip() -> None:
    before = int(time.time())
    header = signatures.sign(SECRET, BODY)
    assert before <= signatures.verify(SECRET, BODY, header) <= time.time()


def test_signatures_header_form() -> None:
    header = signatures.sign(SECRET, BODY, timestamp=AT)
    stamp, digest = header.split(",")
    assert stamp == f"t={AT}"
    assert digest.startswith("v1=")
    assert len(digest.removeprefix("v1=")) == 64
    assert signatures.verify(SECRET, BODY, header, now=AT) == AT


@pytest.mark.parametrize(
    ("now", "tolerance"),
    [
        pytest.param(AT, signatures.DEFAULT_TOLERANCE, id="same-second"),
        pytest.param(AT + signatures.DEFAULT_TOLERANCE, signatures.DEFAULT_TOLERANCE, id="late"),
        pytest.param(AT - signatures.DEFAULT_TOLERANCE, signatures.DEFAULT_TOLERANCE, id="early"),
        pytest.param(AT + 3600, 7200.0, id="wide-tolerance"),
    ],
)
def test_signatures_verify_accepts_within_tolerance(now: float, tolerance: float) -> None:
    header = signatures.sign(SECRET, BODY, timestamp=AT)
    assert signatures.verify(SECRET, BODY, header, tolerance=tolerance, now=now) == AT


_SIGNED = signatures.sign(SECRET, BODY, timestamp=AT)
_DIGEST = _SIGNED.partition(",v1=")[2]


class Forged(NamedTuple):
    """A delivery a receiver must refuse, checked at ``now`` with ``tolerance``."""

    header: str | None
    why: str
    body: bytes = BODY
    secret: str = SECRET
    now: float = AT
    tolerance: float = signatures.DEFAULT_TOLERANCE


@pytest.mark.parametrize(
    "forged",
    [
        pytest.param(Forged(_SIGNED, "does not match", body=BODY + b" "), id="tampered"),
        pytest.param(
            Forged(_SIGNED, "does not match", body=b'{"id": "job-1", "status": "finished"}'),
            id="re-encoded-json",
        ),
        pytest.param(Forged(_SIGNED, "does not match", secret="t" * 20), id="wrong-secret"),
        pytest.param(Forged(f"t={AT + 1},v1={_DIGEST}", "does not match"), id="moved-time"),
        pytest.param(Forged(f"t={AT},v1={'0' * 64}", "does not match"), id="wrong-digest"),
        pytest.param(Forged(_SIGNED, "tolerance", now=AT + 301), id="too-old"),
        pytest.param(Forged(_SIGNED, "tolerance", now=AT - 301), id="from-the-future"),
        pytest.param(Forged(_SIGNED, "tolerance", now=AT + 10, tolerance=5.0), id="tight"),
        pytest.param(Forged(None, "no X-Claimex-Signature"), id="missing"),
        pytest.param(Forged("", "no X-Claimex-Signature"), id="empty"),
        pytest.param(Forged("garbage", "malformed"), id="garbage"),
        pytest.param(Forged(f"v1={_DIGEST}", "malformed"), id="no-t"),
        pytest.param(Forged(f"t={AT}", "malformed"), id="no-v1"),
        pytest.param(Forged(f"t={AT},v1=", "malformed"), id="empty-v1"),
        pytest.param(Forged(f"t=soon,v1={_DIGEST}", "malformed"), id="word-t"),
        pytest.param(Forged(f"t=-{AT},v1={_DIGEST}", "malformed"), id="negative-t"),
        pytest.param(Forged(f"t={AT}.5,v1={_DIGEST}", "malformed"), id="fractional-t"),
        pytest.param(
            Forged(f"t=²,v1={_DIGEST}", "malformed"),
            id="superscript-t",
        ),
    ],
)
def test_signatures_verify_refuses(forged: Forged) -> None:
    with pytest.raises(signatures.BadSignature, match=forged.why):
        signatures.verify(
            forged.secret, forged.body, forged.header, tolerance=forged.tolerance, now=forged.now
        )


# delivery, end to end through a real worker and a real receiver


def test_webhooks_job_without_callback_is_never_due(db: redis.Redis, http: httpx.Client) -> None:
    job_id = _settled_job(db, None)
    assert queue.job_status(db, job_id).status == "finished"
    assert _due(db) == []
    assert "callback" not in _state(db, job_id)
    assert webhooks.deliver_due(db, SETTINGS, http) == 0


def test_webhooks_due_once_the_job_ends(db: redis.Redis, receive: Receive) -> None:
    receiver = receive()
    submission = queue.submit(
        db, [queue.NewAbstract(text=TEXT)], source="test", job_ttl=600, callback_url=receiver.url
    )
    assert _due(db) == []  # not before a worker settles it
    assert _state(db, submission.job_id)["callback"] == receiver.url
    warm_up()
    assert make_worker(db).work(burst=True) is True
    assert _due(db) == [submission.job_id]
    assert db.llen(keys.webhooks_wake()) == 1


def test_webhooks_due_at_admission_when_every_abstract_is_extracted(
    db: redis.Redis, receive: Receive
) -> None:
    receiver = receive()
    _settled_job(db, None)
    again = queue.submit(
        db, [queue.NewAbstract(text=TEXT)], source="test", job_ttl=600, callback_url=receiver.url
    )
    assert _due(db) == [again.job_id]


def test_webhooks_deliver_due_posts_the_signed_status(
    db: redis.Redis, receive: Receive, http: httpx.Client
) -> None:
    receiver = receive([200])
    job_id = _settled_job(db, receiver.url, TEXT, OTHER)
    before = time.time()

    assert webhooks.deliver_due(db, SETTINGS, http) == 1

    [request] = receiver.requests
    status = queue.job_status(db, job_id)
    assert status.status == "finished"
    assert request.path == "/hooks/claimex"
    assert request.body == msgspec.json.encode(status)
    signed_at = signatures.verify(SECRET, request.body, request.headers["x-claimex-signature"])
    assert int(before) <= signed_at <= time.time()
    assert request.headers["x-claimex-delivery"] == job_id
    assert request.headers["x-claimex-attempt"] == "1"
    assert request.headers["content-type"] == "application/json"
    assert request.headers["host"] == f"127.0.0.1:{receiver.port}"
    assert request.headers["user-agent"].startswith("claimex")
    state = _state(db, job_id)
    assert before <= float(state["delivered"]) <= time.time()
    assert "webhook_error" not in state
    assert _due(db) == []

    assert webhooks.deliver_due(db, SETTINGS, http) == 0
    assert len(receiver.requests) == 1


def test_webhooks_retry_after_a_receiver_failure(
    db: redis.Redis, receive: Receive, http: httpx.Client
) -> None:
    receiver = receive([500, 200])
    job_id = _settled_job(db, receiver.url)

    before = time.time()
    assert webhooks.deliver_due(db, SETTINGS, http) == 1  # tried once, not again at once
    after = time.time()
    due_at = db.zscore(keys.webhooks_due(), job_id)
    assert due_at is not None
    assert before + webhooks.backoff(1) <= due_at <= after + webhooks.backoff(1)
    assert webhooks.backoff(1) == pytest.approx(1.0)
    state = _state(db, job_id)
    assert state["attempts"] == "1"
    assert "delivered" not in state
    assert "webhook_error" not in state
    assert webhooks.deliver_due(db, SETTINGS, http) == 0  # the backoff has not passed

    _make_due_now(db, job_id)
    assert _deliver_once(db, SETTINGS, http) == "delivered"

    assert [r.answered for r in receiver.requests] == [500, 200]
    assert [r.headers["x-claimex-attempt"] for r in receiver.requests] == ["1", "2"]
    assert {r.headers["x-claimex-delivery"] for r in receiver.requests} == {job_id}
    assert "delivered" in _state(db, job_id)
    assert _due(db) == []


@pytest.mark.parametrize(
    ("attempt", "seconds"),
    [
        pytest.param(1, 1.0, id="first"),
        pytest.param(2, 2.0, id="second"),
        pytest.param(4, 8.0, id="fourth"),
        pytest.param(7, 60.0, id="capped"),
        pytest.param(50, 60.0, id="far-capped"),
    ],
)
def test_webhooks_backoff(attempt: int, seconds: float) -> None:
    assert webhooks.backoff(attempt) == seconds


def test_webhooks_attempts_are_bounded(
    db: redis.Redis, receive: Receive, http: httpx.Client
) -> None:
    receiver = receive([500])
    settings = WebhookSettings(networks=("127.0.0.1/32",), secret=SECRET, attempts=2)
    job_id = _settled_job(db, receiver.url)

    assert _deliver_once(db, settings, http) == "retry"
    _make_due_now(db, job_id)
    assert _deliver_once(db, settings, http) == "refused"

    assert [r.headers["x-claimex-attempt"] for r in receiver.requests] == ["1", "2"]
    state = _state(db, job_id)
    assert "500" in state["webhook_error"]
    assert "after 2 attempts" in state["webhook_error"]
    assert "delivered" not in state
    assert _due(db) == []
    assert webhooks.deliver_due(db, settings, http) == 0
    assert len(receiver.requests) == 2


def test_webhooks_redirect_is_not_followed(
    db: redis.Redis, receive: Receive, http: httpx.Client
) -> None:
    elsewhere = receive([200])
    receiver = receive([302], location=elsewhere.url)
    job_id = _settled_job(db, receiver.url)

    assert _deliver_once(db, SETTINGS, http) == "refused"

    assert [r.answered for r in receiver.requests] == [302]
    assert elsewhere.requests == []
    state = _state(db, job_id)
    assert "redirect" in state["webhook_error"]
    assert "delivered" not in state
    assert _due(db) == []


class Disallowed(NamedTuple):
    """Settings at delivery time that no longer admit a callback URL on ``host``."""

    settings: WebhookSettings
    host: str
    why: str


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(
            Disallowed(
                WebhookSettings(networks=("10.0.0.0/8",), secret=SECRET), "127.0.0.1", "allow-list"
            ),
            id="network-removed",
        ),
        pytest.param(
            Disallowed(
                WebhookSettings(hosts=("localhost",), secret=SECRET),
                "localhost",
                "resolves to an address that is not allowed",
            ),
            id="name-resolves-to-loopback",
        ),
        pytest.param(
            Disallowed(WebhookSettings(secret=SECRET), "127.0.0.1", "webhooks are off"), id="off"
        ),
    ],
)
def test_webhooks_url_no_longer_allowed_is_not_called(
    db: redis.Redis, receive: Receive, http: httpx.Client, case: Disallowed
) -> None:
    receiver = receive([200])
    job_id = _settled_job(db, receiver.url.replace("127.0.0.1", case.host))

    assert _deliver_once(db, case.settings, http) == "refused"

    assert receiver.requests == []
    assert case.why in _state(db, job_id)["webhook_error"]
    assert _due(db) == []


@pytest.mark.parametrize(
    ("statuses", "outcome"),
    [
        pytest.param([200], "delivered", id="200"),
        pytest.param([202], "delivered", id="202"),
        pytest.param([204], "delivered", id="204"),
        pytest.param([408], "retry", id="408"),
        pytest.param([429], "retry", id="429"),
        pytest.param([500], "retry", id="500"),
        pytest.param([503], "retry", id="503"),
        pytest.param([301], "refused", id="301"),
        pytest.param([307], "refused", id="307"),
        pytest.param([400], "refused", id="400"),
        pytest.param([404], "refused", id="404"),
        pytest.param([410], "refused", id="410"),
    ],
)
def test_webhooks_send_outcome_by_status(
    receive: Receive, http: httpx.Client, statuses: list[int], outcome: webhooks.Outcome
) -> None:
    receiver = receive(statuses)
    got, detail = webhooks.send(http, receiver.url, BODY, SETTINGS, delivery="job-1", attempt="1")
    assert got == outcome
    assert str(statuses[0]) in detail
    [request] = receiver.requests
    assert request.body == BODY
    signatures.verify(SECRET, request.body, request.headers["x-claimex-signature"])


def test_webhooks_send_retries_when_nothing_listens(http: httpx.Client) -> None:
    url = f"http://127.0.0.1:{free_port()}/hooks/claimex"
    outcome, detail = webhooks.send(http, url, BODY, SETTINGS, delivery="job-1", attempt="1")
    assert outcome == "retry"
    assert "ConnectError" in detail


def test_webhooks_deliver_drops_an_expired_job(db: redis.Redis, http: httpx.Client) -> None:
    db.zadd(keys.webhooks_due(), {"gone": time.time()})
    assert _deliver_once(db, SETTINGS, http) == "refused"
    assert _due(db) == []


# leases


def test_webhooks_claim_due_leases_the_delivery(db: redis.Redis, receive: Receive) -> None:
    job_id = _settled_job(db, receive().url)
    now = time.time()

    assert webhooks.claim_due(db, now=now) == job_id
    assert db.zscore(keys.webhooks_due(), job_id) == pytest.approx(now + webhooks.LEASE_SECONDS)
    assert webhooks.claim_due(db, now=now) is None  # another worker passes
    assert webhooks.claim_due(db, now=now + webhooks.LEASE_SECONDS - 1) is None
    later = now + webhooks.LEASE_SECONDS + 1
    assert webhooks.claim_due(db, now=later) == job_id  # its worker died: taken again
    assert webhooks.claim_due(db, now=later) is None


def test_webhooks_claim_due_with_nothing_due(db: redis.Redis) -> None:
    assert webhooks.claim_due(db) is None
    db.zadd(keys.webhooks_due(), {"later": time.time() + 60})
    assert webhooks.claim_due(db) is None
    assert webhooks.next_due_in(db) == pytest.approx(60, abs=1)


# the dispatcher thread


def _wait_for(condition: Callable[[], bool], seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


@pytest.mark.slow  # a dispatcher thread and a receiving server, waited on
@pytest.mark.parametrize("started_first", [False, True], ids=["due-before-start", "woken-up"])
def test_webhooks_dispatcher_delivers(
    db: redis.Redis, receive: Receive, started_first: bool
) -> None:
    receiver = receive([200])
    job_id = ""
    if not started_first:
        job_id = _settled_job(db, receiver.url)
    dispatcher = webhooks.start_dispatcher(db, SETTINGS)
    assert dispatcher is not None
    try:
        if started_first:
            job_id = _settled_job(db, receiver.url)
        assert _wait_for(lambda: "delivered" in _state(db, job_id))
    finally:
        dispatcher.stop()
    assert not dispatcher.is_alive()
    [request] = receiver.requests
    assert request.headers["x-claimex-delivery"] == job_id
    assert _due(db) == []


def test_webhooks_no_dispatcher_when_off(db: redis.Redis) -> None:
    assert webhooks.start_dispatcher(db, WebhookSettings(secret=SECRET)) is None
