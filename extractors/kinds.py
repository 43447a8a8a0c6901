"""Kind, direction and bound of each quantity, from its unit and the words around it.

``kind``: ``ratio`` for factors (x, times, fold); ``delta`` for changes (a sign, pp, "by 3%",
"2.26 lower", "7% over X"); ``other`` for shares ("40% of the budget") and settings ("4-bit");
``count`` for amounts of a counted thing; ``score`` for the remaining values of a measure.
``direction`` follows the change of the number ("16 times fewer" is down), from the nearest cue
word. ``bound`` comes from a hedge written just before the number ("up to", "over", "~").
"""

from __future__ import annotations

import msgspec
import regex

from extractors import lexicons
from extractors.draft import Doc, Draft
from extractors.model import Bound, Direction, Kind
from extractors.units import COUNTED

_STEMS = sorted(lexicons.pairs("directions.tsv"), key=lambda p: -len(p[0]))
DIRECTION_OF_STEM: dict[str, Direction] = {
    stem: ("up" if d == "up" else "down") for stem, d in _STEMS
}
DIRECTION_WORD = regex.compile(
    r"(?<![\p{L}])(?P<stem>" + lexicons.alternation(DIRECTION_OF_STEM) + r")\p{L}*",
    regex.IGNORECASE,
)
_BOUNDS = lexicons.pairs("bounds.tsv")
BOUNDS: dict[str, Bound] = {
    "at_most": "at_most",
    "at_least": "at_least",
    "approximate": "approximate",
}
BOUND_OF = {phrase.lower(): bound for phrase, bound in _BOUNDS}
BOUND_BEFORE = regex.compile(
    r"(?:^|(?<![\p{L}]))(?P<hedge>" + lexicons.alternation(BOUND_OF) + r")\s*$",
    regex.IGNORECASE,
)
# A cue just after the number ("16 times fewer", "2.26 lower", "5% relative gain").
DIRECTION_AFTER = regex.compile(
    r"\s*(?:\p{L}+\s+)?(?<![\p{L}])(?P<stem>"
    + lexicons.alternation(DIRECTION_OF_STEM)
    + r")\p{L}*",
    regex.IGNORECASE,
)
DELTA_AFTER = regex.compile(
    r"""^\s*(?:\p{L}+\s+)?                      # at most one word between: "3% relative gain"
        (?: improvements? | gains? | increases? | boosts? | reductions? | decreases? | drops?
          | higher | lower | better | worse | more | less | fewer | faster | slower
          | absolute | relative | points? | lift | speedup )
        (?![\p{L}])
      | ^\s+over\s+(?!the\s+(?:course|years?|period))   # "7% over its GPT counterpart"
    """,
    regex.VERBOSE | regex.IGNORECASE,
)
# "10000 or more steps": a bound, not a change
OR_MORE = regex.compile(r"^\s+or\s+(?P<word>more|greater|higher|above|less|fewer|lower|below)\b")
DELTA_BEFORE = regex.compile(
    r"""
      (?: \b(?:saves?|saving|cuts?|cutting|reduces?|reducing|improves?|improving|boosts?
            |boosting|increases?|increasing|lowers?|lowering|gains?|gaining) (?=\s+\S+\s*$)
        | \bby | \b(?:improvements? | gains? | increases? | boosts? | reductions? | decreases?
                    | drops? | margins? | speedups? ) (?: \s+ (?:of|by) )? )
      \s+ (?:(?:up\s+to|about|around|nearly|over|more\s+than|approximately|roughly|almost
               |an?\s+average\s+of|a\s+margin\s+of|as\s+much\s+as|at\s+least|~)\s*)?$
    """,
    regex.VERBOSE | regex.IGNORECASE,
)
RATIO_AFTER = regex.compile(r"^\s+(?:the|as|that|over|than|more|less|higher|lower)\b", regex.I)
RATIO_BEFORE = regex.compile(
    r"\b(?:by|up\s+to|about|around|nearly|roughly|approximately|over|than|is|are|was|were|"
    r"be|being|becomes?)\s+(?:\S+\s+)?$|[~≈]\s*$",
    regex.IGNORECASE,
)
SHARE_OF_NOUN = regex.compile(
    r"\s+(?:(?!(?:across|on|in|of|for|with|over|at|to|from|by|and|or)\b)[\p{Ll}\-]+\s+)?(?:"
    + lexicons.alternation(lexicons.words("counted_nouns.txt"))
    + r"|data|compute|budget|resources)\b"
)
SHARE_AFTER = regex.compile(r"^\s+of\s+(?!(?:\d|the\s+(?:time|cases)\b))", regex.IGNORECASE)
VALUE_OF_BEFORE = regex.compile(r"\p{L}\s+of\s+(?:\S+\s+)?$")
# A time or size stated as the value of a measure: "latency drops to 12 ms", "speed of 3 s".
MEASURED_BEFORE = regex.compile(
    r"\b(?:latenc\p{L}*|time|speed|throughput|runtime|duration|delay|overhead|footprint|memory)"
    r"\b[^,;.]{0,30}$",
    regex.IGNORECASE,
)
RATE_UNIT = regex.compile(r"/|\bper\b|^(?:fps|FPS|QPS|it/s)$")
SCORE_WORDS_AFTER = regex.compile(
    r"^\s*(?:\p{L}+\s+)?(?:latency|time|speed|throughput|accuracy|score|perplexity)",
    regex.IGNORECASE,
)


def _clause_start(doc: Doc, index: int) -> int:
    """Where the words that belong to draft ``index`` start: the sentence or the last number."""
    d = doc.drafts[index]
    start = d.sentence.start
    if index > 0 and doc.drafts[index - 1].sentence == d.sentence:
        start = max(start, doc.drafts[index - 1].end)
    return start


