"""``claimex backfill PATH…``: store a corpus and queue its extraction, with progress.

Reads page dumps, JSONL and CSV (gzipped or not; ``-`` is stdin) through ``workers.readers``
and hands them to ``workers.backfill`` a chunk at a time. A malformed record gets one warning
line (``file:line: reason``) on stderr and is counted; it never stops the run. Killed at any
point, the same command run again finishes the rest: see ``workers.backfill``.

The progress bar (rich, on stderr, drawn only on a terminal) counts read / new / skipped /
done / failed; its rate and ETA are for extraction (done + failed against what this run
queued). With ``--wait`` the command follows the workers until every abstract it queued is
done or failed — and, if some were already queued by someone else, until the queue is empty
— then prints the summary. The summary is one line on stdout.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import sys
import time
from typing import TYPE_CHECKING

import msgspec
import redis
from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TextColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from claimex.cli import state
from claimex.cli.errors import CommandError
from claimex.cli.settings import load_service_settings, load_settings
from claimex.workers import backfill, connections
from claimex.workers.readers import read_paths
from claimex.workers.redis_server import answers

if TYPE_CHECKING:
    import argparse
    from collections.abc import Iterator

    from claimex.workers.sources import Problem, SourceRecord

NAME = "backfill"
HELP = "store a corpus (page dumps, JSONL, CSV, gzip, '-') and queue its extraction in batches"

POLL_SECONDS = 0.25
IDLE_GRACE_SECONDS = 5.0
"""How long the queue must stay empty, with abstracts unaccounted for, before giving up."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The corpus ``PATH``s, and the run's options: batch size, waiting, dry run, re-extraction."""
    parser.add_argument("paths", nargs="+", metavar="PATH", help="corpus files; '-' reads stdin")
    parser.add_argument(
        "--wait", action="store_true", help="follow the workers until all is done, then summarise"
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="read and count, write nothing to Redis"
    )
    parser.add_argument(
        "--batch-size",
        type=int,
        default=backfill.BATCH_SIZE,
        help=f"abstracts per admission, one job each (default {backfill.BATCH_SIZE})",
    )
    parser.add_argument(
        "--timeout", type=float, default=None, help="with --wait: stop waiting after SECONDS"
    )
    parser.add_argument(
        "--reextract",
        action="store_true",
        help="queue abstracts that already have claims again (after upgrading claimex); "
        "their claims and table rows are replaced",
    )


def run(args: argparse.Namespace) -> int:
    """Store and queue the corpus; 1 when ``--wait`` saw an abstract fail or go unaccounted."""
    if args.batch_size < 1:
        raise CommandError("--batch-size must be at least 1")
    for path in args.paths:
        if path != "-" and not os.path.isfile(path):
            raise CommandError(f"{path}: no such file")
    # A dry run writes nothing: without REDIS_URL nor a running `claimex up` it just counts.
    settings = load_settings(os.environ) if args.dry_run else load_service_settings(os.environ)
    if args.dry_run and not os.environ.get("REDIS_URL", "").strip():
        up = state.find(os.environ)
        settings = msgspec.structs.replace(settings, redis_url=up.redis_url if up else "")
    console = Console(stderr=True, highlight=False)
    counts = backfill.Counts()

    def warn(problem: Problem) -> None:
        counts.malformed += 1
        console.print(Text(f"warning: {problem}"), soft_wrap=True)

    records = read_paths(args.paths, on_problem=warn)
    started = time.monotonic()
    if args.dry_run:
        reachable = bool(settings.redis_url) and answers(settings.redis_url)
        connection = connections.command(settings.redis_url) if reachable else None
        _survey(connection, records, counts, console, args.reextract)
        print(
            _summary(counts, time.monotonic() - started, dry_run=True, redis=connection is not None)
        )
        return 0

    connection = connections.command(settings.redis_url)
    try:
        connection.ping()
    except redis.exceptions.RedisError as exc:
        raise CommandError(f"cannot reach Redis at {settings.redis_url}: {exc}") from None
    plan = backfill.Plan(
        batch_size=args.batch_size, job_ttl=settings.job_ttl, reextract=args.reextract
    )
    run_id = backfill.new_run_id()
    unaccounted = 0
    try:
        with _display(console) as display:
            show = _Shower(display, connection, run_id)
            backfill.backfill(
                connection, records, run_id=run_id, counts=counts, plan=plan, on_chunk=show
            )
            show(counts, force=True)
            if args.wait:
                unaccounted = _follow(connection, run_id, counts, show, args.timeout)
    except redis.exceptions.RedisError as exc:
        raise CommandError(f"lost Redis ({exc}); run the same command again to resume") from None
    except OSError as exc:
        raise CommandError(f"cannot read {exc.filename or 'input'}: {exc.strerror}") from None
    elapsed = time.monotonic() - started
    print(_summary(counts, elapsed, waited=args.wait, unaccounted=unaccounted))
    if unaccounted:
        print(
            f"claimex backfill: {unaccounted} abstract(s) have no job left and no result; "
            "run the same command again to requeue them",
            file=sys.stderr,
        )
    return 1 if args.wait and (counts.failed or unaccounted) else 0


