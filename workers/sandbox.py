"""Extraction in a child process: one abstract's time is bounded, and so is the memory it leaves.

``extract()`` is pure but not always fast: a text built to hit a slow path (long punctuation
runs, thousands of numbers in one sentence) must not hold a worker for minutes, and parts of
the pipeline run in C (spaCy's tokenizer, regex), where no signal-based timeout can stop them.
So a worker extracts in a child forked from itself once the pipeline is warm (the fork shares
the loaded lexicons and models, copy-on-write) and waits at most ``budget`` seconds for each
answer. A child over budget is killed (SIGKILL) and a fresh one forked for the next abstract:
the abstract fails with reason ``timeout``, its batch-mates go on.

The child is also replaced every ``recycle_after`` abstracts, or as soon as the memory it does
not share with the worker (its private pages: what the extractor's caches and spaCy's string
store accumulated over unusual inputs, and pages copied on write) passes
``max_private_bytes``: all of it goes away with the child, so a worker's memory stays flat
over any number of abstracts. The check reads ``/proc`` every ``CHECK_EVERY`` abstracts.

The budget is the caller's (``WorkerContext.budget``, which ``CLAIMEX_EXTRACT_TIMEOUT`` sets:
seconds, default 10, at most 30; ``0`` extracts in the worker process itself, without a budget —
for debugging only). The test-only fault hooks of ``workers.faults`` are the caller's too, and
run in the child.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import traceback
from typing import TYPE_CHECKING, Any

from claimex.extractors import extract
from claimex.workers import faults, limits

if TYPE_CHECKING:
    from collections.abc import Mapping
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

    from claimex.extractors.model import Claim

MAX_BUDGET = limits.MAX_BUDGET
RECYCLE_AFTER = 5000
MAX_PRIVATE_BYTES = 64 * 1024 * 1024
CHECK_EVERY = 50


class ExtractionTimeout(Exception):
    """The abstract took longer than the budget; the child extracting it was killed."""

    def __init__(self, budget: float) -> None:
        super().__init__(f"extraction took longer than {budget:g} s")
        self.budget = budget


class ExtractionError(Exception):
    """``extract()`` raised in the child: ``name`` is the exception's type, ``trace`` its trace."""

    def __init__(self, name: str, trace: str) -> None:
        super().__init__(name)
        self.name = name
        self.trace = trace


class ChildDied(Exception):
    """The child died without answering (killed from outside, out of memory)."""


def private_bytes(pid: int) -> int:
    """Memory of process ``pid`` shared with no other process (0 if unknown: not Linux)."""
    total = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith(("Private_Clean:", "Private_Dirty:")):
                    total += int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return 0
    return total


def _serve(connection: Connection, parents_end: Connection) -> None:
    """The child's loop: a text in, its claims (or the error) out, until the pipe closes."""
    # The fork gave us a copy of the parent's end too: closed, so that the pipe reads EOF
    # (and this child exits) as soon as the parent is gone, even killed with SIGKILL.
    parents_end.close()
    # Ctrl-C in a terminal reaches the whole process group; the parent decides when we stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    while True:
        try:
            text, title, fault_env = connection.recv()
        except (EOFError, OSError):
            return
        try:
            faults.before_extract(text, fault_env)
            answer: tuple[str, Any] = ("ok", _extract_kept(text, title))
        except Exception as exc:
            answer = ("error", (type(exc).__name__, traceback.format_exc(limit=8)))
        try:
            connection.send(answer)
        except (BrokenPipeError, OSError):
            return


class Sandbox:
    """A warm child process that extracts one text at a time, replaced when over budget."""

    def __init__(
        self, *, recycle_after: int = RECYCLE_AFTER, max_private_bytes: int = MAX_PRIVATE_BYTES
    ) -> None:
        self.recycle_after = recycle_after
        self.max_private_bytes = max_private_bytes
        self._context = multiprocessing.get_context("fork")
        self._process: BaseProcess | None = None
        self._connection: Connection | None = None
        self._served = 0
        self._owner = os.getpid()
        self.started = 0
        """Children forked so far (for tests and the benchmark)."""

    @property
    def child_pid(self) -> int | None:
        """The process id of the child, ``None`` while there is none."""
        return self._process.pid if self._process is not None else None

    def _start(self) -> tuple[BaseProcess, Connection]:
        if self._owner != os.getpid():
            # Forked (RQ's --fork horse): the child belongs to the parent; start our own.
            self._process, self._connection, self._owner = None, None, os.getpid()
        if self._process is None or self._connection is None or not self._process.is_alive():
            self.close()
            parent_end, child_end = self._context.Pipe(duplex=True)
            process = self._context.Process(
                target=_serve,
                args=(child_end, parent_end),
                name="claimex-extract",
                daemon=True,
            )
            process.start()
            child_end.close()
            self._process, self._connection, self._served = process, parent_end, 0
            self.started += 1
        return self._process, self._connection

    def extract(
        self,
        text: str,
        budget: float,
        title: str | None = None,
        hooks: Mapping[str, str] | None = None,
    ) -> tuple[Claim, ...]:
        """The claims of ``text``; ``ExtractionTimeout`` after ``budget`` seconds.

        ``hooks``: the test suite's fault hooks (``workers.faults``), handed to the child with
        the text.
        """
        process, connection = self._start()
        try:
            connection.send((text, title, dict(hooks or {})))
            ready = connection.poll(budget)
        except (BrokenPipeError, OSError):
            self.close()
            raise ChildDied("the extraction process went away") from None
        if not ready:
            self.close()
            raise ExtractionTimeout(budget)
        try:
            status, payload = connection.recv()
        except (EOFError, OSError):
            self.close()
            raise ChildDied("the extraction process died while extracting") from None
        self._served += 1
        if self._served >= self.recycle_after or (
            self._served % CHECK_EVERY == 0
            and private_bytes(process.pid or 0) > self.max_private_bytes
        ):
            self.close()
        if status == "error":
            name, trace = payload
            raise ExtractionError(name, trace)
        claims: tuple[Claim, ...] = payload
        return claims

    def close(self) -> None:
        """Kill the child (it holds no state worth keeping) and forget it."""
        if self._connection is not None:
            with contextlib.suppress(OSError):
                self._connection.close()
        if self._process is not None and self._owner == os.getpid():
            if self._process.is_alive():
                self._process.kill()
            self._process.join(5)
            with contextlib.suppress(ValueError):
                self._process.close()
        self._process, self._connection = None, None


def _extract_kept(text: str, title: str | None) -> tuple[Claim, ...]:
    """The claims the store keeps of ``text`` (``limits.claims_allowed``), and one more.

    The one more tells the worker that the abstract had more; the text is read no further.
    """
    return extract(text, title, max_claims=limits.claims_allowed(len(text)) + 1)


_shared: Sandbox | None = None


def extract_within(
    text: str,
    budget: float,
    title: str | None = None,
    hooks: Mapping[str, str] | None = None,
) -> tuple[Claim, ...]:
    """``extract(text, title)`` in this process's sandbox; ``budget`` 0 means here, unbounded.

    ``hooks`` are the test suite's fault hooks (``workers.faults``), none in production.
    """
    global _shared  # noqa: PLW0603 - one child per worker process
    if budget <= 0:
        faults.before_extract(text, hooks or {})
        return _extract_kept(text, title)
    if _shared is None:
        _shared = Sandbox()
    return _shared.extract(text, budget, title, hooks)


def shared() -> Sandbox | None:
    """This process's sandbox, if one was started."""
    return _shared
