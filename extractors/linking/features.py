"""The features of a (claim, candidate) pair that the fitted linking models weigh.

All binary, all strings, and few on purpose: dev-gold has a few hundred claims, so each
feature must recur across many of them to earn a weight that carries over. What the candidate
is (types, finders, case, length, the cue words around it); where it stands from the number
(same sentence before or after, how near in words and in rank, whether another number stands
nearer, a clause break or brackets between, or sentences back); and what the claim is (a
result, a count, something else). Nothing here decides; ``extractors.weights`` scores.
"""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING

import regex

from claimex.extractors import lexicons
from claimex.extractors.mentions.find import HARDWARE_HEADS

if TYPE_CHECKING:
    from collections.abc import Sequence

    from claimex.extractors.draft import Draft
    from claimex.extractors.linking.candidates import Candidate, Context, Field

CUE_CLASS = {word.casefold(): cls for word, cls in lexicons.pairs("link_cues.tsv")}
WORD = regex.compile(r"[\p{L}\d][\p{L}\d'’\-.@/+]*")
LAST_WORD = regex.compile(r"([\p{L}\d][\p{L}\d'’\-.@/+]*)[\s\"“(]*$")
FIRST_WORD = regex.compile(r"[\s\"”)]*([\p{L}\d][\p{L}\d'’\-.@/+]*)")
CLAUSE_BREAK = regex.compile(r";|\b(?:while|whereas|but|although)\b|\s[-–—]{1,2}\s")
ANAPHOR = regex.compile(
    r"\b(?:this|these|that|those|both|each|the\s+same)\s+(?:\p{Ll}+\s+){0,2}"
    r"(?:tasks?|benchmarks?|datasets?|corpora|corpus|settings?|domains?)\b",
    regex.IGNORECASE,
)
CONTEXT_WINDOW = 40  # characters read on each side of a candidate for its cue words
BETWEEN_READ = 200  # characters read between a claim and a candidate (more: "far", 9+ words)
NEAR_WORDS = 4  # words before a candidate read for a comparison cue ("outperforms a strong Foo")
HEAD_WORDS = 2  # words after a candidate read for the head of its phrase ("Foo A100 GPUs")
OPENING_WORDS = 2  # a candidate this many words or fewer from its sentence's start opens it
KIND_CLASS = {"score": "result", "delta": "result", "ratio": "result", "count": "count"}


def _gap(words: int, against: bool = False) -> str:
    if against:
        return "0"  # "29.3 BLEU": written right against the number, as its unit would be
    return "0-1" if words <= 1 else "2-4" if words <= 4 else "5-8" if words <= 8 else "9+"


def _cue(word: str | None) -> str:
    return CUE_CLASS.get(word.casefold(), "other") if word else "none"


def _sources(c: Candidate) -> list[str]:
    out = []
    for s in sorted(c.sources):
        if s == "tagger":
            out.append("src=tagger_sure" if c.confidence >= 0.8 else "src=tagger_unsure")
        else:
            out.append(f"src={s}")
    return out


def candidate_features(ctx: Context, c: Candidate) -> list[str]:
    """What the candidate is, wherever the claim stands."""
    out = [f"type={t}" for t in sorted(c.types)]
    out += _sources(c)
    out += [f"via={v}" for v in sorted(c.vias)]
    if c.virtual:
        return [*out, f"virtual={c.virtual}"]
    text = ctx.text
    before = LAST_WORD.search(text, max(0, c.start - CONTEXT_WINDOW), c.start)
    after = FIRST_WORD.match(text, c.end, min(len(text), c.end + CONTEXT_WINDOW))
    out.append(f"prev={_cue(before.group(1) if before else None)}")
    out.append(f"next={_cue(after[1] if after else None)}")
    near = WORD.findall(text, max(0, c.start - CONTEXT_WINDOW), c.start)[-NEAR_WORDS:-1]
    if any(_cue(w) == "comparison" for w in near):
        out.append("compared_near")  # a cue a few words back: "than the strong Foo"
    following = WORD.findall(text, c.end, c.end + CONTEXT_WINDOW)[:HEAD_WORDS]
    head = WORD.findall(c.text)[-1:] + following
    if any(w.casefold().rstrip(".") in HARDWARE_HEADS for w in head):
        out.append("hardware")  # "on 64 Foo GPUs": what it ran on, not who is measured
    words = len(WORD.findall(c.text))
    out.append("single" if words <= 1 else "long" if words >= 3 else "two")
    named = any(ch.isupper() or ch.isdigit() for ch in c.text)
    out.append("named" if named else "lower")
    if ctx.repeats.get(c.text.casefold(), 1) >= 2:
        out.append("repeated")
    if ctx.own and c.text == ctx.own:
        out.append("is_own")
    known = ctx.known.get(c.sentence, ())
    inside = [k for k in known if c.start <= k[0] and k[1] <= c.end and k != (c.start, c.end)]
    if inside:  # "all data gives WERs": a phrase around a name something knows
        out.append("wraps_known_end" if any(k[1] == c.end for k in inside) else "wraps_known")
    out += [f"also={t}" for t in sorted(ctx.typed.get(c.text.casefold(), frozenset()) - c.types)]
    return out


