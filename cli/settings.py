"""Settings for the service commands, with configuration errors as one-line command errors."""

from __future__ import annotations

from collections.abc import Mapping

from api.settings import Settings, SettingsError
from cli.errors import CommandError


def load_settings(env: Mapping[str, str]) -> Settings:
    """``Settings.from_env(env)``; a bad variable becomes ``CommandError`` naming it."""
    try:
        return Settings.from_env(env)
    except SettingsError as exc:
        raise CommandError(str(exc)) from None
