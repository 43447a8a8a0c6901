"""Settings for the commands, with configuration errors as one-line command errors."""

from __future__ import annotations

from typing import TYPE_CHECKING

from claimex.cli import state
from claimex.cli.errors import CommandError
from claimex.settings import ServiceSettings, SettingsError, WorkerSettings

if TYPE_CHECKING:
    from collections.abc import Mapping


def load_settings(env: Mapping[str, str]) -> ServiceSettings:
    """``ServiceSettings.from_env(env)``; a bad variable becomes ``CommandError`` naming it."""
    try:
        return ServiceSettings.from_env(env)
    except SettingsError as exc:
        raise CommandError(str(exc)) from None


def load_service_settings(env: Mapping[str, str]) -> ServiceSettings:
    """``load_settings``, with Redis at ``REDIS_URL`` or else where ``claimex up`` says it is.

    ``claimex up`` says so through ``cli.state``: a command that writes never falls back to a
    Redis it merely guessed.
    """
    settings = load_settings(env)
    if env.get("REDIS_URL", "").strip():
        return settings
    return load_settings({**env, "REDIS_URL": state.redis_url(env)})


def load_worker_settings(env: Mapping[str, str]) -> WorkerSettings:
    """``WorkerSettings.from_env(env)``, with Redis found as ``load_service_settings`` finds it.

    A bad variable becomes ``CommandError`` naming it. No API variable is read.
    """
    try:
        settings = WorkerSettings.from_env(env)
        if env.get("REDIS_URL", "").strip():
            return settings
        return WorkerSettings.from_env({**env, "REDIS_URL": state.redis_url(env)})
    except SettingsError as exc:
        raise CommandError(str(exc)) from None
