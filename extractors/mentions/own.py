"""The paper's own method: the name an abstract gives what it introduces.

Candidates are the names the text writes the way papers introduce their method ("We present
Zeta, a …", "a framework called Zeta", "Our model, Zeta, …", "Zeta: …" as the title), the
acronyms it defines, and any name-like token it repeats. Each candidate is described by binary
features (how it is introduced, how often it recurs, whether a lexicon knows it as something
else); the fitted ``own`` model of ``extractors.weights`` picks the best one, or none.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import msgspec
import regex

from claimex.extractors import lexicons
from claimex.extractors.mentions.mention import occurrences
from claimex.extractors.vocabulary import DATASET, METRIC, MODEL, NAME, NOT_NAMES

if TYPE_CHECKING:
    from collections.abc import Iterator

    from claimex.extractors.mentions.defined import Definition
    from claimex.extractors.weights import LinearModel

# A name as introduced: a token with a capital or digit, maybe hyphenated into several words
# ("Learning-by-Rewriting"), maybe followed by a size ("Orbit 13B") or one more capitalised word.
_NAME = r"""(?<![\p{L}\p{M}\d])(?P<name>
      [\p{Lu}\d][\p{L}\p{M}\d]*(?:[\-.+][\p{L}\p{M}\d]+)*     # Zeta, GPT-4o, Learning-by-Rewriting
      (?:_\{[\p{L}\d]+\}|_[\p{L}\d])?                          # a LaTeX subscript: Z_{mix}
      (?:\s[\p{Lu}\d][\p{L}\p{M}\d]*(?:[\-.][\p{L}\d]+)*){0,2}  # "Deep Zeta", "Orbit 13B"
    | \p{Ll}+(?:-\p{Ll}+)+                                  # a hyphenated lower-case method
    )"""
# What follows the name in an appositive: ", a novel framework".
APPOSITIVE_NOUN = r""",\s+(?:a|an)\s+(?:\p{Ll}[\p{L}\-]*\s+){0,4}
    (?:method|approach|model|framework|system|technique|algorithm|strategy
      |pipeline|architecture|recipe|agent|network|family|suite|library|tool)"""
INTRODUCERS = (
    (  # "we propose Zeta, …", "We introduce Zeta: …"
        "we_verb",
        regex.compile(
            r"""\b[Ww]e\s+(?:\p{Ll}+ly\s+|first\s+|further\s+|then\s+|also\s+|hereby\s+)?
                (?:propose|present|introduce|develop|design|release|build|train|pretrain
                  |describe|unveil|contribute|curate|create|construct|devise|offer)[sd]?\s+
                [\"“]?"""
            + _NAME
            + r"""[\"”]?\s*(?:[,:(]|--|—|–|which\b|that\b|\s(?:a|an|the)\s)""",
            regex.VERBOSE,
        ),
    ),
    (  # 'we build a "Zeta Model"', 'we train the so-called "Zeta"': a quoted name
        "we_quoted",
        regex.compile(
            r"""\b[Ww]e\s+(?:\p{Ll}+ly\s+|first\s+|also\s+)?
                (?:propose|present|introduce|develop|design|release|build|train|pretrain
                  |create|construct|devise|call|name)[sd]?\s+
                (?:(?:a|an|the|our)\s+)?(?:[\p{Ll}\-]+\s+){0,3}?[\"“]"""
            + _NAME
            + r"""[\"”]""",
            regex.VERBOSE,
        ),
    ),
    (  # "a method called Zeta", "termed as Zeta", "we refer to it as Zeta"
        "called",
        regex.compile(
            r"""(?:\b(?:called|named|dubbed|termed|coined|nicknamed)(?:\s+as)?
                  |\b(?:refer\p{L}*\s+to|denot\p{L}*)\s+[^.;]{1,60}?\s+as)
                \s+[\"“]?"""
            + _NAME,
            regex.VERBOSE,
        ),
    ),
    (  # "Our model, Zeta, …", "the proposed method, Zeta, …"
        "our_appositive",
        regex.compile(
            r"""\b(?:[Oo]ur|[Tt]he\s+proposed|[Tt]his)\s+(?:[\p{Ll}\-]+\s+){0,2}\p{Ll}+,\s+"""
            + _NAME
            + r"""\s*,""",
            regex.VERBOSE,
        ),
    ),
    (  # "Zeta, a novel framework that …", "… to build Zeta, a model for …"
        "appositive",
        regex.compile(
            r"""(?:^|(?<=[.;]\s)|\b(?:[Ww]e\s+\p{Ll}+\s+|[Pp]ropos\p{L}*\s+)
                |\bto\s+(?:create|build|develop|introduce|construct|design|devise)\s+)"""
            + _NAME
            + APPOSITIVE_NOUN,
            regex.VERBOSE,
        ),
    ),
    (  # "We propose a new sparse pruning (SPX) framework"
        "we_acronym",
        regex.compile(
            r"""\b[Ww]e\s+(?:propose|present|introduce|develop|design|build|devise)[sd]?\s+
                (?:a|an|the)\s+[^.;()]{0,80}?\((?P<name>\p{Lu}[\p{L}\d\-]*\p{Lu}[\p{L}\d\-]*)\)""",
            regex.VERBOSE,
        ),
    ),
)
# A part of every match of an introducer, where searching for it alone is much quicker: most
# abstracts have no ", a … framework" and then the appositive, which tries a name at every
# position, need not run.
NEEDED = {"appositive": regex.compile(APPOSITIVE_NOUN, regex.VERBOSE)}
TITLE_PREFIX = regex.compile(r"^\s*(?P<name>[^:]{2,40}?)\s*:")
# A name that opens a sentence and does something: "Zeta outperforms …", "Zeta also reaches …".
ACTS = regex.compile(
    r"""\s+(?:\p{Ll}+ly\s+|also\s+|further\s+|thus\s+)?
        (?:achiev|outperform|improv|reach|obtain|attain|surpass|yield|set|beat|match|reduc
          |increas|boost|exceed|deliver|score|get|demonstrat|perform|show|enabl|allow|lead
          |consist|us|learn|generat|leverag|combin|employ|integrat|can|is|are)\p{Ll}*\b""",
    regex.VERBOSE,
)
SENTENCE_START = regex.compile(r"(?:^|(?<=[.!?]\s))")
# A name introduced as a collection of data: "X, a new benchmark", "the X dataset", "dataset X".
COLLECTION_WORD = r"(?:dataset|benchmark|corpus|suite|collection|testbed|leaderboard)"
COLLECTION_NOUN = COLLECTION_WORD + "s?"
AS_COLLECTION_AFTER = regex.compile(
    r"(?:,\s+(?:a|an|the)\s+(?:[\p{L}\-]+\s+){0,4}?|\s+(?:[\p{Ll}\-]+\s+){0,1})"
    + COLLECTION_NOUN
    + r"\b",
    regex.IGNORECASE,
)
# "the benchmark X", "a corpus, X"; not "across four benchmarks, X" (a plural, then a comma)
AS_COLLECTION_BEFORE = regex.compile(
    COLLECTION_WORD + r"(?:s\s+|,?\s+)(?:(?:called|named|dubbed)\s+)?[\"“]?$", regex.IGNORECASE
)


