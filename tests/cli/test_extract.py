"""``claimex extract`` through the installed console script, on real files and on stdin.

The contract (``cli/extract.py``): JSONL or plain-text input, JSONL output with an ``id`` derived
from the text when missing; a bad line gets one line on stderr naming ``file:line``, every good
record is still written in order, and the exit status is 1 when any line was bad.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import msgspec
import pytest

from claimex.extractors import Claim, abstract_id, extract

# Slow, left out of the fast loop (scripts/test -m "not slow"):
# each case runs the `claimex extract` command as a process.
pytestmark = pytest.mark.slow

CLAIMEX = Path(sys.executable).parent / "claimex"

ZETA = "Zeta reaches 91.4% top-1 accuracy on ImageNet."
# Percent and ratio claims only: a measurement unit ("15 ms") makes the extractor load
# quantulum3's unit lexicon, about a second per process, so only one test uses them (UNITS).
FAST = "It is 3.5x faster than ViT-B."
GAIN = "Zeta gains +2.4% over ViT-B."
UNITS = "We pretrain on 555B tokens and 2T tokens with 15 ms latency."


class OutputRecord(msgspec.Struct, forbid_unknown_fields=True):
    """One output line, decoded strictly: nothing missing, nothing extra, claims well-typed."""

    id: str
    text: str
    claims: tuple[Claim, ...]
    title: str | None = None


class Result(msgspec.Struct):
    status: int
    records: list[OutputRecord]
    errors: list[str]


@pytest.fixture(scope="module")
def claimex() -> Path:
    if not CLAIMEX.exists():
        pytest.skip(f"console script not installed next to the interpreter: {CLAIMEX}")
    return CLAIMEX


def run(script: Path, *args: str, cwd: Path, stdin: bytes = b"") -> Result:
    """Run ``claimex extract ARGS`` and decode its output, checking it is valid JSONL."""
    done = subprocess.run(
        [str(script), "extract", *args],
        input=stdin,
        capture_output=True,
        cwd=cwd,
        timeout=120,
        check=False,
    )
    out = done.stdout
    if out:
        assert out.endswith(b"\n"), out[-200:]
    records = [msgspec.json.decode(line, type=OutputRecord) for line in out.splitlines()]
    for record in records:
        _check_record(record)
    return Result(done.returncode, records, done.stderr.decode().splitlines())


def _check_record(record: OutputRecord) -> None:
    """Offsets point into the record's own text, and the claims are what ``extract`` gives."""
    for c in record.claims:
        assert record.text[c.start : c.end] == c.span, c
        assert record.text[c.sentence_start : c.sentence_end] == c.sentence, c
    assert record.claims == extract(record.text, record.title)


def jsonl(*records: dict[str, Any]) -> bytes:
    return b"".join(json.dumps(r).encode() + b"\n" for r in records)


def summary(result: Result) -> list[tuple[str, str | None, str]]:
    return [(r.id, r.title, r.text) for r in result.records]


# --- good input -----------------------------------------------------------------------------

NON_ASCII = "模型 Zeta 达到 91.4% — naïve −2.1 points"

# (id, input bytes, expected (id, title, text) per output record). Each case costs a process
# start-up, so record-level variations share one JSONL case.
GOOD_INPUT: list[tuple[str, bytes, list[tuple[str, str | None, str]]]] = [
    (
        "jsonl with id and title",
        jsonl({"id": "paper-1", "title": "Zeta", "text": ZETA}),
        [("paper-1", "Zeta", ZETA)],
    ),
    (
        "jsonl without id or title",
        jsonl({"text": ZETA}),
        [(abstract_id(ZETA), None, ZETA)],
    ),
    (
        "jsonl record variants and blank lines",
        b"\n"
        + jsonl({"id": None, "title": "Zeta", "text": FAST})  # null id: derived
        + b"\n   \n"
        + jsonl({"text": GAIN, "source": "arxiv", "year": 2024})  # unknown fields: ignored
        + jsonl({"text": NON_ASCII})
        + jsonl({"id": "empty", "text": ""})
        + b"\n",
        [
            (abstract_id(FAST), "Zeta", FAST),
            (abstract_id(GAIN), None, GAIN),
            (abstract_id(NON_ASCII), None, NON_ASCII),
            ("empty", None, ""),
        ],
    ),
    (
        "jsonl with a byte order mark",
        b"\xef\xbb\xbf" + jsonl({"id": "a", "text": ZETA}, {"id": "b", "text": FAST}),
        [("a", None, ZETA), ("b", None, FAST)],
    ),
    (
        "plain text, one abstract over several lines",
        f"{ZETA}\n{FAST}\n".encode(),
        [(abstract_id(f"{ZETA}\n{FAST}"), None, f"{ZETA}\n{FAST}")],
    ),
    (
        "plain text after blank lines",
        f"\n\n  {ZETA}\n\n".encode(),
        [(abstract_id(ZETA), None, ZETA)],
    ),
    (
        "plain text starting with a JSON array",
        b"[1, 2] gain 3%",
        [(abstract_id("[1, 2] gain 3%"), None, "[1, 2] gain 3%")],
    ),
    ("empty file", b"", []),
    ("only blank lines", b"\n  \n\t\n", []),
]


