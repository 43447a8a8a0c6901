"""Structured logs: one line per request or job on stderr — JSON, or plain text on a terminal.

Callers pass ids, counts, durations and outcomes only — never abstract text nor any secret.
``CLAIMEX_LOG_FORMAT`` chooses: ``json`` (one object per line, for log collectors), ``text``
(``21:04:05 request GET /v1/jobs/{job_id} 200 1.2 ms id=…``), or ``auto`` (the default): text
when stderr is a terminal, JSON otherwise.
"""

from __future__ import annotations

import os
import sys
import threading
import time

import msgspec

FORMAT_VARIABLE = "CLAIMEX_LOG_FORMAT"
FORMATS = ("auto", "json", "text")

_encoder = msgspec.json.Encoder()
_lock = threading.Lock()

Field = str | int | float | bool | None


def log_format() -> str:
    """``json`` or ``text``, as ``CLAIMEX_LOG_FORMAT`` and stderr decide (read at each line:
    a test or a supervisor may change it; the cost is one dict lookup)."""
    chosen = os.environ.get(FORMAT_VARIABLE, "auto").strip().lower() or "auto"
    if chosen not in FORMATS:
        chosen = "auto"
    if chosen == "auto":
        return "text" if sys.stderr.isatty() else "json"
    return chosen


def _plain(value: Field) -> str:
    text = repr(value) if isinstance(value, str) and (" " in value or not value) else str(value)
    # Whatever a field holds, it stays on one line.
    return text.replace("\n", "\\n").replace("\r", "\\r")


def render(now: float, event: str, fields: dict[str, Field], kind: str) -> str:
    """One log line (without its newline)."""
    if kind == "json":
        return _encoder.encode({"ts": round(now, 3), "event": event, **fields}).decode()
    rest = dict(fields)
    head = [time.strftime("%H:%M:%S", time.localtime(now)), event]
    for name in ("method", "route", "status", "job_id", "outcome"):
        if name in rest:
            head.append(_plain(rest.pop(name)))
    if "duration_ms" in rest:
        head.append(f"{rest.pop('duration_ms')} ms")
    head += [f"{name}={_plain(value)}" for name, value in rest.items()]
    return " ".join(head)


def emit(event: str, **fields: Field) -> None:
    """Write one line for ``event`` with ``fields`` on stderr."""
    line = render(time.time(), event, fields, log_format()) + "\n"
    with _lock:
        sys.stderr.write(line)
        sys.stderr.flush()
