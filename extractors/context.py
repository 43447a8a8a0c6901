"""The text around one draft, as the kind and direction rules read it.

``before`` is the draft's clause: back to the number before it in the sentence, or to the
sentence start; ``group_before`` the clause of the first member of its range or list ("by" in
"by 3 to 5 times"); ``after`` runs to the sentence end. ``change`` is the cue word that makes the
number a change, found once and shared by the kind rule and the direction.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

import regex

from claimex.extractors import cues

if TYPE_CHECKING:
    from claimex.extractors.draft import Doc

# How far before the number a cue phrase may start: "an improvement in top-1 accuracy of up to".
# Patterns that end at the number are searched in this window only: they are tried at every
# position, and the cues they look for are short.
CUE_CHARS = 80
POINTS_WORD = regex.compile(
    r"""^\s+ (?: points? | pts\.? ) (?![\p{L}])   # the word of a "points" unit: "45.2 points"
    """,
    regex.VERBOSE,
)


class Context:
    """A draft and the text around it: its clause before, the rest of its sentence after."""

    def __init__(self, doc: Doc, index: int) -> None:
        self.text = doc.text
        self.d = d = doc.drafts[index]
        self.start = _clause_start(doc, index)
        self.before = doc.text[self.start : d.start]
        self.after = doc.text[d.end : d.sentence.end]
        self.sentence_before = doc.text[d.sentence.start : d.start]
        first = index  # the first member of the range or list ``d`` ends: "by [3] to 5 times"
        while first > 0 and doc.drafts[first].joined in {"range", "list"}:
            first -= 1
        self.group_before = doc.text[_clause_start(doc, first) : doc.drafts[first].start]

    def ends_before(self, pattern: regex.Pattern[str], chars: int = CUE_CHARS) -> bool:
        """``pattern`` matches up to the number, within its clause and ``chars`` before it."""
        return self.search_before(pattern, chars) is not None

    def search_before(
        self, pattern: regex.Pattern[str], chars: int = CUE_CHARS
    ) -> regex.Match[str] | None:
        """The first match of ``pattern`` in the clause, at most ``chars`` before the number."""
        lo = max(self.start, self.d.start - chars)
        return pattern.search(self.text, lo, self.d.start)

    @cached_property
    def change(self) -> regex.Match[str] | None:
        """The cue that makes the number a change ("by", "a gain of", "lower"), if any."""
        if cues.BOUND_AFTER.match(self.after):
            return None  # "5000 or more steps": a bound, not a change
        after = cues.CHANGE_AFTER.match(self.after_change)
        if after and self._relative_noun(after):
            return after
        before = self.search_before(cues.CHANGE_BEFORE)
        return before if before and self._relative_noun(before) else None

    @cached_property
    def after_change(self) -> str:
        """The text after the number where a cue of change may stand, past a 'points' unit."""
        if self.d.unit == "points" and self.d.unit_source == "suffix":
            return POINTS_WORD.sub("", self.after, count=1)  # "45.2 points on MMLU"
        return self.after

    def _relative_noun(self, m: regex.Match[str]) -> bool:
        """A noun of change that needs a relative number ("a loss of 1.5%") has one."""
        noun = m.groupdict().get("noun")
        return noun is None or noun.lower() not in cues.RELATIVE_ONLY_NOUNS or self.relative

    @property
    def relative(self) -> bool:
        """Whether the number is relative: in percent, percentage points or points."""
        return self.d.unit in cues.RELATIVE_UNITS

    @property
    def digits(self) -> str:
        """The number as written from its first digit to its end, without the sign before it."""
        return self.text[self.d.number_start : self.d.end]


def _clause_start(doc: Doc, index: int) -> int:
    """Back to the end of the number before in the sentence, or to the sentence start."""
    d = doc.drafts[index]
    if index > 0 and doc.drafts[index - 1].sentence == d.sentence:
        return max(d.sentence.start, doc.drafts[index - 1].end)
    return d.sentence.start
