"""Kind, direction and bound of each quantity, from its unit and the words around it.

``kind`` is decided by ``KIND_RULES``, a table of (reason, predicate, kind) read in order: the
first predicate that holds names the kind and the reason, which keeps the decision explainable
and testable. ``ratio`` for factors (x, times, fold); ``delta`` for changes (a sign, pp, "by 3%",
"a 3% gain", "2.26 lower"); ``other`` for shares ("40% of the budget") and settings ("4-bit",
"batch size 512"); ``count`` for amounts of a counted thing; ``score`` for values of a measure.
``direction`` follows the change of the number ("16 times fewer" is down) from the cue that
makes it a change, else the nearest cue word; ``bound`` comes from a hedge ("up to", "over",
"~", "or more"). What numbers written together share is settled after, in ``agreement``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Literal, NamedTuple

import msgspec

from claimex.extractors import cues, setting_cues
from claimex.extractors.agreement import agree
from claimex.extractors.context import CUE_CHARS, Context
from claimex.extractors.directions import bound, own_direction
from claimex.extractors.units import COUNTED, ORDERS
from claimex.extractors.vocabulary import METRIC

if TYPE_CHECKING:
    from claimex.extractors.draft import Doc, Draft
    from claimex.extractors.model import Kind

PARENTHESIS_CHARS = 120  # "lifts [the rate-distortion score of our codec by far] (up to"
METRIC_NAME_CHARS = 40  # how far before the number a metric's name may start: "an overall score of"


Predicate = Callable[[Context], bool]


def is_repetition(c: Context) -> bool:
    """'invokes the API 9.3k times' counts repetitions; '3 times faster' is a ratio."""
    if c.d.unit != "x" or not c.text[c.d.start : c.d.end].lower().endswith("times"):
        return False
    return not (
        cues.DIRECTION_AFTER.match(c.after)
        or cues.RATIO_AFTER.match(c.after)
        or cues.RATIO_BEFORE.search(c.group_before[-CUE_CHARS:])
    )


def is_factor(c: Context) -> bool:
    """'2.5x', '3-fold', '2 orders of magnitude': a number in times or orders of magnitude."""
    return c.d.unit in {"x", ORDERS}


def is_factor_phrase(c: Context) -> bool:
    """'by a factor of 4': a factor named in the words right before the number."""
    return "factor" in c.before[-CUE_CHARS:].lower() and c.ends_before(cues.FACTOR_BEFORE)


def is_fold_protocol(c: Context) -> bool:
    """'5-fold cross-validation' is an evaluation protocol, not a factor."""
    fold = c.d.unit == "x" and c.text[c.d.start : c.d.end].lower().endswith("fold")
    return fold and setting_cues.FOLD_PROTOCOL_AFTER.match(c.after) is not None


def is_signed_change(c: Context) -> bool:
    """'+0.8%', '↓1.2', '1.5 pp': a number with a sign or an arrow, or in percentage points."""
    return bool(c.d.sign and c.d.sign in "+-−–↑↓") or c.d.unit == "pp"


def is_spread(c: Context) -> bool:
    """'± 0.4': the spread written after a value, not a value of its own."""
    return c.d.sign == "±"


def is_bare_magnitude(c: Context) -> bool:
    """'67.5M': a magnitude with no unit counts something."""
    return bool(c.d.multiplier) and c.d.unit is None


def _metric_points(c: Context) -> bool:
    return c.d.unit == "points" and c.d.unit_source in {"noun", "shared"}


def is_changed_metric_points(c: Context) -> bool:
    """'by 2.1 BLEU points' is a change; '28.1 BLEU points' is a score in the metric's points."""
    if not _metric_points(c):
        return False
    rest = c.text[c.d.noun_end or c.d.end : c.d.sentence.end]
    return c.ends_before(cues.CHANGE_BEFORE) or cues.CHANGE_AFTER.match(rest) is not None


def is_setting_compound(c: Context) -> bool:
    """'4-bit', '3-layer': a number written as a compound adjective sets up the work.

    A size in the same form ("19.2B-token", "7B-parameter") is still an amount.
    """
    d = c.d
    if not _has_noun(c):
        return False
    compound = d.noun_start == d.end + 1 and c.text[d.end : d.end + 1] in "-–"
    return compound and not d.multiplier and (d.unit or "").lower() not in COUNTED


def _has_noun(c: Context) -> bool:
    d = c.d
    return d.unit_source in {"noun", "inferred"} or (
        d.unit_source == "shared" and d.noun_start is not None
    )


