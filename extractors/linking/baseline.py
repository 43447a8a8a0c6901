"""What a claim is compared against (baseline) and the evaluation setting it was measured in.

A baseline is the phrase after a comparison cue ("outperforms X", "over X", "than X", "vs. X")
nearest the number in its sentence. A setting (zero-shot, 5-shot, fine-tuned, with extra data)
is read from the sentence by the patterns of ``lexicons/settings.tsv``.
"""

from __future__ import annotations

import msgspec
import regex

from extractors.draft import Doc, Draft
from extractors.languages import with_language_pair
from extractors.vocabulary import METRIC, SETTINGS, clean_phrase

BASELINE_CUE = regex.compile(
    r"""(?<![\p{L}])
        (?: outperform(?:s|ed|ing)? | surpass(?:es|ed|ing)? | beat(?:s|ing)? | exceed(?:s|ed|ing)?
          | over | than | compared\s+(?:to|with) | vs\.? | versus | relative\s+to | against
          | improves | improved | improving )
        \s+ (?:the\s+|its\s+|their\s+|a\s+|an\s+|both\s+|all\s+)?
        (?P<np>(?!\d)[^,.;:()]{1,60})""",
    regex.VERBOSE | regex.IGNORECASE,
)
# "(1.98 lower vs 56.63 in OmniQuant)": the name after the compared value.
VERSUS_IN = regex.compile(
    r"\s*(?:\p{L}+\s+)?(?:lower|higher)?\s*(?:vs\.?|versus)\s+\S+\s+in\s+"
    r"(?P<name>[\p{L}\d][\p{L}\d\-.]*)"
)
CUE_AHEAD = regex.compile(r"^\s*(?:\p{L}+\s+){0,6}?(?=(?:over|than|compared|vs|versus)\b)")
POSSESSIVE = regex.compile(r"^(?P<name>[\p{L}\d][\p{L}\d\-.]*)'s?\b")


def baseline_of(text: str, d: Draft) -> str | None:
    s = d.sentence
    m = VERSUS_IN.match(text, d.end, s.end)
    if m:
        return m["name"]
    after = text[d.end : s.end]
    near = BASELINE_CUE.match(after.lstrip()) if after.lstrip()[:4] else None
    if near is None:
        cues = list(BASELINE_CUE.finditer(text, s.start, d.start))
        near = cues[-1] if cues else None
    if near is None:
        ahead = CUE_AHEAD.match(after)
        near = BASELINE_CUE.match(after, ahead.end()) if ahead else None
    if near is None:
        return None
    np = clean_phrase(near["np"])
    if np is None:
        return None
    possessive = POSSESSIVE.match(np)
    if possessive:
        np = possessive["name"]
    if np == d.subject or METRIC.fullmatch(np) or np.lower() in {"the", "baseline"}:
        return None
    return np


def setting_of(text: str, d: Draft) -> str | None:
    sentence = text[d.sentence.start : d.sentence.end]
    for pattern, setting in SETTINGS:
        m = pattern.search(sentence)
        if m:
            return setting.format(*m.groups()) if "{" in setting else setting
    return None


def assign_baselines(doc: Doc) -> Doc:
    """Baseline (not for counts) and setting of every draft."""
    drafts = tuple(
        msgspec.structs.replace(
            d,
            baseline=baseline_of(doc.text, d) if d.kind != "count" else None,
            setting=setting_of(doc.text, d),
        )
        for d in doc.drafts
    )
    return msgspec.structs.replace(doc, drafts=drafts)


def language_pairs(doc: Doc) -> Doc:
    """A translation benchmark's name gets the language pair written with it."""
    drafts = tuple(
        msgspec.structs.replace(d, dataset=with_language_pair(doc.text, d.sentence, d.dataset))
        if d.dataset
        else d
        for d in doc.drafts
    )
    return msgspec.structs.replace(doc, drafts=drafts)
