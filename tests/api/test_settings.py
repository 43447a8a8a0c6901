"""claimex/settings.py: settings come from an environment mapping; bad values name it."""

from __future__ import annotations

import pytest

from claimex.settings import ServiceSettings, SettingsError, WorkerSettings
from claimex.workers import context
from claimex.workers.context import WorkerContext


def test_settings_empty_environment_gives_defaults() -> None:
    assert ServiceSettings.from_env({}) == ServiceSettings()


def test_settings_reads_each_variable() -> None:
    env = {
        "REDIS_URL": "redis://example:6380/3",
        "CLAIMEX_HOST": "0.0.0.0",
        "CLAIMEX_PORT": "9000",
        "CLAIMEX_MAX_BODY_BYTES": "4096",
        "CLAIMEX_MAX_BATCH": "10",
        "CLAIMEX_MAX_TEXT_CHARS": "100",
        "CLAIMEX_MAX_TITLE_CHARS": "80",
        "CLAIMEX_JOB_TTL": "600",
    }
    assert ServiceSettings.from_env(env) == ServiceSettings(
        redis_url="redis://example:6380/3",
        host="0.0.0.0",
        port=9000,
        max_body_bytes=4096,
        max_batch=10,
        max_text_chars=100,
        max_title_chars=80,
        job_ttl=600,
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("REDIS_URL", "localhost:6379"),
        ("CLAIMEX_HOST", "a host"),
        ("CLAIMEX_PORT", "eighty"),
        ("CLAIMEX_PORT", "70000"),
        ("CLAIMEX_MAX_BODY_BYTES", "-1"),
        ("CLAIMEX_MAX_BATCH", "0"),
        ("CLAIMEX_MAX_TEXT_CHARS", "1.5"),
        ("CLAIMEX_MAX_TITLE_CHARS", "0"),
        ("CLAIMEX_JOB_TTL", "1"),
    ],
)
def test_settings_bad_value_is_one_line_naming_the_variable(name: str, value: str) -> None:
    with pytest.raises(SettingsError) as caught:
        ServiceSettings.from_env({name: value})
    message = str(caught.value)
    assert message.startswith(f"{name}=")
    assert "\n" not in message


def test_settings_webhooks_are_on_with_an_allow_list_and_a_secret() -> None:
    env = {
        "CLAIMEX_WEBHOOK_ALLOW": "hooks.example.org, *.example.net, 10.0.0.0/8",
        "CLAIMEX_WEBHOOK_SECRET": "a-secret-of-twenty-chars",
        "CLAIMEX_WEBHOOK_ATTEMPTS": "3",
    }
    webhooks = ServiceSettings.from_env(env).webhooks
    assert webhooks.enabled
    assert webhooks.hosts == ("hooks.example.org", "*.example.net")
    assert webhooks.networks == ("10.0.0.0/8",)
    assert webhooks.attempts == 3
    assert "a-secret" not in repr(ServiceSettings.from_env(env))
    assert not ServiceSettings.from_env({}).webhooks.enabled


@pytest.mark.parametrize(
    ("env", "name"),
    [
        ({"CLAIMEX_WEBHOOK_ALLOW": "hooks.example.org"}, "CLAIMEX_WEBHOOK_SECRET"),
        ({"CLAIMEX_WEBHOOK_ALLOW": "a b"}, "CLAIMEX_WEBHOOK_ALLOW"),
        ({"CLAIMEX_WEBHOOK_ATTEMPTS": "99"}, "CLAIMEX_WEBHOOK_ATTEMPTS"),
    ],
)
def test_settings_bad_webhook_variable_names_it(env: dict[str, str], name: str) -> None:
    with pytest.raises(SettingsError) as caught:
        ServiceSettings.from_env(env)
    assert str(caught.value).startswith(name)
    assert "\n" not in str(caught.value)


def test_worker_settings_read_only_worker_variables() -> None:
    env = {
        "REDIS_URL": "redis://example:6380/3",
        "CLAIMEX_WORKER_HEARTBEAT": "2",
        "CLAIMEX_EXTRACT_ATTEMPTS": "5",
        "CLAIMEX_EXTRACT_TIMEOUT": "2.5",
        "CLAIMEX_FAULT_RAISE": "BOOM",
        # an API variable with a bad value: no concern of a worker's
        "CLAIMEX_PORT": "not-a-port",
    }
    settings = WorkerSettings.from_env(env)
    assert settings == WorkerSettings(
        redis_url="redis://example:6380/3",
        heartbeat_ttl=2.0,
        attempts=5,
        budget=2.5,
        faults={"CLAIMEX_FAULT_RAISE": "BOOM"},
    )
    assert settings.context() == WorkerContext(
        attempts=5, budget=2.5, faults={"CLAIMEX_FAULT_RAISE": "BOOM"}
    )
    assert WorkerSettings.from_env({}) == WorkerSettings()
    assert WorkerSettings().context() == context.DEFAULT


@pytest.mark.parametrize(
    ("raw", "budget"), [("2.5", 2.5), ("0", 0.0), ("30", 30.0), ("0.05", 0.05)]
)
def test_worker_settings_extraction_budget(raw: str, budget: float) -> None:
    assert WorkerSettings.from_env({"CLAIMEX_EXTRACT_TIMEOUT": raw}).budget == budget


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("CLAIMEX_EXTRACT_TIMEOUT", "-1"),
        ("CLAIMEX_EXTRACT_TIMEOUT", "0.01"),
        ("CLAIMEX_EXTRACT_TIMEOUT", "31"),
        ("CLAIMEX_EXTRACT_TIMEOUT", "soon"),
        ("CLAIMEX_EXTRACT_TIMEOUT", "nan"),
        ("CLAIMEX_WORKER_HEARTBEAT", "0"),
        ("CLAIMEX_WORKER_HEARTBEAT", "inf"),
        ("CLAIMEX_EXTRACT_ATTEMPTS", "0"),
        ("CLAIMEX_EXTRACT_ATTEMPTS", "many"),
        ("REDIS_URL", "localhost:6379"),
    ],
)
def test_worker_settings_bad_value_names_its_variable(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=f"^{name}="):
        WorkerSettings.from_env({name: value})
