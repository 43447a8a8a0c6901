"""schemathesis against the app's own OpenAPI document: no 5xx, every response as documented.

The app runs in-process (ASGI, lifespan included) over the real Redis test database, with the
small limits of the ``settings`` fixture. Examples are bounded so the run stays well under a
minute; ``derandomize`` makes it repeatable in CI.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import checks

from claimex.api.app import create_app
from claimex.settings import ServiceSettings

if TYPE_CHECKING:
    from litestar import Litestar

# Slow, left out of the fast loop (scripts/test -m "not slow"):
# schemathesis: generated requests against every operation.
pytestmark = pytest.mark.slow

MAX_EXAMPLES = 100


# The document is read from an app on default settings: serving it needs no Redis. The calls
# go to the ``app`` fixture, on the test database.
# ``/v1/events`` is left out: a valid request is a stream that never ends by design (its
# errors are tested in tests/api/test_events.py). A job's events end: random job ids are 404s.
schema = schemathesis.openapi.from_asgi(
    "/docs/openapi.json", create_app(ServiceSettings())
).exclude(path="/v1/events")


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_openapi_document(app: Litestar, case: schemathesis.Case[Any]) -> None:
    excluded = []
    if case.method == "POST":
        # A schema-valid submission may still be refused (422), by rules a JSON schema cannot
        # state: `id` must be the content id of `text`, and the batch and text limits come from
        # the settings, not the document. Every other check, 5xx included, still applies.
        excluded.append(checks.positive_data_acceptance)
    case.call_and_validate(app=app, excluded_checks=excluded)
