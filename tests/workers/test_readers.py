"""Readers on small files written by the tests: what records come out, what problems are told.

Each case is a file name, its content, the records expected as ``(line, title, text)`` and the
problems expected as ``(line, words of the reason)``.
"""

from __future__ import annotations

import gzip
import io
import tracemalloc
from typing import TYPE_CHECKING, cast

import pytest

from claimex.extractors.model import abstract_id
from claimex.workers.readers import (
    distinct_abstracts,
    format_from_name,
    read_records,
    sniff_format,
)

if TYPE_CHECKING:
    from pathlib import Path

    from claimex.workers.sources import OnProblem, Problem, SourceRecord


def abstract(topic: str) -> str:
    """A made-up abstract long enough to read as one (over 200 characters)."""
    return (
        f"We study {topic} in depth. Our method improves the baseline by 3.2% on two benchmarks "
        "while using 40% less memory, and we release code, data and a detailed analysis of "
        "where the gains come from and where they do not."
    )


A, B, C = abstract("alpha"), abstract("beta"), abstract("gamma")
# ``pytest.fail`` as ``on_problem``: any problem fails the test (the problem is its reason).
FAIL = cast("OnProblem", pytest.fail)
CHROME = "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\nby the community\n\n"


def page(*paragraphs: str) -> str:
    return "\n\n".join(paragraphs)


Expected = list[tuple[int, str | None, str]]
Problems = list[tuple[int, str]]

CASES: list[tuple[str, str, str | bytes, Expected, Problems]] = [
    (
        "page with chrome and two entries",
        "page.txt",
        CHROME + "Mar 14\n\n" + page("Alpha: A Title", A, "Beta Is Better", B),
        [(13, "Alpha: A Title", A), (17, "Beta Is Better", B)],
        [],
    ),
    (
        "page of chrome only",
        "page.txt",
        CHROME + "Daily Papers\n\nMar 14\n",
        [],
        [],
    ),
    (
        "page chrome worded differently",
        "page.txt",
        page("Trending now", "Sign in", "Some Title", A),
        [(7, "Some Title", A)],
        [],
    ),
    (
        "page whose entry has no title",
        "page.txt",
        page("Mar 14", A),
        [(3, None, A)],
        [],
    ),
    (
        "page truncated after a title",
        "page.txt",
        page("Alpha", A, "Beta"),
        [(3, "Alpha", A)],
        [(5, "incomplete last entry")],
    ),
    (
        "page truncated inside the last abstract",
        "page.txt",
        page("Alpha", A, "Beta", "We study beta in"),
        [(3, "Alpha", A)],
        [(5, "incomplete last entry")],
    ),
    (
        "page with a title missing its abstract in the middle",
        "page.txt",
        page("Alpha", A, "Orphan Title", "Gamma", C),
        [(3, "Alpha", A), (9, "Gamma", C)],
        [(5, "title without an abstract")],
    ),
    (
        "page with wrapped lines and CRLF",
        "page.txt",
        "Alpha\r\nTitle\r\n\r\n" + A.replace(". ", ".\r\n", 1) + "\r\n",
        [(4, "Alpha Title", A)],
        [],
    ),
    (
        "page repeating an entry",
        "page.txt",
        page("Alpha", A, "Alpha", A),
        [(3, "Alpha", A), (7, "Alpha", A)],
        [],
    ),
    (
        "jsonl with optional fields",
        "in.jsonl",
        '{"text": "t1"}\n\n{"id": "x", "title": "T", "text": "t2", "extra": 1}\n',
        [(1, None, "t1"), (3, "T", "t2")],
        [],
    ),
    (
        "jsonl with bad lines",
        "in.jsonl",
        '{"text": "t1"}\n{oops\n{"title": "no text"}\n{"text": "  "}\n[1]\n{"text": "t2"}\n',
        [(1, None, "t1"), (6, None, "t2")],
        [(2, "malformed"), (3, "missing required field `text`"), (4, "empty"), (5, "Expected")],
    ),
    (
        "csv with all columns and a quoted newline",
        "in.csv",
        'id,Title,text\n1,One,"first, with a comma"\n2,Two,"line one\nline two"\n3,,third\n',
        [(2, "One", "first, with a comma"), (3, "Two", "line one\nline two"), (5, None, "third")],
        [],
    ),
    (
        "csv with text only and a short row",
        "in.csv",
        "title,text\nonly a title\nT,body\n",
        [(3, "T", "body")],
        [(2, "no 'text' value")],
    ),
    (
        "csv without a text column",
        "in.csv",
        "id,abstract\n1,something\n",
        [],
        [(1, "no 'text' column")],
    ),
    (
        "gzip jsonl",
        "in.jsonl.gz",
        gzip.compress(b'{"text": "t1"}\n{"text": "t2"}\n'),
        [(1, None, "t1"), (2, None, "t2")],
        [],
    ),
    (
        "gzip page recognised by magic bytes, not name",
        "page.txt",
        gzip.compress(page("Alpha", A).encode()),
        [(3, "Alpha", A)],
        [],
    ),
    (
        "unknown extension sniffed as jsonl",
        "in.data",
        '\n{"text": "t1"}\n',
        [(2, None, "t1")],
        [],
    ),
    (
        "unknown extension sniffed as csv",
        "in.data",
        "text,id\nt1,9\n",
        [(2, None, "t1")],
        [],
    ),
    (
        "line that is not UTF-8",
        "in.jsonl",
        b'{"text": "t1"}\n{"text": "\xff"}\n{"text": "t2"}\n',
        [(1, None, "t1"), (3, None, "t2")],
        [(2, "not UTF-8")],
    ),
    (
        "byte order mark",
        "in.jsonl",
        '\ufeff{"text": "t1"}\n'.encode(),
        [(1, None, "t1")],
        [],
    ),
    ("empty file", "in.jsonl", "", [], []),
]


