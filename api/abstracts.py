"""``/v1/abstracts``: submit abstracts (202 + job), read one back with its claims."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, cast

import msgspec
from litestar import Request, Response, get, post
from litestar.openapi.spec import OpenAPIMediaType, Operation, RequestBody, Schema
from litestar.params import FromPath
from litestar.plugins.problem_details import ProblemDetailsException

from claimex.api.dependencies import Admitting, AppSettings, Db
from claimex.api.errors import invalid_body, malformed_body, problem_responses
from claimex.api.schemas import AbstractIn, Accepted, BatchIn
from claimex.extractors.model import Abstract
from claimex.extractors.model import abstract_id as content_id
from claimex.workers import callbacks, dates, queue, store
from claimex.workers.errors import AbstractNotFound

_ID = re.compile(r"[0-9a-f]{16}")
_JSON_TYPE = re.compile(r"application/(?:[\w.+-]+\+)?json")
SOURCE = "api"


def _request_schema() -> dict[str, Any]:
    """The body's JSON schema, from msgspec itself so docs and decoding cannot disagree.

    Inlined rather than referenced: Litestar rebuilds ``components`` from its own registry.
    """
    (single, batch), components = msgspec.json.schema_components(
        [AbstractIn, BatchIn], ref_template="{name}"
    )

    def inline(node: Any) -> Any:
        if isinstance(node, dict):
            if set(node) == {"$ref"}:
                return inline(components[node["$ref"]])
            return {k: inline(v) for k, v in node.items()}
        if isinstance(node, list):
            return [inline(v) for v in node]
        return node

    return {"oneOf": [inline(single), inline(batch)]}


@dataclass
class _SubmitOperation(Operation):
    """The body is one abstract *or* a batch; Litestar cannot infer a union of two objects."""

    def __post_init__(self) -> None:
        media = OpenAPIMediaType(schema=cast("Schema", _request_schema()))
        self.request_body = RequestBody(content={"application/json": media}, required=True)


class CheckedSubmission(msgspec.Struct, frozen=True):
    """A checked submission: its abstracts, and the URL to call back when its job ends."""

    items: list[AbstractIn]
    callback_url: str | None = None


def parse_submission(body: bytes, settings: AppSettings) -> CheckedSubmission:
    """Decode and check a submission; every failure names the JSON path at fault."""
    try:
        raw = msgspec.json.decode(body)
    except msgspec.DecodeError as exc:
        raise malformed_body(str(exc)) from None
    except UnicodeDecodeError:
        raise malformed_body("the body is not UTF-8") from None
    except RecursionError:
        raise malformed_body("the body is nested too deeply") from None
    if not isinstance(raw, dict):
        raise invalid_body("Expected `object`, got `" + type(raw).__name__ + "`")
    batch = "abstracts" in raw
    try:
        whole = msgspec.convert(raw, BatchIn) if batch else msgspec.convert(raw, AbstractIn)
    except msgspec.ValidationError as exc:
        raise invalid_body(exc) from None
    items = whole.abstracts if isinstance(whole, BatchIn) else [whole]
    if len(items) > settings.max_batch:
        raise invalid_body(
            f"a batch holds at most {settings.max_batch} abstracts, got {len(items)}",
            path="$.abstracts",
        )
    for n, item in enumerate(items):
        _check_item(item, f"$.abstracts[{n}]" if batch else "$", settings, in_batch=batch)
    callback = whole.callback_url
    if callback is not None:
        try:
            callbacks.check_url(callback, settings.webhooks)
        except callbacks.CallbackRefused as exc:
            raise invalid_body(f"callback_url is refused: {exc}", path="$.callback_url") from None
    return CheckedSubmission(items, callback)


def _check_item(item: AbstractIn, at: str, settings: AppSettings, *, in_batch: bool) -> None:
    """The checks of one abstract that its schema cannot state; ``at`` is its JSON path."""
    if len(item.text) > settings.max_text_chars:
        raise invalid_body(
            f"text is longer than {settings.max_text_chars} characters", path=f"{at}.text"
        )
    if item.title is not None and len(item.title) > settings.max_title_chars:
        raise invalid_body(
            f"title is longer than {settings.max_title_chars} characters", path=f"{at}.title"
        )
    for name, value in (("text", item.text), ("title", item.title)):
        if value is not None and not _storable(value):
            raise invalid_body(
                f"{name} holds a lone UTF-16 surrogate (\\ud800-\\udfff)", path=f"{at}.{name}"
            )
    if item.date is not None and dates.iso_date(item.date) is None:
        raise invalid_body(
            f"date {item.date!r} is not an ISO 8601 date (YYYY-MM-DD, YYYY-MM or YYYY)",
            path=f"{at}.date",
        )
    if item.id is not None and item.id != content_id(item.text):
        raise invalid_body(
            f"id {item.id} is not the content id of text ({content_id(item.text)})",
            path=f"{at}.id",
        )
    if in_batch and item.callback_url is not None:
        raise invalid_body(
            "callback_url belongs to the batch (next to `abstracts`), not to one abstract",
            path=f"{at}.callback_url",
        )


def _storable(value: str) -> bool:
    """Whether ``value`` is valid Unicode text (no lone surrogate), so Redis can store it."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


@post(
    "/v1/abstracts",
    status_code=202,
    operation_class=_SubmitOperation,
    responses=problem_responses(413, 415, 422, 429),
)
async def submit_abstracts(
    request: Request[Any, Any, Any], admission: Admitting
) -> Response[Accepted]:
    """Store one abstract or a batch and enqueue their extraction; poll the job at `Location`.

    The abstracts are in Redis before this answers. Re-sent abstracts keep their id and record,
    and are not queued again while pending or once extracted.
    """
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind and not _JSON_TYPE.fullmatch(kind):
        # Not JSON: a form or text/plain is what another site's page could send a browser with.
        raise ProblemDetailsException(
            status_code=415,
            title="Unsupported media type",
            detail=f"the body must be JSON (Content-Type: application/json), not {kind}",
        )
    settings = admission.settings
    checked = parse_submission(await request.body(), settings)
    new = [queue.NewAbstract(text=i.text, title=i.title, date=i.date) for i in checked.items]
    submission = await queue.submit_async(
        admission.async_db,
        admission.db,
        new,
        source=SOURCE,
        job_ttl=settings.job_ttl,
        callback_url=checked.callback_url,
    )
    status_url = f"/v1/jobs/{submission.job_id}"
    body = Accepted(
        job_id=submission.job_id,
        abstract_ids=submission.abstract_ids,
        status_url=status_url,
        events_url=f"{status_url}/events",
    )
    return Response(body, status_code=202, headers={"Location": status_url})


@get("/v1/abstracts/{abstract_id:str}", sync_to_thread=True, responses=problem_responses(404))
def read_abstract(abstract_id: FromPath[str], db: Db) -> Abstract:
    """The abstract with its claims; `claims` is null until a worker has extracted them."""
    if not _ID.fullmatch(abstract_id):
        raise AbstractNotFound(abstract_id)
    return store.get_abstract(db, abstract_id)