@pytest.mark.parametrize(
    ("content", "expected"), [c[1:] for c in GOOD_INPUT], ids=[c[0] for c in GOOD_INPUT]
)
def test_extract_writes_one_record_per_abstract_from_a_file(
    claimex: Path, tmp_path: Path, content: bytes, expected: list[tuple[str, str | None, str]]
) -> None:
    (tmp_path / "input").write_bytes(content)
    result = run(claimex, "input", cwd=tmp_path)
    assert (result.status, result.errors) == (0, [])
    assert summary(result) == expected


# Each console-script run costs an interpreter start-up, so stdin gets a representative few.
STDIN_INPUT = [
    c
    for c in GOOD_INPUT
    if c[0]
    in {
        "jsonl record variants and blank lines",
        "jsonl with a byte order mark",
        "plain text after blank lines",
    }
]


@pytest.mark.parametrize(
    ("content", "expected"), [c[1:] for c in STDIN_INPUT], ids=[c[0] for c in STDIN_INPUT]
)
def test_extract_reads_standard_input_for_dash(
    claimex: Path, tmp_path: Path, content: bytes, expected: list[tuple[str, str | None, str]]
) -> None:
    result = run(claimex, "-", cwd=tmp_path, stdin=content)
    assert (result.status, result.errors) == (0, [])
    assert summary(result) == expected


def test_extract_reads_standard_input_without_file_arguments(claimex: Path, tmp_path: Path) -> None:
    """No FILE reads stdin; and the claims are really there, not only well-formed."""
    result = run(claimex, cwd=tmp_path, stdin=jsonl({"text": ZETA}, {"text": UNITS}))
    assert [[c.span for c in r.claims] for r in result.records] == [
        ["91.4%"],
        ["555B", "2T", "15 ms"],
    ]


def test_extract_passes_the_title_to_the_extractor(claimex: Path, tmp_path: Path) -> None:
    # the title says that the Zeta the abstract names is its own method (a name only in the
    # title is not used: GUIDELINES), so "our method" is Zeta
    text = "Zeta is small. Our method reaches 91.4% on ImageNet."
    result = run(claimex, cwd=tmp_path, stdin=jsonl({"title": "Zeta: a model", "text": text}))
    assert [c.subject for r in result.records for c in r.claims] == ["Zeta"]
    assert extract(text)[0].subject != "Zeta"  # the name can only have come from the title


