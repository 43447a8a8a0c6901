"""``extract(text)``: the whole extraction, as one tuple of steps.

Reading ``STEPS`` tells the story: split sentences, find numbers, drop the ones that are names,
attach units, join ranges and lists, classify, link names, estimate confidence. Each step is a
pure ``Doc -> Doc`` function in a module of its own.
"""

from __future__ import annotations

from collections.abc import Callable

import msgspec

from extractors.confidence import estimate_confidence
from extractors.draft import Doc, Draft
from extractors.groups import join_groups
from extractors.kinds import classify
from extractors.linking import link
from extractors.model import Claim
from extractors.names import drop_names
from extractors.numbers import find_numbers
from extractors.sentences import split_sentences
from extractors.units import attach_units

Step = Callable[[Doc], Doc]


def split(doc: Doc) -> Doc:
    return msgspec.structs.replace(doc, sentences=split_sentences(doc.text))


STEPS: tuple[Step, ...] = (
    split,  # sentences.py: spaCy sentencizer + abbreviation repairs
    find_numbers,  # numbers.py: every number with its value and glued suffix
    drop_names,  # names.py: GPT-4, CIFAR-100, years, citations, versions, URLs
    attach_units,  # units.py: measurement units and counted nouns
    join_groups,  # groups.py: ranges and lists share their unit
    classify,  # kinds.py: kind, direction, bound
    link,  # linking.py: metric, dataset, subject, baseline, setting
    estimate_confidence,  # confidence.py
)


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


def run_steps(text: str, title: str | None = None) -> Doc:
    """The final ``Doc`` of the pipeline (drafts with all fields), for tests and debugging."""
    doc = Doc(text=text, title=title)
    for step in STEPS:
        doc = step(doc)
    return doc


def extract(text: str, title: str | None = None) -> tuple[Claim, ...]:
    """Every quantitative claim of ``text``, in order; never raises on any ``str``."""
    if not isinstance(text, str) or not text.strip():
        return ()
    doc = run_steps(text, title)
    return tuple(_claim(text, d) for d in doc.drafts)
