"""Direction and bound of a quantity, from the words around it.

``direction`` (of a delta or a ratio) follows the change of the number, not its merit: a sign,
else the noun or comparative that makes it a change ("a 2% drop", "2.26 lower perplexity"), else
a cue word right after it, else the last verb or noun of change in its clause, else the last
comparative there. ``None`` when no word gives one: ``agreement`` then takes the direction of the
change before it. ``bound`` comes from a hedge before ("up to", "over", "~") or after ("or more").
"""

from __future__ import annotations

from extractors import cues
from extractors.context import Context
from extractors.model import Bound, Direction, Kind

BOUND_CHARS = 24  # how far before the number a hedge may start: "no more than" and spaces
DIRECTION_CHARS = 120  # how far back in its clause a verb of change is looked for


def own_direction(c: Context, kind: Kind) -> Direction | None:
    """The direction the number's own words give; ``None`` when they give none."""
    if kind not in {"delta", "ratio"}:
        return None
    if c.d.sign and c.d.sign in "+-−–↑↓":
        return "up" if c.d.sign in "+↑" else "down"
    for rule in (_adjacent_direction, _after_direction, _before_direction):
        found = rule(c)
        if found is not None:
            return found
    return None


def _adjacent_direction(c: Context) -> Direction | None:
    """The direction of the noun or comparative that makes it a change ('a 2% drop')."""
    m = c.change
    if m is None:
        return None
    groups = m.groupdict()
    if groups.get("noun"):
        return cues.NOUN_DIRECTION.get(groups["noun"].lower())
    if groups.get("comparative"):
        return cues.COMPARATIVE_DIRECTION[groups["comparative"].lower()]
    return None


def _after_direction(c: Context) -> Direction | None:
    """A cue right after the number, or after the noun it counts: '2 orders of magnitude
    faster', '16 times fewer'."""
    d = c.d
    noun_next = d.noun_start is not None and not c.text[d.end : d.noun_start].strip()
    rest = c.text[d.noun_end : d.sentence.end] if noun_next and d.noun_end else c.after
    m = cues.DIRECTION_AFTER.match(rest) or cues.DIRECTION_AFTER.match(c.after)
    if m is None:
        return None
    if m["comparative"]:
        return cues.COMPARATIVE_DIRECTION[m["comparative"].lower()]
    return cues.stem_direction(m["stem"])


def _before_direction(c: Context) -> Direction | None:
    """The last verb or noun of change in the clause; else its last comparative."""
    before = c.before[-DIRECTION_CHARS:]
    for m in reversed(list(cues.STEM_WORD.finditer(before))):
        found = cues.stem_direction(m["stem"])
        if found is not None:
            return found
    comparatives = list(cues.COMPARATIVE_WORD.finditer(before))
    if comparatives:
        return cues.COMPARATIVE_DIRECTION[comparatives[-1]["word"].lower()]
    return None


def bound(c: Context) -> Bound | None:
    """'up to 73%' at most, 'over 90%' and '10000 or more' at least, '~400' approximate."""
    if c.d.open_ended:
        return "at_least"
    after = cues.BOUND_AFTER.match(c.after)
    if after:
        return cues.BOUND_AFTER_OF[after["hedge"].lower()]
    m = cues.BOUND_BEFORE.search(c.sentence_before[-BOUND_CHARS:])
    return cues.BOUND_OF[m["hedge"].lower()] if m else None
