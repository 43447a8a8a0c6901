"""The scored passes: each claim's metric, dataset and subject chosen among its candidates.

For every claim and field, the candidates (``candidates.py``) get their features
(``features.py``) and the field's fitted model (``extractors.weights``) their probability; the
most probable one at or above the model's threshold fills the field, else it stays empty.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import msgspec
import regex

from claimex.extractors import lexicons
from claimex.extractors.linking.candidates import Candidate, Context, Field, candidates, context
from claimex.extractors.linking.context import KNOWING
from claimex.extractors.linking.features import candidate_features, pair_features
from claimex.extractors.linking.structure import listed_places, mark_pick
from claimex.extractors.vocabulary import AMOUNT_COMPARATIVES
from claimex.extractors.weights import NONE, Weights

if TYPE_CHECKING:
    from collections.abc import Iterator

    from claimex.extractors.draft import Doc, Draft

# Words a dataset's name is written with that are not part of it ("the FooBench benchmark").
COLLECTION_TAIL = regex.compile(
    r"\s+(?:dataset|datasets|benchmark|benchmarks|corpus|corpora|testbed|suite)$", regex.I
)
DETERMINER = regex.compile(r"^(?:the|a|an|our|its|their)\s+", regex.IGNORECASE)
UNCLOSED = regex.compile(r"\s*\([^)]*$|^[^(]*\)\s*")
POINTS_TAIL = regex.compile(r"(?<=\S)\s+points?$", regex.IGNORECASE)

Scored = tuple[Candidate, list[str]]


def scored_candidates(ctx: Context, d: Draft, field: Field) -> list[Scored]:
    """The candidates of one field of ``d`` with their features, nearest first on each side."""
    found = candidates(ctx, d, field)
    here = ctx.sentence_of(d.start)

    def distance(c: Candidate) -> int:
        return d.start - c.end if c.end <= d.start else c.start - d.end

    def static(c: Candidate) -> list[str]:
        key = (c.start, c.end, c.text, c.virtual)
        found = ctx.static.get(key)
        if found is None:
            found = ctx.static[key] = candidate_features(ctx, c)
        return found

    ranks: dict[tuple[int, int], int] = {}
    for side in ("before", "after"):
        same = [
            c
            for c in found
            if not c.virtual and c.sentence == here and ((c.end <= d.start) == (side == "before"))
        ]
        for n, c in enumerate(sorted(same, key=distance), 1):
            ranks[(c.start, c.end)] = min(n, 3)
    scored = [
        (c, pair_features(ctx, d, c, field, static=static(c), rank=ranks.get((c.start, c.end), 0)))
        for c in found
    ]
    mark_pick(ctx.text, field, d, scored)
    return scored


def display(field: Field, name: str) -> str:
    """A chosen name as a claim carries it: no article; a dataset without "benchmark"."""
    name = DETERMINER.sub("", name.strip()) if field != "subject" else name.strip()
    name = UNCLOSED.sub("", name).strip()  # "distortion ratio (SDR": a bracket the span cut
    if field == "metric":
        name = POINTS_TAIL.sub("", name) or name  # "perplexity points": the unit, not the measure
    if field == "dataset":
        bare = COLLECTION_TAIL.sub("", name)
        name = bare if bare and any(ch.isupper() or ch.isdigit() for ch in bare) else name
        # "the over-studied CoNLL-2003": lower-case words before a name describe it
        words = name.split()
        while len(words) > 1 and words[0].islower() and not any(c.isdigit() for c in words[0]):
            words.pop(0)
        name = " ".join(words) if any(w[:1].isupper() or w[:1].isdigit() for w in words) else name
    return name.strip("~\"“”'")  # a LaTeX tie or quotes written around a name


def none_features(d: Draft) -> tuple[str, ...]:
    """What choosing no candidate depends on: the kind of claim."""
    return (NONE, f"none_kind={d.kind}")


class Ranked(msgspec.Struct, frozen=True):
    """One field's choices for a claim, and the fitted log-probabilities behind them.

    The choices are the candidates that beat none, best first; the log-probabilities, of each
    candidate and of none, serve for weighing one field against another.
    """

    chosen: list[Candidate]
    log_p: dict[tuple[int, int, str], float]
    log_p_none: float

    def of(self, c: Candidate | None) -> float:
        """The fitted log-probability of choosing ``c``, or of none when ``c`` is None."""
        return self.log_p_none if c is None else self.log_p[(c.start, c.end, c.text)]


# A dataset from an earlier sentence must be this many times as likely as any rival there.
AS_LIKELY = math.log(10.0)


def ranked(ctx: Context, d: Draft, field: Field, weights: Weights) -> Ranked:
    """The field's choices for ``d``, ranked by the field's fitted model.

    A dataset from an earlier sentence is no choice while another of that sentence, or a known
    benchmark of one between it and the claim's, is nearly as likely ("We test on A and B. It
    reaches 71%": a guess, and a guessed benchmark puts a result in the wrong table).
    """
    model = weights.model(field)
    scored = scored_candidates(ctx, d, field)
    odds = model.log_odds([f for _, f in scored], none_features(d))
    top = max([0.0, *odds])  # log-sum-exp over none (0) and the candidates, kept stable
    norm = top + math.log(math.exp(-top) + sum(math.exp(o - top) for o in odds))
    order = sorted(range(len(scored)), key=lambda i: -odds[i])  # ties: the first given
    out = Ranked(
        chosen=[scored[i][0] for i in order if odds[i] > model.none_offset],
        log_p={(c.start, c.end, c.text): o - norm for (c, _), o in zip(scored, odds, strict=True)},
        log_p_none=-norm,
    )
    best = out.chosen[0] if out.chosen else None
    if field != "dataset" or best is None or best.virtual:
        return out
    here = ctx.sentence_of(d.start)
    if best.sentence < here:
        # a rival in its sentence or in one nearer the claim ("We test on A. We also report B.
        # It reaches 81%"): which one is meant is not said
        rivals = [
            c
            for c, _ in scored
            if c.text.casefold() != best.text.casefold()
            and (
                c.sentence == best.sentence
                or (best.sentence < c.sentence < here and c.sources & KNOWING)
            )
        ]
        if any(out.of(c) >= out.of(best) - AS_LIKELY for c in rivals):
            return msgspec.structs.replace(out, chosen=[])
    return out


def choose(ctx: Context, d: Draft, field: Field, weights: Weights) -> str | None:
    """The field's best candidate, if it beats choosing none."""
    best = ranked(ctx, d, field, weights).chosen
    return display(field, best[0].text) if best else None