def is_change(c: Context) -> bool:
    """'by 3%', 'a 3% gain', '2.26 lower': a cue of change before or after the number."""
    return c.change is not None


def is_parenthesised_change(c: Context) -> bool:
    """'improves grounding (up to 14%)': a value put after a change in parentheses."""
    m = c.search_before(cues.PARENTHESIS_AFTER_CHANGE, PARENTHESIS_CHARS)
    if m is None or cues.stem_direction(m["stem"]) is None or cues.COMPARED_AFTER.match(c.after):
        return False
    # "outperforms the best baseline (0.887)": the rival's value, unless hedged or "by" it
    rival = m["stem"].lower() in cues.COMPARISON_STEMS
    return not rival or bool(m["lead"]) or cues.BY_WORD.search(m.group()) is not None


def is_achieved_points(c: Context) -> bool:
    """'scores 45 points', 'reaches 61.2 points on MMLU': points stated as achieved."""
    return c.d.unit == "points" and c.ends_before(cues.ACHIEVED_BEFORE)


def is_points(c: Context) -> bool:
    """'12.2 points': a number whose unit is points."""
    return c.d.unit == "points"


def is_peak_share(c: Context) -> bool:
    """'40% of peak': the share of the hardware's peak a system uses is a utilization."""
    return c.d.unit == "%" and setting_cues.PEAK_SHARE_AFTER.match(c.after) is not None


def is_setting_value(c: Context) -> bool:
    """The value given to a setting, named before it or (a percent) after it.

    As in 'batch size 512', 'temperature 0.7', 'k=5 neighbours', 'at 70% sparsity'.
    """
    if c.d.unit_source in {"measure", "inferred"} or c.d.unit in {"x", "pp", "points"}:
        return False  # "a threshold of 5 ms" is measured, "a 7B model" sized
    after = c.d.unit == "%" and setting_cues.SETTING_AFTER.match(c.after) is not None
    if after and _metric_next(c):
        after = False  # the setting's word opens a metric's name: "48.5% mask AP"
    return after or c.ends_before(setting_cues.SETTING_BEFORE)


def is_share(c: Context) -> bool:
    """'with 0.3% trainable parameters', '30% of the budget', '1/8 of the compute'."""
    d = c.d
    if d.unit == "%" and cues.SHARE_OF_NOUN.match(c.text, d.end, d.sentence.end):
        return True
    if d.unit != "%" and "/" not in c.digits:
        return False
    return bool(cues.SHARE_AFTER.match(c.after)) and not c.ends_before(cues.VALUE_OF_BEFORE)


def is_percent(c: Context) -> bool:
    """'71.3%': a number whose unit is the percent sign."""
    return c.d.unit == "%"


def is_measured(c: Context) -> bool:
    """'latency of 12 ms', '31 seconds of annotation time', '30 FPS', 'sustains 25 petaflops'."""
    if c.d.unit_source != "measure":
        return False
    return bool(
        cues.RATE_UNIT.search(c.d.unit or "")
        or cues.MEASURED_AFTER.match(c.after)
        or c.ends_before(cues.MEASURED_BEFORE)
        or c.ends_before(cues.ACHIEVED_BEFORE)
    )


def is_measure(c: Context) -> bool:
    """'4TB', '3.5 hours': a number in a unit of measurement."""
    return c.d.unit_source == "measure"


def is_counted(c: Context) -> bool:
    """'54 tasks', 'a 7B model': a number with a noun it counts, written or inferred."""
    return _has_noun(c)


def is_metric_value(c: Context) -> bool:
    """'an overall score of 271', 'an Elo of 1250': the value of a named metric."""
    if c.d.unit is not None:
        return False
    window = c.before[-METRIC_NAME_CHARS:]
    link = cues.VALUE_LINK.search(window)
    head = window[: link.start()] if link else window
    if any(m.end() == len(head) for m in METRIC.finditer(head)):
        return True
    word = cues.LAST_WORD.search(head)
    return word is not None and word.group().lower() in cues.SCORE_HEADS


def is_achieved_value(c: Context) -> bool:
    """'achieves 271 on the leaderboard': a bare number stated as achieved is a score."""
    return c.d.unit is None and c.ends_before(cues.ACHIEVED_BEFORE)


def is_metric_after(c: Context) -> bool:
    """'a record of 27 BLEU': a bare number with a metric's name right after it."""
    return c.d.unit is None and c.after[:1].isspace() and _metric_next(c)