def _check(records: list[SourceRecord], problems: list[Problem], path: str) -> None:
    for record in records:
        assert record.id == abstract_id(record.text)
        assert record.source == path
    for problem in problems:
        assert str(problem).startswith(f"{path}:{problem.line}: ")
        assert "\n" not in str(problem)


@pytest.mark.parametrize(
    ("name", "content", "expected", "expected_problems"),
    [pytest.param(n, c, e, p, id=case) for case, n, c, e, p in CASES],
)
def test_readers_read_records(
    tmp_path: Path,
    name: str,
    content: str | bytes,
    expected: Expected,
    expected_problems: Problems,
) -> None:
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    problems: list[Problem] = []
    records = list(read_records(str(path), on_problem=problems.append))

    assert [(r.line, r.title, r.text) for r in records] == expected
    assert len(problems) == len(expected_problems), problems
    for problem, (line, words) in zip(problems, expected_problems, strict=True):
        assert (problem.line, words in problem.reason) == (line, True)
    _check(records, problems, str(path))


def test_readers_gzip_cut_short_keeps_what_came_before(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl.gz"
    whole = gzip.compress(b'{"text": "t1"}\n' + b'{"text": "t2"}\n' * 100_000)
    path.write_bytes(whole[: len(whole) // 2])
    problems: list[Problem] = []
    records = list(read_records(str(path), on_problem=problems.append))
    assert records[0].text == "t1"
    assert 1 < len(records) < 100_001
    assert "damaged gzip" in problems[-1].reason


def test_readers_external_id_kept_apart_from_content_id(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text('{"id": 7, "text": "t1"}\n')
    (record,) = read_records(str(path), on_problem=FAIL)
    assert (record.external_id, record.id) == ("7", abstract_id("t1"))


STDIN_CASES = [
    ("jsonl", b'{"text": "t1"}\n', "t1"),
    ("csv", b"title,text\nT,t1\n", "t1"),
    ("page", page("Alpha", A).encode(), A),
    ("gzip jsonl", gzip.compress(b'{"text": "t1"}\n'), "t1"),
]


@pytest.mark.parametrize(("content", "text"), [pytest.param(c, t, id=n) for n, c, t in STDIN_CASES])
def test_readers_stdin_is_sniffed(content: bytes, text: str) -> None:
    records = list(read_records("-", on_problem=FAIL, stdin=io.BytesIO(content)))
    assert [(r.source, r.text) for r in records] == [("-", text)]


def test_readers_distinct_abstracts_across_files(tmp_path: Path) -> None:
    first, second = tmp_path / "000.txt", tmp_path / "001.txt"
    first.write_text(CHROME + page("Alpha", A, "Beta", B, "Alpha", A))
    second.write_text(CHROME + page("Beta", B, "Gamma", C))
    paths = [str(first), str(second)]
    records = list(distinct_abstracts(paths, on_problem=FAIL))
    assert [(r.source, r.title) for r in records] == [
        (str(first), "Alpha"),
        (str(first), "Beta"),
        (str(second), "Gamma"),
    ]


def test_readers_missing_file_raises(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        list(read_records(str(tmp_path / "absent.jsonl"), on_problem=FAIL))


NAME_CASES = [
    ("a.jsonl", "jsonl"),
    ("a.NDJSON", "jsonl"),
    ("a.jsonl.gz", "jsonl"),
    ("a.csv.gz", "csv"),
    ("000_9df.txt", "pages"),
    ("a.gz", None),
    ("README", None),
]


@pytest.mark.parametrize(("name", "fmt"), NAME_CASES)
def test_readers_format_from_name(name: str, fmt: str | None) -> None:
    assert format_from_name(name) == fmt


SNIFF_CASES = [
    ('{"text": "x"}', "jsonl"),
    ("id,text,title", "csv"),
    ('"Text"', "csv"),
    ("new", "pages"),
    ("Text generation with transformers, revisited", "pages"),
]


@pytest.mark.parametrize(("line", "fmt"), SNIFF_CASES)
def test_readers_sniff_format(line: str, fmt: str) -> None:
    assert sniff_format(line) == fmt


def test_readers_memory_flat_in_file_size(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    line = ('{"text": "' + "x" * 1000 + '"}\n').encode()
    with path.open("wb") as handle:
        for _ in range(8000):  # about 8 MB
            handle.write(line)
    tracemalloc.start()
    try:
        count = sum(1 for _ in read_records(str(path), on_problem=FAIL))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 8000
    assert peak < 1_000_000


DATE_CASES = [
    ("in.jsonl", '{"text": "t1", "date": "2024-03-14"}\n', ["2024-03-14"], []),
    ("in.jsonl", '{"text": "t1", "date": "March 2024"}\n', ["2024-03"], []),
    ("in.jsonl", '{"text": "t1", "date": "soon"}\n', [None], [1]),
    ("in.csv", "title,text,date\nT,t1,2023\nU,t2,\n", ["2023", None], []),
    (
        "in.txt",
        page("March 14, 2024", "Alpha", A, "Beta", B, "Mar 15", "Gamma", C),
        ["2024-03-14", "2024-03-14", None],  # "Mar 15": a new day, its year unknown
        [],
    ),
    ("in.txt", page("Mar 14", "Alpha", A), [None], []),
]


@pytest.mark.parametrize(("name", "content", "dates", "problem_lines"), DATE_CASES)
def test_readers_read_publication_dates(
    tmp_path: Path, name: str, content: str, dates: list[str | None], problem_lines: list[int]
) -> None:
    path = tmp_path / name
    path.write_text(content)
    problems: list[Problem] = []
    records = list(read_records(str(path), on_problem=problems.append))
    assert [r.date for r in records] == dates
    assert [p.line for p in problems] == problem_lines
