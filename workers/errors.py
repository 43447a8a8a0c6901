"""The few things that go wrong in the store and the queue, named so the API can map them.

``api.errors`` turns each into one RFC 9457 problem; nothing else in ``workers/`` raises to callers.
"""


class ClaimexError(Exception):
    """Base of the domain errors, so callers can catch them together."""


class AbstractNotFound(ClaimexError):
    """No abstract with this id was ever stored."""

    def __init__(self, abstract_id: str) -> None:
        super().__init__(f"no abstract with id {abstract_id!r}")
        self.abstract_id = abstract_id


class JobNotFound(ClaimexError):
    """No job with this id exists (never created, or expired after the job time-to-live)."""

    def __init__(self, job_id: str) -> None:
        super().__init__(f"no job with id {job_id!r}")
        self.job_id = job_id


class TableNotFound(ClaimexError):
    """No comparison table with this id (no result claim was ever stored for its pair)."""

    def __init__(self, table_id: str) -> None:
        super().__init__(f"no table with id {table_id!r}")
        self.table_id = table_id
