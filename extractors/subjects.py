"""Who a claim is about (subject) and what it is compared against (baseline).

The abstract's own method is named once ("We present Zeta, …", a title "Zeta: …", an acronym
defined in brackets) and then called "our method" or "it"; claims about it carry that name.
"""

from __future__ import annotations

import regex

from extractors.draft import Draft
from extractors.sentences import Sentence
from extractors.vocabulary import DATASET, METRIC, MODEL, NAME, clean_phrase, is_name

SELF_REFERENCE = regex.compile(
    r"\b(?:[Oo]ur|[Tt]he\s+proposed|[Tt]his)\s+(?:\p{L}+\s+)?"
    r"(?:method|approach|model|framework|system|technique|algorithm|strategy|strategies|"
    r"pipeline|architecture|recipe|solution)\b|\b(?:We|we|It|it)\b"
)
INTRODUCED = regex.compile(
    r"""\b(?:we|We)\s+(?:first\s+|further\s+|then\s+)?
        (?:propose|present|introduce|develop|design|release|build|train|pretrain|describe|call)[sd]?
        \s+(?:[^.;:]{0,80}?\s)?
        (?:called|named|dubbed|termed|,)?\s*["“]?(?P<name>[\p{L}\d][\p{L}\d\-.]*)""",
    regex.VERBOSE,
)
ACRONYM_DEFINED = regex.compile(r"\((?P<name>[\p{Lu}][\p{L}\d\-]*\p{Lu}[\p{L}\d\-]*)\)")
TITLE_NAME = regex.compile(r"^\s*(?P<name>[^:]{2,40}?)\s*:")

# Cue words before a baseline.
BASELINE_CUE = regex.compile(
    r"""(?<![\p{L}])
        (?: outperform(?:s|ed|ing)? | surpass(?:es|ed|ing)? | beat(?:s|ing)? | exceed(?:s|ed|ing)?
          | over | than | compared\s+(?:to|with) | vs\.? | versus | relative\s+to | against
          | improves | improved | improving )
        \s+ (?:the\s+|its\s+|their\s+|a\s+|an\s+|both\s+|all\s+)?
        (?P<np>[^,.;:()]{1,60})""",
    regex.VERBOSE | regex.IGNORECASE,
)
IN_NAME_AFTER = regex.compile(r"^\s+(?:in|of|for|by|from)\s+(?P<name>[\p{L}\d][\p{L}\d\-.]*)")


def paper_name(text: str, title: str | None) -> str | None:
    """The name the abstract gives its own method or model, if it gives one."""
    if title:
        m = TITLE_NAME.match(title)
        if m and len(m["name"].split()) <= 3 and any(c.isupper() for c in m["name"]):
            return m["name"].strip()
    for m in INTRODUCED.finditer(text):
        name = m["name"].rstrip(".,")
        if is_name(name) and not MODEL.match(name) and not DATASET.fullmatch(name):
            return name
    for m in ACRONYM_DEFINED.finditer(text[:600]):
        if is_name(m["name"]) and not DATASET.fullmatch(m["name"]):
            return m["name"]
    return None


def subject_of(text: str, d: Draft, s: Sentence, own: str | None) -> str | None:
    after = text[d.end : d.end + 40]
    if d.unit_source == "inferred":
        m = regex.match(r"\s+(?:the\s+|a\s+)?(?P<name>[\p{L}\d][\p{L}\d\-.]*)", after)
        if m:
            return m["name"].rstrip(".")
    if d.joined == "versus":
        m = IN_NAME_AFTER.match(after)
        if m and is_name(m["name"]):
            return m["name"]
    sentence = text[s.start : d.start]
    cue = BASELINE_CUE.search(sentence)
    limit = cue.start() if cue else len(sentence)
    if d.kind == "count":
        names = [m.group() for m in NAME.finditer(sentence) if is_name(m.group())]
        names = [n for n in names if not DATASET.fullmatch(n)]
        if names:
            return names[-1]
    for m in NAME.finditer(sentence, 0, limit):
        name = m.group()
        if is_name(name) and not DATASET.fullmatch(name) and not METRIC.fullmatch(name):
            return name
    if own:
        return own
    m = SELF_REFERENCE.search(text, s.start, d.start)
    if m and m.group().lower() not in {"we", "it"}:
        return m.group()
    return None


def baseline_of(text: str, d: Draft, s: Sentence, subject: str | None) -> str | None:
    after = text[d.end : s.end]
    m = regex.match(r"^\s*(?:\p{L}+\s+)?(?:lower|higher)?\s*(?:vs\.?|versus)\s+\S+\s+in\s+"
                    r"(?P<name>[\p{L}\d][\p{L}\d\-.]*)", after)  # fmt: skip
    if m:
        return m["name"]
    near = BASELINE_CUE.match(after.lstrip()) if after.lstrip()[:4] else None
    if near is None:
        cues = list(BASELINE_CUE.finditer(text, s.start, d.start))
        near = cues[-1] if cues else None
        if near is None:
            m = regex.match(r"^\s*(?:\p{L}+\s+){0,6}?(?=(?:over|than|compared|vs|versus)\b)",
                            after)  # fmt: skip
            near = BASELINE_CUE.match(after, m.end()) if m else None
    if near is None:
        return None
    np = clean_phrase(near["np"])
    if np is None:
        return None
    possessive = regex.match(r"^(?P<name>[\p{L}\d][\p{L}\d\-.]*)'s?\b", np)
    if possessive:
        np = possessive["name"]
    if np == subject or METRIC.fullmatch(np) or np.lower() in {"the", "baseline"}:
        return None
    return np
