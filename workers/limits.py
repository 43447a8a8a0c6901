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


MAX_TABLES_PER_ABSTRACT = 16
"""Most comparison tables one abstract feeds (``workers.tables``); a real abstract names a few
(dataset, metric) pairs, a generated one could name a new pair for every number."""

MAX_INDEX_VALUES_PER_ABSTRACT = 32
"""Most distinct metric, dataset and subject names of one abstract that get a claim index
(``workers.store``); each new name is a new Redis key, so a text inventing a name per number
would otherwise create keys without end. Its other claims are still stored and listed."""

MAX_ALIASES_PER_ABSTRACT = 16
"""Most abbreviations of one abstract registered for the whole store (``workers.aliases``); an
abstract defines a few, a generated text could define one per word."""

MAX_CLAIMS = 200
"""Most claims stored for one abstract, whatever its length (an abstract with 100 is rare)."""
CHARS_PER_CLAIM = 12
"""...and no more than one per this many characters of its text (ordinary abstracts have one
per 30 to 100): a text that is nothing but numbers stores only its first claims."""
MIN_CLAIMS = 20


def claims_allowed(text_chars: int) -> int:
    """How many claims of an abstract of ``text_chars`` characters are stored (its first)."""
    return min(MAX_CLAIMS, max(MIN_CLAIMS, text_chars // CHARS_PER_CLAIM))
