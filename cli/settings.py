"""Settings for the service commands, with configuration errors as one-line command errors."""

from __future__ import annotations

from collections.abc import Mapping

from claimex.api.settings import Settings, SettingsError
from claimex.cli import state
from claimex.cli.errors import CommandError


def load_settings(env: Mapping[str, str]) -> Settings:
    """``Settings.from_env(env)``; a bad variable becomes ``CommandError`` naming it."""
    try:
        return Settings.from_env(env)
    except SettingsError as exc:
        raise CommandError(str(exc)) from None


def load_service_settings(env: Mapping[str, str]) -> Settings:
    """``load_settings``, with Redis at ``REDIS_URL`` or else where ``claimex up`` says it is
    (``cli.state``): a command that writes never falls back to a Redis it merely guessed."""
    settings = load_settings(env)
    if env.get("REDIS_URL", "").strip():
        return settings
    return load_settings({**env, "REDIS_URL": state.redis_url(env)})