def _repetitions(text: str, d: Draft, before: str, after: str) -> bool:
    """'invokes the API 9.3k times' counts repetitions; '3 times faster' is a ratio."""
    if not text[d.start : d.end].lower().endswith("times"):
        return False
    return not (
        DIRECTION_AFTER.match(after) or RATIO_AFTER.match(after) or RATIO_BEFORE.search(before)
    )


def _kind(text: str, d: Draft, before: str, after: str) -> Kind:
    if d.unit == "x":
        return "count" if _repetitions(text, d, before, after) else "ratio"
    if (d.sign and d.sign in "+-−–") or d.unit == "pp":
        return "delta"
    if d.sign == "±":
        return "other"
    if d.multiplier and d.unit is None:
        return "count"  # "67.5M": a magnitude with no unit counts something
    if d.unit == "points" and d.unit_source in {"noun", "shared"}:
        # "28.1 BLEU points" is a score in the metric's points; "by 2.1 BLEU points" a change
        rest = text[d.noun_end or d.end : d.sentence.end]
        return "delta" if DELTA_BEFORE.search(before) or DELTA_AFTER.match(rest) else "score"
    if d.unit_source in {"noun", "inferred"} or (
        d.unit_source == "shared" and d.noun_start is not None
    ):
        return "other" if _is_setting_unit(text, d) else "count"
    if d.unit == "points" or (
        not OR_MORE.match(after) and (DELTA_AFTER.match(after) or DELTA_BEFORE.search(before))
    ):
        return "delta"  # "by 12.2 points", "a 3% gain"
    if d.unit == "%" and SHARE_OF_NOUN.match(text, d.end, d.sentence.end):
        return "other"  # "with 0.5% trainable parameters": a share of a counted thing
    if d.unit == "%":
        if SHARE_AFTER.match(after) and not VALUE_OF_BEFORE.search(before):
            return "other"
        return "score"
    if d.unit_source == "measure":
        measured = SCORE_WORDS_AFTER.match(after) or MEASURED_BEFORE.search(before)
        if RATE_UNIT.search(d.unit or "") or measured:
            return "score"
        return "count"
    digits = text[d.number_start : d.end]
    if "." in digits:
        return "score"
    return "other"


def _is_setting_unit(text: str, d: Draft) -> bool:
    """'4-bit', '3-layer': a number written as a compound adjective sets up the work.

    A size in the same form ("19.2B-token", "7B-parameter") is still an amount.
    """
    compound = d.noun_start == d.end + 1 and text[d.end : d.end + 1] in "-–"
    return compound and not d.multiplier and (d.unit or "").lower() not in COUNTED


def _direction(d: Draft, kind: Kind, before: str, after: str) -> Direction | None:
    if kind not in {"delta", "ratio"}:
        return None
    if d.sign == "+":
        return "up"
    if d.sign and d.sign in "-−–":
        return "down"
    near_after = DIRECTION_AFTER.match(after)
    if near_after:
        return DIRECTION_OF_STEM[_stem(near_after["stem"])]
    cues = list(DIRECTION_WORD.finditer(before))
    if cues:
        return DIRECTION_OF_STEM[_stem(cues[-1]["stem"])]
    return "up" if kind == "delta" else None


def _stem(word: str) -> str:
    lower = word.lower()
    for stem, _ in _STEMS:
        if lower.startswith(stem):
            return stem
    return lower  # pragma: no cover - the pattern only matches listed stems


def _bound(d: Draft, before: str, after: str) -> Bound | None:
    if d.open_ended:
        return "at_least"
    or_more = OR_MORE.match(after)
    if or_more:
        up = or_more["word"] in {"more", "greater", "higher", "above"}
        return "at_least" if up else "at_most"
    m = BOUND_BEFORE.search(before[-24:])
    if m is None:
        return None
    bound = BOUND_OF[m["hedge"].lower()]
    return (
        "at_least" if bound == "at_least" else ("at_most" if bound == "at_most" else "approximate")
    )


def classify(doc: Doc) -> Doc:
    """Set kind, direction and bound; members of a range or list agree on a change."""
    text = doc.text
    drafts = list(doc.drafts)
    for i, d in enumerate(drafts):
        before = text[_clause_start(doc, i) : d.start]
        after = text[d.end : d.sentence.end]
        kind = _kind(text, d, before, after)
        drafts[i] = msgspec.structs.replace(
            d,
            unit="times" if d.unit == "x" and kind == "count" else d.unit,
            kind=kind,
            direction=_direction(d, kind, before, after),
            bound=_bound(d, text[d.sentence.start : d.start], after),
        )
    # "by 3.2% to 6.1%", "92.7-98.1% of": a change or share said once holds for the whole group
    for i in range(len(drafts) - 1, 0, -1):
        right, left = drafts[i], drafts[i - 1]
        same_group = right.joined in {"range", "list"} and left.unit == right.unit
        takes_kind = left.kind == "score" or left.unit_source == "shared"
        if same_group and right.kind in {"delta", "other"} and takes_kind:
            drafts[i - 1] = msgspec.structs.replace(
                left, kind=right.kind, direction=right.direction
            )
    for i in range(1, len(drafts)):
        right, left = drafts[i], drafts[i - 1]
        same_group = right.joined in {"range", "list"} and left.unit == right.unit
        if same_group and left.kind == "delta" and right.kind == "score":
            drafts[i] = msgspec.structs.replace(right, kind="delta", direction=left.direction)
    return msgspec.structs.replace(doc, drafts=tuple(drafts))
