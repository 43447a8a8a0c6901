"""Entry point of the ``claimex`` console script.

Each subcommand lives in its own module exposing ``NAME``, ``HELP``, ``add_arguments(parser)``
and ``run(args) -> int``; adding a command means adding its module to ``COMMANDS``.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

import claimex
from claimex.cli import backfill, extract, openapi, score, serve, up, worker
from claimex.cli.errors import CommandError
from claimex.extractors.model import EXTRACTOR_VERSION
from claimex.workers import jsonlog
from claimex.workers.redis_server import RedisServerError

if TYPE_CHECKING:
    from collections.abc import Sequence
    from types import ModuleType

COMMANDS: tuple[ModuleType, ...] = (up, serve, worker, backfill, extract, score, openapi)


def version() -> str:
    """The version of claimex (the installed distribution's) and of its extractor."""
    return f"claimex {claimex.__version__} (extractor {EXTRACTOR_VERSION})"


def build_parser() -> argparse.ArgumentParser:
    """The ``claimex`` parser: ``--version``, and one subparser per module of ``COMMANDS``."""
    parser = argparse.ArgumentParser(
        prog="claimex",
        description="Extract quantitative claims from ML paper abstracts and serve them.",
    )
    parser.add_argument("--version", action="version", version=version())
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in COMMANDS:
        command = sub.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        module.add_arguments(command)
        command.set_defaults(run=module.run, parser=command)
    return parser


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    """The arguments; an option the subcommand does not know is reported with *its* usage.

    (argparse leaves options it cannot place to the top-level parser, whose usage says
    nothing about the subcommand's options.)
    """
    args, extras = build_parser().parse_known_args(argv)
    if extras:
        args.parser.error(f"unrecognized arguments: {' '.join(extras)}")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run the subcommand ``argv`` names; its status, 2 after a command error, 130 on Ctrl-C."""
    args = parse(argv)
    jsonlog.configure()  # one log stream and format for every claimex logger of the command
    try:
        status: int = args.run(args)
    except (CommandError, RedisServerError) as exc:
        print(f"claimex {args.command}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `claimex extract … | head` closes our stdout early; that is not an error.
        sys.stderr.close()
        return 0
    return status


if __name__ == "__main__":
    sys.exit(main())
