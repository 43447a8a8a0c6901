"""The HTTP layer: a Litestar app over ``workers`` (store, queue); no Redis layout lives here.

``api.app.create_app`` builds the app from ``claimex.settings.ServiceSettings``. Nothing is
imported here, so reading settings (as every ``claimex`` command does) does not load the web
framework.
"""
