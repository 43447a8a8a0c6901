"""Bounds on what one abstract or one job may cost, shared by the API and the workers.

Kept apart from ``workers.sandbox`` so that the API process, which enqueues jobs, knows the
limits without importing the extractor.
"""

from __future__ import annotations

MAX_BUDGET = 30.0
"""Largest per-abstract extraction budget (``CLAIMEX_EXTRACT_TIMEOUT``), in seconds."""

OUTAGE_SECONDS = 600.0
"""How long a worker waits for Redis to come back in the middle of a job before giving up."""


def job_timeout(batch: int) -> int:
    """RQ's limit on a job of ``batch`` abstracts: a last resort, never reached in practice.

    Each abstract has its own budget, and each Redis step its bounded wait through an outage;
    the job limit is above their sum, so RQ never kills (and, for backfill jobs, never
    retries) a job because one of its abstracts was slow.
    """
    return int(batch * MAX_BUDGET + 2 * OUTAGE_SECONDS)
