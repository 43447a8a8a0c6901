"""The mentions step: every typed name of the sentences a claim may be linked to, found once.

Which sentences: those that hold a number, and the ``CONTEXT_SENTENCES`` before each, where a
result's dataset or metric is often named ("We evaluate on FooBench. … reaches 71%"). Their
names come from four finders — the lexicons, the trained tagger, phrase shapes, and the
abbreviations the abstract defines, which give a long form and its short form the type either
has anywhere in the text. The paper's own contribution is chosen here too, and every place the
text names it becomes a mention with ``source="own"``: a ``dataset`` when the abstract
introduces it as data ("FooBench, a new benchmark"), else a ``method``.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import msgspec
import regex

from claimex.extractors import lexicons
from claimex.extractors.languages import LANGUAGE_PAIR
from claimex.extractors.mentions.conflicts import settled_types
from claimex.extractors.mentions.defined import Definition, definitions
from claimex.extractors.mentions.known import FAMILY_NAME, UNITS, known_mentions
from claimex.extractors.mentions.mention import Mention, MentionType, occurrences
from claimex.extractors.mentions.own import CLASS_NOUN, own_contribution
from claimex.extractors.mentions.phrases import phrase_mentions
from claimex.extractors.vocabulary import (
    AMOUNT_COMPARATIVES,
    DATASET,
    METRIC,
    METRIC_HEADS,
    TASK_HEADS,
    plural,
)

if TYPE_CHECKING:
    from claimex.extractors.draft import Doc
    from claimex.extractors.weights import LinearModel

CONTEXT_SENTENCES = 3  # sentences before a claim's own that may name what it is measured on
MAX_DEFINED = 50  # short forms whose every use is typed (an abstract defines a few)
# The tagger: text and sentence spans in, typed mentions out (``extractors.mentions.tagger``).
TagFn = Callable[[str, Sequence[tuple[int, int]]], list[Mention]]
# When several finders type one name, the order of trust for the name as a whole.
TRUST = {"lexicon": 0, "own": 1, "defined": 2, "tagger": 3, "phrase": 4, "title": 5}


def _wanted_sentences(doc: Doc, reach: int) -> list[tuple[int, int]]:
    """The sentences that hold a draft, and the ``reach`` sentences before each."""
    index = {s: i for i, s in enumerate(doc.sentences)}
    wanted: set[int] = set()
    for d in doc.drafts:
        i = index.get(d.sentence)
        if i is not None:
            wanted.update(range(max(0, i - reach), i + 1))
    return [(doc.sentences[i].start, doc.sentences[i].end) for i in sorted(wanted)]


def _occurrences(text: str, name: str) -> list[tuple[int, int]]:
    return [(at, at + len(name)) for at in occurrences(text, name)]


def _defined(text: str, found: list[Mention], pairs: list[Definition]) -> list[Mention]:
    """The long and short form of each definition, typed by a mention of either.

    Every use of the short form gets that type too ("WER" after "word error rate (WER)").
    """
    by_span = {(m.start, m.end): m for m in found}
    by_end: dict[int, list[Mention]] = {}
    for m in found:
        by_end.setdefault(m.end, []).append(m)
    out: list[Mention] = []
    typed_short: dict[str, MentionType] = {}
    for d in pairs:
        on_short = by_span.get((d.short_start, d.short_end))
        ending = [m for m in by_end.get(d.long_end, ()) if m.start >= d.long_start]
        typing = ([on_short] if on_short else []) + ending
        if not typing:
            continue
        type_ = min(typing, key=lambda m: TRUST[m.source]).type
        out.append(Mention(start=d.long_start, end=d.long_end, type=type_, source="defined"))
        typed_short.setdefault(text[d.short_start : d.short_end], type_)
    for short, type_ in list(typed_short.items())[:MAX_DEFINED]:
        out += [
            Mention(start=start, end=end, type=type_, source="defined")
            for start, end in _occurrences(text, short)
        ]
    return out


def find_mentions(doc: Doc, tag: TagFn | None, own_model: LinearModel) -> Doc:
    """``doc`` with its mentions and the paper's own method (nothing to find without a claim)."""
    if not doc.drafts:
        return doc
    text = doc.text
    pairs = definitions(text)
    own = own_contribution(text, doc.title, pairs, own_model)
    own_names = _both_forms(text, own.name, pairs) if own else ()
    name = own_names[0] if own and not own.collection else None
    data = own_names[0] if own and own.collection else None
    found: list[Mention] = []
    spans = _wanted_sentences(doc, CONTEXT_SENTENCES)
    for start, end in spans:
        found += known_mentions(text, start, end)
        found += phrase_mentions(text, start, end)
    if tag is not None:
        found += tag(text, spans)
    found += _defined(text, found, pairs)
    if own:
        type_: MentionType = "dataset" if own.collection else "method"
        found += [
            Mention(start=s, end=e, type=type_, source="own")
            for written in own_names
            for s, e in _occurrences(text, written)
        ]
    found = [_as_task(text, m) for m in found]
    if name:
        found = [_as_self(text, m, own_names) for m in found]
    mentions = _not_within_names(sorted(m for m in set(found) if may_be_named(text, m)))
    mentions = settled_types(text, mentions, pairs)
    return msgspec.structs.replace(doc, mentions=mentions, paper_name=name, paper_data=data)


