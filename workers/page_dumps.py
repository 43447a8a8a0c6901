"""Daily-papers page dumps (``shared/corpus/*.txt``): abstracts, titles and dates from their shape.

The format was recognised from its shape, not from its wording: paragraphs separated by blank
lines; a few short paragraphs of page chrome at the top ("Subscribe", a date, …); then, for each
paper, a short title paragraph followed by a long abstract paragraph (titles in the corpus are
24 to 143 characters, abstracts 1346 to 1920). So a paragraph of at least ``MIN_ABSTRACT_CHARS``
is an abstract, its title is the short paragraph just before it, and short paragraphs before
the first abstract are chrome. After the first abstract, a short paragraph that no abstract
follows is reported: it is a title whose abstract is missing, or an abstract cut short (a
truncated last entry). A day's header ("March 14, 2024") dates the abstracts after it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import regex

from claimex.extractors.model import abstract_id
from claimex.workers.dates import read_date
from claimex.workers.sources import Problem, SourceRecord

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from claimex.workers.sources import OnProblem

MIN_ABSTRACT_CHARS = 200
MAX_PENDING_PARAGRAPHS = 64  # short paragraphs kept while waiting for an abstract

# A month and day, maybe a year: a page dump's day header ("Mar 14", "March 14, 2024").
_MONTH_DAY = r"\p{L}{3,9}\.?\s+\d{1,2}(?:,?\s+\d{4})?"
_DATE_HEADER = regex.compile(r"^\W*" + _MONTH_DAY + r"\W*$")
# Short paragraphs that are never a title: such a date, or a bare number.
_NOT_A_TITLE = regex.compile(
    r"""
    ^\W*(?:
        """
    + _MONTH_DAY
    + r"""
        | \d[\d\s.,/-]*                          # a number, a count, a numeric date
    )\W*$
    """,
    regex.VERBOSE,
)


def _paragraphs(lines: Iterable[tuple[int, str]]) -> Iterator[tuple[int, str]]:
    """(first line, text) of each blank-line-separated paragraph; wrapped lines are joined."""
    start, parts = 0, list[str]()
    for number, text in lines:
        stripped = text.strip()
        if stripped:
            if not parts:
                start = number
            parts.append(stripped)
        elif parts:
            yield start, " ".join(parts)
            parts = []
    if parts:
        yield start, " ".join(parts)


def read_pages(
    source: str, lines: Iterable[tuple[int, str]], on_problem: OnProblem
) -> Iterator[SourceRecord]:
    """The records of a page dump's (line number, line) pairs; strays reported as problems."""
    pending: list[tuple[int, str]] = []  # short paragraphs since the last abstract
    seen_abstract = False
    date: str | None = None  # from the last date header ("March 14, 2024"; "Mar 14": none)
    for number, paragraph in _paragraphs(lines):
        if len(paragraph) < MIN_ABSTRACT_CHARS:
            if _DATE_HEADER.match(paragraph):
                date = read_date(paragraph)  # a day's header is page structure, no stray
                continue
            pending.append((number, paragraph))
            if len(pending) > MAX_PENDING_PARAGRAPHS:
                _report_stray(source, pending[:1], seen_abstract, on_problem)
                del pending[0]
            continue
        title = None
        if pending and not _NOT_A_TITLE.match(pending[-1][1]):
            title = pending.pop()[1]
        _report_stray(source, pending, seen_abstract, on_problem)
        pending.clear()
        seen_abstract = True
        yield SourceRecord(
            text=paragraph,
            id=abstract_id(paragraph),
            title=title,
            date=date,
            source=source,
            line=number,
        )
    if pending and seen_abstract:
        on_problem(
            Problem(
                source,
                pending[0][0],
                "incomplete last entry: a title without its abstract, or an abstract cut short",
            )
        )


def _report_stray(
    source: str, stray: list[tuple[int, str]], seen_abstract: bool, on_problem: OnProblem
) -> None:
    """Short paragraphs between two entries: titles whose abstract is missing, most likely."""
    if not seen_abstract:
        return  # page chrome above the first entry
    for number, paragraph in stray:
        on_problem(Problem(source, number, f"title without an abstract: {paragraph[:60]!r}"))
