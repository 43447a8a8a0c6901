"""The web page: search tables, read one with its chart, read an abstract, submit one.

Server-rendered with Jinja (autoescaping on: abstract text is never markup); one stylesheet
and one small script served from ``api/static`` — no build step, nothing from a CDN. Every page
works without JavaScript; the script only makes the submit form wait for its claims in place.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import parse_qs

from litestar import Request, Response, get, post
from litestar.params import FromPath, FromQuery, QueryParameter
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.response import Redirect, Template
from litestar.router import Router
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig

from claimex.api import chart, highlight, ranking, timeline
from claimex.api.dependencies import AppSettings, AsyncDb, Db
from claimex.api.errors import MAX_OFFSET
from claimex.api.tables import Cache, load_table
from claimex.extractors.model import Claim
from claimex.workers import events, queue, store, tables
from claimex.workers.errors import AbstractNotFound
from claimex.workers.placement import placed

HERE = Path(__file__).parent
PAGE_SIZE = 50
FORM_SOURCE = "page"
FORM_TYPE = "application/x-www-form-urlencoded"
_ID = re.compile(r"[0-9a-f]{16}")


def template_config() -> TemplateConfig[JinjaTemplateEngine]:
    """Templates from ``api/templates``, rendered by Jinja with autoescaping."""
    config = TemplateConfig(directory=HERE / "templates", engine=JinjaTemplateEngine)
    config.engine_instance.engine.filters["value"] = lambda v, unit=None: chart.format_value(
        v, unit
    )
    return config


def static_router() -> Router:
    """The page's stylesheet and script."""
    return create_static_files_router(
        path="/static", directories=[HERE / "static"], include_in_schema=False
    )


@get("/", sync_to_thread=True, include_in_schema=False)
def home(
    db: Db,
    q: FromQuery[str | None] = None,
    offset: Annotated[int, QueryParameter(ge=0, le=MAX_OFFSET)] = 0,
) -> Template:
    """The tables, largest first, or those whose dataset or metric contains ``q``."""
    query = (q or "").strip() or None
    found = tables.list_tables(db, text=query, limit=PAGE_SIZE, offset=offset)
    summaries = [ranking.summary(info) for info in found.items]
    following = offset + PAGE_SIZE if offset + PAGE_SIZE < found.total else None
    return Template(
        "index.html",
        context={
            "q": query or "",
            "tables": summaries,
            "total": found.total,
            "offset": offset,
            "next_offset": following,
        },
    )


@get("/tables/{table_id:str}", sync_to_thread=True, include_in_schema=False)
def table_page(db: Db, table_cache: Cache, table_id: FromPath[str]) -> Template:
    """One table: per section a bar chart and the rows, every value linking to its sentence.

    The page follows the table's changes from the newest one before it was read (``since``).
    """
    since = events.latest_table_event(db)
    table = load_table(db, table_cache, table_id, limit=1000)
    charts = {section.kind: chart.bar_chart(section.rows) for section in table.sections}
    steps = chart.step_chart(timeline.timeline(table))
    context = {"table": table, "charts": charts, "steps": steps, "since": since}
    return Template("table.html", context=context)


@get("/abstracts/{abstract_id:str}", sync_to_thread=True, include_in_schema=False)
def abstract_page(db: Db, abstract_id: FromPath[str]) -> Template:
    """The abstract with its claims highlighted where they stand; each shows its fields."""
    if not _ID.fullmatch(abstract_id):
        raise AbstractNotFound(abstract_id)
    abstract = store.get_abstract(db, abstract_id)
    claims: tuple[Claim, ...] = abstract.claims or ()
    # where the workers put each claim; an abstract stored before they recorded it is placed here
    places = store.table_places(db, abstract_id) or [
        (n, where) for n, _, where in placed(claims, abstract.text)
    ]
    table_of = {n: f"/tables/{where.id}" for n, where in places}
    return Template(
        "abstract.html",
        context={
            "abstract": abstract,
            "claims": claims,
            "pieces": highlight.pieces(abstract.text, claims),
            "table_of": table_of,
            "pending": abstract.claims is None,
        },
    )


@get("/submit", include_in_schema=False)
async def submit_form(settings: AppSettings) -> Template:
    """The form to paste an abstract (which says so when writes need an API key)."""
    context = {"error": None, "text": "", "title": "", "needs_key": settings.api_key is not None}
    return Template("submit.html", context=context)


@post("/submit", include_in_schema=False, status_code=303)
async def submit_page(
    request: Request[Any, Any, Any], db: Db, async_db: AsyncDb, settings: AppSettings
) -> Response[Any]:
    """The form's fallback without JavaScript: store the abstract, then show its page.

    The body is decoded strictly: bytes that are not UTF-8 are refused (400), as the API
    refuses them, instead of being stored as U+FFFD.
    """
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != FORM_TYPE:
        context = {"error": f"Send the form as {FORM_TYPE}.", "text": "", "title": ""}
        return Template("submit.html", context=context, status_code=415)
    try:
        fields = parse_qs(
            (await request.body()).decode("ascii"),
            encoding="utf-8",
            errors="strict",
            max_num_fields=8,
        )
    except (UnicodeDecodeError, ValueError):
        context = {"error": "The form is not valid UTF-8 text.", "text": "", "title": ""}
        return Template("submit.html", context=context, status_code=400)
    text = (fields.get("text") or [""])[0].strip()
    title = (fields.get("title") or [""])[0].strip() or None
    error = None
    if not text:
        error = "Paste the text of an abstract."
    elif len(text) > settings.max_text_chars:
        error = f"The text is longer than {settings.max_text_chars} characters."
    elif title is not None and len(title) > settings.max_title_chars:
        error = f"The title is longer than {settings.max_title_chars} characters."
    if error is not None:
        context = {"error": error, "text": text, "title": title or ""}
        return Template("submit.html", context=context, status_code=422)
    new = [queue.NewAbstract(text=text, title=title)]
    submission = await queue.submit_async(
        async_db, db, new, source=FORM_SOURCE, job_ttl=settings.job_ttl
    )
    return Redirect(f"/abstracts/{submission.abstract_ids[0]}", status_code=303)


ROUTES = (home, table_page, abstract_page, submit_form, submit_page)
