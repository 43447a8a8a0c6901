"""cli/serve.py, cli/worker.py, cli/up.py: configuration problems are one-line errors."""

from __future__ import annotations

import re

import pytest

from claimex.cli.main import main
from claimex.workers.redis_server import free_port


@pytest.mark.parametrize(
    ("argv", "env", "message"),
    [
        pytest.param(
            ["serve"], {"CLAIMEX_PORT": "eighty"}, "CLAIMEX_PORT='eighty'", id="serve-port"
        ),
        pytest.param(
            ["up"], {"REDIS_URL": "localhost"}, "REDIS_URL='localhost'", id="up-redis-url"
        ),
        pytest.param(
            ["worker"],
            {"CLAIMEX_WORKER_HEARTBEAT": "x"},
            "CLAIMEX_WORKER_HEARTBEAT='x'",
            id="worker-heartbeat",
        ),
        pytest.param(
            ["worker"],
            {"CLAIMEX_EXTRACT_TIMEOUT": "99"},
            "CLAIMEX_EXTRACT_TIMEOUT='99'",
            id="worker-timeout",
        ),
    ],
)
def test_service_commands_bad_setting_exits_2_naming_it(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    env: dict[str, str],
    message: str,
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"claimex {argv[0]}: {message}")
    assert err.count("\n") == 1


def test_service_commands_worker_reads_no_api_variable(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("REDIS_URL", f"redis://127.0.0.1:{free_port()}/0")
    monkeypatch.setenv("CLAIMEX_PORT", "eighty")
    monkeypatch.setenv("CLAIMEX_JOB_TTL", "x")
    assert main(["worker", "--burst"]) == 2
    assert "cannot reach Redis" in capsys.readouterr().err  # got past its settings


def test_service_commands_worker_without_redis_exits_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("REDIS_URL", f"redis://127.0.0.1:{free_port()}/0")
    assert main(["worker", "--burst"]) == 2
    assert "cannot reach Redis" in capsys.readouterr().err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert re.fullmatch(r"claimex \S+ \(extractor \S+\)\n", capsys.readouterr().out)


@pytest.mark.parametrize(
    ("argv", "usage"),
    [
        pytest.param(["backfill", "x.jsonl", "--bogus"], "usage: claimex backfill", id="backfill"),
        pytest.param(["worker", "--nope"], "usage: claimex worker", id="worker"),
        pytest.param(["score", "a", "b", "--what"], "usage: claimex score", id="score"),
        pytest.param(["up", "--workers", "x"], "usage: claimex up", id="bad-value"),
    ],
)
def test_a_bad_option_prints_the_subcommands_own_usage(
    argv: list[str], usage: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as done:
        main(argv)
    assert done.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith(usage)
    assert "COMMAND" not in err
