"""Webhook delivery: when a job with a ``callback_url`` ends, POST its status there, signed.

The job's final event (``workers.events``) puts its id in ``keys.webhooks_due`` and pushes a
wake-up token. A ``Dispatcher`` thread in every worker process takes due deliveries one at a
time: ``claim_due`` moves the job's due time a lease ahead in the same step, so one worker
delivers it while the others pass, and a worker that dies mid-delivery leaves it to be taken
again when the lease runs out. Nothing is sent from the API's request path.

A delivery is the job's status as ``GET /v1/jobs/{id}`` gives it, signed
(``workers.signatures``), POSTed to one address the host resolves to that the allow-list
admits (``workers.callbacks``), never following a redirect, with short timeouts. A 2xx ends
it; a timeout, a connection error, 408, 429 or 5xx is tried again after 1, 2, 4 … s (up to
``WebhookSettings.attempts`` tries); a URL no longer allowed, a redirect or another 4xx ends
it at once. The outcome is kept in the job's event state (``delivered`` or ``webhook_error``).
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any, Literal

import httpx
import msgspec
import redis

import claimex
from claimex.workers import callbacks, connections, keys, lua, metrics, queue, signatures
from claimex.workers.errors import JobNotFound

log = logging.getLogger(__name__)

Outcome = Literal["delivered", "retry", "refused"]

LEASE_SECONDS = 120.0
"""How long a claimed delivery is held before another worker may take it (longer than a try)."""
CONNECT_SECONDS = 3.0
READ_SECONDS = 5.0
BACKOFF_SECONDS = 1.0
BACKOFF_MAX_SECONDS = 60.0
IDLE_WAIT_SECONDS = 2.0
"""Longest a dispatcher sleeps with nothing due (also how soon it notices a stop)."""

_CLAIM = lua.source("claim_webhook")

_encoder = msgspec.json.Encoder()
USER_AGENT = f"claimex/{claimex.__version__}"


def claim_due(connection: redis.Redis, now: float | None = None) -> str | None:
    """The id of one job whose webhook is due, now held for ``LEASE_SECONDS``; else None."""
    at = time.time() if now is None else now
    script = connection.register_script(_CLAIM)
    claimed = script(keys=[keys.webhooks_due()], args=[repr(at), LEASE_SECONDS])
    return None if claimed is None else bytes(claimed).decode()


def backoff(attempt: int) -> float:
    """Seconds to wait before try ``attempt + 1``."""
    return min(BACKOFF_MAX_SECONDS, BACKOFF_SECONDS * 2.0 ** (attempt - 1))


def send(
    client: httpx.Client, url: str, body: bytes, settings: callbacks.WebhookSettings, **headers: str
) -> tuple[Outcome, str]:
    """POST ``body`` to ``url`` once, to an allowed address only; the outcome and why."""
    try:
        callbacks.check_url(url, settings)
        target = httpx.URL(url)
        port = target.port or (443 if target.scheme == "https" else 80)
        address = callbacks.addresses_to_call(target.host, port, settings)[0]
    except callbacks.CallbackRefused as exc:
        return "refused", str(exc)
    assert settings.secret is not None, "WebhookSettings.from_env requires a secret"
    sent_headers = {
        "Host": target.netloc.decode("ascii"),
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        signatures.HEADER: signatures.sign(settings.secret, body),
        **{f"X-Claimex-{name.title()}": value for name, value in headers.items()},
    }
    # The address checked is the one connected to: no second lookup that could answer otherwise.
    extensions = {"sni_hostname": target.host} if target.scheme == "https" else {}
    try:
        with client.stream(
            "POST",
            target.copy_with(host=str(address)),
            content=body,
            headers=sent_headers,
            extensions=extensions,
        ) as response:
            code = response.status_code  # the body is never read
    except httpx.HTTPError as exc:
        return "retry", f"{type(exc).__name__}: {exc}"
    if 200 <= code < 300:
        return "delivered", f"{code}"
    if code in (408, 429) or code >= 500:
        return "retry", f"the receiver answered {code}"
    if 300 <= code < 400:
        return "refused", f"the receiver answered {code} (redirects are not followed)"
    return "refused", f"the receiver answered {code}"


def new_client() -> httpx.Client:
    """The HTTP client of deliveries: no redirects, no proxies from the environment."""
    timeout = httpx.Timeout(READ_SECONDS, connect=CONNECT_SECONDS)
    return httpx.Client(follow_redirects=False, trust_env=False, timeout=timeout)


def deliver(
    connection: redis.Redis,
    job_id: str,
    settings: callbacks.WebhookSettings,
    client: httpx.Client,
) -> Outcome:
    """Try the webhook of ``job_id`` once (it was claimed), and record what came of it."""
    state_key = keys.job_state(job_id)
    url: Any = connection.hget(state_key, "callback")
    try:
        status = queue.job_status(connection, job_id)
    except JobNotFound:
        status = None
    if url is None or status is None:
        connection.zrem(keys.webhooks_due(), job_id)
        return "refused"
    attempt = int(connection.hincrby(state_key, "attempts", 1))
    outcome, detail = send(
        client,
        bytes(url).decode(),
        _encoder.encode(status),
        settings,
        delivery=job_id,
        attempt=str(attempt),
    )
    if outcome == "retry" and attempt >= settings.attempts:
        outcome, detail = "refused", f"{detail} (after {attempt} attempts)"
    pipe = connection.pipeline(transaction=True)
    if outcome == "retry":
        pipe.zadd(keys.webhooks_due(), {job_id: time.time() + backoff(attempt)})
        metrics.count(pipe, "webhooks_retried")
    else:
        pipe.zrem(keys.webhooks_due(), job_id)
        field = "delivered" if outcome == "delivered" else "webhook_error"
        pipe.hset(state_key, field, repr(time.time()) if outcome == "delivered" else detail)
        metrics.count(pipe, "webhooks_delivered" if outcome == "delivered" else "webhooks_failed")
    pipe.execute()
    if outcome != "delivered":
        log.warning("webhook of job %s, try %d: %s", job_id, attempt, detail)
    return outcome


def deliver_due(
    connection: redis.Redis, settings: callbacks.WebhookSettings, client: httpx.Client
) -> int:
    """Deliver every webhook due now, one at a time; how many were tried."""
    tried = 0
    while (job_id := claim_due(connection)) is not None:
        deliver(connection, job_id, settings, client)
        tried += 1
    return tried


def next_due_in(connection: redis.Redis) -> float | None:
    """Seconds until the next webhook falls due (0 if one is due), None if none waits."""
    first: Any = connection.zrange(keys.webhooks_due(), 0, 0, withscores=True)
    return None if not first else max(0.0, float(first[0][1]) - time.time())


class Dispatcher(threading.Thread):
    """Delivers due webhooks until stopped; sleeps on the wake-up list while none is due."""

    def __init__(self, connection: redis.Redis, settings: callbacks.WebhookSettings) -> None:
        super().__init__(name="claimex-webhooks", daemon=True)
        self.connection = connection
        self.settings = settings
        self._halt = threading.Event()

    def run(self) -> None:
        """Deliver webhooks as they fall due, until stopped; Redis outages are waited out."""
        with new_client() as client:
            while not self._halt.is_set():
                try:
                    deliver_due(self.connection, self.settings, client)
                    wait = next_due_in(self.connection)
                    timeout = IDLE_WAIT_SECONDS if wait is None else min(IDLE_WAIT_SECONDS, wait)
                    if timeout > 0:
                        self.connection.blpop([keys.webhooks_wake()], timeout=timeout)
                except redis.exceptions.RedisError as exc:
                    log.warning("webhooks: Redis unavailable: %s", exc)
                    self._halt.wait(IDLE_WAIT_SECONDS)

    def stop(self) -> None:
        """Halt the thread, waiting as long as one delivery and one idle wait can take."""
        self._halt.set()
        self.join(timeout=READ_SECONDS + CONNECT_SECONDS + IDLE_WAIT_SECONDS)


def start_dispatcher(
    connection: redis.Redis, settings: callbacks.WebhookSettings
) -> Dispatcher | None:
    """A running dispatcher when webhooks are on, None when they are off.

    Its client's read timeout outlasts the dispatcher's waits.
    """
    if not settings.enabled:
        return None
    dispatcher = Dispatcher(connections.like(connection, "poll"), settings)
    dispatcher.start()
    return dispatcher
