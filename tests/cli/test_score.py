"""``claimex score`` through the installed console script, on files the tests write."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

# Slow, left out of the fast loop (scripts/test -m "not slow"):
# each case runs the `claimex score` command as a process.
pytestmark = pytest.mark.slow

TEXT = "Zeta reaches 88.5% accuracy on GSM8K with 7B tokens."
GOLD_CLAIMS = [
    {"span": "88.5%", "start": 13, "end": 18, "value": 88.5, "kind": "score", "metric": "accuracy"},
    {"span": "7B tokens", "start": 42, "end": 51, "value": 7e9, "kind": "count"},
]


def claimex() -> str:
    """The console script of this environment (next to the interpreter), else the one on PATH."""
    beside = Path(sys.executable).parent / "claimex"
    found = str(beside) if beside.is_file() else shutil.which("claimex")
    assert found, "the claimex console script is not installed"
    return found


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [claimex(), "score", *map(str, args)], capture_output=True, text=True, check=False
    )


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture
def gold(tmp_path: Path) -> Path:
    return write_jsonl(tmp_path / "gold.jsonl", [{"id": "a", "text": TEXT, "claims": GOLD_CLAIMS}])


def test_score_prints_a_table(gold: Path, tmp_path: Path) -> None:
    pred = write_jsonl(tmp_path / "pred.jsonl", [{"id": "a", "claims": GOLD_CLAIMS[:1]}])
    done = run(gold, pred)
    assert done.returncode == 0, done.stderr
    assert "quantity" in done.stdout
    assert "1.0000" in done.stdout  # precision
    assert "0.5000" in done.stdout  # recall


def test_score_json_is_one_object(gold: Path, tmp_path: Path) -> None:
    pred = write_jsonl(tmp_path / "pred.jsonl", [{"text": TEXT, "claims": GOLD_CLAIMS}])
    done = run(gold, pred, "--json")
    assert done.returncode == 0, done.stderr
    body = json.loads(done.stdout)
    assert body["quantity"]["f1"] == 1.0
    assert body["triple"]["tp"] == 1
    assert body["errors"] == []


def test_score_show_errors_lists_spans(gold: Path, tmp_path: Path) -> None:
    spurious = {"start": 31, "end": 36, "value": 8.0}
    pred = write_jsonl(tmp_path / "pred.jsonl", [{"id": "a", "claims": [spurious]}])
    done = run(gold, pred, "--show-errors", "5", "--json")
    assert done.returncode == 0, done.stderr
    errors = [(e["type"], e["span"]) for e in json.loads(done.stdout)["errors"]]
    assert errors == [("missed", "88.5%"), ("missed", "7B tokens"), ("spurious", "GSM8K")]
    table = run(gold, pred, "--show-errors", "1").stdout
    assert "88.5%" in table
    assert "7B tokens" not in table


def test_score_empty_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    done = run(empty, empty, "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["abstracts"] == 0


BAD_LINES = [
    ("not JSON", "{oops", "pred.jsonl:2:"),
    ("claim without value", '{"id": "a", "claims": [{"start": 1, "end": 2}]}', "pred.jsonl:2:"),
    ("record without id or text", '{"claims": []}', "needs an 'id' or a 'text'"),
]


@pytest.mark.parametrize(
    ("line", "message"), [pytest.param(line, m, id=name) for name, line, m in BAD_LINES]
)
def test_score_bad_line_is_one_line_error(
    gold: Path, tmp_path: Path, line: str, message: str
) -> None:
    pred = tmp_path / "pred.jsonl"
    pred.write_text('{"id": "a", "claims": []}\n' + line + "\n")
    done = run(gold, pred)
    assert done.returncode == 2
    assert message in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_score_missing_file_is_one_line_error(gold: Path, tmp_path: Path) -> None:
    done = run(gold, tmp_path / "absent.jsonl")
    assert done.returncode == 2
    assert "absent.jsonl" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "pred_records",
    [
        pytest.param([{"id": "b", "claims": GOLD_CLAIMS}], id="other-id"),
        pytest.param([{"text": TEXT + " (edited)", "claims": GOLD_CLAIMS}], id="other-text"),
    ],
)
def test_score_fails_when_no_gold_abstract_has_a_prediction(
    gold: Path, tmp_path: Path, pred_records: list[dict[str, Any]]
) -> None:
    pred = write_jsonl(tmp_path / "pred.jsonl", pred_records)
    for extra in ((), ("--json",)):
        done = run(gold, pred, *extra)
        assert done.returncode == 2, done.stdout
        assert "none of the 1 gold abstracts has a prediction" in done.stderr
        assert done.stdout == ""