# A short form used as the name of a method: "(GR) framework", "GR method".
METHOD_NOUN_AFTER = regex.compile(
    r"\)?\s+(?:" + lexicons.alternation(lexicons.words("method_nouns.txt")) + r")\b"
)
# A short label with a number, as papers number their questions or findings ("RQ1", "O2").
NUMBERED_LABEL = regex.compile(r"(?P<letters>\p{Lu}{1,3})\d")
# The plural of an acronym names a class of systems ("LLMs", "VLMs", "GNNs").
CLASS_NOUN = regex.compile(r"\p{Lu}[\p{Lu}\d\-]*\p{Lu}s")
MAX_REPEATED = 20  # repeated names considered besides the introduced ones
MAX_CANDIDATES = 60  # names scored at most: an abstract has a handful, a run-on text thousands


class Candidate(msgspec.Struct, frozen=True):
    """A name that may be the paper's own method, and the features the own model scores."""

    name: str
    features: tuple[str, ...]


class Own(msgspec.Struct, frozen=True):
    """The paper's own contribution: its name, and whether it is data rather than a method."""

    name: str
    collection: bool


def _bucket(n: int) -> str:
    return "1" if n <= 1 else "2" if n == 2 else "3-4" if n <= 4 else "5+"


def _introduced(text: str) -> dict[str, set[str]]:
    """Name → the ways the text introduces it."""
    ways: dict[str, set[str]] = {}
    for way, pattern in INTRODUCERS:
        needed = NEEDED.get(way)
        if needed is not None and not needed.search(text):
            continue  # a part of every match is missing: a quick search spares the whole one
        for m in pattern.finditer(text):
            name = m["name"].strip().rstrip(".")
            if name and name not in NOT_NAMES:
                ways.setdefault(name, set()).add(way)
    return ways