def _nearer_number(ctx: Context, d: Draft, c: Candidate, sentence: int) -> bool:
    """Whether another number of the sentence stands nearer the candidate than this claim does.

    Gap is weighed against gap, and only the numbers right around the candidate can be nearer.
    """
    mine = d.start - c.end if c.end <= d.start else c.start - d.end
    spans = ctx.numbers.get(sentence, ())
    k = bisect.bisect_left(spans, (c.start, c.start))
    neighbours = [spans[j] for j in (k - 1, k) if 0 <= j < len(spans)]
    return any(
        n[0] != d.start and (c.start - n[1] if n[0] < c.start else n[0] - c.end) < mine
        for n in neighbours
    )


def _pointing(ctx: Context, d: Draft, sentence: int) -> bool:
    """The claim's sentence points back to a dataset ("this task"); read once per sentence."""
    found = ctx.pointing.get(sentence)
    if found is None:
        s = d.sentence
        found = ctx.pointing[sentence] = ANAPHOR.search(ctx.text, s.start, s.end) is not None
    return found


OPEN_PAREN = regex.compile(r"\s*\(\s*")
COLON = regex.compile(r"\s*:\s*")
NEXT_TO = 4  # characters: brackets and colons stand right between a name and its value


def _between_features(between: str, side: str) -> list[str]:
    out = []
    if CLAUSE_BREAK.search(between):
        out.append("clause_break")
    if len(between) > NEXT_TO:
        return out
    if OPEN_PAREN.fullmatch(between):
        out.append("value_in_parens_after" if side == "before" else "name_in_parens_after")
    elif side == "before" and COLON.fullmatch(between):
        out.append("value_after_colon")  # "MASS: 86.2%"
    return out


def pair_features(
    ctx: Context, d: Draft, c: Candidate, field: Field, *, static: Sequence[str], rank: int
) -> list[str]:
    """``static`` (the candidate's own features) plus where it stands from claim ``d``."""
    text = ctx.text
    kind = KIND_CLASS.get(d.kind, "other")
    out = [*static, *(f"kind_type={kind}|{t}" for t in sorted(c.types))]
    here = ctx.sentence_of(d.start)
    anaphor = _pointing(ctx, d, here)
    if c.virtual:
        return [*out, f"kind_virtual={kind}|{c.virtual}", *(["anaphor"] if anaphor else [])]
    back = here - c.sentence
    if back > 0:
        out += [f"pos=back{back}", f"kind_pos={kind}|back"]
        if not ctx.by_sentence.get(here, {}).get(field, ()):
            out.append("here_empty")
        if len({o.text for o in ctx.by_sentence.get(c.sentence, {}).get(field, ())}) > 1:
            out.append("back_among_several")  # "We report A and B. … It reaches 81%": which?
        return [*out, *(["back_anaphor"] if anaphor else [])]
    if c.end <= d.start:
        side, lo, hi = "before", c.end, d.start
    else:
        side, lo, hi = "after", d.end, max(d.end, c.start)
    between = text[lo : min(hi, lo + BETWEEN_READ)]
    prev = next(f for f in static if f.startswith("prev="))
    out += [f"pos={side}", f"pos_rank={side}{rank}", f"kind_pos={kind}|{side}"]
    # only a metric is written against its number like a unit; other fields keep 0-1
    gap = _gap(len(WORD.findall(between)), against=field == "metric" and not between.strip())
    out += [f"pos_gap={side}{gap}", f"pos_{prev}={side}"]
    if d.unit == "parameters":
        out.append(f"size_gap={side}{gap}")  # a model size sits right by the model it sizes
    if _nearer_number(ctx, d, c, here):
        out += [f"nearer_number={side}"]
    if c.start - d.sentence.start < CONTEXT_WINDOW:
        opening = text[d.sentence.start : c.start]
        if len(WORD.findall(opening)) <= OPENING_WORDS and not regex.search(r"[,;:]", opening):
            out.append("opens_sentence")
    return out + _between_features(between, side)
