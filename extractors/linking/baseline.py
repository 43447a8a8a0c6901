"""What a claim is compared against (baseline) and the evaluation setting it was measured in.

A baseline is the phrase after a comparison cue ("outperforms X", "over X", "than X", "vs. X")
nearest the number in its sentence. A setting (zero-shot, 5-shot, fine-tuned, with extra data)
is read from the sentence by the patterns of ``lexicons/settings.tsv``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import msgspec
import regex

from claimex.extractors.languages import with_language_pair
from claimex.extractors.mentions.find import MODEL_HEADS
from claimex.extractors.mentions.phrases import IDIOM
from claimex.extractors.vocabulary import METRIC, SETTINGS, clean_phrase

if TYPE_CHECKING:
    from collections.abc import Iterator

    from claimex.extractors.draft import Doc, Draft

BASELINE_CUE = regex.compile(
    r"""(?<![\p{L}])
        (?: outperform(?:s|ed|ing)? | surpass(?:es|ed|ing)? | beat(?:s|ing)? | exceed(?:s|ed|ing)?
          | over | than | compared\s+(?:to|with) | vs\.? | versus | relative\s+to | against
          | (?<!\b(?:or|and)\s)(?:above|below)  # "2% above Beta"; "2.0 or below" is a bound
          | ahead\s+of | behind | trail(?:s|ed|ing)? | underperform(?:s|ed|ing)?
          | improv(?:es|ed|ing)\s+upon | (?P<improves>improves | improved | improving) )
        \s+ (?:the\s+|its\s+|their\s+|a\s+|an\s+|both\s+|all\s+)?
        (?P<np>(?!\d|(?:by|over|upon|from|to)\b)  # "improved by 26%", "from 55.3%": no rival
          (?:[^,.;:()]|\.(?=[\p{L}\d])){1,60})    # a dot inside a name: "GPT-3.5"
    """,
    regex.VERBOSE | regex.IGNORECASE,
)
# "(0.7 lower vs 31.20 in QuantX)": the name after the compared value.
VERSUS_IN = regex.compile(
    r"\s*(?:\p{L}+\s+)?(?:lower|higher)?\s*(?:vs\.?|versus)\s+\S+\s+in\s+"
    r"(?P<name>[\p{L}\d][\p{L}\d\-.]*)"
)
CUE_AHEAD = regex.compile(
    r"^\s*(?:[\p{L}\d\-]+\s+){0,6}?(?=(?:over|than|compared|vs|versus|above|below|ahead|behind)\b)"
)
WINDOW = 160  # characters read on each side of a claim for its comparison cue
POSSESSIVE = regex.compile(r"^(?P<name>[\p{L}\d][\p{L}\d\-.]*)'s?\b")


def baseline_of(text: str, d: Draft) -> str | None:
    """What ``d`` is compared against: the phrase after the comparison cue nearest it, if any.

    The cues are tried nearest first (right after the value, then before it, then a few words
    after it, then farther before it); one that names no rival ("improves accuracy by 2.3 points
    over Beta": accuracy is improved) gives way to the next.
    """
    s = d.sentence
    end = min(s.end, d.end + WINDOW)
    m = VERSUS_IN.match(text, d.end, end)
    if m:
        return m["name"]
    for near in _cues_nearest_first(text, d, end):
        np = _rival(near)
        if np is not None:
            return np
    return None


def _cues_nearest_first(text: str, d: Draft, end: int) -> Iterator[regex.Match[str]]:
    after = text[d.end : end]
    if after.lstrip()[:4]:
        right_after = BASELINE_CUE.match(after.lstrip())
        if right_after is not None:
            yield right_after
    cues = list(BASELINE_CUE.finditer(text, max(d.sentence.start, d.start - WINDOW), d.start))
    if cues:
        yield cues[-1]
    ahead = CUE_AHEAD.match(after)
    found = BASELINE_CUE.match(after, ahead.end()) if ahead else None
    if found is not None:
        yield found
    yield from reversed(cues[:-1])  # "Compared with Beta, Zeta improves throughput by 2.4x"


def _rival(near: regex.Match[str]) -> str | None:
    """The rival a comparison cue names, if it names one."""
    np = clean_phrase(near["np"])
    if np is None:
        return None
    possessive = POSSESSIVE.match(np)
    if possessive:
        np = possessive["name"]
    if METRIC.fullmatch(np) or np.lower() in {"the", "baseline"}:
        return None
    if near["improves"] and not _a_rival(np):
        return None  # "improves grounding (up to 14%)": what is improved, not a rival
    return np


def _a_rival(np: str) -> bool:
    """Whether what a value "improves" is a model: a name ("ResNet-50"), or a model's head noun."""
    last = np.rsplit(maxsplit=1)[-1].casefold()
    named = any(ch.isupper() or ch.isdigit() for ch in np)
    return named or last in MODEL_HEADS or IDIOM.search(np) is not None


def setting_of(text: str, start: int, end: int) -> str | None:
    """The evaluation setting ``text[start:end]`` (a sentence) names, if any."""
    sentence = text[start:end]
    for pattern, setting in SETTINGS:
        m = pattern.search(sentence)
        if m:
            return setting.format(*m.groups()) if "{" in setting else setting
    return None


def assign_baselines(doc: Doc) -> Doc:
    """Baseline (not for counts) and setting of every draft; each sentence read once."""
    settings: dict[tuple[int, int], str | None] = {}
    drafts = []
    for d in doc.drafts:
        key = (d.sentence.start, d.sentence.end)
        if key not in settings:
            settings[key] = setting_of(doc.text, *key)
        baseline = baseline_of(doc.text, d) if d.kind != "count" else None
        # "than ViT-B": what a comparison cue governs is the baseline, whoever the scored
        # subject or dataset was; a claim is neither about nor on what it is compared against
        subject = None if baseline is not None and baseline == d.subject else d.subject
        dataset = None if baseline is not None and baseline == d.dataset else d.dataset
        drafts.append(
            msgspec.structs.replace(
                d, subject=subject, dataset=dataset, baseline=baseline, setting=settings[key]
            )
        )
    return msgspec.structs.replace(doc, drafts=tuple(drafts))


def language_pairs(doc: Doc) -> Doc:
    """A translation benchmark's name gets the language pair written with it."""
    named: dict[tuple[int, str], str] = {}
    drafts = []
    for d in doc.drafts:
        if not d.dataset:
            drafts.append(d)
            continue
        key = (d.sentence.start, d.dataset)
        if key not in named:
            named[key] = with_language_pair(doc.text, d.sentence, d.dataset)
        drafts.append(msgspec.structs.replace(d, dataset=named[key]))
    return msgspec.structs.replace(doc, drafts=tuple(drafts))
