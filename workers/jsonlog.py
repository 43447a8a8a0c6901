"""Structured logs: one JSON object per line on stderr, for requests and jobs.

Callers pass ids, counts, durations and outcomes only — never abstract text nor any secret.
"""

from __future__ import annotations

import sys
import threading
import time

import msgspec

_encoder = msgspec.json.Encoder()
_lock = threading.Lock()

Field = str | int | float | bool | None


def emit(event: str, **fields: Field) -> None:
    """Write ``{"ts": …, "event": event, **fields}`` as one line on stderr."""
    line = _encoder.encode({"ts": round(time.time(), 3), "event": event, **fields}) + b"\n"
    with _lock:
        sys.stderr.write(line.decode())
        sys.stderr.flush()
