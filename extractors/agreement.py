"""What numbers written together share: a change said once holds for its whole list.

After each draft has its own kind (``kinds``), neighbours in one sentence settle what only one
of them says. A range or list with one unit agrees on a change or share ("by 3.2% to 6.1%",
"92.7-98.1% of"); members that only take their unit from the last one take its kind too ("from
9 to 31 seconds of annotation time"). A change carries along a list whose members are separated
by words ("improves by 3% for A, 7% for B and 2% for C", "a 4% gain on X and 6% on Y"), and to
its restatement in parentheses ("by up to 3pp (or 4.2%)"). A change with no cue of its own takes
the direction of the change before it in the sentence; else a change is up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import msgspec
import regex

from claimex.extractors import cues, lexicons

if TYPE_CHECKING:
    from claimex.extractors.draft import Draft

MAX_NAME_WORDS = 6  # "for [the largest 7B model]": words naming a list member
MAX_WORDS_BEFORE_PARENTHESIS = 3  # "by 3% [on average] (up to 7%)"

_BREAKS = lexicons.alternation(
    (*lexicons.words("clause_breaks.txt"), *lexicons.words("achievement_verbs.txt"))
)
_CHANGE_WORDS = lexicons.alternation(
    (*cues.NOUN_DIRECTION, *cues.COMPARATIVE_DIRECTION, "absolute", "relative", "points", "point")
)
_HEDGE = r"(?:" + lexicons.alternation(cues.BOUND_OF) + r")"
# The words between a change and the next value of its list.
LIST_GAP = regex.compile(
    rf"""
    ^
    (?: \s+ (?: {_CHANGE_WORDS} ) (?![\p{{L}}]) ){{0,2}}     # "4% gain", "2 points higher"
    (?: \s+ (?: on | for | in | at | across | over | among | under | of )   # "on SQuAD"
        (?: \s+ (?! (?: {_BREAKS} ) (?![\p{{L}}]) ) [^\s,;()]+    # a word of the name
          | \s* \( [^()]* \) ){{1,{MAX_NAME_WORDS}}}           # or a parenthesis: "(ours)"
    )?
    (?: \s* , \s* (?: (?:and|or) \s+ )? | \s+ (?:and|or) \s+ | \s* ; \s* )  # ", 7%", " and 2%"
    (?: (?:by|of) \s+ )?                                       # "and by 2%"
    {cues.LEAD}                                                # "and up to 9%", "and only 2%"
    $
    """,
    regex.VERBOSE | regex.IGNORECASE,
)
# A change said again in other words right after it: "by 5pp (or 5.7%)", "3% (up to 7%)",
# "by 4.2 GB, or 30%".
RESTATED_GAP = regex.compile(
    rf"""
    ^ (?: (?: \s+ [^\s()\d,;]+ ){{0,{MAX_WORDS_BEFORE_PARENTHESIS}}}   # "on average"
          \s* \( \s*                                                 # "("
        | \s* , \s* (?= or \s ) )                                     # ", or"
    (?: (?P<restated> or | i\.e\.,? | that \s+ is,? | equivalently | relative(?:ly)? ) \s* )?
    (?P<hedge> {_HEDGE} \s* )?                                  # "(or up to", "(about"
    $
    """,
    regex.VERBOSE | regex.IGNORECASE,
)


# The words between a value and the one it is compared with: "42% of the tasks, compared to".
VERSUS_GAP = regex.compile(
    rf"""
    ^ (?P<words> (?: \s+ [^\s\d,;()]+ ){{0,{MAX_NAME_WORDS}}} )   # "of the tasks"
    \s* ,? \s* \(? \s*
    (?: vs\.? | versus | compared \s+ (?:to|with) | against ) \s+ $   # ", compared to", "(vs."
    """,
    regex.VERBOSE | regex.IGNORECASE,
)


def _same_group(left: Draft, right: Draft) -> bool:
    same_unit = left.unit == right.unit or {left.unit, right.unit} == {"x", "times"}
    return right.joined in {"range", "list"} and same_unit


def _groups(drafts: list[Draft], unit_only: list[bool]) -> None:
    """A change or share said once holds for the whole range or list."""
    for i in range(len(drafts) - 1, 0, -1):
        right, left = drafts[i], drafts[i - 1]
        if not _same_group(left, right):
            continue
        shared = left.unit_source == "shared"
        # "from 9 to 31 seconds": only the number is its own, no cue of its kind either
        borrowed = shared and not left.sign and unit_only[i - 1]
        takes = (left.kind == "score" or shared) and right.kind in {"delta", "other"}
        if left.kind == right.kind and left.direction is None:  # "1.5-2x larger": both up
            drafts[i - 1] = msgspec.structs.replace(left, direction=right.direction)
        elif takes or borrowed:
            changes = right.kind in {"delta", "ratio"}
            drafts[i - 1] = msgspec.structs.replace(
                left,
                kind=right.kind,
                direction=(right.direction or left.direction) if changes else None,
                unit=right.unit if borrowed else left.unit,  # "3 to 5 times": both repetitions
            )
    for i in range(1, len(drafts)):
        right, left = drafts[i], drafts[i - 1]
        if _same_group(left, right) and left.kind == "delta" and right.kind == "score":
            drafts[i] = msgspec.structs.replace(right, kind="delta", direction=left.direction)
        elif right.joined in {"range", "list"}:
            _ends_agree(drafts, i)


def _ends_agree(drafts: list[Draft], i: int) -> None:
    """'from 120 ms to 45 ms' after 'latency': both ends are measured if one is."""
    right, left = drafts[i], drafts[i - 1]
    amounts = {left.kind, right.kind} == {"score", "count"}
    if amounts and left.unit == right.unit and left.unit_source == right.unit_source == "measure":
        j = i - 1 if left.kind == "count" else i
        drafts[j] = msgspec.structs.replace(drafts[j], kind="score")


def _compatible(left: Draft, right: Draft, restated: bool) -> bool:
    if restated:
        return right.unit in cues.RELATIVE_UNITS or right.unit == left.unit
    return right.unit == left.unit or (right.unit is None and left.unit in {None, "points"})


def _carried(text: str, left: Draft, right: Draft) -> bool:
    """``right`` continues the change ``left`` states: a list member or a restatement."""
    gap = text[max(left.end, left.noun_end or 0) : right.start]
    if LIST_GAP.match(gap) and _compatible(left, right, restated=False):
        return True
    m = RESTATED_GAP.match(gap)
    if m is None or cues.COMPARED_AFTER.match(text[right.end : right.sentence.end]):
        return False
    explicit = m["restated"] is not None or m["hedge"] is not None
    different_unit = right.unit != left.unit
    return (explicit or different_unit) and _compatible(left, right, restated=True)


def _carry_changes(text: str, drafts: list[Draft], plain: list[bool]) -> None:
    for i in range(1, len(drafts)):
        left, right = drafts[i - 1], drafts[i]
        if left.sentence != right.sentence or right.kind == left.kind or not plain[i]:
            continue
        if left.kind == "delta" and _carried(text, left, right):
            drafts[i] = msgspec.structs.replace(right, kind="delta", direction=None)
        elif _compared(text, left, right):
            direction = None if left.kind == "delta" else right.direction
            drafts[i] = msgspec.structs.replace(right, kind=left.kind, direction=direction)


def _compared(text: str, left: Draft, right: Draft) -> bool:
    """Whether ``right`` is compared with ``left``, and so of the same kind (a share, a change).

    As in '64.3% of the questions, versus 58.9% for the baseline'.
    """
    if left.kind not in {"delta", "other"} or left.unit != right.unit:
        return False
    m = VERSUS_GAP.match(text[left.end : right.start])
    # words after a change are its cue ("0.8 lower vs 9.92"): what follows is a level
    return m is not None and (left.kind == "other" or not m["words"])


def _fill_directions(text: str, drafts: list[Draft]) -> None:
    """A change with no cue of its own goes the way of the change before it in its sentence.

    That is unless a contrast stands between them; else it goes up.
    """
    for i, d in enumerate(drafts):
        if d.direction is not None or d.kind not in {"delta", "ratio"}:
            continue
        previous = next(
            (
                p
                for p in reversed(drafts[:i])
                if p.sentence == d.sentence and p.kind == d.kind and p.direction
            ),
            None,
        )
        if previous and cues.CONTRAST.search(text, previous.end, d.start):
            previous = None
        direction = previous.direction if previous else None
        if direction is None and d.kind == "delta":
            direction = "up"
        drafts[i] = msgspec.structs.replace(d, direction=direction)


def agree(
    text: str, drafts: list[Draft], plain: list[bool], unit_only: list[bool]
) -> tuple[Draft, ...]:
    """Settle kinds and directions across neighbours.

    ``plain[i]``: draft ``i`` has no cue of its own for its kind (a percent, a decimal or a bare
    integer), so a list may give one; ``unit_only[i]``: its kind comes from its unit alone, so a
    range may give one.
    """
    out = list(drafts)
    _groups(out, unit_only)
    _carry_changes(text, out, plain)
    _fill_directions(text, out)
    return tuple(out)
