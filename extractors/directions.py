"""Direction and bound of a quantity, from the words around it.

``direction`` (of a delta or a ratio) follows the change of the number, not its merit: a sign,
else the noun or comparative that makes it a change ("a 2% drop", "2.26 lower perplexity"),
else a cue word right after it, else the last verb or noun of change in its clause (else its
last comparative), else in an earlier clause of its sentence with no contrast between. A word
of merit ("improves", "a 10% improvement", "better") turns for a measure that is better lower
("improves perplexity by 2.1" is down). ``None`` when no word gives one: ``agreement`` then
takes the direction of the change before it. ``bound`` comes from a hedge before ("up to",
"over", "~") or after ("or more").
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import regex

from claimex.extractors import cues
from claimex.extractors.canonical import metric_facts
from claimex.extractors.vocabulary import METRIC

if TYPE_CHECKING:
    from claimex.extractors.context import Context
    from claimex.extractors.model import Bound, Direction, Kind

BOUND_CHARS = 24  # how far before the number a hedge may start: "no more than" and spaces
DIRECTION_CHARS = 120  # how far back in its clause a verb of change is looked for
MERIT_METRIC_CHARS = 40  # "by 2.1 [points in word error rate]": where a measure after it may be
# What may stand between a number and the measure it is in: "2.1 FID", "10% in terms of WER".
METRIC_AFTER = regex.compile(
    r"""\s* (?: (?: in | of | on | terms | the | its | their | points? ) \s+ )* $""",
    regex.VERBOSE | regex.IGNORECASE,
)


class Cue(NamedTuple):
    """A word that gives a direction: which, the word, and where its measure may be named."""

    direction: Direction | None
    word: str
    metric_from: int  # where the measure the cue is about may be named ("improves [WER] by")


def own_direction(c: Context, kind: Kind) -> Direction | None:
    """The direction the number's own words give; ``None`` when they give none."""
    if kind not in {"delta", "ratio"}:
        return None
    if c.d.sign and c.d.sign in "+-−–↑↓":
        return "up" if c.d.sign in "+↑" else "down"
    for rule in (_adjacent_cue, _after_cue, _before_cue, _sentence_cue):
        cue = rule(c)
        if cue is not None and cue.direction is not None:
            return _by_merit(c, cue)
    return None


def _adjacent_cue(c: Context) -> Cue | None:
    """The noun or comparative that makes it a change ('a 2% drop', '2.26 lower')."""
    m = c.change
    if m is None:
        return None
    before = m.re is cues.CHANGE_BEFORE  # else matched on the text after the number
    metric_from = m.end() if before else c.d.end + len(c.after) - len(c.after_change) + m.end()
    if m.groupdict().get("noun"):
        noun = m["noun"].lower()
        return Cue(cues.NOUN_DIRECTION.get(noun), noun, metric_from)
    if m.groupdict().get("comparative"):
        word = m["comparative"].lower()
        return Cue(cues.COMPARATIVE_DIRECTION[word], word, metric_from)
    return None


def _after_cue(c: Context) -> Cue | None:
    """A cue right after the number, or after the noun it counts.

    As in '2 orders of magnitude faster', '16 times fewer'.
    """
    d = c.d
    noun_next = d.noun_start is not None and not c.text[d.end : d.noun_start].strip()
    start = d.noun_end if noun_next and d.noun_end else d.end
    # patterns anchored with "^" match on a slice: at a ``pos`` the regex module never does
    m = cues.DIRECTION_AFTER.match(c.text[start : d.sentence.end])
    if m is None and start != d.end:
        start, m = d.end, cues.DIRECTION_AFTER.match(c.after)
    if m is None:
        return None
    if m["comparative"]:
        word = m["comparative"].lower()
        return Cue(cues.COMPARATIVE_DIRECTION[word], word, start + m.end())
    return Cue(cues.stem_direction(m["stem"]), m["stem"].lower(), start + m.end())


def _before_cue(c: Context) -> Cue | None:
    """The last verb or noun of change in the clause; else its last comparative."""
    return _last_cue(c, c.before[-DIRECTION_CHARS:])


def _sentence_cue(c: Context) -> Cue | None:
    """The cue of an earlier clause, for a change that has none of its own.

    It holds unless a contrast stands between ('but', 'while'): 'improves perplexity by 2.1 and
    accuracy by 3%'.
    """
    before = c.sentence_before[-DIRECTION_CHARS:]
    cue = _last_cue(c, before)
    if cue is None or cues.CONTRAST.search(c.text, cue.metric_from, c.d.start):
        return None
    return cue


def _last_cue(c: Context, before: str) -> Cue | None:
    offset = c.d.start - len(before)
    for m in reversed(list(cues.STEM_WORD.finditer(before))):
        found = cues.stem_direction(m["stem"])
        if found is not None:
            return Cue(found, m.group().lower(), offset + m.end())
    comparatives = list(cues.COMPARATIVE_WORD.finditer(before))
    if comparatives:
        m = comparatives[-1]
        word = m["word"].lower()
        return Cue(cues.COMPARATIVE_DIRECTION[word], word, offset + m.end())
    return None


def _by_merit(c: Context, cue: Cue) -> Direction | None:
    """A word of merit goes the other way for a measure that is better lower.

    'improves perplexity by 2.1', 'a 10% improvement in WER', 'outperforms it by 2.1 FID' are
    falls.
    """
    merit = cue.word in cues.MERIT_WORDS or any(cue.word.startswith(s) for s in cues.MERIT_STEMS)
    if not merit or cue.direction is None:
        return cue.direction
    metric = _measure_of(c, cue.metric_from)
    if metric is not None and metric_facts(metric).better == "lower":
        return "down" if cue.direction == "up" else "up"
    return cue.direction


def _measure_of(c: Context, after_cue: int) -> str | None:
    """The measure a change is in, named between its cue and the number or right after it.

    It is the last one named between its cue and the number ('improves [WER] by 12%'), else one
    named right after ('by 2.1 FID', '10% ... in WER').
    """
    d = c.d
    named = list(METRIC.finditer(c.text, after_cue, d.start)) if after_cue < d.start else []
    if named:
        return named[-1].group()
    start = max(d.end, after_cue)
    m = METRIC.search(c.text, start, min(d.sentence.end, start + MERIT_METRIC_CHARS))
    return m.group() if m and METRIC_AFTER.match(c.text, start, m.start()) else None


def bound(c: Context) -> Bound | None:
    """'up to 73%' at most, 'over 90%' and '10000 or more' at least, '~400' approximate."""
    if c.d.open_ended:
        return "at_least"
    after = cues.BOUND_AFTER.match(c.after)
    if after:
        return cues.BOUND_AFTER_OF[after["hedge"].lower()]
    m = cues.BOUND_BEFORE.search(c.sentence_before[-BOUND_CHARS:])
    return cues.BOUND_OF[m["hedge"].lower()] if m else None
