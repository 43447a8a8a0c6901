"""The HTTP layer: a Litestar app over ``workers`` (store, queue); no Redis layout lives here."""

from api.app import create_app
from api.settings import Settings, SettingsError

__all__ = ["Settings", "SettingsError", "create_app"]
