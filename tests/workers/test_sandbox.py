"""workers/sandbox.py: extraction in a child, each abstract within its budget."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from typing import TYPE_CHECKING

import pytest

from claimex.extractors import extract
from claimex.workers import faults, sandbox

if TYPE_CHECKING:
    from collections.abc import Iterator

TEXT = "Our model reaches 88.5% accuracy on ImageNet and improves BLEU by 2.1 points."
HANG = "HANG-HERE"


@pytest.fixture
def box() -> Iterator[sandbox.Sandbox]:
    made = sandbox.Sandbox()
    yield made
    made.close()


def test_the_child_finds_what_extract_finds(box: sandbox.Sandbox) -> None:
    assert box.extract(TEXT, 30) == extract(TEXT)
    assert box.child_pid not in (None, os.getpid())


def test_an_abstract_over_budget_is_stopped_and_the_next_one_is_extracted(
    box: sandbox.Sandbox,
) -> None:
    hooks = {faults.HANG_VARIABLE: HANG}
    assert box.extract(TEXT, 30, hooks=hooks) == extract(TEXT)
    stuck = box.child_pid
    began = time.monotonic()
    with pytest.raises(sandbox.ExtractionTimeout):
        box.extract(f"{TEXT} {HANG}", 0.5, hooks=hooks)
    assert 0.5 <= time.monotonic() - began < 5
    assert stuck is not None
    assert not os.path.exists(f"/proc/{stuck}") or _zombie(stuck)
    assert box.extract(TEXT, 30) == extract(TEXT)
    assert box.started == 2


def _zombie(pid: int) -> bool:
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().split()[2] == "Z"


def test_an_error_in_the_child_names_its_type(box: sandbox.Sandbox) -> None:
    with pytest.raises(sandbox.ExtractionError) as raised:
        box.extract(f"{TEXT} BOOM", 30, hooks={faults.RAISE_VARIABLE: "BOOM"})
    assert raised.value.name == "InjectedFault"
    assert "injected extraction failure" in raised.value.trace
    assert box.extract(TEXT, 30) == extract(TEXT)
    assert box.started == 1, "an error is an answer; the child lives on"


def test_a_child_killed_from_outside_is_replaced(box: sandbox.Sandbox) -> None:
    box.extract(TEXT, 30)
    assert box.child_pid is not None
    os.kill(box.child_pid, 9)
    time.sleep(0.2)
    assert box.extract(TEXT, 30) == extract(TEXT)
    assert box.started == 2


def test_the_child_is_recycled_after_so_many_abstracts() -> None:
    box = sandbox.Sandbox(recycle_after=3)
    try:
        for _ in range(7):
            box.extract(TEXT, 30)
        assert box.started == 3
    finally:
        box.close()


def test_the_child_is_recycled_when_its_own_memory_passes_the_limit() -> None:
    box = sandbox.Sandbox(max_private_bytes=1)
    try:
        for _ in range(sandbox.CHECK_EVERY - 1):
            box.extract(TEXT, 30)
        assert box.started == 1
        box.extract(TEXT, 30)  # the memory check comes every CHECK_EVERY abstracts
        box.extract(TEXT, 30)
        assert box.started == 2
    finally:
        box.close()


def test_private_bytes_measures_this_process() -> None:
    before = sandbox.private_bytes(os.getpid())
    hold = bytearray(32 * 1024 * 1024)
    assert sandbox.private_bytes(os.getpid()) >= before + 30 * 1024 * 1024
    del hold


def test_budget_zero_extracts_in_this_process() -> None:
    hooks = {faults.RAISE_VARIABLE: "BOOM"}
    assert sandbox.extract_within(TEXT, 0, hooks=hooks) == extract(TEXT)
    with pytest.raises(faults.InjectedFault):
        sandbox.extract_within(f"{TEXT} BOOM", 0, hooks=hooks)


def test_the_environment_sets_no_fault_in_the_child(
    box: sandbox.Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fault hooks come from the worker's entry point only, never from the environment."""
    monkeypatch.setenv(faults.RAISE_VARIABLE, "BOOM")
    assert box.extract(f"{TEXT} BOOM", 30) == extract(f"{TEXT} BOOM")


def test_the_child_exits_when_its_worker_is_killed() -> None:
    # A worker SIGKILLed mid-life must not leave its extraction child behind for good.
    script = (
        "import sys, time\n"
        "from workers import sandbox\n"
        "box = sandbox.Sandbox()\n"
        f"box.extract({TEXT!r}, 30)\n"
        "print(box.child_pid, flush=True)\n"
        "time.sleep(60)\n"
    )
    with subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, text=True
    ) as worker:
        try:
            assert worker.stdout is not None
            child = int(worker.stdout.readline())
            worker.kill()
            worker.wait(10)
            deadline = time.monotonic() + 10
            while os.path.exists(f"/proc/{child}") and not _zombie(child):
                assert time.monotonic() < deadline, "the extraction child outlived its worker"
                time.sleep(0.05)
        finally:
            if worker.poll() is None:
                worker.kill()
