"""OpenAPI document and interactive docs at ``/docs``, working without internet access.

Litestar's Swagger page loads its scripts from a CDN by default; here they come from the
``swagger-ui-bundle-v2`` package (Swagger UI 5, which reads OpenAPI 3.1), served by the app.
"""

from __future__ import annotations

from pathlib import Path

from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin, SwaggerRenderPlugin
from litestar.router import Router
from litestar.static_files import create_static_files_router
from swagger_ui_bundle import swagger_ui_path

DOCS_PATH = "/docs"
ASSETS_PATH = "/docs/assets"
VERSION = "1.0.0"


def openapi_config() -> OpenAPIConfig:
    """``/docs`` (Swagger UI) and ``/docs/openapi.json``."""
    swagger = SwaggerRenderPlugin(
        path="/",
        js_url=f"{ASSETS_PATH}/swagger-ui-bundle.js",
        css_url=f"{ASSETS_PATH}/swagger-ui.css",
        standalone_preset_js_url=f"{ASSETS_PATH}/swagger-ui-standalone-preset.js",
        favicon=f"<link rel='icon' type='image/png' href='{ASSETS_PATH}/favicon-32x32.png'>",
    )
    return OpenAPIConfig(
        title="claimex",
        version=VERSION,
        description="Quantitative claims extracted from ML paper abstracts.",
        path=DOCS_PATH,
        render_plugins=[swagger, JsonRenderPlugin(path="/openapi.json")],
    )


def assets_router() -> Router:
    """The Swagger UI files, straight from the installed package."""
    return create_static_files_router(
        path=ASSETS_PATH, directories=[Path(str(swagger_ui_path))], include_in_schema=False
    )
