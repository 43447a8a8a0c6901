"""workers/jsonlog.py: one line per event, JSON for collectors, plain text on a terminal."""

from __future__ import annotations

import json
import logging

import pytest

from claimex.workers import jsonlog

FIELDS: dict[str, jsonlog.Field] = {
    "request_id": "abc",
    "method": "GET",
    "route": "/v1/jobs/{job_id}",
    "status": 200,
    "duration_ms": 1.25,
}


@pytest.mark.parametrize(
    ("fields", "text"),
    [
        pytest.param(FIELDS, "request GET /v1/jobs/{job_id} 200 1.25 ms request_id=abc", id="req"),
        pytest.param(
            {"job_id": "j1", "abstracts": 3, "duration_ms": 9.5, "outcome": "finished"},
            "request j1 finished 9.5 ms abstracts=3",
            id="job-fields",
        ),
        pytest.param({"note": "two\nlines"}, "request note=two\\nlines", id="newline-escaped"),
    ],
)
def test_render_text_is_one_readable_line(fields: dict[str, jsonlog.Field], text: str) -> None:
    line = jsonlog.render(0.0, "request", fields, "text")
    assert line.split(" ", 1)[1] == text
    assert "\n" not in line


def test_render_json_is_one_object() -> None:
    line = jsonlog.render(12.3456, "request", FIELDS, "json")
    assert json.loads(line) == {"ts": 12.346, "event": "request", **FIELDS}


@pytest.mark.parametrize(
    ("variable", "expected"),
    [("json", "json"), ("text", "text"), ("auto", "json"), ("", "json"), ("bogus", "json")],
)
def test_format_follows_the_variable_and_a_terminal(
    monkeypatch: pytest.MonkeyPatch, variable: str, expected: str
) -> None:
    # Under pytest stderr is captured, not a terminal: auto means JSON.
    monkeypatch.setenv(jsonlog.FORMAT_VARIABLE, variable)
    assert jsonlog.log_format() == expected


def test_auto_is_text_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(jsonlog.FORMAT_VARIABLE, raising=False)
    monkeypatch.setattr("sys.stderr.isatty", lambda: True)
    assert jsonlog.log_format() == "text"


def test_emit_writes_the_chosen_format(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(jsonlog.FORMAT_VARIABLE, "text")
    jsonlog.emit("job", job_id="j9", outcome="finished")
    err = capsys.readouterr().err
    assert err.endswith("job j9 finished\n")
    assert not err.startswith("{")


def test_module_warnings_share_the_event_stream_and_format(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(jsonlog.FORMAT_VARIABLE, "json")
    jsonlog.configure()
    jsonlog.configure()  # twice: still one handler, one line per record
    capsys.readouterr()
    logging.getLogger("claimex.workers.somewhere").warning("requeued %d abstracts", 3)
    jsonlog.emit("job", job_id="j1", outcome="finished")
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    assert [line["event"] for line in lines] == ["log", "job"]
    assert lines[0]["level"] == "WARNING"
    assert lines[0]["logger"] == "claimex.workers.somewhere"
    assert lines[0]["message"] == "requeued 3 abstracts"
