"""Who a claim is about (subject) and what it is compared against (baseline).

The abstract's own method is named once ("We present Zeta, …", a title "Zeta: …", an acronym
defined in brackets) and then called "our method" or "it"; claims about it carry that name.
"""

from __future__ import annotations

import regex

from extractors.draft import Draft
from extractors.languages import LANGUAGE_PAIR
from extractors.sentences import Sentence
from extractors.units import ML_UNITS
from extractors.vocabulary import (
    DATASET,
    METRIC,
    MODEL,
    MODEL_FAMILIES,
    NAME,
    NOT_NAMES,
    clean_phrase,
    is_name,
)

SELF_NOUNS = (
    r"(?:method|approach|model|models|framework|system|technique|algorithm|strategy|strategies|"
    r"pipeline|architecture|recipe|solution|work|agent|network|design)"
)
SELF_REFERENCE = regex.compile(
    r"\b(?:[Oo]ur|[Tt]he\s+proposed|[Tt]his)\s+(?:[\p{Ll}\-]+\s+)?" + SELF_NOUNS + r"\b"
)
# "We present Zeta, a …", "we propose a method called Zeta", "Our model, Zeta, …"
CALLED = regex.compile(
    r"(?:\b(?:called|named|dubbed|termed|coined)|\b(?:refer\p{L}*\s+to|denote\p{L}*)\s+[^.;]{1,60}?"
    r"\s+as)\s+[\"“]?(?P<name>[\p{L}\d][\p{L}\d\-.]*[\p{L}\d])"
)
INTRODUCED_ACRONYM = regex.compile(
    r"\b(?:we|We)\s+(?:propose|present|introduce|develop|design|raise|build)[sd]?\s+"
    r"(?:a|an|the)\s+[^.;()]{0,60}?\((?P<name>\p{Lu}[\p{L}\d\-]*\p{Lu}[\p{L}\d\-]*)\)"
)
INTRODUCED = regex.compile(
    r"""\b(?:we|We)\s+(?:first\s+|further\s+|then\s+|also\s+)?
        (?:propose|present|introduce|develop|design|release|build|train|pretrain|describe|
           unveil|contribute|curate|create|construct)[sd]?\s+[\"“]?
        (?P<name>[\p{Lu}\d][\p{L}\d\-.]*[\p{L}\d](?:\s\d+(?:\.\d+)?[BMK]?)?  # "Retro 48B"
                | \p{Ll}+(?:-\p{Ll}+)+(?=,\s+(?:which|a|an)\b))  # "meta-tuning, which"
        [\"”]?\s*(?:[,:(]|--|—|which\b|that\b)""",
    regex.VERBOSE,
)
APPOSITIVE = regex.compile(
    r"\b(?:[Oo]ur|[Tt]he\s+proposed)\s+(?:[\p{Ll}\-]+\s+)?"
    + SELF_NOUNS
    + r",\s+(?P<name>[\p{Lu}\d][\p{L}\d\-.]*[\p{L}\d])\s*,"
)
ACRONYM_DEFINED = regex.compile(r"\((?P<name>[\p{Lu}][\p{L}\d\-]*\p{Lu}[\p{L}\d\-]*)\)")
RELATIVE_CLAUSE = regex.compile(r",?\s+(?:which|who|that)\s+(?:is|are|was|were)\b[^,;]*$")
MODEL_WORD = regex.compile(
    r"(?<![\p{L}\d\-])(?:" + MODEL_FAMILIES + r")(?:[\-.\d][\p{L}\d\-.]*[\p{L}\d])?(?![\p{L}\d])"
)
SENTENCE_SUBJECT = regex.compile(
    r"(?P<name>\p{Lu}[\p{L}\d\-]*[\p{L}\d])\s+(?:\p{Ll}+ly\s+|also\s+|further\s+)?"
    r"(?:achieves|outperforms|improves|reaches|obtains|attains|surpasses|yields|sets|beats|"
    r"matches|reduces|increases|boosts|exceeds|delivers|scores|gets|demonstrates|performs|"
    r"requires|needs|cuts|lowers|raises|speeds|runs|trains|uses)\b"
)
# "… of the OpenLlama-3B model from 36.2% to …": the value before the change is the named model's.
FROM_OF_NAME = regex.compile(
    r"\bof\s+(?:the\s+)?(?P<name>\p{Lu}[\p{L}\d\-.]*[\p{L}\d])(?:\s+(?:model|baseline))?\s+from\s+$"
)
PRONOUN_SUBJECT = regex.compile(r"(?:^|[,;]\s*|\.\s+)(?:it|It)\s+\p{Ll}+s\b")
PRONOUNS = frozenset(
    [
        "it",
        "we",
        "they",
        "this",
        "these",
        "that",
        "those",
        "our",
        "its",
        "their",
        "there",
        "here",
        "such",
    ]
)
# A described subject before its verb, when the abstract names none.
SUBJECT_PHRASE = regex.compile(
    r"\b(?:a|an|our)\s+(?P<np>(?:[\p{Ll}\-]+\s+){0,5}?[\p{Ll}\-]+)\s+(?:that\s+|which\s+)?"
    r"(?:can\s+|could\s+|also\s+|further\s+)?(?:attains?|achieves?|reach(?:es)?|obtains?|"
    r"improves?|outperforms?|reduces?|yields?|speeds?\s+up|boosts?)\b"
)
TITLE_NAME = regex.compile(r"^\s*(?P<name>[^:]{2,40}?)\s*:")
# A word that introduces the object of a preposition or a comparison, not the sentence's subject.
OBJECT_CUE = regex.compile(
    r"(?:\b(?:on|in|of|from|with|than|over|to|against|across|for|by|vs\.?|versus|outperform\p{L}*|"
    r"surpass\p{L}*|beat\p{L}*|including|like|as|such\s+as|and|or)\s+(?:(?:the|its|their|a|an)\s+)?$)|(?:\(\s*$)",
    regex.IGNORECASE,
)

