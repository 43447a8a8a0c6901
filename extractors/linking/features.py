"""The features of a (claim, candidate) pair that the fitted linking models weigh.

All binary, all strings: what the candidate is (types, finders, shape, how often the abstract
names it, the words around it), where it stands from the number (side, words between, other
numbers between, a clause break, sentences back), and what the claim is (kind). A few
conjunctions (side with distance, side with the cue word) let a linear model say "right after
the number, after 'on'". Nothing here decides; ``extractors.weights`` scores.
"""

from __future__ import annotations

from collections.abc import Sequence

import regex

from extractors import lexicons
from extractors.draft import Draft
from extractors.linking.candidates import Candidate, Context, Field

CUE_CLASS = {word.casefold(): cls for word, cls in lexicons.pairs("link_cues.tsv")}
WORD = regex.compile(r"[\p{L}\d][\p{L}\d'’\-.@/+]*")
LAST_WORD = regex.compile(r"([\p{L}\d][\p{L}\d'’\-.@/+]*)[\s\"“(]*$")
FIRST_WORD = regex.compile(r"^[\s\"”)]*([\p{L}\d][\p{L}\d'’\-.@/+]*)")
CLAUSE_BREAK = regex.compile(r";|\b(?:while|whereas|but|although)\b|\s[-–—]{1,2}\s")
NUMBER = regex.compile(r"(?<![\p{L}\d])[\d]+(?:[.,]\d+)?")
ANAPHOR = regex.compile(
    r"\b(?:this|these|that|those|both|each|the\s+same)\s+(?:\p{Ll}+\s+){0,2}"
    r"(?:tasks?|benchmarks?|datasets?|corpora|corpus|settings?|domains?)\b",
    regex.IGNORECASE,
)
CONTEXT_WINDOW = 40  # characters read on each side of a candidate for its cue words


def _bucket(n: int) -> str:
    if n <= 2:  # 0, 1, 2 words
        return str(n)
    return "3-4" if n <= 4 else "5-8" if n <= 8 else "9-15" if n <= 15 else "16+"


def _confidence(p: float) -> str:
    return "high" if p >= 0.9 else "mid" if p >= 0.7 else "low"


def _cue(word: str | None) -> str:
    return CUE_CLASS.get(word.casefold(), "other") if word else "none"


def candidate_features(ctx: Context, c: Candidate) -> list[str]:
    """What the candidate is, wherever the claim stands."""
    out = [f"type={t}" for t in sorted(c.types)]
    out += [f"src={s}" for s in sorted(c.sources)]
    out += [f"via={v}" for v in sorted(c.vias)]
    if c.virtual:
        return [*out, f"virtual={c.virtual}"]
    text = ctx.text
    before = LAST_WORD.search(text, max(0, c.start - CONTEXT_WINDOW), c.start)
    after = FIRST_WORD.match(text, c.end, min(len(text), c.end + CONTEXT_WINDOW))
    prev_cue = _cue(before.group(1) if before else None)
    next_cue = _cue(after[1] if after else None)
    out += [f"prev={prev_cue}", f"next={next_cue}"]
    out += [f"prev_type={prev_cue}|{t}" for t in sorted(c.types)]
    words = len(WORD.findall(c.text))
    out.append(f"words={min(words, 4)}")
    shape = (
        "lower"
        if c.text == c.text.lower()
        else "caps"
        if c.text.isupper()
        else "title"
        if c.text[:1].isupper() and c.text[1:] == c.text[1:].lower()
        else "mixed"
    )
    out.append(f"shape={shape}")
    if any(ch.isdigit() for ch in c.text):
        out.append("digits")
    n = ctx.repeats.get(c.text.casefold(), 1)
    out.append(f"repeats={min(n, 3)}")
    if ctx.title and c.text.casefold() in ctx.title.casefold():
        out.append("in_title")
    if "tagger" in c.sources:
        out.append(f"conf={_confidence(c.confidence)}")
    if ctx.own and c.text == ctx.own:
        out.append("is_own")
    elsewhere = ctx.typed.get(c.text.casefold(), frozenset()) - c.types
    out += [f"also={t}" for t in sorted(elsewhere)]
    return out


def _distance(a: tuple[int, int], b: tuple[int, int]) -> int:
    return b[0] - a[1] if a[1] <= b[0] else a[0] - b[1]


def _nearer_number(ctx: Context, d: Draft, c: Candidate, sentence: int) -> bool:
    """Another number of the sentence stands nearer the candidate than this claim does."""
    mine = _distance((d.start, d.end), (c.start, c.end))
    return any(
        _distance(span, (c.start, c.end)) < mine
        for span in ctx.numbers.get(sentence, ())
        if span != (d.start, d.end)
    )


def pair_features(
    ctx: Context, d: Draft, c: Candidate, field: Field, *, static: Sequence[str], rank: int
) -> list[str]:
    """``static`` (the candidate's own features) plus where it stands from claim ``d``."""
    text = ctx.text
    out = [*static, f"kind={d.kind}"]
    out += [f"kind_type={d.kind}|{t}" for t in sorted(c.types)]
    here = ctx.sentence_of(d.start)
    if c.virtual:
        s = d.sentence
        if ANAPHOR.search(text, s.start, s.end):
            out.append("anaphor")
        return out
    back = here - c.sentence
    if back > 0:
        out += [f"back={back}", f"back_kind={back}|{d.kind}"]
        if not ctx.by_sentence.get(here, {}).get(field, ()):
            out.append(f"back={back}|here_empty")
        if ANAPHOR.search(text, d.sentence.start, d.sentence.end):
            out.append("back_anaphor")
        return out
    if c.end <= d.start:
        side, lo, hi = "before", c.end, d.start
    else:
        side, lo, hi = "after", d.end, max(d.end, c.start)
    between = text[lo:hi]
    gap = _bucket(len(WORD.findall(between)))
    prev = next(f for f in static if f.startswith("prev="))
    out += [f"side={side}", f"gap={side}{gap}", f"side_prev={side}|{prev}", f"rank={side}{rank}"]
    out += [f"side_kind={side}|{d.kind}"]
    numbers = len(NUMBER.findall(between))
    out.append(f"numbers_between={min(numbers, 2)}")
    if _nearer_number(ctx, d, c, here):
        out += ["nearer_number", f"nearer_number|{side}"]
    opening = text[d.sentence.start : c.start]
    if len(WORD.findall(opening)) <= 2 and not regex.search(r"[,;:]", opening):
        out.append("opens_sentence")
    if CLAUSE_BREAK.search(between):
        out.append("clause_break")
    if side == "before" and regex.fullmatch(r"\s*\(\s*", between):
        out.append("value_in_parens_after")  # "CIFAR-100 (91.7%)"
    if side == "before" and regex.fullmatch(r"\s*:\s*", between):
        out.append("value_after_colon")  # "MASS: 86.2%"
    if side == "after" and regex.fullmatch(r"\s*\(\s*", between):
        out.append("name_in_parens_after")  # "62.4 (GLEU)"
    return out
