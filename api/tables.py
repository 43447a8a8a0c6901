"""``/v1/tables``: the comparison tables — which exist, and one ranked, as JSON or CSV."""

from __future__ import annotations

import csv
import io
import re
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

import msgspec
from litestar import Request, Response, get
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery, QueryParameter

from claimex.api import ranking, timeline
from claimex.api.dependencies import Db
from claimex.api.errors import MAX_OFFSET, problem_responses
from claimex.api.schemas import Table, TablesPage, Timeline
from claimex.api.table_cache import TableCache
from claimex.workers import keys, tables
from claimex.workers.errors import TableNotFound

MAX_LIMIT = 500
MAX_ROWS = 5000
_json = msgspec.json.Encoder()
CSV = "text/csv"
JSON = "application/json"
TABLE_ID = re.compile(r"[0-9a-f]{16}")
"""The form of a table id: anything else is no table."""

Format = Literal["json", "csv"]
View = Literal["rows", "timeline"]

CSV_COLUMNS = (
    "section",
    "rank",
    "value",
    "unit",
    "subject",
    "setting",
    "baseline",
    "span",
    "original_value",
    "original_unit",
    "scaled",
    "direction",
    "bound",
    "dataset",
    "qualifier",
    "metric",
    "title",
    "date",
    "abstract_id",
    "claim_index",
    "start",
    "end",
    "sentence_start",
    "sentence_end",
    "sentence",
    "abstract_url",
    "disagrees_with",
)
"""The CSV columns, one row per table row; ``section`` keeps scores apart from changes."""


def wants_csv(request: Request[Any, Any, Any], format: Format | None) -> bool:
    """``?format=`` decides; without it, an ``Accept`` that prefers CSV to JSON does."""
    if format is not None:
        return format == "csv"
    return request.accept.best_match([JSON, CSV], default=JSON) == CSV


@get("/v1/tables", sync_to_thread=True, responses=problem_responses())
def list_tables(
    *,
    db: Db,
    q: Annotated[
        str | None, QueryParameter(description="substring of the dataset or the metric")
    ] = None,
    dataset: Annotated[str | None, QueryParameter(description="substring of the dataset")] = None,
    metric: Annotated[str | None, QueryParameter(description="substring of the metric")] = None,
    limit: Annotated[int, QueryParameter(ge=1, le=MAX_LIMIT)] = 50,
    offset: Annotated[int, QueryParameter(ge=0, le=MAX_OFFSET)] = 0,
) -> TablesPage:
    """The (dataset, metric) tables that have result claims, most papers first.

    Filters match any name merged into a table, ignoring case (and, failing that, punctuation
    and spacing). Names that mean the same ("ImageNet-1K", "imagenet 1k") are one table.
    """
    found = tables.list_tables(
        db, dataset=dataset, metric=metric, text=q, limit=limit, offset=offset
    )
    following = None
    if offset + limit < found.total:
        query = {k: v for k, v in {"q": q, "dataset": dataset, "metric": metric}.items() if v}
        query |= {"limit": str(limit), "offset": str(offset + limit)}
        following = "/v1/tables?" + urlencode(query)
    return TablesPage(
        total=found.total,
        limit=limit,
        offset=offset,
        items=tuple(ranking.summary(info) for info in found.items),
        next=following,
    )


Cache = NamedDependency[TableCache]
"""A handler parameter ``table_cache: Cache`` receives the app's cache of built tables."""


def dependencies() -> dict[str, Provide]:
    """``table_cache``: one cache of built tables for the app's lifetime."""
    cache = TableCache()

    def provide_cache() -> TableCache:
        return cache

    return {"table_cache": Provide(provide_cache, use_cache=True, sync_to_thread=False)}


def load_table(db: Db, cache: TableCache, table_id: str, limit: int) -> Table:
    """The ranked table ``table_id``; ``TableNotFound`` (404) for an unknown or malformed id."""
    if not TABLE_ID.fullmatch(table_id):
        raise TableNotFound(table_id)
    return ranking.first_rows(cache.table(db, table_id), limit)


@get(
    "/v1/tables/{table_id:str}",
    sync_to_thread=True,
    responses=problem_responses(404),
    media_type=JSON,
    description=(
        "One table: rows per (paper, subject, setting), scores ranked by the metric's direction, "
        "deltas and ratios in sections of their own. `?format=csv` or `Accept: text/csv` gives "
        "the same rows as CSV (one line per row, `section` first). `?view=timeline` gives the "
        "dated scores oldest first and the best-so-far steps instead (JSON)."
    ),
)
def read_table(
    *,
    request: Request[Any, Any, Any],
    db: Db,
    table_cache: Cache,
    table_id: FromPath[str],
    format: FromQuery[Format | None] = None,
    view: Annotated[
        View | None, QueryParameter(description="`timeline`: scores over time (JSON)")
    ] = None,
    limit: Annotated[
        int, QueryParameter(ge=1, le=MAX_ROWS, description="most rows per section")
    ] = 500,
) -> Response[Table | Timeline]:
    """One comparison table, as JSON or CSV, or its scores over time."""
    if not TABLE_ID.fullmatch(table_id):
        raise TableNotFound(table_id)
    if view == "timeline":
        line = table_cache.rendered(
            db, table_id, "timeline", lambda t: _json.encode(timeline.timeline(t))
        )
        return Response(line, media_type=JSON)  # type: ignore[arg-type]
    if wants_csv(request, format):
        disposition = f'attachment; filename="claimex-table-{table_id}.csv"'
        text = table_cache.rendered(
            db, table_id, f"csv:{limit}", lambda t: to_csv(ranking.first_rows(t, limit)).encode()
        )
        return Response(
            text,  # type: ignore[arg-type]
            media_type=CSV,  # Litestar adds "; charset=utf-8" to text types
            headers={"Content-Disposition": disposition},
        )
    blob = table_cache.rendered(
        db, table_id, f"json:{limit}", lambda t: _json.encode(ranking.first_rows(t, limit))
    )
    return Response(blob, media_type=JSON)  # type: ignore[arg-type]


def to_csv(table: Table) -> str:
    """The table's rows as CSV, sections one after the other."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for section in table.sections:
        for row in section.rows:
            claim = row.claim
            writer.writerow(
                [
                    section.kind,
                    "" if row.rank is None else row.rank,
                    repr(row.value),
                    row.unit or "",
                    _safe(claim.subject or ""),
                    _safe(claim.setting or ""),
                    _safe(claim.baseline or ""),
                    _safe(claim.span),
                    repr(claim.value),
                    claim.unit or "",
                    "yes" if row.scaled else "no",
                    claim.direction or "",
                    claim.bound or "",
                    _safe(claim.dataset or ""),
                    _safe(row.qualifier or ""),
                    _safe(claim.metric or ""),
                    _safe(row.title or ""),
                    row.date or "",
                    row.abstract_id,
                    row.claim_index,
                    claim.start,
                    claim.end,
                    claim.sentence_start,
                    claim.sentence_end,
                    _safe(claim.sentence),
                    row.abstract_url,
                    "; ".join(
                        f"{o.value!r} in {keys.claim_ref(o.abstract_id, o.claim_index)}"
                        + (" (its own paper)" if o.own_paper else "")
                        for o in row.disagrees_with
                    ),
                ]
            )
    return out.getvalue()


def _safe(text: str) -> str:
    """Text that a spreadsheet will not run as a formula (``=``, ``+``, ``-``, ``@`` first)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