# What stands between the paper's own name and a phrase that describes it: "Zeta, a sparse |".
APPOSITION = regex.compile(
    r""",\s+(?:a|an)\s+          # ", a "
        (?:[\p{Ll}\-]+\s+){0,4}$  # up to four modifiers: "novel sparse "
    """,
    regex.VERBOSE,
)
APPOSITION_READ = 60  # characters read before a method mention for its apposition


def _as_self(text: str, m: Mention, own_names: Sequence[str]) -> Mention:
    """A method phrase in apposition to the own name is the own method: "Zeta, a sparse scheme"."""
    if m.type != "method" or m.source == "own" or m.via == "self":
        return m
    before = APPOSITION.search(text, max(0, m.start - APPOSITION_READ), m.start)
    if before is None or not any(text.endswith(n, 0, before.start()) for n in own_names):
        return m
    return msgspec.structs.replace(m, via="self")


def _not_within_names(mentions: list[Mention]) -> tuple[Mention, ...]:
    """``mentions`` without the method mentions that are part of a known metric or data name.

    "PASS" of "PASS@100", "AI2" of "AI2 Reasoning Challenge": a finder that knows names read a
    longer one there. A data name of the same span stays a candidate of both (some names are
    both a model and a benchmark), and so does the paper's own method. Linear after a sort: a
    span is held by some name when the names starting at or before it reach its end.
    """
    known = sorted(
        (m.start, m.end, m.type)
        for m in mentions
        if m.type != "method" and m.source in {"lexicon", "tagger", "defined"}
    )
    starts = [a for a, _, _ in known]
    reach = list(itertools.accumulate((b for _, b, _ in known), max))
    spans = {(a, b) for a, b, t in known if t != "metric"}

    def held(m: Mention) -> bool:
        k = bisect.bisect_right(starts, m.start) - 1
        return k >= 0 and reach[k] >= m.end and (m.start, m.end) not in spans

    return tuple(m for m in mentions if m.type != "method" or m.source == "own" or not held(m))


def _as_task(text: str, m: Mention) -> Mention:
    """What a change is in, typed: a measure ("a gain in recall"), else a task it names.

    "A 12% gain in citation recommendation" is a gain on a task.
    """
    if m.via != "change_in":
        return m
    phrase = text[m.start : m.end]
    head = phrase.rsplit(None, 1)[-1].casefold()
    if head in METRIC_HEADS or METRIC.fullmatch(phrase) or not _names_a_task(phrase):
        return m  # "a gain in retrieval precision": a measure that ends like a task
    return msgspec.structs.replace(m, type="task")


def _both_forms(text: str, name: str, pairs: list[Definition]) -> tuple[str, ...]:
    """The own contribution's names: both forms of a definition of ``name``, else ``name`` alone.

    Both forms are given when the abstract defines ``name`` as an abbreviation or spells it out
    ("Zeta-Train-Merge (ZTM)"); the short form comes first, since later sentences write it.
    """
    for d in pairs:
        long, short = text[d.long_start : d.long_end], text[d.short_start : d.short_end]
        if name in (long, short):
            return (short, long)
    return (name,)


