"""Counts and what they describe: the collection a count measures, the model a size belongs to.

GUIDELINES: a count's dataset is the collection it describes ("OrbitQA, a benchmark of 12,000
questions"; "FooSet contains 2M images"), and a model size is about the model it sizes ("the
70B Chinchilla"). These are facts of sentence structure, read here after the scored choice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import msgspec
import regex

from claimex.extractors.linking.assign import display

if TYPE_CHECKING:
    from claimex.extractors.draft import Doc, Draft

DATA_TYPES = frozenset({"dataset", "task"})
TRUSTED = frozenset({"lexicon", "tagger", "defined", "own"})
_NAME = r"(?P<name>[\p{Lu}\d][\p{L}\d]*(?:[\-.][\p{L}\d]+)*)"
COLLECTION_NOUN = r"(?:dataset|benchmark|corpus|suite|collection|testbed)s?"
# "OrbitQA, a new benchmark of 12,000 questions"
COLLECTION_BEFORE = regex.compile(
    _NAME
    + r""",\s+(?:a|an|the)\s+(?:[\p{L}\-]+\s+){0,4}?"""
    + COLLECTION_NOUN
    + r"""\s+(?:of|with|containing|comprising|that\s+contains|spanning)\s+
        (?:(?:over|about|around|nearly|more\s+than|up\s+to)\s+)?$""",
    regex.VERBOSE,
)
# "a new 3 billion pair dataset Foo-3B": the name after the counted collection
COLLECTION_AFTER = regex.compile(
    r"""\s+(?:[\p{L}\-]+\s+){0,3}?"""
    + COLLECTION_NOUN
    + r""",?\s+(?:(?:called|named|dubbed|which\s+we\s+(?:call|name|dub))\s+)?[\"“]?"""
    + _NAME,
    regex.VERBOSE,
)
# "FooSet contains 2M images", "The FooSet corpus consists of …": a collection as the subject
# of a verb of containing, at the start of the sentence.
CONTAINS = regex.compile(
    r"""(?:the\s+)?(?P<name>\S+(?:\s+\S+){0,3}?)\s+(?:\p{L}+ly\s+)?
        (?:contains?|consists?\s+of|comprises?|includes?|covers?|spans?|features?|has|holds)\b""",
    regex.VERBOSE | regex.IGNORECASE,
)
# The verbs a collection holds its contents with.
_HOLDS = r"(?:contains|involves|comprises|consists\s+of|includes|covers|spans)"
# "Consisting of 10,044 samples …", "It involves 2M sessions …", "The dataset comprises …": a
# sentence that goes on describing the collection named before ("It has 9 layers" need not).
DANGLING = regex.compile(
    r"""(?:consisting|comprising|containing|covering|spanning|including)\s+(?:of\s+)?
      | (?:it|(?:this|the)\s+"""
    + COLLECTION_NOUN
    + r""")\s+(?:\p{Ll}+ly\s+)?"""
    + _HOLDS
    + r"\b",
    regex.VERBOSE | regex.IGNORECASE,
)
# "… the FooSet benchmark, which contains 9 domains": a named collection, then what it holds.
_WHICH_HOLDS = r",?\s+(?:which|that)\s+(?:\p{Ll}+ly\s+)?(?:" + _HOLDS + r"|has)\b"
WHICH_CONTAINS = regex.compile(
    r"(?:\s+" + COLLECTION_NOUN + ")?" + _WHICH_HOLDS, regex.VERBOSE | regex.IGNORECASE
)
# "a new dataset FooSet which contains …": the name right after the collection noun.
NOUN_NAME_CONTAINS = regex.compile(
    r"\b" + COLLECTION_NOUN + r"\s+" + _NAME + _WHICH_HOLDS, regex.VERBOSE
)
# "the 70B Chinchilla", "175B GPT-3": a size right before a model's name; "Llama-3 (8B)".
SIZED_NAME_AFTER = regex.compile(r"\s+(?P<name>\p{Lu}[\p{L}\d\-.]*[\p{L}\d])")
SIZED_NAME_BEFORE = regex.compile(r"(?P<name>\p{Lu}[\p{L}\d\-.]*[\p{L}\d])\s*\(\s*$")
LOOK_BEFORE = 160  # characters before a count read for the collection it describes


