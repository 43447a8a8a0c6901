"""Structural passes: numbers written together share or split what their words say.

Members of a range or list share a metric and dataset one of them has; a range ("from 1.08 to
1.04") is one result on one dataset. "Respectively" pairs the members of a list, in order, with
a list of names written elsewhere in the sentence ("by 2.8% and 3.2% on GLUE and SQuAD,
respectively"; "UAS and LAS are 93.2% and 91.0%"; "61.4/66.0% AP/AR").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import msgspec
import regex

from claimex.extractors.model import RESULT_KINDS
from claimex.extractors.vocabulary import DATASET, METRIC

if TYPE_CHECKING:
    from claimex.extractors.draft import Doc, Draft

_CAP_NAME = r"(?:[\p{Lu}\d]|\p{Ll}+\d)[^\s,;()]*(?:\s[\p{Lu}\d][^\s,;()]*)*"
# "on A, B and C", "benchmarks such as A and B", "benchmarks (A, B and C)": a list of names.
NAMES_BEFORE = regex.compile(
    r"""(?:(?:\b(?i:on|for|across)|(?i:benchmarks|datasets|tasks)\s+(?:of|like|such\s+as|including))
        \s+ | (?i:benchmarks|datasets|tasks|corpora)\s*\(\s*)  # or a bracket: "benchmarks (A, B)"
        (?:both\s+)?(?:the\s+)?(?:\p{Ll}[\p{Ll}\-]*\s+){0,2}(?P<names>"""
    + _CAP_NAME
    + r"(?:,\s*"
    + _CAP_NAME
    + r")*,?\s+and\s+"
    + _CAP_NAME
    + r")",
    regex.VERBOSE,
)


def _list_of(name: str, last_joint: str) -> regex.Pattern[str]:
    """Two or more names written as a list: "A, B and C"."""
    return regex.compile(name + r"(?:\s*,\s*" + name + r")*\s*,?" + last_joint + name)


DATASET_LIST = _list_of(DATASET.pattern, r"\s+and\s+")  # "Penn Treebank and WikiText-2"
METRIC_LIST = _list_of(METRIC.pattern, r"\s*(?:and|&|/)\s*")  # "UAS and LAS", "BLEU/METEOR"
# "on <names>, respectively": the names a respectively list is paired with, after it.
RESPECTIVELY_ON = regex.compile(
    r"\bon\s+(?P<names>(?:[^.;:()]|\.\d){1,120}?)\s*(?:,\s*)?(?:respectively\b|[.;,](?!\d)|$)"
)
LIST_SEPARATOR = regex.compile(r",\s*(?:and\s+)?|\s+and\s+")
QUANTITY_LIKE = regex.compile(
    r"[~≈<>]?[\d.,]+\s*(?:%|[kKMBT]\b|(?i:thousand|million|billion|trillion|times)\b)"
)
# What may stand between a list of metrics and the values it pairs with, unmarked.
PAIRING_GAP = regex.compile(r"\s+(?:scores?\s+)?(?:are|were|of|at|reach(?:es|ed)?|is)\s+")
# "AP/AR" or "box/mask AP" right after the last of slash-joined values.
SLASH_METRICS = regex.compile(
    r"\s*(?:(?:average|mean|avg\.?)\s+)?(?P<parts>[\p{L}\d@\-]+(?:/[\p{L}\d@\-]+)+)"
    r"(?:\s+(?P<head>" + METRIC.pattern + r"))?"
)
# Values listed with their unit each ("1.19 bpc and 1.08 bpc"): the gap between two of them.
UNIT_LIST_GAP = regex.compile(r"\s*(?:[\p{L}/\-]+\s*){0,2}(?:,\s*(?:and\s+)?|\s+and\s+)")
MODEL_PHRASE = regex.compile(r"\b(?:model|LLM|LM|network)s?$")


def groups(drafts: list[Draft]) -> list[list[int]]:
    """Indexes of the drafts of each range or list, and of each draft on its own."""
    out: list[list[int]] = []
    for i, d in enumerate(drafts):
        if i and d.joined in {"range", "list"}:
            out[-1].append(i)
        else:
            out.append([i])
    return out


def _listed(names: str) -> list[str]:
    """The names of a written list; empty when one of them is a quantity ("22 Billion")."""
    parts = [n.strip() for n in LIST_SEPARATOR.split(names) if n.strip()]
    if any(QUANTITY_LIKE.match(n) or not regex.search(r"\p{L}", n) for n in parts):
        return []
    return [regex.sub(r"\s+(?:benchmarks?|datasets?|tasks?)$", "", n) for n in parts]


# How far around a list its "respectively" and the names it pairs with are looked for.
LIST_WINDOW = 300


RESPECTIVELY_BEFORE = 30  # characters: "A and B … respectively reach 61.5 and 57.0"


def _says_respectively(text: str, d: Draft, first: Draft | None = None) -> bool:
    """Whether "respectively" goes with the list that ``d`` ends or the one ``first`` opens.

    It follows the list that ends with ``d``, or stands just before the list that ``first`` opens.
    """
    if text.find("respectively", d.end, min(d.sentence.end, d.end + LIST_WINDOW)) >= 0:
        return True
    if first is None:
        return False
    lo = max(first.sentence.start, first.start - RESPECTIVELY_BEFORE)
    return text.find("respectively", lo, first.start) >= 0


def datasets_respectively(text: str, group: list[Draft]) -> list[str] | None:
    """One dataset per member of a "respectively" group, from a list of as many names.

    The list is the one after the group ("on A and B, respectively"), else the nearest list
    before it with as many names.
    """
    last = group[-1]
    if not _says_respectively(text, last, group[0]):
        return None
    m = RESPECTIVELY_ON.search(text, last.end, min(last.sentence.end, last.end + LIST_WINDOW))
    if m is not None:
        names = _listed(m["names"])
        if len(names) == len(group):
            return names
    lists = [
        (found.end(), _listed(found["names"] if "names" in found.groupdict() else found.group()))
        for pattern in (NAMES_BEFORE, DATASET_LIST)
        for found in pattern.finditer(
            text, max(last.sentence.start, group[0].start - LIST_WINDOW), group[0].start
        )
    ]
    fitting = [(end, names) for end, names in lists if len(names) == len(group)]
    return max(fitting)[1] if fitting else None


def metrics_respectively(text: str, group: list[Draft]) -> list[str] | None:
    """One metric per member of a group, from the metric names written with its values.

    As in "61.4/66.0% AP/AR", "38.2/35.5 box/mask AP", or "UAS and LAS of 93.0% and 91.1%,
    respectively".
    """
    first, last = group[0], group[-1]
    s = last.sentence
    if "/" in text[first.end : last.start]:
        m = SLASH_METRICS.match(text, last.end, s.end)
        if m:
            parts = m["parts"].split("/")
            head = m["head"] or ""
            names = [f"{p} {head}".strip() if head else p for p in parts]
            if len(names) == len(group) and (head or all(METRIC.fullmatch(p) for p in parts)):
                return names
    lists = list(METRIC_LIST.finditer(text, max(s.start, first.start - LIST_WINDOW), first.start))
    if not lists:
        return None
    close = PAIRING_GAP.fullmatch(text, lists[-1].end(), first.start)
    if not _says_respectively(text, last) and not close:
        return None
    names = [
        n.strip() for n in regex.split(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+|/)\s*", lists[-1].group())
    ]
    return names if len(names) == len(group) else None


def _set(drafts: list[Draft], i: int, **fields: str | None) -> None:
    drafts[i] = msgspec.structs.replace(drafts[i], **fields)


def share_in_groups(doc: Doc) -> Doc:
    """Members of a range or list share their metric and dataset, or pair them respectively."""
    text, drafts = doc.text, list(doc.drafts)
    for members in groups(drafts):
        group = [drafts[i] for i in members]
        is_range = len(group) > 1 and all(g.joined == "range" for g in group[1:])
        # a range's metric is written after its end ("from 9.7 to 8.2 perplexity")
        ordered = group[::-1] if is_range else group
        metric = next((g.metric for g in ordered if g.metric), None)
        dataset = next((g.dataset for g in group if g.dataset), None)
        per_member = datasets_respectively(text, group) if len(group) > 1 else None
        metrics = metrics_respectively(text, group) if len(group) > 1 else None
        for n, i in enumerate(members):
            g = drafts[i]
            own_dataset = dataset if is_range else (g.dataset or dataset)
            own_metric = metric if is_range else (g.metric or metric)
            _set(
                drafts,
                i,
                metric=metrics[n] if metrics else own_metric,
                dataset=per_member[n] if per_member else own_dataset,
            )
    return msgspec.structs.replace(doc, drafts=tuple(drafts))


def pair_unit_lists(doc: Doc) -> Doc:
    """Values that repeat their unit are a list too, for "respectively".

    As in "1.31 bits/char and 1.17 bits/char on A and B respectively".
    """
    text, drafts = doc.text, list(doc.drafts)
    runs: list[list[int]] = []
    for i, d in enumerate(drafts):
        prev = drafts[i - 1] if i else None
        listed = (
            prev is not None
            and prev.sentence == d.sentence
            and d.joined is None
            and UNIT_LIST_GAP.fullmatch(text, prev.end, d.start) is not None
        )
        if listed and runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        elif listed:
            runs.append([i - 1, i])
    for run in runs:
        names = datasets_respectively(text, [drafts[i] for i in run])
        for n, i in enumerate(run):
            if names:
                _set(drafts, i, dataset=names[n])
    return msgspec.structs.replace(doc, drafts=tuple(drafts))


def _label(text: str, d: Draft) -> str:
    """How a count names a model: "22 Billion", or "70 Billion parameter model"."""
    noun = d.noun_start is not None and d.noun_end is not None and d.unit_source == "noun"
    if noun and MODEL_PHRASE.search(text[d.noun_start or 0 : d.noun_end or 0]):
        return text[d.start : d.noun_end]
    return text[d.start : d.end]


def pair_with_earlier(doc: Doc) -> Doc:
    """A respectively list with no names of its own pairs with what came before it in the sentence.

    As many counts ("For 22B and 175B parameters we reach 38% and 36%") give the subjects; as
    many results on different datasets give the datasets.
    """
    text, drafts = doc.text, list(doc.drafts)
    for members in groups(drafts):
        last = drafts[members[-1]]
        if len(members) < 2 or not _says_respectively(text, last):
            continue
        first = max(0, members[0] - 2 * len(members) - 2)  # only the values right before count
        before = [j for j in range(first, members[0]) if drafts[j].sentence == last.sentence]
        counts = [j for j in before if drafts[j].kind == "count"][-len(members) :]
        if len(counts) == len(members):
            for i, j in zip(members, counts, strict=True):
                _set(drafts, i, subject=_label(text, drafts[j]))
        if datasets_respectively(text, [drafts[i] for i in members]) is not None:
            continue
        results = [j for j in before if drafts[j].kind in RESULT_KINDS and drafts[j].dataset]
        names = [drafts[j].dataset for j in results[-len(members) :]]
        if len(names) == len(members) and len(set(names)) == len(names):
            for i, name in zip(members, names, strict=True):
                _set(drafts, i, dataset=name)
    return msgspec.structs.replace(doc, drafts=tuple(drafts))
