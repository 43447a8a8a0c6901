"""The candidate plain sentence structure points to, as one more feature for the fitted models.

A few hundred gold claims cannot teach a model every way position and cue words combine; what
grammar says first is worth giving it as one dense feature it can weigh ("structure picks
this"), fitted like the rest:

- subject: the first method named before the number that is not the object of a comparison
  or a preposition ("Zeta beats Beta by 3%": Zeta), else the paper's own method;
- dataset: the nearest dataset or task after the number that a preposition of place opens
  ("by 3% on FooQA") and no other number stands nearer to, else the last such before it
  ("On FooQA, Zeta reaches 71%");
- metric of a count: the thing it counts (GUIDELINES), its noun or its unit ("22B parameters").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import regex

from claimex.extractors.linking.context import DATA_TYPES, TRUSTED
from claimex.extractors.model import RESULT_KINDS

if TYPE_CHECKING:
    from collections.abc import Sequence

    from claimex.extractors.draft import Doc, Draft
    from claimex.extractors.linking.candidates import Candidate, Field

# What stands between a value and its place: at most three words of its unit or metric ("F1",
# "top-1 accuracy"), then a preposition of place and maybe an article.
PLACE_GAP = regex.compile(
    r"""\s*(?:[\p{L}\d@\-]+\s+){0,3}?       # "F1 ", "points ", "top-1 accuracy "
        (?P<preposition>on|in|for|across)\s+(?:the\s+)?  # "on the "
    """,
    regex.VERBOSE | regex.IGNORECASE,
)


def places(doc: Doc) -> dict[int, tuple[int, int]]:
    """Each result draft's place: the span of the data name right after its preposition.

    The start of a range has the place of its end ("from 14.2 to 12.9 on FooText").

    After "for", a name that a finder also takes for a method is no place unless a finder that
    knows names takes it for data: in "75.0% for FooNet" it is whose value it is.
    """
    by_start: dict[int, tuple[int, bool]] = {}  # data mention start -> longest end, a method?
    methods = {(m.start, m.end) for m in doc.mentions if m.type == "method"}
    known = {(m.start, m.end) for m in doc.mentions if m.type in DATA_TYPES and m.source in TRUSTED}
    for m in doc.mentions:
        if m.type in DATA_TYPES and m.end > by_start.get(m.start, (m.start, False))[0]:
            span = (m.start, m.end)
            by_start[m.start] = (m.end, span in methods and span not in known)
    out: dict[int, tuple[int, int]] = {}
    for n, d in enumerate(doc.drafts):
        if d.kind not in RESULT_KINDS:
            continue
        gap = PLACE_GAP.match(doc.text, d.end, d.sentence.end)
        found = by_start.get(gap.end()) if gap else None
        if gap and found and not (found[1] and gap["preposition"].casefold() == "for"):
            out[n] = (gap.end(), found[0])
    for n in sorted(out, reverse=True):  # "from 14.2 to 12.9 on FooText": both ends' place
        start = n - 1
        if doc.drafts[n].joined == "range" and start >= 0 and start not in out:
            out[start] = out[n]
    return out


def listed_places(doc: Doc) -> dict[int, tuple[int, int]]:
    """The places of results in sentences that write two or more values each with its own."""
    found = places(doc)
    per_sentence: dict[int, int] = {}
    for n in found:
        key = doc.drafts[n].sentence.start
        per_sentence[key] = per_sentence.get(key, 0) + 1
    return {n: span for n, span in found.items() if per_sentence[doc.drafts[n].sentence.start] > 1}


PICKED = "structure_picks"
# Cue words before a name that make it an object, not who a claim is about.
OBJECT_CUES = frozenset({"comparison", "of", "where", "from", "with", "to", "by", "and"})
# A cue of comparison: what follows it is the baseline ("Zeta beats | Beta by 3%").
COMPARISON = regex.compile(
    r"\b(?:outperform|surpass|beat|exceed|than|over|versus|vs\.?|compared|against|relative)",
    regex.IGNORECASE,
)


def _prev(features: Sequence[str]) -> str:
    return next((f[5:] for f in features if f.startswith("prev=")), "none")


def _subject(text: str, d: Draft, scored: Sequence[tuple[Candidate, list[str]]]) -> int | None:
    """The candidate sentence structure makes the claim's subject, by its index, if any.

    A result's: the first name before the number, and before any comparison cue, that is no
    object; a count's: the nearest such name before it; else the paper's own method.
    """
    cue = COMPARISON.search(text, d.sentence.start, d.start)
    limit = cue.start() if cue and d.kind != "count" else d.start
    here = [
        i
        for i, (c, f) in enumerate(scored)
        if not c.virtual and c.end <= limit and "pos=before" in f and _prev(f) not in OBJECT_CUES
    ]
    if here:
        order = sorted(here, key=lambda i: scored[i][0].start)
        return order[-1] if d.kind == "count" else order[0]
    own = [i for i, (c, _) in enumerate(scored) if c.virtual == "own" or "is_own" in scored[i][1]]
    return own[0] if own else None


def _nearer(features: Sequence[str]) -> bool:
    return any(f.startswith("nearer_number=") for f in features)


def _dataset(d: Draft, scored: Sequence[tuple[Candidate, list[str]]]) -> int | None:
    placed = [i for i, (_, f) in enumerate(scored) if _prev(f) == "where"]
    # "on A from 1 to 2, and on B from 3 to 4": a place nearer another number is that one's
    after = [i for i in placed if "pos=after" in scored[i][1] and not _nearer(scored[i][1])]
    if after:
        return min(after, key=lambda i: scored[i][0].start)
    before = [i for i in placed if "pos=before" in scored[i][1]]
    return max(before, key=lambda i: scored[i][0].start) if before else None


def _counted(d: Draft, scored: Sequence[tuple[Candidate, list[str]]]) -> int | None:
    if d.kind != "count":
        return None
    counted = [i for i, (c, _) in enumerate(scored) if c.vias & {"counted_noun", "unit"}]
    return counted[-1] if counted else None  # the unit, when it says it otherwise


def mark_pick(text: str, field: Field, d: Draft, scored: list[tuple[Candidate, list[str]]]) -> None:
    """Add ``PICKED`` to the features of the candidate structure points to, if any."""
    if field == "subject":
        pick = _subject(text, d, scored)
    else:
        pick = (_dataset if field == "dataset" else _counted)(d, scored)
    if pick is not None:
        scored[pick][1].append(PICKED)