def _set(drafts: list[Draft], i: int, **fields: str | None) -> None:
    drafts[i] = msgspec.structs.replace(drafts[i], **fields)


def _data_names(doc: Doc) -> dict[int, str]:
    """Where each trusted dataset mention starts → its text."""
    return {
        m.start: doc.text[m.start : m.end]
        for m in doc.mentions
        if m.type in DATA_TYPES and m.source in TRUSTED
    }


def _sentence_collection(doc: Doc, d: Draft, names: dict[int, str]) -> str | None:
    """The collection a sentence opens with as the subject of "contains", if any."""
    m = CONTAINS.match(doc.text, d.sentence.start, d.start)
    if m is None:
        return None
    return next((name for at, name in names.items() if m.start("name") <= at < m.end("name")), None)


def _named_before(doc: Doc, d: Draft, names: dict[int, str]) -> str | None:
    """A collection of the sentence, before the count, that the words after it say holds it."""
    for at, name in sorted(names.items(), reverse=True):
        if d.sentence.start <= at < d.start and WHICH_CONTAINS.match(doc.text, at + len(name)):
            return name
    found = NOUN_NAME_CONTAINS.search(doc.text, d.sentence.start, d.start)
    return found["name"] if found else None


def _named_in_sentence_before(doc: Doc, k: int, names: dict[int, str]) -> str | None:
    """The one collection sentence ``k - 1`` names, without "dataset" and the like."""
    if k <= 0:
        return None
    before = doc.sentences[k - 1]
    found = {display("dataset", n) for at, n in names.items() if before.start <= at < before.end}
    return found.pop() if len(found) == 1 else None


def collection_counts(doc: Doc) -> Doc:
    """The dataset of a count that describes a named collection."""
    drafts = list(doc.drafts)
    names = _data_names(doc)
    index = {s: i for i, s in enumerate(doc.sentences)}
    for i, d in enumerate(drafts):
        if d.kind != "count" or d.dataset:
            continue
        text, s = doc.text, d.sentence
        before = COLLECTION_BEFORE.search(text, max(s.start, d.start - LOOK_BEFORE), d.start)
        after = COLLECTION_AFTER.match(text, d.noun_end or d.end, s.end)
        name = (
            (before["name"] if before else None)
            or (after["name"] if after else None)
            or _sentence_collection(doc, d, names)
            or _named_before(doc, d, names)
        )
        if name is None and DANGLING.match(text, s.start):
            # "Consisting of 10,044 samples …" after the data's name: the paper's own data, else
            # the one collection the sentence before names
            name = doc.paper_data or _named_in_sentence_before(doc, index.get(s, 0), names)
        if name is not None:
            # the collection that holds the count is data, not also who the claim is about
            held = d.subject and d.subject.casefold() == display("dataset", name).casefold()
            _set(drafts, i, dataset=name, subject=None if held else d.subject)
    return msgspec.structs.replace(doc, drafts=tuple(drafts))


def sized_models(doc: Doc) -> Doc:
    """A model size is about the model it sizes (GUIDELINES), and on no dataset.

    The size is written before the model's name, or in brackets after it.
    """
    drafts = list(doc.drafts)
    for i, d in enumerate(drafts):
        if d.unit == "parameters" and d.dataset:
            _set(drafts, i, dataset=None)  # a model's size is measured on no benchmark
        if d.unit != "parameters" or d.unit_source != "inferred":
            continue
        m = SIZED_NAME_AFTER.match(doc.text, d.end, d.sentence.end)
        if m is None:
            m = SIZED_NAME_BEFORE.search(doc.text, max(d.sentence.start, d.start - 60), d.start)
        if m is not None:
            _set(drafts, i, subject=m["name"])
    return msgspec.structs.replace(doc, drafts=tuple(drafts))
