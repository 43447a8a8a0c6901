"""Candidates for a claim's metric, dataset and subject: the mentions that may fill each field.

Mentions with the same span are one candidate that remembers every type, source and
construction that found it ("ImageNet" from the lexicon and the tagger). A field draws on its
own types — metric on ``metric``; dataset on ``dataset`` and ``task``; subject on ``method`` —
in the claim's sentence and a few sentences before (``REACH``). Two candidates are not in the
text at that place: the paper's own method, which a claim may be about in any sentence, and
the counted thing of a count whose noun is written elsewhere (``unit``); the paper's own data
is likewise a candidate dataset of any claim.
"""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING, Literal

import msgspec
import regex

from claimex.extractors.canonical import metric_facts

if TYPE_CHECKING:
    from collections.abc import Sequence

    from claimex.extractors.draft import Doc, Draft
    from claimex.extractors.mentions.mention import Mention, MentionType

Field = Literal["metric", "dataset", "subject"]
FIELDS: tuple[Field, ...] = ("metric", "dataset", "subject")
TYPES_OF: dict[Field, frozenset[MentionType]] = {
    "metric": frozenset({"metric"}),
    "dataset": frozenset({"dataset", "task"}),
    "subject": frozenset({"method"}),
}
# How many sentences before the claim's own a field looks back for a candidate.
REACH: dict[Field, int] = {"metric": 2, "dataset": 3, "subject": 1}
# At most this many candidates on each side of a claim in its sentence, and from each sentence
# before it: far more than any abstract needs, and what keeps a run-on sentence of thousands of
# names linear.
NEAREST = 8
# A model a method is run on is where its result was measured, not whose result it is.
RAN_ON = regex.compile(
    r"""\b(?:on|upon|atop|on\s+top\s+of)\s+   # "gains 2.1% on", "upon", "on top of"
        (?:the\s+|an?\s+)?$  # "the Foo-7B model", "a Bar backbone"
    """,
    regex.VERBOSE | regex.IGNORECASE,
)
# What a value is had "without" is no measure of it: "3x faster without any loss in accuracy".
WITHOUT = regex.compile(
    r"""\bwithout\s+            # "without"
        (?:[\p{L}\-]+\s+){0,3}$  # "losing", "any loss in", "sacrificing the"
    """,
    regex.VERBOSE | regex.IGNORECASE,
)
WITHOUT_READ = 40  # characters read before a metric candidate for WITHOUT
RAN_ON_READ = 16  # characters read before a subject candidate for RAN_ON


class Candidate(msgspec.Struct, frozen=True, kw_only=True):
    """A name that may fill a claim's field: where it is written, its types, how it was found."""

    start: int
    end: int
    text: str
    sentence: int  # index of the sentence it is written in; -1 when not in the text there
    types: frozenset[str]
    sources: frozenset[str]
    vias: frozenset[str] = frozenset()
    confidence: float = 1.0
    virtual: str = ""  # "own" or "unit" for the two candidates written elsewhere
    run_on: bool = False  # written as what a method runs on: "on the Foo-7B model"
    kept: bool = False  # written as what a result keeps: "without losing accuracy"


class Context(msgspec.Struct, frozen=True, kw_only=True):
    """What linking reads of one abstract, computed once."""

    text: str
    title: str | None
    starts: tuple[int, ...]  # sentence starts, for the sentence of an offset
    by_sentence: dict[int, dict[Field, tuple[Candidate, ...]]]
    own: str | None
    own_data: str | None
    repeats: dict[str, int]  # casefolded candidate text → how often the text names it
    typed: dict[str, frozenset[str]]  # casefolded text → every type it has anywhere
    known: dict[int, tuple[tuple[int, int], ...]]  # sentence → spans of lexicon/tagger names
    numbers: dict[int, tuple[tuple[int, int], ...]]  # sentence → its drafts' spans, in order
    # each candidate's own features, computed once per abstract (``assign.scored_candidates``)
    static: dict[tuple[int, int, str, str], list[str]] = msgspec.field(default_factory=dict)
    # per sentence: does it point back to a dataset named before ("this task")?
    pointing: dict[int, bool] = msgspec.field(default_factory=dict)

    def sentence_of(self, offset: int) -> int:
        """The index of the sentence that ``offset`` falls in (0 before the first)."""
        return max(0, bisect.bisect_right(self.starts, offset) - 1)


def _merge(
    text: str, mentions: Sequence[Mention], starts: Sequence[int], own: str | None
) -> list[Candidate]:
    spans: dict[tuple[int, int], list[Mention]] = {}
    for m in mentions:
        spans.setdefault((m.start, m.end), []).append(m)
    out = []
    for (start, end), group in sorted(spans.items()):
        vias = frozenset(m.via for m in group if m.via)
        out.append(
            Candidate(
                start=start,
                end=end,
                # "our method" is the paper's own method, named as the abstract names it
                text=own if own and "self" in vias else text[start:end],
                sentence=max(0, bisect.bisect_right(starts, start) - 1),
                types=frozenset(m.type for m in group),
                sources=frozenset(m.source for m in group),
                vias=vias,
                confidence=max(m.confidence for m in group),
                run_on=RAN_ON.search(text, max(0, start - RAN_ON_READ), start) is not None,
                kept=WITHOUT.search(text, max(0, start - WITHOUT_READ), start) is not None,
            )
        )
    return out


