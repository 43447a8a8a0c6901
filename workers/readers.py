"""Streaming readers for the corpora users backfill: page dumps, JSONL and CSV, maybe gzipped.

Every reader works line by line on a binary stream, so memory stays flat in the size of the
corpus: at most one record (or one page paragraph) is held at a time. A record that cannot be
used is reported through ``on_problem`` as a ``Problem`` (source, line, one-line reason) and
skipped; reading goes on. Only a source that cannot be opened at all raises (``OSError``).

The format comes from the file name (``.jsonl``/``.ndjson``/``.json``, ``.csv``, ``.txt``/``.md``,
each optionally ``.gz``); for other names and for ``-`` (stdin) it is sniffed from the first
non-blank line. Gzip is recognised by its magic bytes, whatever the name says.

Page dumps are read by ``workers.page_dumps``; the records and problems all readers yield are
``workers.sources``'.
"""

from __future__ import annotations

import csv
import gzip
import io
import itertools
import sys
import zlib
from pathlib import PurePath
from typing import TYPE_CHECKING, BinaryIO, Literal

import msgspec

from claimex.extractors.model import abstract_id
from claimex.workers.dates import read_date
from claimex.workers.page_dumps import read_pages
from claimex.workers.sources import OnProblem, Problem, SourceRecord

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

Format = Literal["pages", "jsonl", "csv"]

GZIP_MAGIC = b"\x1f\x8b"
SNIFF_LINES = 1000  # blank lines tolerated before the first content line when sniffing

SUFFIX_FORMATS: dict[str, Format] = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".csv": "csv",
    ".txt": "pages",
    ".md": "pages",
}


class _InputRecord(msgspec.Struct):
    """A JSONL line: ``text`` required, ``id`` and ``title`` optional, other keys ignored."""

    text: str
    id: str | int | None = None
    title: str | None = None
    date: str | None = None


_JSONL_RECORD = msgspec.json.Decoder(_InputRecord)


def read_records(
    path: str,
    *,
    on_problem: OnProblem,
    format: Format | None = None,
    stdin: BinaryIO | None = None,
) -> Iterator[SourceRecord]:
    """The records of one source (``-`` is stdin), streamed; raises ``OSError`` if unopenable."""
    if path == "-":
        stream = _peekable(stdin if stdin is not None else sys.stdin.buffer)
        yield from _read_stream(path, stream, format, on_problem)
        return
    with open(path, "rb") as raw:
        yield from _read_stream(path, raw, format, on_problem)


def read_paths(
    paths: Iterable[str], *, on_problem: OnProblem, stdin: BinaryIO | None = None
) -> Iterator[SourceRecord]:
    """The records of several sources, one after the other."""
    for path in paths:
        yield from read_records(path, on_problem=on_problem, stdin=stdin)


def distinct_abstracts(
    paths: Iterable[str], *, on_problem: OnProblem, stdin: BinaryIO | None = None
) -> Iterator[SourceRecord]:
    """Each abstract of ``paths`` once (first occurrence), by content id.

    Memory grows with the number of distinct abstracts (one 16-character id each), not with
    the size of the files.
    """
    seen: set[str] = set()
    for record in read_paths(paths, on_problem=on_problem, stdin=stdin):
        if record.id not in seen:
            seen.add(record.id)
            yield record


