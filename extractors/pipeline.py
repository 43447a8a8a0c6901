"""``extract(text)``: the whole extraction, as one tuple of steps.

Reading ``make_steps`` tells the story: split sentences, find numbers, drop the ones that are
names, attach units, join ranges and lists, classify, find the typed mentions (metrics,
datasets, tasks, methods) and the paper's own method, link each claim to its mentions,
estimate confidence. Each step is a pure ``Doc -> Doc`` function in a module of its own; the
two that use fitted models (mentions: the tagger and the ``own`` model; linking: the field
models) get them from ``Models``, so that cross-validation can run the same steps with models
refitted on part of the data.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

import msgspec

from claimex.extractors import weights as fitted
from claimex.extractors.confidence import estimate_confidence
from claimex.extractors.draft import Doc, Draft
from claimex.extractors.groups import join_groups
from claimex.extractors.kinds import classify
from claimex.extractors.linking import link
from claimex.extractors.mentions.find import TagFn, find_mentions
from claimex.extractors.mentions.tagger import Tagger, default_model_path
from claimex.extractors.model import Claim
from claimex.extractors.names import drop_names
from claimex.extractors.numbers import find_numbers
from claimex.extractors.sentences import split_sentences
from claimex.extractors.units import attach_units

Step = Callable[[Doc], Doc]


@dataclass(frozen=True)
class Models:
    """The fitted parts of the pipeline: the mention tagger and the linking weights."""

    tag: TagFn | None
    weights: fitted.Weights


@functools.cache
def default_models() -> Models:
    """The committed models, loaded once per process."""
    tagger = Tagger.default() if default_model_path().is_file() else None
    return Models(tag=tagger.tag if tagger else None, weights=fitted.default())


def split(doc: Doc) -> Doc:
    """The document cut into its sentences (``split_sentences``)."""
    return msgspec.structs.replace(doc, sentences=split_sentences(doc.text))


def make_steps(models: Models) -> tuple[Step, ...]:
    """The pipeline's steps in order, the mentions and linking steps using ``models``."""

    def mentions(doc: Doc) -> Doc:
        return find_mentions(doc, models.tag, models.weights.model("own"))

    def linked(doc: Doc) -> Doc:
        return link(doc, models.weights)

    return (
        split,  # sentences.py: spaCy sentencizer + abbreviation repairs
        find_numbers,  # numbers.py: every number with its value and glued suffix
        drop_names,  # names.py: GPT-4, CIFAR-100, years, citations, versions, URLs
        attach_units,  # units.py: measurement units and counted nouns
        join_groups,  # groups.py: ranges and lists share their unit
        classify,  # kinds.py: kind, direction, bound
        mentions,  # mentions/: typed names and the paper's own method
        linked,  # linking/: metric, dataset, subject, baseline, setting
        estimate_confidence,  # confidence.py
    )


# How many steps come before linking: what training reads to build its examples.
BEFORE_LINKING = 7


def _claim(text: str, d: Draft) -> Claim:
    s = d.sentence
    written_apart = d.unit_source in {"noun", "shared"} and d.noun_start is not None
    return Claim(
        span=text[d.start : d.end],
        start=d.start,
        end=d.end,
        value=d.value,
        unit=d.unit,
        kind=d.kind,
        direction=d.direction,
        bound=d.bound,
        metric=d.metric,
        dataset=d.dataset,
        subject=d.subject,
        baseline=d.baseline,
        setting=d.setting,
        joined=d.joined,
        unit_start=d.noun_start if written_apart else None,
        unit_end=d.noun_end if written_apart else None,
        sentence=text[s.start : s.end],
        sentence_start=s.start,
        sentence_end=s.end,
        confidence=d.confidence,
    )


# Numbers read per claim kept: some numbers are names (GPT-4, years) and never become claims.
NUMBERS_PER_CLAIM = 2


def run_steps(
    text: str,
    title: str | None = None,
    models: Models | None = None,
    until: int | None = None,
    max_claims: int | None = None,
) -> Doc:
    """The ``Doc`` after the first ``until`` steps (all by default), for tests and training."""
    max_numbers = None if max_claims is None else NUMBERS_PER_CLAIM * max(0, max_claims)
    doc = Doc(text=text, title=title, max_numbers=max_numbers)
    for step in make_steps(models or default_models())[:until]:
        doc = step(doc)
    return doc


def extract(
    text: str,
    title: str | None = None,
    models: Models | None = None,
    max_claims: int | None = None,
) -> tuple[Claim, ...]:
    """Every quantitative claim of ``text``, in order; never raises on any ``str``.

    With ``max_claims``, only the first claims: the text is read only as far as they need
    (the worker stores at most ``workers.limits.claims_allowed`` claims of an abstract, and a
    text of nothing but numbers would otherwise cost work for claims nobody keeps).
    """
    if not isinstance(text, str) or not text.strip():
        return ()
    doc = run_steps(text, title, models, max_claims=max_claims)
    return tuple(_claim(text, d) for d in doc.drafts)[:max_claims]
