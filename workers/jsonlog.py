"""One log stream: every claimex log record, and one line per request or job, on stderr.

The lines are JSON, or plain text on a terminal, written through stdlib ``logging``.

``emit`` logs an event (``request``, ``job``) with its fields on the ``claimex.events`` logger;
a module's own ``log.warning(…)`` goes to the same handler and formatter (``LineFormatter``),
so a collector reads one format. Event callers pass ids, counts, durations and outcomes only —
never abstract text nor any secret. ``CLAIMEX_LOG_FORMAT`` chooses: ``json`` (one object per
line), ``text`` (``21:04:05 request GET /v1/jobs/{job_id} 200 1.2 ms id=…``), or ``auto`` (the
default): text when stderr is a terminal, JSON otherwise.
"""

from __future__ import annotations

import logging
import os
import sys
import time

import msgspec

FORMAT_VARIABLE = "CLAIMEX_LOG_FORMAT"
FORMATS = ("auto", "json", "text")
LOGGER = "claimex"
EVENTS = logging.getLogger(f"{LOGGER}.events")

_encoder = msgspec.json.Encoder()

Field = str | int | float | bool | None


def log_format() -> str:
    """``json`` or ``text``, as ``CLAIMEX_LOG_FORMAT`` and stderr decide.

    Read at each line: a test or a supervisor may change it; the cost is one dict lookup.
    """
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


class LineFormatter(logging.Formatter):
    """An event record as ``render`` writes it; any other record as an event ``log``.

    A plain record's event has its level, logger and message (and the traceback, escaped onto
    the same line).
    """

    def format(self, record: logging.LogRecord) -> str:
        """``record`` as one line, in the format ``log_format`` chooses now."""
        event = getattr(record, "claimex_event", None)
        fields: dict[str, Field]
        if event is None:
            event = "log"
            message = record.getMessage()
            if record.exc_info:
                message += "\n" + self.formatException(record.exc_info)
            fields = {"level": record.levelname, "logger": record.name, "message": message}
        else:
            fields = getattr(record, "claimex_fields", {})
        return render(record.created, str(event), fields, log_format())


class StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is at each record (a test may have replaced it)."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)
        self.setFormatter(LineFormatter())

    def emit(self, record: logging.LogRecord) -> None:
        """Write ``record`` to ``sys.stderr`` as it is now."""
        # Not ``setStream``: it flushes the stream replaced, which may be closed by now.
        self.stream = sys.stderr
        super().emit(record)


def configure() -> None:
    """Send every ``claimex.*`` logger's records (INFO and up) to stderr in one format.

    Done once, on the first event or by a process's entry point.
    """
    root = logging.getLogger(LOGGER)
    if any(isinstance(h, StderrHandler) for h in root.handlers):
        return
    root.addHandler(StderrHandler())
    root.setLevel(logging.INFO)
    root.propagate = False


def emit(event: str, **fields: Field) -> None:
    """Log one line for ``event`` with ``fields``."""
    configure()
    EVENTS.info(event, extra={"claimex_event": event, "claimex_fields": fields})
