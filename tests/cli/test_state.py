"""cli/state.py and cli/up.py's Backoff: where `claimex up` says its Redis is; restart pauses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from claimex.cli import state
from claimex.cli.errors import CommandError
from claimex.cli.main import main
from claimex.cli.up import MAX_BACKOFF, STABLE_AFTER, Backoff


def _dead_pid() -> int:
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    return int(done.stdout)


@pytest.fixture
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No state file anywhere claimex looks, but ``tmp_path / 'up'`` (CLAIMEX_DATA_DIR)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(state, "CHECKOUT", tmp_path / "checkout")
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.setenv(state.DATA_DIR_VARIABLE, str(tmp_path / "up"))
    return tmp_path / "up"


def test_state_published_is_found_and_withdrawn(isolated: Path) -> None:
    path = state.publish(isolated, redis_url="redis://127.0.0.1:41263/0", api_url="http://x")
    env = dict(os.environ)
    assert state.redis_url(env) == "redis://127.0.0.1:41263/0"
    found = state.find(env)
    assert found is not None
    assert (found.pid, found.api_url) == (os.getpid(), "http://x")
    state.withdraw(path)
    assert not path.exists()


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(None, id="no-file"),
        pytest.param("not json", id="garbled"),
        pytest.param({"redis_url": "redis://127.0.0.1:1/0", "api_url": "x"}, id="no-pid"),
        pytest.param("dead", id="its-claimex-up-is-gone"),
    ],
)
def test_state_without_a_running_up_refuses_to_guess(isolated: Path, content: object) -> None:
    isolated.mkdir(parents=True, exist_ok=True)
    if content == "dead":
        content = {"redis_url": "redis://127.0.0.1:1/0", "api_url": "x", "pid": _dead_pid()}
    if content is not None:
        text = content if isinstance(content, str) else json.dumps(content)
        (isolated / state.FILE_NAME).write_text(text)
    with pytest.raises(CommandError, match="REDIS_URL is not set"):
        state.redis_url(dict(os.environ))


def test_state_redis_url_set_wins(isolated: Path) -> None:
    state.publish(isolated, redis_url="redis://127.0.0.1:41263/0", api_url="http://x")
    assert state.redis_url({"REDIS_URL": "redis://elsewhere:6379/2"}) == "redis://elsewhere:6379/2"


def test_state_the_checkout_data_dir_is_found_from_anywhere(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(state.DATA_DIR_VARIABLE)
    state.publish(state.CHECKOUT / "data" / "redis", redis_url="redis://h:1/0", api_url="x")
    assert state.redis_url(dict(os.environ)) == "redis://h:1/0"


@pytest.mark.parametrize("command", [["worker", "--burst"], ["serve"], ["backfill", "x.jsonl"]])
def test_commands_that_write_refuse_without_redis_url_or_up(
    isolated: Path, command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    Path("x.jsonl").write_text('{"text": "a 1% gain"}\n')
    assert main(command) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"claimex {command[0]}: REDIS_URL is not set")


def test_backfill_dry_run_counts_without_any_redis(
    isolated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("x.jsonl").write_text('{"text": "a 1% gain"}\n')
    assert main(["backfill", "--dry-run", "x.jsonl"]) == 0
    assert "Redis not reachable" in capsys.readouterr().out


def test_backoff_doubles_while_quick_and_resets_once_stable() -> None:
    backoff = Backoff()
    quick = [backoff.after_exit(1.0) for _ in range(8)]
    assert quick == [1, 2, 4, 8, 16, MAX_BACKOFF, MAX_BACKOFF, MAX_BACKOFF]
    assert backoff.after_exit(STABLE_AFTER + 1) == 1
    assert backoff.after_exit(1.0) == 2