# Cue words before a baseline.
BASELINE_CUE = regex.compile(
    r"""(?<![\p{L}])
        (?: outperform(?:s|ed|ing)? | surpass(?:es|ed|ing)? | beat(?:s|ing)? | exceed(?:s|ed|ing)?
          | over | than | compared\s+(?:to|with) | vs\.? | versus | relative\s+to | against
          | improves | improved | improving )
        \s+ (?:the\s+|its\s+|their\s+|a\s+|an\s+|both\s+|all\s+)?
        (?P<np>(?!\d)[^,.;:()]{1,60})""",
    regex.VERBOSE | regex.IGNORECASE,
)
NAMES_A_COLLECTION = regex.compile(
    r"[\s~]+(?:[\p{Ll}\-]+\s+){0,2}(?i:dataset|benchmark|corpus|testset)s?\b"
)
IN_NAME_AFTER = regex.compile(r"^\s+(?:in|of|for|by|from)\s+(?P<name>[\p{L}\d][\p{L}\d\-.]*)")


def _usable(name: str) -> bool:
    return is_name(name) and not MODEL.match(name) and not DATASET.fullmatch(name)


def paper_name(text: str, title: str | None) -> str | None:
    """The name the abstract gives its own method or model, if it gives one.

    A title "Name: …" settles it. Otherwise every usable name scores its number of mentions,
    plus 3 when the text introduces it ("we present Zeta,", "called Zeta") and 1 when it is
    defined as an acronym; the best score of at least 2 wins.
    """
    if title:
        m = TITLE_NAME.match(title)
        if m and len(m["name"].split()) <= 3 and any(c.isupper() for c in m["name"]):
            return m["name"].strip()
    scores: dict[str, int] = {}
    introductions = (
        (CALLED, 3),
        (INTRODUCED, 3),
        (INTRODUCED_ACRONYM, 3),
        (APPOSITIVE, 3),
        (ACRONYM_DEFINED, 1),
    )
    for pattern, bonus in introductions:
        for m in pattern.finditer(text):
            name = m["name"]
            # an introduced name may belong to a known family ("we introduce Qwen2.5, …")
            family_ok = bonus > 1 or not MODEL.match(name)
            if family_ok and not DATASET.fullmatch(name) and name not in NOT_NAMES:
                scores[name] = scores.get(name, 0) + bonus
    introduced = set(scores)
    for m in NAME.finditer(text):  # a known family's name counts once the text introduced it
        if _usable(m.group()) or m.group() in introduced:
            scores[m.group()] = scores.get(m.group(), 0) + 1
    best = max(scores.items(), key=lambda kv: kv[1], default=None)
    return best[0] if best and best[1] >= 2 else None


