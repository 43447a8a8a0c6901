"""``claimex worker``: one extraction worker on the queue at ``REDIS_URL``."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import redis

from claimex.cli.errors import CommandError
from claimex.cli.settings import load_worker_settings

if TYPE_CHECKING:
    import argparse

NAME = "worker"
HELP = "run one extraction worker (Redis at REDIS_URL)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``--burst`` (stop when the queue is empty) and ``--fork`` (a child process per job)."""
    parser.add_argument("--burst", action="store_true", help="stop when the queue is empty")
    parser.add_argument(
        "--fork",
        action="store_true",
        help="run each job in a forked child (isolation, at a cost per job)",
    )


def run(args: argparse.Namespace) -> int:
    """Run one worker on the queue until stopped, or with ``--burst`` until the queue is empty."""
    settings = load_worker_settings(os.environ)
    from claimex.workers import connections  # noqa: PLC0415

    connection = connections.job(settings.redis_url)
    try:
        connection.ping()
    except redis.exceptions.RedisError as exc:
        raise CommandError(f"cannot reach Redis at {settings.redis_url}: {exc}") from None
    # Imported here: loading the extractor is the worker's job, not every command's.
    from claimex.workers.worker import run_worker  # noqa: PLC0415

    run_worker(
        connection,
        burst=args.burst,
        fork=args.fork,
        heartbeat_ttl=settings.heartbeat_ttl,
        webhook_settings=settings.webhooks,
        worker=settings.context(),
    )
    return 0