# Phrases of these words only are idioms ("for example") or phases ("in fine-tuning").
NOT_DATA_WORDS = frozenset(
    w.casefold() for f in ("discourse_words.txt", "process_words.txt") for w in lexicons.words(f)
)
HARDWARE_HEADS = frozenset(w.casefold() for w in lexicons.words("hardware_heads.txt"))
MODEL_HEADS = frozenset(w.casefold() for w in lexicons.words("model_heads.txt"))
SETTING_HEADS = frozenset(w.casefold() for w in lexicons.words("setting_heads.txt"))
WORD = regex.compile(r"[\p{L}\d][\p{L}\d'’\-]*")
# "1B", "7.5 M", "2k": an amount, never a benchmark's or task's name.
AMOUNT = regex.compile(r"\d[\d.,]*\s?[kKMBT]")


def names_a_dataset(name: str) -> bool:
    """Whether a claim's dataset may key a comparison table.

    It may not when it is an amount, a unit, a known metric or model (unless a benchmark lexicon
    knows it too: "Alpaca"), hardware or a phrase of the language of abstracts ("example").
    """
    if DATASET.fullmatch(name):
        return True
    if not _NAMED.search(name) and not _names_a_task(name):
        return False  # "same amount", "optimizer states": lower-case words that name no task
    return may_be_named(name, Mention(start=0, end=len(name), type="dataset", source="phrase"))


_NAMED = regex.compile(r"[\p{Lu}\d]")
TASK_ENDINGS = tuple(lexicons.words("task_endings.txt"))
_COLLECTIONS = tuple(w.casefold() for w in (*lexicons.words("collection_heads.txt"), "task"))
COLLECTION_WORDS = frozenset((*_COLLECTIONS, *map(plural, _COLLECTIONS), "corpora"))


def _names_a_task(name: str) -> bool:
    """A lower-case name whose head is a task's ("entity typing", "classification tasks")."""
    words = [w.casefold() for w in WORD.findall(name)]
    while len(words) > 1 and words[-1] in COLLECTION_WORDS:
        words.pop()
    head = words[-1] if words else ""
    return head in TASK_HEADS or head.endswith(TASK_ENDINGS)


NEXT_WORDS = regex.compile(r"(?:[ \t]+[\p{Lu}\d][\p{L}\d\-]*)?[ \t]+(\p{L}[\p{L}\-]*)")


def _hardware_follows(text: str, end: int) -> bool:
    """Whether a head of hardware follows ``end``, maybe after one more name.

    As in "FooChip GPUs" after "FooChip", or "NVIDIA V100 GPUs" after "NVIDIA".
    """
    m = NEXT_WORDS.match(text, end)
    return m is not None and m[1].casefold() in HARDWARE_HEADS


def may_be_named(text: str, m: Mention) -> bool:
    """Whether a mention may name what its type says.

    A method, dataset or task mention that is an amount, a unit or a known metric names none;
    nor does a method mention that is a language pair, nor a dataset or task mention that is a
    known model, names hardware ("on 8 H100 GPUs") or (a phrase) is an idiom of abstracts or a
    phase of training ("for example", "on average", "in fine-tuning").
    """
    if m.type == "metric" or m.source in {"lexicon", "own", "defined"}:
        return True
    written = text[m.start : m.end]
    if AMOUNT.fullmatch(written) or written in UNITS or METRIC.fullmatch(written):
        return False  # neither what is measured on nor who is measured
    words = [w.casefold() for w in WORD.findall(written)]
    if m.type == "method":
        if _hardware_follows(text, m.end) or (words and words[-1] in HARDWARE_HEADS):
            return False  # "on 3072 FooChip-X GPUs": what it ran on, not who is measured
        return not LANGUAGE_PAIR.fullmatch(written)  # "English-German": a direction of data
    if FAMILY_NAME.fullmatch(written):
        return False  # "fine-tuned on Llama-2-7B": a model, evaluated or tuned
    if words and words[-1] in HARDWARE_HEADS:
        return False  # "on 8 H100 GPUs": what it ran on
    if len(words) > 1 and words[-1] in MODEL_HEADS:
        return False  # "on the Foo-7B model": what was evaluated, not what on
    if words and words[-1] in SETTING_HEADS:
        return False  # "in the few-shot setting": how it was evaluated, not on what
    if words and words[0] in AMOUNT_COMPARATIVES:
        return False  # "using fewer parameters": an amount compared, not what it is measured on
    if CLASS_NOUN.fullmatch(written.rsplit(None, 1)[-1]):
        return False  # "over other LLMs": a class of models
    # "in fine-tuning", "on inference": a phase, however it was found
    return not (m.source in {"phrase", "tagger"} and all(w in NOT_DATA_WORDS for w in words))