def test_extract_reads_several_files_and_stdin_in_order(claimex: Path, tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_bytes(
        jsonl({"id": "a1", "text": ZETA}, {"id": "a2", "text": FAST})
    )
    (tmp_path / "b.txt").write_text(GAIN + "\n", encoding="utf-8")
    (tmp_path / "c.jsonl").write_bytes(jsonl({"id": "c1", "text": FAST}))
    stdin = jsonl({"id": "s1", "text": GAIN})
    result = run(claimex, "a.jsonl", "b.txt", "-", "c.jsonl", cwd=tmp_path, stdin=stdin)
    assert (result.status, result.errors) == (0, [])
    assert [r.id for r in result.records] == ["a1", "a2", abstract_id(GAIN), "s1", "c1"]


# --- bad input ------------------------------------------------------------------------------

GOOD_BEFORE = jsonl({"id": "before", "text": ZETA})
GOOD_AFTER = jsonl({"id": "after", "title": "Zeta", "text": FAST})

# (id, bad line(s), line reported when they follow one good line, start of the message)
BAD_LINES: list[tuple[str, bytes, int, str]] = [
    ("invalid JSON", b'{"text": "unterminated\n', 2, "not JSON"),
    ("truncated object", b'{"text": "a", \n', 2, "not JSON"),
    ("not JSON at all", b"{this is not json}\n", 2, "not JSON"),
    ("record without text", jsonl({"id": "x", "title": "t"}), 2, "invalid record"),
    ("text is a number", jsonl({"text": 42}), 2, "invalid record"),
    ("text is null", jsonl({"text": None}), 2, "invalid record"),
    ("text is a list", jsonl({"text": ["a", "b"]}), 2, "invalid record"),
    ("id is not a string", jsonl({"id": 7, "text": ZETA}), 2, "invalid record"),
    ("record is an array", b'["text", "a"]\n', 2, "invalid record"),
    ("bytes that are not UTF-8", b'{"text": "3% \xff\xfe"}\n', 2, "not UTF-8"),
    ("lone surrogate escape", b'{"text": "3% \\ud800"}\n', 2, "not JSON"),
    ("bad line after blank lines", b"\n  \n{oops\n", 4, "not JSON"),
]


def _expected_error(name: str, line: int, message: str) -> str:
    return f"claimex extract: {name}:{line}: {message}"


def _all_bad_lines(name: str) -> tuple[bytes, list[tuple[str, str]]]:
    """Every case of ``BAD_LINES`` between two good records, and (case id, error start) each."""
    content, expected, lines_before = GOOD_BEFORE, [], 1
    for case, bad, line, message in BAD_LINES:
        content += bad
        expected.append((case, _expected_error(name, lines_before + line - 1, message)))
        lines_before += bad.count(b"\n")
    return content + GOOD_AFTER, expected


@pytest.mark.parametrize("source", ["file", "stdin"])
def test_extract_reports_each_bad_line_and_keeps_the_good_ones(
    claimex: Path, tmp_path: Path, source: str
) -> None:
    """One stderr line per bad line, in order, naming file and line; good records all written."""
    if source == "file":
        content, expected = _all_bad_lines("input.jsonl")
        (tmp_path / "input.jsonl").write_bytes(content)
        result = run(claimex, "input.jsonl", cwd=tmp_path)
    else:
        content, expected = _all_bad_lines("<stdin>")
        result = run(claimex, "-", cwd=tmp_path, stdin=content)
    assert result.status == 1
    assert len(result.errors) == len(expected), result.errors
    for error, (case, start) in zip(result.errors, expected, strict=True):
        assert error.startswith(start), (case, error)
    assert [r.id for r in result.records] == ["before", "after"]


# One of each message, each in a file of its own: the exit status is 1 for a single bad line.
SINGLE_BAD_LINES = [
    c
    for c in BAD_LINES
    if c[0]
    in {"invalid JSON", "record without text", "text is a number", "bytes that are not UTF-8"}
]


@pytest.mark.parametrize(
    ("bad", "line", "message"),
    [c[1:] for c in SINGLE_BAD_LINES],
    ids=[c[0] for c in SINGLE_BAD_LINES],
)
def test_extract_exits_1_on_a_single_bad_line(
    claimex: Path, tmp_path: Path, bad: bytes, line: int, message: str
) -> None:
    (tmp_path / "input.jsonl").write_bytes(GOOD_BEFORE + bad + GOOD_AFTER)
    result = run(claimex, "input.jsonl", cwd=tmp_path)
    assert result.status == 1
    assert len(result.errors) == 1, result.errors
    assert result.errors[0].startswith(_expected_error("input.jsonl", line, message))
    assert [r.id for r in result.records] == ["before", "after"]


def test_extract_reports_every_bad_line_in_every_file(claimex: Path, tmp_path: Path) -> None:
    (tmp_path / "one.jsonl").write_bytes(GOOD_BEFORE + b"nope\n" + jsonl({"text": 1}))
    (tmp_path / "two.jsonl").write_bytes(GOOD_AFTER + b"{\n")
    result = run(claimex, "one.jsonl", "two.jsonl", cwd=tmp_path)
    assert result.status == 1
    assert [e.split(": ")[1] for e in result.errors] == [
        "one.jsonl:2",
        "one.jsonl:3",
        "two.jsonl:2",
    ]
    assert [r.id for r in result.records] == ["before", "after"]


def test_extract_reports_plain_text_that_is_not_utf8(claimex: Path, tmp_path: Path) -> None:
    (tmp_path / "abstract.txt").write_bytes(b"Zeta reaches 91.4%.\nIt is \xff 3x faster.\n")
    (tmp_path / "good.txt").write_text(ZETA, encoding="utf-8")
    result = run(claimex, "abstract.txt", "good.txt", cwd=tmp_path)
    assert result.status == 1
    assert result.errors == [_expected_error("abstract.txt", 2, "not UTF-8")]
    assert summary(result) == [(abstract_id(ZETA), None, ZETA)]


@pytest.mark.parametrize("missing", ["missing.jsonl", "no/such/dir/x.txt"])
def test_extract_reports_a_missing_file_in_one_line(
    claimex: Path, tmp_path: Path, missing: str
) -> None:
    (tmp_path / "good.jsonl").write_bytes(GOOD_BEFORE)
    result = run(claimex, missing, "good.jsonl", cwd=tmp_path)
    assert result.status != 0
    assert len(result.errors) == 1, result.errors
    assert result.errors[0].startswith(f"claimex extract: {missing}: ")
    assert "Traceback" not in result.errors[0]
    assert [r.id for r in result.records] == ["before"]


def test_extract_reports_a_directory_in_one_line(claimex: Path, tmp_path: Path) -> None:
    (tmp_path / "folder").mkdir()
    result = run(claimex, "folder", cwd=tmp_path)
    assert result.status != 0
    assert len(result.errors) == 1, result.errors
    assert result.errors[0].startswith("claimex extract: folder: ")
    assert result.records == []
