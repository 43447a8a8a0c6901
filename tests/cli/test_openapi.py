"""cli/openapi.py: the committed openapi.json is exactly what ``claimex openapi`` prints."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from claimex.cli import openapi
from claimex.cli.main import main

if TYPE_CHECKING:
    import pytest

COMMITTED = Path(__file__).resolve().parents[2] / "openapi.json"


def test_openapi_committed_file_equals_command_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["openapi"]) == 0
    printed = capsys.readouterr().out
    assert printed == COMMITTED.read_text(encoding="utf-8"), (
        "openapi.json is stale: run `claimex openapi > openapi.json`"
    )


def test_openapi_document_has_sorted_keys() -> None:
    document = openapi.document()
    assert document == json.dumps(json.loads(document), sort_keys=True, indent=2) + "\n"
