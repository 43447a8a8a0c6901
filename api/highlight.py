"""An abstract's text cut into plain pieces and claim pieces, by the claims' offsets.

The template prints each piece through Jinja's autoescaping, so abstract text is never markup.
Claims are highlighted in order of their start; a claim overlapping one already highlighted is
left out of the text (it is still listed beside it).
"""

from __future__ import annotations

from collections.abc import Sequence

import msgspec

from claimex.extractors.model import Claim


class Piece(msgspec.Struct, frozen=True, kw_only=True):
    """A run of text; ``claim`` is the index of the claim it is the span of, if any."""

    text: str
    claim: int | None = None


def pieces(text: str, claims: Sequence[Claim]) -> list[Piece]:
    """``text`` split so that each highlighted claim's span is one piece."""
    out: list[Piece] = []
    at = 0
    for n, claim in sorted(enumerate(claims), key=lambda nc: (nc[1].start, -nc[1].end)):
        if claim.start < at or claim.end > len(text) or claim.end <= claim.start:
            continue
        if claim.start > at:
            out.append(Piece(text=text[at : claim.start]))
        out.append(Piece(text=text[claim.start : claim.end], claim=n))
        at = claim.end
    if at < len(text):
        out.append(Piece(text=text[at:]))
    return out
