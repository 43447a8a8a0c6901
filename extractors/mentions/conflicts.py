"""Names two finders type differently: which type stands where the text settles it.

The phrase finder and the tagger type a name by where it stands and how it is written; the
abstract itself may say more. A long form that ends in a method's noun ("a ranking network
(RK-NET)") defines a method, which no guess then makes a dataset ("Using RK-NET, we …"). A
name the text presents as data ("the test split of FooQA", "benchmarks (FooSum, BarSum)") is
no method where only its shape made it one (one it introduces as a collection, "FooBench, a
benchmark of …", may still be a count's subject).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import regex

from claimex.extractors.mentions.acting import SELF_NOUNS

if TYPE_CHECKING:
    from claimex.extractors.mentions.defined import Definition
    from claimex.extractors.mentions.mention import Mention

# The last word of a method's long form: "ranking network", "graph rewiring approaches".
METHOD_HEAD = regex.compile(r"\b(?:" + SELF_NOUNS + r")\Z", regex.IGNORECASE)
GUESSED = frozenset({"phrase", "tagger"})  # finders that type a name by where it stands
# The phrase constructions that present a name as data (``phrases.py``).
PRESENTED_AS_DATA = frozenset({"split_of", "listed"})


def settled_types(
    text: str, mentions: tuple[Mention, ...], pairs: list[Definition]
) -> tuple[Mention, ...]:
    """``mentions`` without the guesses the text contradicts (see the module doc)."""

    def name(m: Mention) -> str:
        return text[m.start : m.end].casefold()

    methods = {
        text[a:b].casefold()
        for d in pairs
        if METHOD_HEAD.search(text, d.long_start, d.long_end)
        for a, b in ((d.long_start, d.long_end), (d.short_start, d.short_end))
    }
    data = {name(m) for m in mentions if m.type != "method" and m.via in PRESENTED_AS_DATA}
    return tuple(
        m
        for m in mentions
        if m.source not in GUESSED
        or (m.type == "method" and (m.via not in {"", "name"} or name(m) not in data))
        or (m.type != "method" and name(m) not in methods)
    )
