"""Training examples for the mention tagger, read from public data in the shared folder.

Each reader yields sentence ``Example``s: a text and its typed names as character spans, the
labels upper case (``METRIC``, ``DATASET``, ``TASK``, ``METHOD``). ``bio`` then cuts a text
with the run-time tokenizer (``extractors.mentions.tokens``) and labels the tokens, so the
model learns on exactly the tokens it will see.

- TDMSci (Apache-2.0): the CoNLL *train* file only. Its tokens carry character offsets into
  the original text; each sentence's text is rebuilt from them (gaps become spaces) and the
  BIO tags become spans. The test file is for ``bench.mentions``; never train on it.
- SciREX (Apache-2.0): our ``abstracts.jsonl``, gold mentions of the abstract with offsets;
  Material is a dataset. Abstracts are cut with ``extractors.sentences.split_sentences``; a
  mention across a sentence boundary is dropped.
- dev-gold: the names our own claims carry (GUIDELINES: ``metric``, ``dataset``, ``subject``,
  ``baseline``), found in the abstract as whole words; see ``dev_gold``.

Where names overlap (SciREX nests some), the earliest and then longest is kept.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, TypeVar

import msgspec
import regex

from claimex.extractors.mentions.tokens import tokens
from claimex.extractors.model import RESULT_KINDS
from claimex.extractors.sentences import split_sentences

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence

Entity = tuple[int, int, str]
T = TypeVar("T")
TDMSCI_TRAIN = Path("benchmarks/tdmsci/data/TDMSci/conllFormat/train_1500_v2.conll")
TDMSCI_TEST = Path("benchmarks/tdmsci/data/TDMSci/conllFormat/test_500_v2.conll")
SCIREX = Path("benchmarks/scirex/abstracts.jsonl")
DEV_GOLD = Path("eval/dev-gold.jsonl")

SCIREX_TYPES = {"Material": "DATASET", "Task": "TASK", "Metric": "METRIC", "Method": "METHOD"}
# Metric names only of claims whose metric is a measure; a count's "metric" is the counted
# thing ("tokens", "Python files") and "other" is a share of something.
GENERIC = regex.compile(r"^(?:our|the|this|these|a|an)\b", regex.IGNORECASE)
# A task is written as a lower-case phrase ("relation extraction"); anything with a capital
# or a digit is taken for a dataset or benchmark name ("GSM8K", "Split-CIFAR-100").
TASK_LIKE = regex.compile(r"^[\p{Ll}\s\-']+$")


class SciMention(msgspec.Struct, frozen=True):
    """One typed mention of a SciREX abstract, as character offsets into its text."""

    type: str
    start: int
    end: int


class SciAbstract(msgspec.Struct, frozen=True):
    """A SciREX record of ``abstracts.jsonl``: its id, its abstract if found, and its mentions."""

    id: str
    text: str | None = None
    abstract_found: bool = False
    mentions: tuple[SciMention, ...] = ()


class GoldClaim(msgspec.Struct, frozen=True):
    """The fields of a dev-gold claim read for names: its kind and the names it carries."""

    kind: str | None = None
    metric: str | None = None
    dataset: str | None = None
    subject: str | None = None
    baseline: str | None = None


class GoldAbstract(msgspec.Struct, frozen=True):
    """A dev-gold abstract: its id, its text and its claims."""

    id: str
    text: str
    claims: tuple[GoldClaim, ...] = ()


class Example(NamedTuple):
    """A sentence, its names as ``(start, end, LABEL)`` spans, and where it comes from."""

    text: str
    entities: tuple[Entity, ...]
    doc: str


def non_overlapping(entities: Iterable[Entity]) -> tuple[Entity, ...]:
    """Earliest first, the longer of two at one start; later overlapping ones are dropped."""
    out: list[Entity] = []
    for entity in sorted(set(entities), key=lambda e: (e[0], -e[1], e[2])):
        if entity[1] > entity[0] and (not out or entity[0] >= out[-1][1]):
            out.append(entity)
    return tuple(out)


def bio(example: Example) -> tuple[list[tuple[int, int]], list[str]]:
    """The example's tokens and their labels: a token inside or across a name takes its label."""
    toks = tokens(example.text)
    labels = ["O"] * len(toks)
    i = 0
    for start, end, label in example.entities:
        while i < len(toks) and toks[i][1] <= start:
            i += 1
        first = True
        while i < len(toks) and toks[i][0] < end:
            labels[i] = ("B-" if first else "I-") + label
            first = False
            i += 1
    return toks, labels


# --- TDMSci --------------------------------------------------------------------------------


