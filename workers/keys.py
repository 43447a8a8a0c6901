"""Every Redis key claimex uses, each from one named function under the prefix ``claimex:``.

Index values are casefolded here, in one place, so that writers and readers cannot disagree on
how "ImageNet" and "imagenet" are spelled in a key.
"""

from __future__ import annotations

PREFIX = "claimex:"

QUEUE = "claimex"
"""The RQ queue name (RQ adds its own ``rq:`` prefix to the keys it owns)."""


def normalise(value: str) -> str:
    """The form of a metric, dataset, subject or kind inside an index key."""
    return " ".join(value.split()).casefold()


def abstract(abstract_id: str) -> str:
    """The stored abstract record (msgpack), without its claims."""
    return f"{PREFIX}abstract:{abstract_id}"


def claims(abstract_id: str) -> str:
    """The abstract's claims (msgpack tuple); absent until a worker has extracted them."""
    return f"{PREFIX}claims:{abstract_id}"


def pending(abstract_id: str) -> str:
    """Marker held while a job for this abstract is queued or running; its value names the job."""
    return f"{PREFIX}pending:{abstract_id}"


def error(abstract_id: str) -> str:
    """Why the last extraction of this abstract failed; removed when one succeeds."""
    return f"{PREFIX}error:{abstract_id}"


def job(job_id: str) -> str:
    """The record of one submission: which abstracts it covers and when it was made."""
    return f"{PREFIX}job:{job_id}"


# How one claim is referred to outside Redis: in CSV cells, and as the link to its sentence.


def claim_ref(abstract_id: str, index: int) -> str:
    """One claim as text: ``<abstract id>#<index of the claim in its abstract>``."""
    return f"{abstract_id}#{index}"


def claim_page(abstract_id: str, index: int) -> str:
    """The web page of a claim: its abstract, scrolled to it (``#claim-<index>``)."""
    return f"/abstracts/{abstract_id}#claim-{index}"


ALL_CLAIMS = "all"
"""The index name of every claim."""


def index_name(field: str, value: str) -> str:
    """The name of the claim index of one field value ("metric:accuracy", "kind:score")."""
    return f"{field}:{normalise(value)}"


def claim_index(name: str) -> str:
    """Sorted set of the abstracts with claims under index ``name``, scored by receipt time.

    ``name`` is an ``index_name`` or ``ALL_CLAIMS``; which of an abstract's claims are under it
    is in its ``postings``.
    """
    return f"{PREFIX}index:{name}"


def postings(abstract_id: str) -> str:
    """Hash of index name → bitmap of the abstract's claims in that index."""
    return f"{PREFIX}postings:{abstract_id}"


def index_sizes() -> str:
    """Hash of index name → how many claims the index covers."""
    return f"{PREFIX}index-sizes"


def spellings(field: str, key: str) -> str:
    """Set of the index values under which the claims of a metric or dataset are indexed.

    The values are the ``normalise``d spellings of the names with canonical key ``key``:
    "penn treebank", "ptb", …
    """
    return f"{PREFIX}spell:{field}:{key}"


def inbox() -> str:
    """List of abstract ids admitted and waiting for a worker, oldest first."""
    return f"{PREFIX}inbox"


def bulk_inbox() -> str:
    """List of ids a backfill admitted, waiting; drained only when ``inbox`` is empty."""
    return f"{PREFIX}inbox:bulk"


def drains() -> str:
    """How many drain jobs are queued in RQ and have not yet taken their batch from the inbox."""
    return f"{PREFIX}drains"


def running(rq_job_id: str) -> str:
    """The batch a drain job took from the inbox, so a failure can mark exactly those failed."""
    return f"{PREFIX}running:{rq_job_id}"


# Events (workers.events): each job's stream, and one capped stream of table changes.

EVENTS_CHANNEL = f"{PREFIX}events"
"""Pub/sub channel: each message is the name of an event key that just gained entries."""


