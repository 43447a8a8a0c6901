"""Method mentions read off the phrase: the paper's own ("our method") and subjects that act.

"Our model, Zeta, …" is Zeta; a described subject that acts ("curriculum sampling lifts …",
"On ImageNet, Zeta reaches …") is who a result may be about. Each is a ``(span, via)`` pair
that ``phrases.phrase_mentions`` turns into a method mention.
"""

from __future__ import annotations

import regex

from claimex.extractors import lexicons
from claimex.extractors.mentions.phrase_words import NAME_SHAPED, OPENERS, STOPS, WORD
from claimex.extractors.vocabulary import DATASET, plural

_SELF_WORDS = lexicons.words("self_nouns.txt")
SELF_NOUNS = lexicons.alternation((*_SELF_WORDS, *map(plural, _SELF_WORDS)))
SELF_REFERENCE = regex.compile(
    r"""\b(?:[Oo]ur|[Tt]he\s+proposed|[Tt]his|[Tt]he\s+resulting)\s+
        (?:[\p{L}\-]+\s+){0,2}?(?:"""
    + SELF_NOUNS
    + r""")\b""",
    regex.VERBOSE,
)
SELF_NAMED = regex.compile(r",\s+(?P<name>[\p{Lu}\d][\p{L}\d]*(?:[\-.][\p{L}\d]+)*)\s*,")
# A described subject that acts: "a network trained on noise attains", "curriculum sampling
# lifts": up to five words at the start of a sentence or after "a"/"an", then a result verb.
# The words are no auxiliary or conjunction: "the system can greatly boost" is "system".
NOT_IN_SUBJECT = r"(?!(?:can|could|is|are|was|were|be|to|and|or|will|may|would|should|has|have)\b)"
FRONTED = lexicons.alternation(lexicons.words("fronted_openers.txt"))  # "On ImageNet, …"
ACTING = regex.compile(
    r"""(?:^|(?<=[.!?;]\s)|(?<=\b(?:[Aa]n?|[Oo]ur)\s)(?<!\b(?:on|in|with|from|of|for|to|by|at|over)\s+\S+\s)
        |(?<=(?:^|[.!?;]\s)(?:"""
    + FRONTED
    + r""")\b[^,.;:]{0,80},\s))   # "On ImageNet, Zeta reaches": after a fronted phrase
        (?P<np>(?:"""
    + NOT_IN_SUBJECT
    + r"""[\p{L}][\p{L}\-]*\s+){0,4}?"""
    + NOT_IN_SUBJECT
    + r"""[\p{L}][\p{L}\-]*)\s+     # up to five words, none an auxiliary
        (?:that\s+|which\s+)?                            # "a method that reaches"
        (?:(?:can|could|also|further|still|(?:is|are)\s+able\s+to|\p{Ll}+ly)\s+){0,3}
        (?:attains?|achieves?|reach(?:es)?|obtains?|improves?|outperforms?|reduces?|yields?
          |boosts?|lifts?|raises?|increases?|surpasses?|cuts?|speeds?\s+up|delivers?)\b""",
    regex.VERBOSE,
)


def _acting_name(words: list[regex.Match[str]]) -> regex.Match[str] | None:
    """The name that acts, when a described subject ends in one: its last word.

    That word is written as a name (two capitals, or a capital and a digit), is known as no
    dataset, and comes after at least one other word ("the earlier Zeta-2", "prior work reports
    that Zeta-2").
    """
    if len(words) < 2:
        return None
    last = words[-1]
    if NAME_SHAPED.fullmatch(last.group()) is None or DATASET.fullmatch(last.group()):
        return None
    return last


def method_phrases(text: str, start: int, end: int) -> list[tuple[tuple[int, int], str]]:
    """The self references and acting subjects of the sentence ``text[start:end]``, in order."""
    out: list[tuple[tuple[int, int], str]] = []
    selves = []
    for m in SELF_REFERENCE.finditer(text, start, end):
        named = SELF_NAMED.match(text, m.end(), end)  # "Our model, Zeta, …" is Zeta
        span = (named.start("name"), named.end("name")) if named else (m.start(), m.end())
        out.append((span, "self"))
        selves.append((m.start(), m.end()))
    for m in ACTING.finditer(text, start, end):
        within = [(s, e) for s, e in selves if s <= m.start("np") and m.end("np") <= e]
        if within:  # "our model reaches": the self reference acts
            out.append((within[0], "acting"))
            continue
        words = list(WORD.finditer(text, m.start("np"), m.end("np")))
        while words and words[0].group().casefold() in OPENERS:
            words.pop(0)  # "a novel cache schedule that improves": the cache schedule
        named = _acting_name(words)
        if named is not None:  # "the earlier Zeta reaches", "work reports that Zeta reaches"
            out.append(((named.start(), named.end()), "acting"))
        elif words and words[0].group().casefold() not in STOPS:
            out.append(((words[0].start(), m.end("np")), "acting"))
    return out
