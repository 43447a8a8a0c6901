"""A loaded batch extracted within the worker's time budget, before anything is written.

Each abstract runs in the worker's sandbox (``workers.sandbox``): one over the budget fails for
good, one whose extraction raises is told apart so that it can be tried again, and claims
beyond what the limits keep are dropped and counted.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

import msgspec

from claimex.workers import limits, sandbox, store

if TYPE_CHECKING:
    from collections.abc import Sequence

    from claimex.workers import context

log = logging.getLogger(__name__)

TIMEOUT_REASON = "timeout"
"""How the error of an abstract over the time budget starts; such an abstract is not retried."""


class Extraction(msgspec.Struct):
    """A batch's extraction, before anything is written."""

    done: list[store.Extracted] = msgspec.field(default_factory=list)
    failed: list[tuple[str, str]] = msgspec.field(default_factory=list)
    """Failed for good: missing, or over the time budget."""
    raised: list[tuple[str, str]] = msgspec.field(default_factory=list)
    """Extraction raised: tried again, a bounded number of times."""
    durations: list[float] = msgspec.field(default_factory=list)
    truncated: int = 0  # abstracts with more claims than are kept
    """Claims beyond ``limits.claims_allowed`` (not stored)."""


def extract_all(
    loaded: Sequence[tuple[str, store.Loaded]], worker: context.WorkerContext
) -> Extraction:
    """Extract each abstract within the worker's budget; keep at most what the limits allow."""
    budget = worker.budget
    out = Extraction()
    for abstract_id, item in loaded:
        if item.abstract is None:
            out.failed.append((abstract_id, "the abstract is not in the store"))
            continue
        text, title = item.abstract.text, item.abstract.title
        began = time.perf_counter()
        try:
            claims = sandbox.extract_within(text, budget, title, worker.faults)
        except sandbox.ExtractionTimeout as exc:
            log.warning("extraction of abstract %s stopped after %g s", abstract_id, exc.budget)
            out.failed.append((abstract_id, f"{TIMEOUT_REASON}: {exc} (not retried)"))
            out.durations.append(time.perf_counter() - began)
            continue
        except sandbox.ExtractionError as exc:
            log.error("extraction failed for abstract %s:\n%s", abstract_id, exc.trace)
            out.raised.append((abstract_id, f"extraction failed: {exc.name}"))
            continue
        except Exception as exc:  # extract() should not raise; one text must not sink a batch
            log.exception("extraction failed for abstract %s", abstract_id)
            out.raised.append((abstract_id, f"extraction failed: {type(exc).__name__}"))
            continue
        out.durations.append(time.perf_counter() - began)
        allowed = limits.claims_allowed(len(text))
        if len(claims) > allowed:
            out.truncated += 1
            claims = claims[:allowed]
        out.done.append(store.Extracted(item.abstract, claims, item.old_claims, item.old_places))
    return out