def _features(
    text: str, title: str | None, name: str, ways: set[str], at: list[int], *, long_form: str | None
) -> tuple[str, ...]:
    out = [f"intro={w}" for w in sorted(ways)] or ["intro=none"]
    if long_form is not None and ways == {"defined"} and _lower_case(long_form):
        # "question answering (QA)" and nothing more is a field's term, unless a use of the
        # short form names it a method: "a graph rewiring (GR) framework"
        method = any(METHOD_NOUN_AFTER.match(text, i + len(name)) for i in at)
        out.append("acronym_method" if method else "concept")
    out.append(f"mentions={_bucket(len(at))}")
    # a word of the title, maybe in the plural ("Zeta Models"), not inside one ("LightZeta")
    if title and (occurrences(title, name) or occurrences(title, name + "s")):
        prefix = TITLE_PREFIX.match(title)
        out.append("title_prefix" if prefix and prefix["name"].strip() == name else "in_title")
    if DATASET.fullmatch(name):
        out.append("lex=dataset")
    if METRIC.fullmatch(name):
        out.append("lex=metric")
    if MODEL.match(name):
        out.append("lex=family")
    if any(ACTS.match(text, i + len(name)) and SENTENCE_START.match(text, i) for i in at):
        out.append("opens_sentence_acting")
    if at and at[0] < len(text) // 3:
        out.append("early")
    shape = "lower" if name.islower() else "caps" if name.isupper() else "mixed"
    out.append(f"shape={shape}")
    if any(c.isdigit() for c in name):
        out.append("digits")
    if _collection(text, at, name):
        out.append("collection")
    if " " in name:
        out.append("words>1")
    return tuple(out)


def own_candidates(text: str, title: str | None, defined: list[Definition]) -> Iterator[Candidate]:
    """The names that may be the paper's own method, with their features, in text order.

    They are the names the text introduces, and the ``MAX_REPEATED`` name-like tokens it repeats
    most.
    """
    ways = _introduced(text)
    if title:
        prefix = TITLE_PREFIX.match(title)
        if prefix:
            ways.setdefault(prefix["name"].strip(), set()).add("title")
    long_forms: dict[str, str] = {}
    for d in defined:
        short = text[d.short_start : d.short_end]
        ways.setdefault(short, set()).add("defined")
        long_forms.setdefault(short, text[d.long_start : d.long_end])
    seen: dict[str, list[int]] = {}
    for m in NAME.finditer(text):
        seen.setdefault(m.group(), []).append(m.start())
    repeated = sorted(
        (n for n, at in seen.items() if len(at) >= 2 and n not in NOT_NAMES),
        key=lambda n: (-len(seen[n]), seen[n][0]),
    )
    for name in repeated[:MAX_REPEATED]:
        ways.setdefault(name, set())
    where = {
        name: seen[name] if name in seen else occurrences(text, name)
        for name in sorted(ways)[:MAX_CANDIDATES]
    }
    for name in sorted((n for n in where if where[n]), key=lambda n: (where[n][0], n)):
        if CLASS_NOUN.fullmatch(name):
            continue  # "LLMs", "PLMs": a kind of model, never one paper's own
        if _enumerated(name, where):
            continue  # "Q2" beside "Q1" and "Q3": a numbered question or observation
        if not ways[name] - {"defined"} and _known_as_other(name):
            continue  # "ImageNet", "nDCG" repeated: a name of others, unless introduced
        yield Candidate(
            name,
            _features(text, title, name, ways[name], where[name], long_form=long_forms.get(name)),
        )


def _enumerated(name: str, where: dict[str, list[int]]) -> bool:
    """``name`` is one of a numbered series the text writes ("O1", "O2", "O3")."""
    label = NUMBERED_LABEL.fullmatch(name)
    if label is None:
        return False
    return any(
        other != name and NUMBERED_LABEL.fullmatch(other) and other[:-1] == label["letters"]
        for other in where
    )


def _lower_case(phrase: str) -> bool:
    """Written in lower case but maybe for a capital opening a sentence ("Continual learning")."""
    return (phrase[:1].lower() + phrase[1:]).islower()


def _known_as_other(name: str) -> bool:
    """A lexicon knows ``name`` as an existing benchmark or metric."""
    return bool(DATASET.fullmatch(name) or METRIC.fullmatch(name))


def _collection(text: str, at: list[int], name: str) -> bool:
    """The text introduces ``name`` as a dataset or benchmark somewhere."""
    return any(
        AS_COLLECTION_AFTER.match(text, i + len(name))
        or AS_COLLECTION_BEFORE.search(text, max(0, i - 40), i)
        for i in at
    )


def paper_name(
    text: str, title: str | None, defined: list[Definition], model: LinearModel
) -> str | None:
    """The paper's own contribution's name, if the fitted model is sure enough of one."""
    own = own_contribution(text, title, defined, model)
    return own.name if own else None


def own_contribution(
    text: str, title: str | None, defined: list[Definition], model: LinearModel
) -> Own | None:
    """The paper's own method or data, if the fitted model is sure enough of one."""
    best = model.best([(c, c.features) for c in own_candidates(text, title, defined)])
    if best is None:
        return None
    return Own(name=best[0].name, collection="collection" in best[0].features)
