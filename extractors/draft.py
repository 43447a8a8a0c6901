"""The working records of the pipeline: a document and the claims drafted in it so far.

Steps take a ``Doc`` and return a new one (``msgspec.structs.replace``); nothing is mutated, so
each step can be tested on its own and the order of steps in ``pipeline.STEPS`` tells the story.
"""

from __future__ import annotations

from typing import Literal

import msgspec

from claimex.extractors.mentions.mention import Mention
from claimex.extractors.model import Bound, Direction, Joined, Kind
from claimex.extractors.sentences import Sentence

# Where a draft's unit came from: written after the number ("%", "x", "pp"), a measurement unit
# ("ms", "TB"), a counted noun ("tokens"), shared from a neighbour in a list or range, or
# inferred ("7B" before a model name counts parameters).
UnitSource = Literal["suffix", "measure", "noun", "shared", "inferred"]
Connector = Joined


class Draft(msgspec.Struct, frozen=True, kw_only=True):
    """A claim in the making: the number as written, its unit, and the fields filled so far."""

    start: int
    end: int
    value: float
    sentence: Sentence
    number_start: int  # where the digits start (after any sign)
    unit: str | None = None
    unit_source: UnitSource | None = None
    sign: str | None = None
    multiplier: str | None = None  # "B", "M", "billion" … as written
    open_ended: bool = False  # "10+%"
    noun_start: int | None = None  # the counted noun phrase after the number, if any
    noun_end: int | None = None
    joined: Connector | None = None  # how this draft is tied to the one before it
    kind: Kind = "other"
    direction: Direction | None = None
    bound: Bound | None = None
    metric: str | None = None
    dataset: str | None = None
    subject: str | None = None
    baseline: str | None = None
    setting: str | None = None
    confidence: float = 0.5


class Doc(msgspec.Struct, frozen=True, kw_only=True):
    """The abstract as steps pass it on: its text, sentences, drafts and typed mentions."""

    text: str
    title: str | None
    sentences: tuple[Sentence, ...] = ()
    drafts: tuple[Draft, ...] = ()
    # Typed names of the sentences that hold a draft and of those they draw context from.
    mentions: tuple[Mention, ...] = ()
    paper_name: str | None = None  # the name the abstract gives its own method, if any
    paper_data: str | None = None  # … or its own dataset or benchmark, when that is what it offers
    # Numbers read at most (``pipeline.extract``'s ``max_claims``): a text of nothing but numbers
    # is read only as far as its first claims, which is all a caller keeps.
    max_numbers: int | None = None