def context(doc: Doc) -> Context:
    """Everything linking reads of ``doc``, grouped once; linear in the text's length."""
    starts = tuple(s.start for s in doc.sentences)
    merged = _merge(doc.text, doc.mentions, starts, doc.paper_name)
    grouped: dict[int, dict[Field, list[Candidate]]] = {}
    repeats: dict[str, int] = {}
    typed: dict[str, frozenset[str]] = {}
    known: dict[int, list[tuple[int, int]]] = {}
    for c in merged:
        fields = grouped.setdefault(c.sentence, {f: [] for f in FIELDS})
        for f in FIELDS:
            if c.types & TYPES_OF[f]:
                fields[f].append(c)
        key = c.text.casefold()
        repeats[key] = repeats.get(key, 0) + 1  # how often the abstract names it
        typed[key] = typed.get(key, frozenset()) | c.types
        if c.sources & {"lexicon", "tagger", "defined"}:
            known.setdefault(c.sentence, []).append((c.start, c.end))
    numbers: dict[int, list[tuple[int, int]]] = {}
    for d in doc.drafts:
        at = max(0, bisect.bisect_right(starts, d.start) - 1)
        numbers.setdefault(at, []).append((d.start, d.end))
    return Context(
        text=doc.text,
        title=doc.title,
        starts=starts,
        by_sentence={i: {f: tuple(cs) for f, cs in g.items()} for i, g in grouped.items()},
        own=doc.paper_name,
        own_data=doc.paper_data,
        repeats=repeats,
        typed=typed,
        known={i: tuple(spans) for i, spans in known.items()},
        numbers={i: tuple(sorted(spans)) for i, spans in numbers.items()},
    )


def _unit_candidates(ctx: Context, d: Draft, i: int) -> list[Candidate]:
    """The counted thing of a count or setting, as metric candidates: its noun, maybe its unit.

    The noun is taken as written, and the unit too when that says it otherwise ("a 7B model"
    counts parameters).
    """
    if d.kind not in {"count", "other"} or d.unit is None:
        return []
    out = []
    noun = ""
    if d.noun_start is not None and d.noun_end is not None:
        noun = ctx.text[d.noun_start : d.noun_end]
        out.append(
            Candidate(
                start=d.noun_start,
                end=d.noun_end,
                text=noun,
                sentence=i,
                types=frozenset({"metric"}),
                sources=frozenset({"phrase"}),
                vias=frozenset({"counted_noun"}),
            )
        )
    counted = d.unit_source in {"noun", "shared", "inferred"}
    if counted and d.unit.casefold() != noun.casefold():
        out.append(
            Candidate(
                start=d.start,
                end=d.end,
                text=d.unit,
                sentence=-1,
                types=frozenset({"metric"}),
                sources=frozenset({"phrase"}),
                vias=frozenset({"unit"}),
                virtual="unit",
            )
        )
    return out


def _nearest(found: Sequence[Candidate], d: Draft) -> list[Candidate]:
    before = [c for c in found if c.end <= d.start]
    after = [c for c in found if c.end > d.start]
    return before[-NEAREST:] + after[:NEAREST]


def candidates(ctx: Context, d: Draft, field: Field) -> list[Candidate]:
    """The candidates for ``field`` of draft ``d``, its own sentence first."""
    i = ctx.sentence_of(d.start)
    out = _nearest(ctx.by_sentence.get(i, {}).get(field, ()), d)
    for back in range(1, REACH[field] + 1):
        out += ctx.by_sentence.get(i - back, {}).get(field, ())[-NEAREST:]
    if field == "metric":
        out += _unit_candidates(ctx, d, i)
    own = ctx.own if field == "subject" else ctx.own_data if field == "dataset" else None
    if own and not any(c.text == own for c in out):
        at = ctx.text.find(own)
        out.append(
            Candidate(
                start=at,
                end=at + len(own),
                text=own,
                sentence=-1,
                types=TYPES_OF[field],
                sources=frozenset({"own"}),
                virtual="own",
            )
        )
    if field == "dataset" and ctx.own:
        # the paper's own method is what is measured, never what it is measured on
        own_name = ctx.own.casefold()
        out = [c for c in out if c.text.casefold() != own_name]
    if field == "metric" and d.unit_source == "measure":  # "15.4 GFLOPs" is no accuracy
        out = [c for c in out if c.virtual or not metric_facts(c.text).percent]
    if field == "metric":  # "in 4 minutes without losing accuracy": what is kept, not measured
        out = [c for c in out if not c.kept]
    if field == "subject":  # "a gain on the Foo-7B model": what the method ran on, not whose
        out = [c for c in out if not c.run_on]
    # a candidate may overlap the claim's span only as its unit ("62.2 mAP"), never its digits
    return [c for c in out if c.virtual or c.end <= d.start or c.start > d.number_start]