def _candidates(text: str, lo: int, hi: int, own: str | None) -> list[tuple[int, str]]:
    """Names and self-references that may be the subject, with their offsets, in order."""
    found: list[tuple[int, str]] = []
    for m in NAME.finditer(text, lo, hi):
        name = m.group()
        if name in ML_UNITS:
            continue  # "petaFLOP", "GFLOPs": units, not names
        if NAMES_A_COLLECTION.match(text, m.end()) or LANGUAGE_PAIR.fullmatch(name):
            continue  # "the Cohn-Kanade dataset", "English-German": not who is measured
        if is_name(name) and not DATASET.fullmatch(name) and not METRIC.fullmatch(name):
            found.append((m.start(), name))
    for m in MODEL_WORD.finditer(text, lo, hi):  # "Retro", "Chinchilla": one capital only
        found.append((m.start(), m.group()))
    lead = SENTENCE_SUBJECT.match(text, lo)  # "Zeta improves …": a name that starts a sentence
    if lead and lead.start("name") < hi and lead["name"].lower() not in PRONOUNS:
        found.append((lead.start(), lead["name"]))
    if own:
        found.extend(
            (m.start(), own) for m in regex.compile(regex.escape(own)).finditer(text, lo, hi)
        )
    for m in SELF_REFERENCE.finditer(text, lo, hi):
        found.append((m.start(), own or m.group()))
    return sorted(set(found))


def subject_of(text: str, d: Draft, s: Sentence, own: str | None) -> str | None:
    """Who the claim is about: a size's model, the sentence's subject, else the paper's method."""
    after = text[d.end : d.end + 40]
    before = text[s.start : d.start]
    if d.unit_source == "inferred":
        m = regex.match(r"\s+(?:the\s+|a\s+)?(?P<name>\p{Lu}[\p{L}\d\-.]*[\p{L}\d])", after)
        if m:
            return m["name"]  # "175B GPT-3"
        m = regex.search(r"(?P<name>\p{Lu}[\p{L}\d\-.]*[\p{L}\d])\s*\(\s*$", before)
        if m:
            return m["name"]  # "Llama-3 (8B)"
    if regex.search(r"\b(?:vs\.?|versus)\s*$", before):
        m = IN_NAME_AFTER.match(after)
        if m and m["name"][:1].isupper():
            return m["name"]  # "(2.26 lower vs 18.02 in OmniQuant)"
    before_change = FROM_OF_NAME.search(before)
    if before_change and regex.match(r"\s*to\s+[~∼]?\d", after):
        return before_change["name"]  # "the accuracy of OpenLlama-3B from 36.2% to 40.7%"
    if d.kind == "count":
        if d.unit == "parameters" and d.noun_start is not None and d.noun_end is not None:
            inside = _candidates(text, d.noun_start, d.noun_end, None)
            if inside:
                return inside[-1][1]  # "the 43B GPT model"
        nearest = [
            name
            for pos, name in _candidates(text, s.start, d.start, own)
            if not _is_object(text, s, pos)  # "7% over its GPT counterpart across 8 tasks"
        ]
        return nearest[-1] if nearest else own
    relative = RELATIVE_CLAUSE.search(before)
    if relative:
        named = _candidates(text, s.start, s.start + relative.start() + 1, own)
        if named:
            return named[-1][1]  # "Llama-3-405B, which is 5 times larger"
    cue = BASELINE_CUE.search(text, s.start, d.start)
    limit = cue.start() if cue else d.start
    candidates = [
        (pos, name)
        for pos, name in _candidates(text, s.start, limit, own)
        if not _is_object(text, s, pos)
    ]
    if candidates:
        return candidates[0][1]
    if own:
        return own
    described = list(SUBJECT_PHRASE.finditer(text, s.start, d.start))
    if described:  # "a network pre-trained using fractals attains 92.7%"
        phrase = described[-1]["np"]
        return regex.sub(r"^(?:novel|new|simple|proposed|efficient)\s+", "", phrase)
    if PRONOUN_SUBJECT.search(text, s.start, d.start):
        # "Our method outperforms … For example, it improves …": "it" is the method named before
        earlier = list(SELF_REFERENCE.finditer(text, max(0, s.start - 400), s.start))
        if earlier:
            return earlier[-1].group()
    return None


def _is_object(text: str, s: Sentence, pos: int) -> bool:
    return OBJECT_CUE.search(text[max(s.start, pos - 24) : pos]) is not None


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
