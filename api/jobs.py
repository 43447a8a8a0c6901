"""``/v1/jobs/{job_id}``: where a submission stands."""

from __future__ import annotations

import re

from litestar import get
from litestar.params import FromPath

from claimex.api.dependencies import Db
from claimex.api.errors import problem_responses
from claimex.workers import queue
from claimex.workers.errors import JobNotFound

JOB_ID = re.compile(r"[0-9a-f]{32}")
"""The form of a job id (a uuid4 in hex): anything else is no job."""


@get("/v1/jobs/{job_id:str}", sync_to_thread=True, responses=problem_responses(404))
def read_job(job_id: FromPath[str], db: Db) -> queue.JobStatus:
    """queued, started, finished or failed, with each abstract's own status and error."""
    if not JOB_ID.fullmatch(job_id):
        raise JobNotFound(job_id)
    return queue.job_status(db, job_id)
