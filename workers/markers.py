"""The pending marker (``keys.pending``): which job holds an abstract, and how far it got.

``queued:<job>`` while the abstract waits in an inbox (``<job>`` is the submission, or
``retry`` / ``requeued`` when a worker put it back), ``started:<job>`` once a drain job has
begun it. These functions are the only writers of that form and ``is_started`` its only
reader; the admission script (``workers/scripts/admit.lua``) reads the same prefix.
"""

from __future__ import annotations

RETRY = "retry"
"""The job a marker names when a failed extraction put the abstract back for another try."""
REQUEUED = "requeued"
"""The job a marker names when a dead worker's batch was put back (``workers.liveness``)."""


def queued(job_id: str) -> str:
    """The marker of an abstract waiting in an inbox for job ``job_id``."""
    return f"queued:{job_id}"


def started(job_id: str) -> str:
    """The marker of an abstract that drain job ``job_id`` has begun."""
    return f"started:{job_id}"


def is_started(marker: bytes) -> bool:
    """Whether a stored marker says a worker has begun the abstract."""
    return marker.startswith(b"started:")
