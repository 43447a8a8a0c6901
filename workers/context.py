"""What a worker's entry point configures for the jobs it runs, passed to them explicitly.

``claimex worker`` reads its settings once (``claimex.settings.WorkerSettings``) and builds one
``WorkerContext``; its RQ worker hands it to every job it performs (``attach``), and a drain job
reads it back from its RQ job (``of``). Nothing in ``workers/`` reads the environment while
extracting. A job performed by some other RQ worker gets the defaults.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import msgspec

if TYPE_CHECKING:
    from rq.job import Job

DEFAULT_ATTEMPTS = 3
"""How often an abstract whose extraction raises is tried before it fails."""
DEFAULT_BUDGET = 10.0
"""Seconds one abstract's extraction may take; 0 means in the worker itself, unbounded."""
_ATTRIBUTE = "claimex_context"


class WorkerContext(msgspec.Struct, frozen=True, kw_only=True):
    """How this worker's jobs extract, and who the worker is."""

    worker_id: str | None = None
    """The heartbeat's id once it runs (``workers.liveness``): drain jobs record it as the
    owner of the batch they take, so that the batch returns if this worker dies."""
    attempts: int = DEFAULT_ATTEMPTS
    budget: float = DEFAULT_BUDGET
    faults: Mapping[str, str] = msgspec.field(default_factory=dict)
    """The test suite's fault hooks (``workers.faults``); empty in production."""


DEFAULT = WorkerContext()


def attach(job: Job, context: WorkerContext) -> None:
    """Give ``job`` the context of the worker about to perform it."""
    setattr(job, _ATTRIBUTE, context)


def of(job: Job) -> WorkerContext:
    """The context ``job`` was given, or the defaults."""
    found = getattr(job, _ATTRIBUTE, None)
    return found if isinstance(found, WorkerContext) else DEFAULT