def _same(a: Candidate | None, b: Candidate | None) -> bool:
    return a is not None and b is not None and a.text.casefold() == b.text.casefold()


def subject_and_dataset(
    ctx: Context, d: Draft, weights: Weights, placed: frozenset[str] = frozenset()
) -> tuple[str | None, str | None]:
    """Who a claim is about and what it is measured on; one name is never both.

    Who is measured is not what it is measured on: when both fields' best choice is the same
    name, it goes to the field more sure of it, judged by the fitted probabilities of the two
    ways out — this field takes the name and the other its next choice, or the other way round.
    A name in ``placed`` (a value's place in the sentence: "2.2 on BarQA") is no subject.
    """
    subjects, datasets = ranked(ctx, d, "subject", weights), ranked(ctx, d, "dataset", weights)
    if placed:
        kept = [c for c in subjects.chosen if c.text.casefold() not in placed]
        subjects = msgspec.structs.replace(subjects, chosen=kept)
    s = subjects.chosen[0] if subjects.chosen else None
    t = datasets.chosen[0] if datasets.chosen else None
    if _same(s, t):
        s_next = next((c for c in subjects.chosen[1:] if not _same(c, t)), None)
        t_next = next((c for c in datasets.chosen[1:] if not _same(c, s)), None)
        to_subject = subjects.of(s) + datasets.of(t_next)
        to_dataset = subjects.of(s_next) + datasets.of(t)
        s, t = (s, t_next) if to_subject > to_dataset else (s_next, t)
    return (
        display("subject", s.text) if s else None,
        display("dataset", t.text) if t else None,
    )


def counted_thing(ctx: Context, d: Draft) -> str | None:
    """A count's metric, which is the thing it counts (GUIDELINES); None for other claims.

    The thing counted is its noun as written, or its unit when that says it otherwise ("a 7B
    model" counts parameters).
    """
    if d.kind != "count":
        return None
    counted = [c for c in candidates(ctx, d, "metric") if c.vias & {"counted_noun", "unit"}]
    return counted[-1].text if counted else None


# "45% fewer tokens": what stands between a change and the amount it compares.
AMOUNT_GAP = regex.compile(
    r"\s+(?:" + lexicons.alternation(AMOUNT_COMPARATIVES) + r")\s+", regex.IGNORECASE
)


def compared_amount(ctx: Context, d: Draft) -> str | None:
    """A change's metric when it compares an amount written right after it ("45% fewer tokens").

    As a count's metric is the thing it counts, a change of an amount is of that thing.
    """
    if d.kind not in {"delta", "ratio"}:
        return None
    for c in candidates(ctx, d, "metric"):
        if "compared_amount" in c.vias and AMOUNT_GAP.fullmatch(ctx.text, d.end, c.start):
            return display("metric", c.text)
    return None


def _linked(doc: Doc, weights: Weights) -> Iterator[Draft]:
    ctx = context(doc)
    placed: dict[int, frozenset[str]] = {}  # sentence start -> the names of its values' places
    for n, (a, b) in listed_places(doc).items():
        key = doc.drafts[n].sentence.start
        placed[key] = placed.get(key, frozenset()) | {doc.text[a:b].casefold()}
    for d in doc.drafts:
        subject, dataset = subject_and_dataset(
            ctx, d, weights, placed.get(d.sentence.start, frozenset())
        )
        yield msgspec.structs.replace(
            d,
            subject=subject,
            metric=counted_thing(ctx, d)
            or compared_amount(ctx, d)
            or choose(ctx, d, "metric", weights),
            dataset=dataset,
        )


def assign_fields(doc: Doc, weights: Weights) -> Doc:
    """Metric, dataset and subject of every draft, chosen by the fitted models."""
    return msgspec.structs.replace(doc, drafts=tuple(_linked(doc, weights)))
