"""``claimex extract [FILE…]``: claims for JSONL or plain-text input, no Redis needed.

Input is JSONL (one ``{"id"?, "title"?, "text"}`` object per line) or, when a file's first
non-blank character is not ``{``, plain text taken as one abstract. ``-`` or no file reads stdin.
Output is JSONL: each record with its ``id`` (derived from the text when missing) and ``claims``.
A bad line gets one line on stderr naming file and line; every good record is still written and
the exit status is 1 when any line was bad.
"""

from __future__ import annotations

import contextlib
import io
import sys
from typing import IO, TYPE_CHECKING

import msgspec

from claimex.extractors import Claim, abstract_id, extract

if TYPE_CHECKING:
    import argparse
    from collections.abc import Iterator

NAME = "extract"
HELP = "extract claims from JSONL or plain text (files or stdin) and write JSONL"


class InputRecord(msgspec.Struct, forbid_unknown_fields=False):
    """One JSONL input line: the abstract's text, with its id and title when given."""

    text: str
    id: str | None = None
    title: str | None = None


class OutputRecord(msgspec.Struct, omit_defaults=True):
    """One JSONL output line: the input record, its id always set, and the claims found."""

    id: str
    text: str
    claims: tuple[Claim, ...]
    title: str | None = None


RECORD = msgspec.json.Decoder(InputRecord)
ENCODER = msgspec.json.Encoder()


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The input files, none meaning standard input."""
    parser.add_argument(
        "files",
        nargs="*",
        metavar="FILE",
        help="JSONL or plain-text files ('-' or none: standard input)",
    )


def _records(name: str, stream: IO[str]) -> Iterator[tuple[int, InputRecord | str]]:
    """(line number, record or error message) for each non-blank input line."""
    head: list[str] = []
    for line in stream:  # the format is decided by the first non-blank line
        head.append(line)
        if line.strip():
            break
    if head and head[-1].strip() and head[-1].lstrip()[:1] != "{":
        text = "".join(head) + stream.read()
        bad = _first_undecodable(text)
        if bad is not None:
            yield text.count("\n", 0, bad) + 1, NOT_UTF8
            return
        yield len(head), InputRecord(text=text.strip())
        return
    for number, line in enumerate(_chain(head, stream), start=1):
        if not line.strip():
            continue
        if _first_undecodable(line) is not None:
            yield number, NOT_UTF8
            continue
        try:
            yield number, RECORD.decode(line)
        except msgspec.ValidationError as exc:
            yield number, f"invalid record: {exc}"
        except msgspec.DecodeError as exc:
            yield number, f"not JSON: {exc}"


# Input is read with ``surrogateescape`` so that one bad byte spoils only its own line; the
# escaped bytes become lone surrogates, which the JSON output cannot encode.
NOT_UTF8 = "not UTF-8"


def _first_undecodable(text: str) -> int | None:
    """Where the first byte that was not UTF-8 (now a lone surrogate) is in ``text``, if any."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        return exc.start
    return None


def _chain(head: list[str], stream: IO[str]) -> Iterator[str]:
    yield from head
    yield from stream


def _open(name: str) -> IO[str]:
    # "utf-8-sig": a byte order mark is not the first character of the input (nor JSONL's "{").
    if name == "-":
        if isinstance(sys.stdin, io.TextIOWrapper) and sys.stdin.encoding != "utf-8-sig":
            sys.stdin.reconfigure(encoding="utf-8-sig", errors="surrogateescape")
        return sys.stdin
    return open(name, encoding="utf-8-sig", errors="surrogateescape")


def run(args: argparse.Namespace) -> int:
    """Write each good record with its claims to stdout; 1 if any file or line could not be read."""
    files: list[str] = args.files or ["-"]
    out = sys.stdout.buffer
    bad = 0
    for name in files:
        try:
            stream = _open(name)
        except OSError as exc:
            print(f"claimex extract: {name}: {exc.strerror}", file=sys.stderr)
            bad += 1
            continue
        with stream if name != "-" else contextlib.nullcontext(stream):
            for number, record in _records(name, stream):
                if isinstance(record, str):
                    shown = "<stdin>" if name == "-" else name
                    print(f"claimex extract: {shown}:{number}: {record}", file=sys.stderr)
                    bad += 1
                    continue
                result = OutputRecord(
                    id=record.id or abstract_id(record.text),
                    title=record.title,
                    text=record.text,
                    claims=extract(record.text, record.title),
                )
                out.write(ENCODER.encode(result) + b"\n")
    out.flush()
    return 1 if bad else 0