class _RateColumn(ProgressColumn):
    """Extraction rate: abstracts finished (done or failed) per second."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text("–/s" if speed is None else f"{speed:,.0f}/s")


def _display(console: Console) -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[stats]}"),
        _RateColumn(),
        TimeRemainingColumn(),
        console=console,
    )


class _Shower:
    """Updates the progress bar, reading the run's done/failed counts at most 4 times a second."""

    def __init__(self, display: Progress, connection: redis.Redis, run_id: str) -> None:
        self.display = display
        self.connection = connection
        self.run_id = run_id
        self.task = display.add_task("reading", total=None, stats="")
        self.note = "reading"
        self.last = 0.0

    def __call__(self, counts: backfill.Counts, *, force: bool = False, note: str = "") -> None:
        now = time.monotonic()
        if not force and now - self.last < POLL_SECONDS:
            return
        self.last = now
        self.note = note or self.note
        # The bar keeps its last counts while Redis is away (the caller says so in the note).
        with contextlib.suppress(*connections.OUTAGE_ERRORS):
            counts.done, counts.failed = backfill.outcome(self.connection, self.run_id)
        stats = (
            f"read {counts.read:,} · new {counts.new + counts.requeued:,} · "
            f"skipped {counts.skipped:,} · done {counts.done:,} · failed {counts.failed:,}"
        )
        self.display.update(
            self.task,
            description=self.note,
            total=counts.expected or None,
            completed=counts.done + counts.failed,
            stats=stats,
        )


def _follow(
    connection: redis.Redis,
    run_id: str,
    counts: backfill.Counts,
    show: _Shower,
    timeout: float | None,
) -> int:
    """Wait for the run's jobs (and, if it skipped queued abstracts, for an empty queue).

    Returns how many of the run's abstracts are unaccounted for when the queue stayed empty
    for ``IDLE_GRACE_SECONDS`` without their results (jobs lost, e.g. a Redis restored from
    an old snapshot), or when ``timeout`` ran out.
    """
    deadline = None if timeout is None else time.monotonic() + timeout
    idle_since: float | None = None
    while True:
        now = time.monotonic()
        try:
            done, failed = backfill.outcome(connection, run_id)
            queue = backfill.activity(connection)
        except connections.OUTAGE_ERRORS:
            # Everything is queued and stored: following is only reading, so an outage is
            # waited out (the workers wait too) rather than ending the command.
            show(counts, force=True, note="waiting: Redis is unreachable")
            time.sleep(POLL_SECONDS)
            continue
        left = counts.expected - done - failed
        if left <= 0 and (counts.queued == 0 or queue.idle):
            show(counts, force=True, note="done")
            return 0
        if queue.workers == 0 and not queue.idle:
            note = "waiting: no worker is running (start `claimex worker`)"
        else:
            note = f"extracting ({queue.workers} workers)"
        show(counts, force=True, note=note)
        idle_since = (idle_since or now) if queue.idle else None
        if idle_since is not None and left > 0 and now - idle_since > IDLE_GRACE_SECONDS:
            return left
        if deadline is not None and now > deadline:
            return max(left, 0)
        time.sleep(POLL_SECONDS)


def _survey(
    connection: redis.Redis | None,
    records: Iterator[SourceRecord],
    counts: backfill.Counts,
    console: Console,
    reextract: bool,
) -> None:
    chunk_size = backfill.BATCH_SIZE
    with _display(console) as display:
        task = display.add_task("dry run", total=None, stats="")
        for chunk in backfill.chunked(records, chunk_size):
            backfill.survey_chunk(connection, chunk, counts, reextract)
            display.update(task, stats=f"read {counts.read:,}")


def _summary(
    counts: backfill.Counts,
    elapsed: float,
    *,
    dry_run: bool = False,
    redis: bool = True,
    waited: bool = False,
    unaccounted: int = 0,
) -> str:
    parts = [
        f"read {counts.read}",
        f"new {counts.new}",
        f"requeued {counts.requeued}",
        f"skipped {counts.skipped} (extracted {counts.extracted}, queued {counts.queued}, "
        f"repeated {counts.repeated})",
        f"malformed {counts.malformed}",
    ]
    if dry_run:
        where = "compared with Redis" if redis else "Redis not reachable, nothing compared"
        return f"dry run ({where}, nothing written): " + " · ".join(parts)
    parts += [f"done {counts.done}", f"failed {counts.failed}"]
    if unaccounted:
        parts.append(f"unaccounted {unaccounted}")
    rate = (counts.done + counts.failed) / elapsed if waited and elapsed > 0 else None
    timing = f"{elapsed:.1f} s" + ("" if rate is None else f", {rate:,.0f} abstracts/s")
    return " · ".join(parts) + f" — {timing}"


def parse_summary(line: str) -> dict[str, int]:
    """The counts of a summary line, by name: what tests and the benchmark read back."""
    counted = line.partition(" — ")[0]  # the timing after the dash is not a count
    words = counted.replace("(", " ").replace(",", " ").replace(")", " ").split()
    found: dict[str, int] = {}
    for name, value in itertools.pairwise(words):
        if value.isdigit() and name not in found:
            found[name] = int(value)
    return found
