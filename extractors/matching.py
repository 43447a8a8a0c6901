"""When a predicted claim is a gold claim, and when two names are the same, as ``score.py`` says.

A prediction is the gold claim's quantity when their spans share a character and their values
agree within ``VALUE_TOLERANCE``; gold and predicted claims are paired one to one by a maximum
matching. Two names are the same, leniently, when they spell the same once case and
punctuation are dropped, when the words of one are among the other's, or when their word sets
overlap by ``JACCARD_SAME``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import regex

if TYPE_CHECKING:
    from collections.abc import Sequence

    from claimex.extractors.scoring import ScoredClaim

VALUE_TOLERANCE = 1e-6  # relative, with 1.0 as the smallest scale so that 0 matches 1e-7
JACCARD_SAME = 0.5

# Words of a name: letters and digits, a decimal number kept whole ("3.5"); everything else
# (hyphens, slashes, "@", brackets, spaces) separates words and is otherwise ignored.
_WORD = regex.compile(
    r"""
    \d+(?:\.\d+)+     # a decimal number such as 3.5 or 1.0.2
    | [^\W_]+         # a run of letters and digits in any script
    """,
    regex.VERBOSE,
)


def name_words(name: str | None) -> tuple[str, ...]:
    """The casefolded words of a name, in order; ``()`` for ``None`` or pure punctuation."""
    return tuple(_WORD.findall(name.casefold())) if name else ()


def same_name(gold: str | None, pred: str | None) -> bool:
    """Whether two names denote the same thing, leniently.

    Equal when they spell the same once case and punctuation are dropped ("SplitCIFAR100" and
    "split-CIFAR-100"), when the words of one are all among the words of the other, or when the
    two word sets share at least half of their union.
    """
    a, b = name_words(gold), name_words(pred)
    if not a or not b:
        return False
    if "".join(a) == "".join(b):
        return True
    sa, sb = set(a), set(b)
    return sa <= sb or sb <= sa or len(sa & sb) / len(sa | sb) >= JACCARD_SAME


def same_value(a: float, b: float) -> bool:
    """Whether two values agree within ``VALUE_TOLERANCE`` of the larger (or of 1, if larger)."""
    return abs(a - b) <= VALUE_TOLERANCE * max(1.0, abs(a), abs(b))


def overlaps(a: ScoredClaim, b: ScoredClaim) -> bool:
    """Whether the spans of the two claims share at least one character."""
    return a.start < b.end and b.start < a.end


def quantity_match(a: ScoredClaim, b: ScoredClaim) -> bool:
    """Whether two claims are one quantity: their spans overlap and their values agree."""
    return overlaps(a, b) and same_value(a.value, b.value)


def match_claims(gold: Sequence[ScoredClaim], pred: Sequence[ScoredClaim]) -> dict[int, int]:
    """A maximum one-to-one matching of gold to predicted claims: gold index -> pred index."""
    partners = [[j for j, p in enumerate(pred) if quantity_match(g, p)] for g in gold]
    owner: dict[int, int] = {}  # pred index -> gold index

    def augment(g: int, seen: set[int]) -> bool:
        for p in partners[g]:
            if p in seen:
                continue
            seen.add(p)
            if p not in owner or augment(owner[p], seen):
                owner[p] = g
                return True
        return False

    for g in range(len(gold)):
        augment(g, set())
    return {g: p for p, g in owner.items()}
