"""``claimex openapi``: print the API's OpenAPI document (``openapi.json`` in the repo is this)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse

NAME = "openapi"
HELP = "print the OpenAPI document of the HTTP API as JSON"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """No options: the document does not depend on the environment."""


def document() -> str:
    """The OpenAPI JSON with sorted keys, so the committed copy diffs cleanly."""
    from claimex.api.app import create_app  # noqa: PLC0415 - Litestar loads only when needed
    from claimex.settings import ServiceSettings  # noqa: PLC0415

    schema = create_app(ServiceSettings()).openapi_schema.to_schema()
    return json.dumps(schema, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def run(args: argparse.Namespace) -> int:
    """Print the document to stdout."""
    print(document(), end="")
    return 0
