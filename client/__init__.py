"""``claimex.client``: a typed Python client of the claimex HTTP API, built on httpx.

    from claimex.client import Client

    with Client("http://127.0.0.1:8000") as claimex:
        job = claimex.wait(claimex.submit(["Our model reaches 88.5% accuracy on ImageNet."]))
        for hit in claimex.claims(dataset="imagenet").items:
            print(hit.claim.value, hit.claim.metric)

Answers are decoded into the service's own msgspec models (``JobStatus``, ``Abstract``,
``ClaimsPage``, ``Table`` …). ``wait`` follows the job's server-sent events and falls back to
polling when they are not available. Errors are ``ClaimexError`` with the problem document.
Receivers of webhooks check them with ``verify_signature``.
"""

from __future__ import annotations

from claimex import __version__
from claimex.client.http import ClaimexError, Client, Submitted
from claimex.workers.signatures import BadSignature
from claimex.workers.signatures import verify as verify_signature

__all__ = [
    "BadSignature",
    "ClaimexError",
    "Client",
    "Submitted",
    "__version__",
    "verify_signature",
]