def format_from_name(path: str) -> Format | None:
    """The format a file name announces (``x.jsonl.gz`` is JSONL), or ``None``."""
    suffixes = [s.lower() for s in PurePath(path).suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes.pop()
    return SUFFIX_FORMATS.get(suffixes[-1]) if suffixes else None


def sniff_format(first_line: str) -> Format:
    """The format of a source from its first non-blank line."""
    stripped = first_line.strip()
    if stripped.startswith("{"):
        return "jsonl"
    header = next(csv.reader([stripped]), [])
    if any(field.strip().casefold() == "text" for field in header):
        return "csv"
    return "pages"


def _peekable(stream: BinaryIO) -> io.BufferedReader:
    """A stream that can ``peek`` (for the gzip magic) without consuming."""
    if isinstance(stream, io.BufferedReader):
        return stream
    return io.BufferedReader(stream)  # type: ignore[arg-type]  # any binary stream will do


def _read_stream(
    source: str, raw: io.BufferedReader, format: Format | None, on_problem: OnProblem
) -> Iterator[SourceRecord]:
    stream: io.BufferedReader | gzip.GzipFile = raw
    if raw.peek(2)[:2] == GZIP_MAGIC:
        stream = gzip.GzipFile(fileobj=raw, mode="rb")
    lines = _decoded_lines(source, stream, on_problem)
    chosen = format or (format_from_name(source) if source != "-" else None)
    if chosen is None:
        head = list(itertools.islice(lines, SNIFF_LINES))
        first = next((text for _, text in head if text.strip()), "")
        chosen = sniff_format(first)
        lines = itertools.chain(head, lines)
    readers = {"pages": read_pages, "jsonl": _read_jsonl, "csv": _read_csv}
    yield from readers[chosen](source, lines, on_problem)


def _decoded_lines(
    source: str, stream: io.BufferedReader | gzip.GzipFile, on_problem: OnProblem
) -> Iterator[tuple[int, str]]:
    """(line number, text with its line ending) for each line that is valid UTF-8.

    A line that is not UTF-8 is reported and skipped; a damaged gzip stream is reported and
    ends the source, keeping what was read before it.
    """
    number = 0
    try:
        for number, data in enumerate(stream, start=1):
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError as exc:
                on_problem(Problem(source, number, f"not UTF-8 (byte {exc.start} of the line)"))
                continue
            if number == 1:
                text = text.removeprefix("\ufeff")
            yield number, text
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        reason = str(exc) or type(exc).__name__
        on_problem(Problem(source, number + 1, f"damaged gzip data, rest skipped: {reason}"))


def _read_jsonl(
    source: str, lines: Iterable[tuple[int, str]], on_problem: OnProblem
) -> Iterator[SourceRecord]:
    for number, line in lines:
        if not line.strip():
            continue
        try:
            item = _JSONL_RECORD.decode(line)
        except msgspec.DecodeError as exc:
            on_problem(Problem(source, number, str(exc)))
            continue
        record = _record(
            source,
            number,
            text=item.text,
            title=item.title,
            external_id=item.id,
            date=item.date,
            on_problem=on_problem,
        )
        if record is not None:
            yield record


def _read_csv(
    source: str, lines: Iterable[tuple[int, str]], on_problem: OnProblem
) -> Iterator[SourceRecord]:
    numbered = iter(lines)
    line_numbers: list[int] = []

    def texts() -> Iterator[str]:
        # csv.reader sees only the text; the line numbers go aside for error messages.
        for number, text in numbered:
            line_numbers.append(number)
            yield text

    reader = csv.reader(texts())
    try:
        header = [name.strip().casefold() for name in next(reader, [])]
    except csv.Error as exc:
        on_problem(Problem(source, 1, f"unreadable CSV header: {exc}"))
        return
    if "text" not in header:
        on_problem(Problem(source, 1, "CSV header has no 'text' column; file skipped"))
        return
    columns: dict[str, int] = {
        name: header.index(name) for name in ("text", "title", "id", "date") if name in header
    }
    while True:
        first = len(line_numbers)
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            where = line_numbers[-1] if line_numbers else 1
            on_problem(Problem(source, where, f"unreadable CSV, rest skipped: {exc}"))
            return
        number = line_numbers[first] if first < len(line_numbers) else line_numbers[-1]
        del line_numbers[:-1]  # keep memory flat: only the last number is ever needed again
        if not any(field.strip() for field in row):
            continue
        if len(row) <= columns["text"]:
            on_problem(Problem(source, number, f"row has {len(row)} fields, no 'text' value"))
            continue

        text, title, given_id, date = (
            _cell(row, columns, name) for name in ("text", "title", "id", "date")
        )
        record = _record(
            source,
            number,
            text=text or "",
            title=title,
            external_id=given_id,
            date=date,
            on_problem=on_problem,
        )
        if record is not None:
            yield record


def _cell(row: list[str], columns: dict[str, int], name: str) -> str | None:
    """The value of column ``name`` in ``row``; ``None`` when the file or the row lacks it."""
    index = columns.get(name)
    return row[index] if index is not None and index < len(row) else None


def _record(
    source: str,
    line: int,
    *,
    text: str,
    title: str | None,
    external_id: str | int | None,
    on_problem: OnProblem,
    date: str | None = None,
) -> SourceRecord | None:
    # The text is kept exactly as given: its content id must equal the id of the same text
    # sent to the API or scored against gold.
    if not text.strip():
        on_problem(Problem(source, line, "empty 'text'"))
        return None
    return SourceRecord(
        text=text,
        id=abstract_id(text),
        title=(title or "").strip() or None,
        external_id=None if external_id in (None, "") else str(external_id),
        date=_date(source, line, date, on_problem),
        source=source,
        line=line,
    )


def _date(source: str, line: int, written: str | None, on_problem: OnProblem) -> str | None:
    """The record's date as ISO 8601; one that cannot be read is reported and left out.

    The abstract itself is still read.
    """
    if not (written or "").strip():
        return None
    date = read_date(written or "")
    if date is None:
        on_problem(Problem(source, line, f"unreadable date {written!r} left out (use YYYY-MM-DD)"))
    return date
