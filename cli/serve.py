"""``claimex serve``: the HTTP API alone, for deployments that run Redis and workers apart."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import msgspec

from claimex.cli.settings import load_service_settings

if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable

NAME = "serve"
HELP = "run the HTTP API alone (Redis at REDIS_URL; workers run apart)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Where to listen (``--host``, ``--port``) and uvicorn's ``--log-level``."""
    parser.add_argument("--host", help="address to listen on (default: CLAIMEX_HOST or 127.0.0.1)")
    parser.add_argument(
        "--port", type=int, help="port to listen on (default: CLAIMEX_PORT or 8000)"
    )
    parser.add_argument("--log-level", default="warning", help="uvicorn's log level")


def _protocol(limit: int, make: Callable[[int], type]) -> type | str:
    """The bounded httptools protocol, or h11 (bounded by its own setting) without httptools."""
    try:
        import httptools  # noqa: F401, PLC0415
    except ImportError:
        return "h11"
    return make(limit)


def run(args: argparse.Namespace) -> int:
    """Serve the API with uvicorn until it is stopped."""
    settings = load_service_settings(os.environ)
    if args.host:
        settings = msgspec.structs.replace(settings, host=args.host)
    if args.port:
        settings = msgspec.structs.replace(settings, port=args.port)
    import uvicorn  # noqa: PLC0415 - the server stack loads only for the command that serves

    from claimex.api.app import create_app  # noqa: PLC0415
    from claimex.api.http import bounded_protocol  # noqa: PLC0415

    print(f"claimex API on http://{settings.host}:{settings.port}", flush=True)
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_level=args.log_level,
        access_log=False,
        server_header=False,
        # X-Forwarded-For is read by the app, from CLAIMEX_TRUSTED_PROXIES only (api.security);
        # uvicorn's own default would believe it from any loopback client.
        proxy_headers=False,
        http=_protocol(settings.max_header_bytes, bounded_protocol),
        h11_max_incomplete_event_size=settings.max_header_bytes,
    )
    return 0
