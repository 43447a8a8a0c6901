"""Datasets named in an earlier sentence and referred back to from a later one.

As in "We evaluate on FooBench. On this benchmark, our model reaches 71.2%."

A result with no dataset of its own, in a sentence that points back to one ("this task", "the
benchmark", "these datasets"), is on the dataset the nearest earlier sentence names — when
that sentence names exactly one, by a finder that knows names (lexicon, tagger, a definition,
the paper's own data) or written as a name ("FooBench"). Any phrase is not enough: "on the
other hand" names nothing.
"""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING

import msgspec
import regex

from claimex.extractors.mentions.conflicts import PRESENTED_AS_DATA
from claimex.extractors.model import RESULT_KINDS
from claimex.extractors.vocabulary import NAME

if TYPE_CHECKING:
    from claimex.extractors.draft import Doc
    from claimex.extractors.mentions.mention import Mention

DATA_TYPES = frozenset({"dataset", "task"})
TRUSTED = frozenset({"lexicon", "tagger", "defined", "own"})
REACH = 3  # sentences back
POINTER = regex.compile(
    r"""\b(?:this|these|that|those|both|each|the\s+same|the)\s+(?:\p{Ll}+\s+){0,2}?
        (?:tasks?|benchmarks?|datasets?|corpora|corpus|test\s+sets?|suites?)\b""",
    regex.IGNORECASE | regex.VERBOSE,
)


def _trusted(doc: Doc, m: Mention) -> bool:
    """A data mention a finder that knows names found, or one written as a name ("FooBench")."""
    if m.type not in DATA_TYPES:
        return False
    return m.source in TRUSTED or NAME.fullmatch(doc.text, m.start, m.end) is not None


def referred_datasets(doc: Doc) -> Doc:
    """Fill the dataset of results that point back to the one an earlier sentence names."""
    index = {s: i for i, s in enumerate(doc.sentences)}
    starts = [s.start for s in doc.sentences]
    named: dict[int, set[str]] = {}
    for m in doc.mentions:
        if _trusted(doc, m):
            i = bisect.bisect_right(starts, m.start) - 1
            named.setdefault(i, set()).add(doc.text[m.start : m.end])
    pointing: dict[int, bool] = {}
    drafts = list(doc.drafts)
    for n, d in enumerate(drafts):
        i = index.get(d.sentence, -1)
        if d.kind not in RESULT_KINDS or d.dataset or i < 0 or named.get(i):
            continue
        if i not in pointing:
            pointing[i] = POINTER.search(doc.text, d.sentence.start, d.sentence.end) is not None
        if not pointing[i]:
            continue
        for back in range(1, REACH + 1):
            names = named.get(i - back)
            if names:
                if len(names) == 1:
                    drafts[n] = msgspec.structs.replace(d, dataset=next(iter(names)))
                break
    return msgspec.structs.replace(doc, drafts=tuple(drafts))


def sentence_datasets(doc: Doc) -> Doc:
    """A result with no dataset, in a sentence that names exactly one, is on that one.

    Only names found by a finder that knows names count: "On FooQA, Zeta reaches 71.2% and, with
    retrieval, 74.0%".
    """
    starts = [s.start for s in doc.sentences]
    index = {s: i for i, s in enumerate(doc.sentences)}
    named: dict[int, set[str]] = {}
    for m in doc.mentions:
        if m.type in DATA_TYPES and m.source in TRUSTED:
            named.setdefault(bisect.bisect_right(starts, m.start) - 1, set()).add(
                doc.text[m.start : m.end]
            )
    drafts = list(doc.drafts)
    for n, d in enumerate(drafts):
        names = named.get(index.get(d.sentence, -1), set())
        if d.kind in RESULT_KINDS and not d.dataset and len(names) == 1:
            name = next(iter(names))
            if name != d.subject:
                drafts[n] = msgspec.structs.replace(d, dataset=name)
    return msgspec.structs.replace(doc, drafts=tuple(drafts))


KNOWING = frozenset({"lexicon", "defined"})  # finders that know a benchmark by its name
# Phrase constructions that name data as surely: a data phrase found as a "name" is one the
# text introduces as a collection ("FooBench, a benchmark of …", ``phrases.py``).
NAMED_AS_DATA = PRESENTED_AS_DATA | {"name"}


def abstract_dataset(doc: Doc) -> Doc:
    """A result with a metric and no dataset is on the one benchmark the abstract names so far.

    "We evaluate on FooBench. … Zeta lowers perplexity to 23.7." The names counted are those a
    lexicon or a definition knows, or the text presents as data ("the test split of FooQA",
    "FooBench, a benchmark of …"), in the claim's sentence and before it: with two or more,
    which one is meant is not said. So only the first name matters, and where another starts.
    """
    named = sorted(
        (m.start, doc.text[m.start : m.end])
        for m in doc.mentions
        if m.type == "dataset" and (m.source in KNOWING or m.via in NAMED_AS_DATA)
    )
    if not named:
        return doc
    first_at, first = named[0]
    second_at = next((at for at, name in named if name != first), len(doc.text))
    drafts = list(doc.drafts)
    for n, d in enumerate(drafts):
        if d.kind not in RESULT_KINDS or d.dataset or not d.metric or first == d.subject:
            continue
        if first_at < d.sentence.end <= second_at:
            drafts[n] = msgspec.structs.replace(d, dataset=first)
    return msgspec.structs.replace(doc, drafts=tuple(drafts))