def _metric_next(c: Context) -> bool:
    """Whether a metric's name is the next word after the number."""
    return METRIC.match(c.after, len(c.after) - len(c.after.lstrip())) is not None


def is_decimal(c: Context) -> bool:
    """'0.87': a number written with a decimal point."""
    return "." in c.digits


# What a rule reads: the words around the number, its unit alone, or nothing (a fallback).
# A number whose kind comes from nothing may take a change from the list it stands in; one
# whose kind comes from its unit alone may take its kind from the range it borrows the unit
# from ("3 to 5 times per task" counts repetitions).
Evidence = Literal["words", "unit", "none"]


class Rule(NamedTuple):
    """A row of ``KIND_RULES``: its reason, its predicate, the kind it gives, what it reads."""

    reason: str
    holds: Predicate
    kind: Kind
    evidence: Evidence


KIND_RULES: tuple[Rule, ...] = (
    Rule("repetitions: 'calls the tool 12 times'", is_repetition, "count", "words"),
    Rule("evaluation protocol: '5-fold cross-validation'", is_fold_protocol, "other", "words"),
    Rule("factor: '2.5x', '3-fold', '2 orders of magnitude'", is_factor, "ratio", "unit"),
    Rule("factor phrase: 'by a factor of 4'", is_factor_phrase, "ratio", "words"),
    Rule("signed or in percentage points: '+0.8%', '1.5 pp'", is_signed_change, "delta", "words"),
    Rule("spread after '±'", is_spread, "other", "words"),
    Rule("bare magnitude: '67.5M'", is_bare_magnitude, "count", "unit"),
    Rule("metric points changed: 'by 2.1 BLEU points'", is_changed_metric_points, "delta", "words"),
    Rule("metric points: '28.1 BLEU points'", _metric_points, "score", "unit"),
    Rule("setting as a compound: '4-bit'", is_setting_compound, "other", "words"),
    Rule("setting value: 'batch size 512', 'k=5'", is_setting_value, "other", "words"),
    Rule("counted noun: '54 tasks'", is_counted, "count", "unit"),
    Rule("change cue: 'by 3%', 'a 3% gain', '2.26 lower'", is_change, "delta", "words"),
    Rule(
        "change in parentheses: 'improves X (up to 14%)'", is_parenthesised_change, "delta", "words"
    ),
    Rule("points stated as achieved: 'scores 45 points'", is_achieved_points, "score", "words"),
    Rule("points: '12.2 points'", is_points, "delta", "unit"),
    Rule("share of peak: '40% of peak'", is_peak_share, "score", "words"),
    Rule("share: '30% of the budget'", is_share, "other", "words"),
    Rule("percent", is_percent, "score", "none"),
    Rule("measured: 'latency of 12 ms', '30 FPS'", is_measured, "score", "words"),
    Rule("amount in a unit: '4TB', '3.5 hours'", is_measure, "count", "unit"),
    Rule("decimal", is_decimal, "score", "none"),
    Rule("metric value: 'a score of 271'", is_metric_value, "score", "words"),
    Rule("stated as achieved: 'achieves 271 on X'", is_achieved_value, "score", "words"),
    Rule("metric named after: 'a record of 27 BLEU'", is_metric_after, "score", "words"),
)
NO_RULE = Rule("no cue: a bare integer", lambda c: True, "other", "none")


def kind_of(c: Context) -> Rule:
    """The first rule of ``KIND_RULES`` that holds (``NO_RULE`` when none does)."""
    return next((rule for rule in KIND_RULES if rule.holds(c)), NO_RULE)


def classify(doc: Doc) -> Doc:
    """Set kind, direction and bound of each draft; then settle what groups of them share."""
    drafts: list[Draft] = []
    plain: list[bool] = []
    unit_only: list[bool] = []
    for i, d in enumerate(doc.drafts):
        c = Context(doc, i)
        rule = kind_of(c)
        kind = rule.kind
        plain.append(rule.evidence == "none")
        unit_only.append(rule.evidence != "words")
        drafts.append(
            msgspec.structs.replace(
                d,
                unit="times" if d.unit == "x" and kind == "count" else d.unit,
                kind=kind,
                direction=own_direction(c, kind),
                bound=bound(c),
            )
        )
    return msgspec.structs.replace(doc, drafts=agree(doc.text, drafts, plain, unit_only))
