"""Where ``claimex up`` says its Redis is, so that the other commands use that one.

``claimex up`` writes ``claimex-up.json`` (its Redis URL, its API URL, its process id) into
its data directory once everything answers, and removes it when it stops. A command that
needs Redis and finds ``REDIS_URL`` unset looks for that file, in ``$CLAIMEX_DATA_DIR``, then
``./data/redis``, then the ``data/redis`` of the checkout claimex runs from (where
``scripts/up`` puts it), and uses the first whose ``claimex up`` is still running. With no such
file it refuses to guess: a Redis that happens to answer on 6379 may be somebody else's.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from claimex.cli.errors import CommandError

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

FILE_NAME = "claimex-up.json"
DATA_DIR_VARIABLE = "CLAIMEX_DATA_DIR"
DEFAULT_DATA_DIR = Path("data/redis")
CHECKOUT = Path(__file__).resolve().parents[1]
"""The directory holding ``cli/`` (the repository, for an editable install)."""


@dataclass(frozen=True)
class UpState:
    """What a running ``claimex up`` published."""

    redis_url: str
    api_url: str
    pid: int
    path: Path


def data_dir(env: Mapping[str, str], given: Path | None = None) -> Path:
    """``claimex up``'s data directory: ``--data-dir``, else ``$CLAIMEX_DATA_DIR``.

    With neither, ``./data/redis``.
    """
    return given or Path(env.get(DATA_DIR_VARIABLE) or DEFAULT_DATA_DIR)


def publish(directory: Path, *, redis_url: str, api_url: str) -> Path:
    """Write the state file (atomically: a reader never sees half of it)."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / FILE_NAME
    draft = path.with_suffix(".tmp")
    record = {"redis_url": redis_url, "api_url": api_url, "pid": os.getpid()}
    draft.write_text(json.dumps(record) + "\n")
    draft.replace(path)
    return path


def withdraw(path: Path) -> None:
    """Remove the state file, if it is still ours."""
    with contextlib.suppress(OSError):
        if _read(path) is not None and json.loads(path.read_text())["pid"] == os.getpid():
            path.unlink()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _read(path: Path) -> UpState | None:
    try:
        record = json.loads(path.read_text())
        state = UpState(str(record["redis_url"]), str(record["api_url"]), int(record["pid"]), path)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return state if _alive(state.pid) else None


def candidates(env: Mapping[str, str]) -> Iterator[Path]:
    """The state files looked for, in order."""
    seen: set[Path] = set()
    for directory in (
        Path(env[DATA_DIR_VARIABLE]) if env.get(DATA_DIR_VARIABLE) else None,
        DEFAULT_DATA_DIR,
        CHECKOUT / DEFAULT_DATA_DIR,
    ):
        if directory is None:
            continue
        path = (directory / FILE_NAME).resolve()
        if path not in seen:
            seen.add(path)
            yield path


def find(env: Mapping[str, str]) -> UpState | None:
    """The state of a running ``claimex up``, if one published it where we look."""
    for path in candidates(env):
        if (state := _read(path)) is not None:
            return state
    return None


def redis_url(env: Mapping[str, str]) -> str:
    """``REDIS_URL`` if set, else the Redis of the running ``claimex up``; never a guess."""
    given = env.get("REDIS_URL", "").strip()
    if given:
        return given
    state = find(env)
    if state is None:
        looked = ", ".join(str(p) for p in candidates(env))
        raise CommandError(
            "REDIS_URL is not set and no running `claimex up` says where its Redis is "
            f"(looked for {looked}); set REDIS_URL, or start `claimex up`"
        )
    return state.redis_url
