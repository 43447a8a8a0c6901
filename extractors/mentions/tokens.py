"""The tokens the mention tagger labels, as character offsets into the text.

Training (``training.tagger_data``) and tagging (``tagger.Tagger``) cut text with this one
function, so a label learned on a token is asked for on the same kind of token at run time.

A token is a run of letters, digits and combining marks, possibly joined by single inner
hyphens, dots, underscores, ``@`` or ``+`` to further such runs: "CIFAR-100", "F1-score",
"top-1", "91.2", "Pass@1", "state-of-the-art", "BERT_base" are one token each. Any other
character that is not white space is a token by itself ("%", "(", ",", a trailing full stop).

Not joiners, on purpose: the slash ("accuracy/F1", "MNLI/QNLI" name two things, and the
tagger should be able to label each) and the apostrophe ("BERT's" is the name "BERT" and a
possessive). A name's boundary can then fall between tokens, which is what the tagger needs.
"""

from __future__ import annotations

import regex

TOKEN = regex.compile(
    r"""
      [\p{L}\p{N}\p{M}]+                       # a word or number
      (?: [\-._@+] [\p{L}\p{N}\p{M}]+ )*       # joined by one inner - . _ @ +: "CIFAR-100"
    | \S                                       # any other visible character, alone
    """,
    regex.VERBOSE,
)


def tokens(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """The ``(start, end)`` offsets of the tokens in ``text[start:end]``, left to right."""
    stop = len(text) if end is None else end
    return [m.span() for m in TOKEN.finditer(text, start, stop)]