def job_events(job_id: str) -> str:
    """List of a job's events (JSON: status changes, each abstract settled), as long as the job."""
    return f"{PREFIX}events:{job_id}"


def job_state(job_id: str) -> str:
    """Hash of a job's event counters and of its webhook's state.

    Abstracts ``left``, ``failed``, ``started``, ``final``, and the webhook's ``callback``,
    ``attempts``, ``delivered`` and ``webhook_error``.
    """
    return f"{PREFIX}job-state:{job_id}"


def watchers(abstract_id: str) -> str:
    """Set of the jobs waiting for this abstract to be settled (extracted or failed)."""
    return f"{PREFIX}watch:{abstract_id}"


def table_events() -> str:
    """Capped stream of table changes (a table gained, lost or changed rows)."""
    return f"{PREFIX}events:tables"


def webhooks_due() -> str:
    """Sorted set of job ids whose webhook is to be delivered, scored by when (Unix time)."""
    return f"{PREFIX}webhooks:due"


def webhooks_wake() -> str:
    """List of at most one token, pushed when a webhook falls due, so dispatchers wake up."""
    return f"{PREFIX}webhooks:wake"


def backfill_run(run_id: str) -> str:
    """Hash of one backfill run's outcome counts (``done``, ``failed``), kept by its jobs."""
    return f"{PREFIX}backfill:{run_id}"


# Comparison tables (workers.tables): one table per canonical (dataset, metric) pair, by its id.


def table_catalog() -> str:
    """Sorted set of table ids, scored by size (papers, then claims) so the largest come first."""
    return f"{PREFIX}tbl:catalog"


def table_summaries() -> str:
    """Hash of table id → JSON summary (counts and the names merged into it)."""
    return f"{PREFIX}tbl:summary"


def table_versions() -> str:
    """Hash of table id → a counter bumped by every write that touches the table (for caches)."""
    return f"{PREFIX}tbl:versions"


def table_rows(table_id: str) -> str:
    """Hash of abstract id → bitmap of its claims that the table holds (``workers.postings``)."""
    return f"{PREFIX}tbl:{table_id}:rows"


def table_claims() -> str:
    """Hash of table id → how many claims the table holds."""
    return f"{PREFIX}tbl:claims"


def table_names(table_id: str, field: str) -> str:
    """Sorted set of the ``field`` ("dataset" or "metric") names merged into the table, counted."""
    return f"{PREFIX}tbl:{table_id}:{field}s"


def table_places(abstract_id: str) -> str:
    """Which tables hold the abstract's claims, as its last write placed them (msgpack)."""
    return f"{PREFIX}tbl-places:{abstract_id}"


# Abbreviations the stored abstracts define (workers.aliases), shared by every abstract's tables.


def aliases() -> str:
    """Hash of folded short form → long form as first defined ("ptb" → "Penn Treebank")."""
    return f"{PREFIX}aliases"


def aliases_by_long() -> str:
    """Hash of the long form's canonical dataset key → the folded short form defined for it."""
    return f"{PREFIX}aliases:by-long"


# Worker liveness (workers.liveness): heartbeats, and which worker holds which drain batch.


def worker(worker_id: str) -> str:
    """A live worker's heartbeat; it expires when the worker stops refreshing it."""
    return f"{PREFIX}worker:{worker_id}"


def owners() -> str:
    """Hash of drain job id → the worker holding its batch, while the batch is in hand."""
    return f"{PREFIX}owners"


def attempts(abstract_id: str) -> str:
    """How many extractions of this abstract raised, for bounded retries."""
    return f"{PREFIX}attempts:{abstract_id}"


def written(token: str) -> str:
    """Receipt of one batch write (``workers.jobs``): present once its MULTI was applied."""
    return f"{PREFIX}written:{token}"


def metrics() -> str:
    """Hash of counters the workers keep for ``GET /metrics`` (shared by every process)."""
    return f"{PREFIX}metrics"
