"""The webhook signature: HMAC-SHA256 over the delivery's timestamp and body.

``X-Claimex-Signature: t=<unix seconds>,v1=<hex digest>``, where the digest is taken over
``b"<t>." + body`` with ``CLAIMEX_WEBHOOK_SECRET`` as the key. The timestamp inside the signed
bytes lets a receiver refuse a replayed delivery (``verify``'s ``tolerance``). This module is
imported by the workers (signing) and by ``claimex.client`` (verifying), so it needs nothing
else of claimex.
"""

from __future__ import annotations

import hashlib
import hmac
import time

HEADER = "X-Claimex-Signature"
DEFAULT_TOLERANCE = 300.0
"""Seconds a delivery's timestamp may differ from the receiver's clock."""


class BadSignature(ValueError):
    """A delivery whose signature is missing, malformed, wrong or too old."""


def _digest(secret: str, timestamp: int, body: bytes) -> str:
    signed = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def sign(secret: str, body: bytes, timestamp: int | None = None) -> str:
    """The ``X-Claimex-Signature`` value for ``body`` sent at ``timestamp`` (default: now)."""
    at = int(time.time()) if timestamp is None else timestamp
    return f"t={at},v1={_digest(secret, at, body)}"


def verify(
    secret: str,
    body: bytes,
    header: str | None,
    *,
    tolerance: float = DEFAULT_TOLERANCE,
    now: float | None = None,
) -> int:
    """Check a delivery's signature: its timestamp if right and recent, else ``BadSignature``.

    Compare the raw body as received: re-encoded JSON would not match.
    """
    if not header:
        raise BadSignature(f"no {HEADER} header")
    fields = dict(part.partition("=")[::2] for part in header.split(","))
    stamp, given = fields.get("t", ""), fields.get("v1", "")
    if not (stamp.isascii() and stamp.isdigit()) or not given:
        raise BadSignature(f"malformed {HEADER} header")
    at = int(stamp)
    if abs((time.time() if now is None else now) - at) > tolerance:
        raise BadSignature("the delivery's timestamp is outside the tolerance")
    if not hmac.compare_digest(_digest(secret, at, body), given):
        raise BadSignature("the signature does not match the body")
    return at
