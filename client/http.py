"""The client: one ``httpx.Client`` to a claimex service, answers decoded into its models."""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, TypeVar, overload

import httpx
import msgspec
from httpx_sse import SSEError, connect_sse

from claimex import __version__
from claimex.api.schemas import Accepted, ClaimsPage, Table, TablesPage, Timeline
from claimex.extractors.model import Abstract
from claimex.workers.events import AbstractEvent, StatusEvent, is_final
from claimex.workers.queue import JobStatus

if TYPE_CHECKING:
    from types import TracebackType

T = TypeVar("T")
JobEvent = StatusEvent | AbstractEvent
Submitted = Accepted
"""What ``submit`` returns: the job id, the abstract ids in order, where to follow the job."""
AbstractLike = str | Mapping[str, Any]
"""An abstract to submit: its text, or a mapping of ``text`` (and ``title``, ``date``)."""

FINAL = ("finished", "failed")
DEFAULT_URL = "http://127.0.0.1:8000"
RECONNECTS = 3
"""How often ``events`` reconnects (with ``Last-Event-ID``) after a stream breaks."""


class ClaimexError(Exception):
    """The service answered with an error; ``problem`` is its RFC 9457 document, if any."""

    def __init__(self, status: int, problem: Mapping[str, Any]) -> None:
        detail = problem.get("detail") or problem.get("title") or f"HTTP {status}"
        super().__init__(f"{status}: {detail}")
        self.status = status
        self.problem = dict(problem)


def _body(abstract: AbstractLike) -> dict[str, Any]:
    if isinstance(abstract, str):
        return {"text": abstract}
    return {k: v for k, v in abstract.items() if v is not None}


class Client:
    """A claimex service at ``base_url``; ``api_key`` for servers that need one."""

    def __init__(
        self,
        base_url: str = DEFAULT_URL,
        *,
        api_key: str | None = None,
        timeout: float = 30.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        headers = {"User-Agent": f"claimex-client/{__version__}", "Accept": "application/json"}
        if api_key is not None:
            headers["Authorization"] = f"Bearer {api_key}"
        self._http = httpx.Client(
            base_url=base_url, headers=headers, timeout=timeout, transport=transport
        )

    version = __version__
    """This client's version: the version of the claimex it ships with."""

    def close(self) -> None:
        """Close the connections to the service; the client is not used after this."""
        self._http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _send(self, method: str, path: str, **options: Any) -> httpx.Response:
        response = self._http.request(method, path, **options)
        if response.status_code >= 400:
            try:
                problem = response.json()
            except ValueError:
                problem = {"detail": response.text[:500]}
            raise ClaimexError(response.status_code, problem if isinstance(problem, dict) else {})
        return response

    def _get(self, path: str, model: type[T], params: Mapping[str, Any] | None = None) -> T:
        given = {k: v for k, v in (params or {}).items() if v is not None}
        return msgspec.json.decode(self._send("GET", path, params=given).content, type=model)

    def submit(
        self, abstracts: AbstractLike | Sequence[AbstractLike], *, callback_url: str | None = None
    ) -> Submitted:
        """Send one abstract (a text or a mapping) or several as one job."""
        body: dict[str, Any]
        if isinstance(abstracts, (str, Mapping)):
            body = _body(abstracts)
        else:
            body = {"abstracts": [_body(a) for a in abstracts]}
        if callback_url is not None:
            body["callback_url"] = callback_url
        response = self._send("POST", "/v1/abstracts", json=body)
        return msgspec.json.decode(response.content, type=Accepted)

    def job(self, job: str | Submitted) -> JobStatus:
        """Where the job stands now."""
        return self._get(f"/v1/jobs/{_job_id(job)}", JobStatus)

    def events(
        self, job: str | Submitted, *, last_event_id: str | None = None
    ) -> Iterator[JobEvent]:
        """The job's events as they come, ending with its final status event.

        A stream that breaks is opened again after the last event seen (``RECONNECTS`` times).
        """
        job_id = _job_id(job)
        last = last_event_id
        for _ in range(RECONNECTS + 1):
            headers = {"Accept": "text/event-stream"}
            if last is not None:
                headers["Last-Event-ID"] = last
            try:
                with connect_sse(
                    self._http, "GET", f"/v1/jobs/{job_id}/events", headers=headers
                ) as source:
                    if source.response.status_code >= 400:
                        source.response.read()
                        raise ClaimexError(source.response.status_code, source.response.json())
                    for sse in source.iter_sse():
                        if sse.event not in ("status", "abstract"):
                            continue
                        event: JobEvent = (
                            msgspec.json.decode(sse.data, type=StatusEvent)
                            if sse.event == "status"
                            else msgspec.json.decode(sse.data, type=AbstractEvent)
                        )
                        last = sse.id or last
                        yield event
                        if is_final(event):
                            return
            except (httpx.TransportError, SSEError):
                continue
        raise ClaimexError(503, {"detail": "the job's event stream kept breaking"})

    def wait(
        self, job: str | Submitted, *, timeout: float = 300.0, poll_interval: float = 0.5
    ) -> JobStatus:
        """The job once it has finished or failed: by its events, else by polling.

        Raises ``TimeoutError`` if it has not ended within ``timeout`` seconds.
        """
        deadline = time.monotonic() + timeout
        try:
            for event in self.events(job):
                if is_final(event) or time.monotonic() > deadline:
                    break
        except (ClaimexError, httpx.HTTPError):
            pass  # no events here (an older server, a proxy that buffers): poll instead
        while True:
            status = self.job(job)
            if status.status in FINAL:
                return status
            if time.monotonic() > deadline:
                raise TimeoutError(f"job {_job_id(job)} is still {status.status}")
            time.sleep(poll_interval)

    def abstract(self, abstract_id: str) -> Abstract:
        """An abstract with its claims (``claims`` is None until extracted)."""
        return self._get(f"/v1/abstracts/{abstract_id}", Abstract)

    def claims(
        self,
        *,
        metric: str | None = None,
        dataset: str | None = None,
        subject: str | None = None,
        kind: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> ClaimsPage:
        """One page of claims matching every filter given (names merge as tables do)."""
        params = {"metric": metric, "dataset": dataset, "subject": subject, "kind": kind}
        return self._get("/v1/claims", ClaimsPage, {**params, "limit": limit, "offset": offset})

    def tables(
        self,
        *,
        q: str | None = None,
        dataset: str | None = None,
        metric: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> TablesPage:
        """One page of the comparison tables, most papers first."""
        params = {"q": q, "dataset": dataset, "metric": metric, "limit": limit, "offset": offset}
        return self._get("/v1/tables", TablesPage, params)

    @overload
    def table(self, table_id: str, *, format: Literal["json"] = "json") -> Table: ...
    @overload
    def table(self, table_id: str, *, format: Literal["csv"]) -> str: ...
    @overload
    def table(self, table_id: str, *, format: Literal["timeline"]) -> Timeline: ...

    def table(
        self, table_id: str, *, format: Literal["json", "csv", "timeline"] = "json"
    ) -> Table | str | Timeline:
        """One table: ranked rows (``json``), its CSV text, or its scores over time."""
        path = f"/v1/tables/{table_id}"
        if format == "csv":
            return self._send("GET", path, params={"format": "csv"}).text
        if format == "timeline":
            return self._get(path, Timeline, {"view": "timeline"})
        return self._get(path, Table)


def _job_id(job: str | Submitted) -> str:
    return job if isinstance(job, str) else job.job_id