def _tdmsci_sentence(rows: Sequence[tuple[str, int, str]], doc: str) -> Example:
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    base, at = rows[0][1], 0
    for token, offset, _ in rows:
        want = offset - base
        gap = want - at if want >= at else (1 if parts else 0)  # offsets out of order: a space
        parts.append(" " * gap + token)
        at += gap
        spans.append((at, at + len(token)))
        at += len(token)
    entities: list[Entity] = []
    for i, (_, _, tag) in enumerate(rows):
        prefix, _, label = tag.partition("-")
        if prefix == "I" and i > 0 and rows[i - 1][2][2:] == label:
            entities[-1] = (entities[-1][0], spans[i][1], label)
        elif prefix in ("B", "I"):  # an I- after O or another type opens a name too
            entities.append((spans[i][0], spans[i][1], label))
    return Example("".join(parts), non_overlapping(entities), doc)


def tdmsci(path: Path) -> list[Example]:
    """The sentences of a TDMSci CoNLL file (token, character offset, BIO tag per line)."""
    out: list[Example] = []
    rows: list[tuple[str, int, str]] = []
    for line in [*path.read_text("utf-8").splitlines(), ""]:
        parts = line.split("\t")
        if len(parts) == 3 and parts[0]:
            rows.append((parts[0], int(parts[1]), parts[2].strip()))
        elif rows:
            out.append(_tdmsci_sentence(rows, f"tdmsci:{len(out)}"))
            rows = []
    return out


# --- SciREX and dev-gold: abstracts cut into sentences -------------------------------------


def _sentences(text: str, entities: Iterable[Entity], doc: str, keep_empty: bool) -> list[Example]:
    kept = non_overlapping(entities)
    out = []
    for sentence in split_sentences(text):
        inside = tuple(
            (s - sentence.start, e - sentence.start, label)
            for s, e, label in kept
            if s >= sentence.start and e <= sentence.end
        )
        if inside or keep_empty:
            out.append(Example(text[sentence.start : sentence.end], inside, doc))
    return out


def _records(path: Path, kind: type[T]) -> Iterator[T]:
    decoder = msgspec.json.Decoder(kind)
    with path.open("rb") as f:
        for line in f:
            if line.strip():
                yield decoder.decode(line)


def scirex(path: Path, exclude_ids: frozenset[str] = frozenset()) -> list[Example]:
    """Every sentence of the SciREX abstracts (annotation there is exhaustive), in file order."""
    out: list[Example] = []
    for record in _records(path, SciAbstract):
        if record.id in exclude_ids or record.text is None or not record.abstract_found:
            continue
        entities = [
            (m.start, m.end, SCIREX_TYPES[m.type])
            for m in record.mentions
            if m.type in SCIREX_TYPES
        ]
        out.extend(_sentences(record.text, entities, record.id, keep_empty=True))
    return out


def _names(claim: GoldClaim) -> Iterator[tuple[str, str]]:
    if claim.metric and claim.kind in RESULT_KINDS:
        yield claim.metric, "METRIC"
    if claim.dataset:
        yield claim.dataset, "TASK" if TASK_LIKE.match(claim.dataset) else "DATASET"
    for name in (claim.subject, claim.baseline):
        if name and not GENERIC.match(name):
            yield name, "METHOD"


def _occurrences(text: str, name: str) -> Iterator[tuple[int, int]]:
    pattern = regex.compile(r"(?<![\p{L}\p{N}])" + regex.escape(name) + r"(?![\p{L}\p{N}])")
    for m in pattern.finditer(text):
        yield m.span()


def dev_gold(path: Path, exclude_ids: frozenset[str] = frozenset()) -> list[Example]:
    """Sentences of dev-gold abstracts that hold a name of one of the abstract's claims.

    A name is located by exact, whole-word occurrence; every occurrence in the abstract is
    labelled (not only the one in the claim's sentence), so that one name is never a name in
    one sentence and plain words in the next. A name that two claims type differently keeps
    its first type. Sentences without a located name are left out: their other names were
    never annotated, and would teach the tagger that they are not names.
    """
    out: list[Example] = []
    for record in _records(path, GoldAbstract):
        if record.id in exclude_ids:
            continue
        types: dict[str, str] = {}
        for claim in record.claims:
            for name, label in _names(claim):
                if name.strip() == name:
                    types.setdefault(name, label)
        entities = [
            (s, e, label)
            for name, label in types.items()
            for s, e in _occurrences(record.text, name)
        ]
        out.extend(_sentences(record.text, entities, record.id, keep_empty=False))
    return out


def read(
    shared: Path, sources: Iterable[str], exclude_ids: frozenset[str] = frozenset()
) -> list[Example]:
    """The examples of ``sources`` ("tdmsci", "scirex", "dev-gold"), in that fixed order."""
    wanted = set(sources)
    unknown = wanted - {"tdmsci", "scirex", "dev-gold"}
    if unknown:
        raise ValueError(f"unknown sources: {sorted(unknown)}")
    out: list[Example] = []
    if "tdmsci" in wanted:
        out += tdmsci(shared / TDMSCI_TRAIN)
    if "scirex" in wanted:
        out += scirex(shared / SCIREX, exclude_ids)
    if "dev-gold" in wanted:
        out += dev_gold(shared / DEV_GOLD, exclude_ids)
    return out
