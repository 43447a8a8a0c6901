"""A typed name found in an abstract: the unit the linking passes assign to claims.

Mentions are found once per abstract, before any claim is linked: known names from the
lexicons, names the abstract defines or introduces, and names the trained tagger finds where no
list has them. Linking then only chooses among mentions; it never reads names off the text.
"""

from __future__ import annotations

from typing import Literal

import msgspec

# What a mention names. "task" and "dataset" both fill a claim's ``dataset`` (GUIDELINES: the
# benchmark, dataset or task); they stay apart because the tagger and TDMSci tell them apart.
MentionType = Literal["metric", "dataset", "task", "method"]
MENTION_TYPES: tuple[MentionType, ...] = ("metric", "dataset", "task", "method")

# How a mention was found: a lexicon entry, the trained tagger, a definition written in the
# abstract ("word error rate (WER)"), the paper's own method, or a structural phrase
# ("improves the <metric> by", "N% of <thing>").
MentionSource = Literal["lexicon", "tagger", "defined", "own", "phrase", "title"]


class Mention(msgspec.Struct, frozen=True, kw_only=True, order=True):
    """``text[start:end]`` names a ``type``; ``confidence`` is the finder's own certainty."""

    start: int
    end: int
    type: MentionType
    source: MentionSource
    confidence: float = 1.0
    # For a phrase, the construction that found it ("on", "of_value", "self" …): a feature.
    via: str = ""


def occurrences(text: str, name: str) -> list[int]:
    """Where ``name`` stands in ``text`` as a whole word (no letter or digit on either side)."""
    out: list[int] = []
    if not name:
        return out
    at = text.find(name)
    while at >= 0:
        end = at + len(name)
        before = text[at - 1] if at else " "
        after = text[end] if end < len(text) else " "
        if not before.isalnum() and not after.isalnum():
            out.append(at)
        at = text.find(name, at + 1)
    return out
