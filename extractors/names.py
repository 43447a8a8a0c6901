"""The name-vs-quantity decision: drop numbers that are part of a name or are not amounts.

``GPT-4``, ``ResNet-50``, ``CIFAR-100``, ``Llama-2-7B``, ``F_0.5``, ``T5``, ``3D``, years, dates,
enumerators ``(1)``, citations ``[12]``, references ``Table 2``, dates in digits, labels in
parentheses ``(split 2)``, hardware model numbers ``RTX 4090`` (those in ``labels``), version
numbers ``ERNIE 3.0`` and anything inside an address (``addresses``) are not quantities; a value
after ``=`` (``k=5``) or a word such as ``sub-`` is one. A size that stands on its own ("a 7B
model", "175B GPT-3", "Llama-3 (8B)") is one, even next to a name. Each rule is one small
predicate; the first that fires names the reason, which keeps the decision explainable.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import msgspec
import regex

from claimex.extractors import labels, lexicons
from claimex.extractors.addresses import inside_addresses
from claimex.extractors.units import HYPHEN_UNIT_DENYLIST, counted_noun, glued_unit
from claimex.extractors.vocabulary import DATASET

if TYPE_CHECKING:
    from collections.abc import Callable

    from claimex.extractors.draft import Doc, Draft

# How far around a number each rule looks, in characters.
DATASET_CHARS = 40  # a benchmark name holding the number: "One Billion Word Benchmark"
GLUED_CHARS = 24  # a unit or word glued after it: "TB corpus", "-shot"
MONTH_CHARS = 12  # a month before or after a day: "September 3", "3 March"
NAME_CHARS = 40  # the name a version follows: "Stable-Diffusion-XL 1.0"
PREFIX_CHARS = 16  # a word joined by a hyphen before it: "sub-4-bit", "best-of-16"

MONTH = lexicons.alternation(lexicons.words("months.txt"))
DATE_BEFORE = regex.compile(r"\b(?:" + MONTH + r")\.?\s*$")
DATE_AFTER = regex.compile(r"^\s*(?:" + MONTH + r")\b")
# A token that is a plain amount ("92.7", "10k", "7.2%", "1.5B"), not a name with digits.
AMOUNT_TOKEN = regex.compile(r"^[~∼≈<>≤≥]?[+\-−]?[\d.,]+(?:[kKMBT]|%|\\%)?$")
YEAR = regex.compile(r"(?:19|20)\d\d")
SMALL_VERSION = regex.compile(r"\d{1,2}(?:\.\d{1,2})?")  # "3.0", "2", "3.5": a version number
FACTOR_AFTER = regex.compile(r"\s?[×x*·]\s?\d")  # "2×5": a factor of a product
ORDINAL_AFTER = regex.compile(r"^(?:st|nd|rd|th)\b")
# A token just before the number that is itself a name: has an upper-case letter after its first
# character or a digit ("ERNIE", "UL2", "FLAN-PaLM", "SQuAD"), e.g. "ERNIE 3.0", "UL2 20B".
NAME_TOKEN = regex.compile(r"(?:^|(?<=\s))[(\"'“]*(?P<token>[^\s(\"'“][^\s]*)\s$")
MODEL_NAME = regex.compile(
    r"^(?:" + lexicons.alternation(lexicons.words("models.txt")) + r")(?:[\-\d.]|$)"
)


EDITION_YEAR = regex.compile(r"(?:19|20)\d{2}")


def _in_dataset_name(text: str, d: Draft) -> bool:
    """Part of a known benchmark's name that holds a number: "One Billion Word", "20 Newsgroups".

    Only the text around the number is searched: the lexicon is large, the window is small.
    """
    lo, hi = max(0, d.start - DATASET_CHARS), min(len(text), d.end + DATASET_CHARS)
    edition = EDITION_YEAR.fullmatch(text, d.start, d.end) is not None and not d.sign
    return any(
        m.start() <= d.start < m.end() or (edition and text[m.end() : d.start] == " ")
        for m in DATASET.finditer(text, lo, hi)
    )  # … or its edition: "TREC 2019", "DAVIS 2017"


def _glued_before(text: str, d: Draft) -> bool:
    """Letters (or _ @ ^ / {) right before the number or its sign: GPT-4, F_0.5, S^2, F_{1}."""
    if d.start == 0:
        return False
    for rule in (_list_mark_before, _dash_before, _symbol_before):
        verdict = rule(text, d)
        if verdict is not None:
            return verdict
    return False


def _list_mark_before(text: str, d: Draft) -> bool | None:
    """A slash or comma right before: a list of amounts, or a footnote mark after a word."""
    i, before = d.start, text[d.start - 1]
    token = _token_before(text, i - 1)
    if before in "/," and i >= 2 and AMOUNT_TOKEN.match(token):
        return False  # "4/4-bit", "7.2%/14.6%": a list written with a slash
    if before == "," and any(ch.isalpha() for ch in token):
        return True  # "nDCG@10,2": a footnote mark glued to a word
    return None


def _dash_before(text: str, d: Draft) -> bool | None:
    """'Llama-2-7B' is a name; '92.7-98.1%' and '10k-30k' are ranges (joined in ``groups``)."""
    if d.sign and d.sign in "-−–" and text[d.start - 1].isalnum():
        return not AMOUNT_TOKEN.match(_token_before(text, d.start))
    return None


def _symbol_before(text: str, d: Draft) -> bool | None:
    i, before = d.start, text[d.start - 1]
    if before == "=":
        token = _token_before(text, i - 1)
        # "sum_{i=1}", "a=2×5": part of a formula; "k=5" is a value
        return any(c in token for c in "_^{\\") or FACTOR_AFTER.match(text, d.end) is not None
    if before.isalpha() or before in "_@^/\\#.'’{":  # "F_{1}" is a name
        # "\\%" is LaTeX for percent, not a glue: only count a backslash before a letter command
        return not (before == "\\" and i >= 2 and not text[i - 2].isalpha())
    return None


def _token_before(text: str, end: int) -> str:
    """The text from the last space or bracket before ``end`` up to ``end``."""
    start = max(text.rfind(" ", 0, end), text.rfind("(", 0, end), text.rfind("[", 0, end)) + 1
    return text[start:end]


def _glued_after(text: str, d: Draft) -> bool:
    """Letters or digits right after the number that are not a unit: 3D, 4o, 2nd, 3x3."""
    rest = text[d.end : d.end + GLUED_CHARS]
    if not rest:
        return False
    if ORDINAL_AFTER.match(rest):
        return True  # 1st, 2nd, 3rd, 4th
    if rest[0].isalnum():  # "2.5x" already took its letters; "3D" is no unit
        return d.unit_source is not None or glued_unit(rest) is None
    if rest[0] in "-–":
        return _hyphen_word_is_name(rest)
    return rest[0] in "^_"


def _hyphen_word_is_name(rest: str) -> bool:
    """'5-shot', '3-D', '1-to-1': a hyphen and a word that make a name or a compound word."""
    word = HYPHEN_WORD.match(rest)
    if word is None:
        return False  # "92.7-98.1%": a range, joined in ``groups``
    return (
        word.group(1).lower() in HYPHEN_UNIT_DENYLIST
        or ORDINAL_AFTER.match(word.group(1)) is not None
        or word.group(1)[0].isupper()  # "10-Split-CIFAR-100", "3-D"
        or word.group(2) == "-"  # "1-to-1", "2-in-1": a compound word
    )


HYPHEN_WORD = regex.compile(r"[-–](\p{L}+)(-?)")


def _is_year(text: str, d: Draft) -> bool:
    digits = text[d.number_start : d.end]
    if not YEAR.fullmatch(digits) or d.sign or d.multiplier:
        return False
    # "2048 tokens" is an amount; "in 2021," is a year
    after = text[d.end : d.end + GLUED_CHARS]
    return glued_unit(after.lstrip()) is None and counted_noun(text, d.end, d.sentence.end) is None


def _is_date(text: str, d: Draft) -> bool:
    return bool(
        DATE_BEFORE.search(text[max(0, d.start - MONTH_CHARS) : d.start])
        or DATE_AFTER.match(text[d.end : d.end + MONTH_CHARS])
    )


def _is_version_after_name(text: str, d: Draft) -> bool:
    """``ERNIE 3.0``, ``Llama 2``, ``UL2 20B``: a small number or size right after a name."""
    if d.sign or d.unit_source is not None or NUMBER_RANGE_AFTER.match(text, d.end):
        return False  # "CI 1.66–4.88", "pH 7–8": a range is measured, not a version
    found = _name_before(text, d.sentence.start, d.start)
    if found is None:
        return False
    token, start = found
    sized = d.multiplier in {"B", "M", "T", "b"}
    if sized and SMALL_VERSION.fullmatch(token):  # "Llama 3 8B", "Qwen 2.5 72B"
        return _name_before(text, d.sentence.start, start) is not None
    if token.isdigit():
        return False
    if sized:
        return True  # a size suffixed to a name: "UL2 20B", "LLaMA 7b"
    digits = text[d.number_start : d.end]
    return bool(SMALL_VERSION.fullmatch(digits)) and d.multiplier is None


def _name_before(text: str, sentence_start: int, end: int) -> tuple[str, int] | None:
    """The name written just before ``end`` and where it starts, if the token there is one."""
    m = NAME_TOKEN.search(text, max(sentence_start, end - NAME_CHARS), end)
    if not m:
        return None
    token = m["token"].rstrip(".,;:")
    if m["token"] != token:
        return None  # "… the LLaMa 3, 3.1": a comma ends the name (lists are handled below)
    at_sentence_start = m.start("token") == sentence_start
    is_name = MODEL_NAME.match(token) is not None or (
        any(c.isupper() for c in token[1:]) or any(c.isdigit() for c in token)
    )
    if is_name or (token[:1].isupper() and not at_sentence_start):
        return token, m.start("token")
    return None


NOT_A_QUANTITY: tuple[tuple[str, Callable[[str, Draft], bool]], ...] = (
    ("glued to a name before", _glued_before),
    ("glued to letters after", _glued_after),
    ("year", _is_year),
    ("date", _is_date),
    ("enumerator or citation", labels.is_enumerator_or_citation),
    ("reference into the paper", labels.is_reference),
    ("version or size in a name", _is_version_after_name),
    ("date in digits", labels.is_numeric_date),
    ("label in parentheses", labels.is_parenthesised_label),
    ("hardware model number", labels.is_hardware_model),
    ("lower-case b that sizes nothing", labels.is_unsized_lower_b),
)


def why_not_a_quantity(text: str, d: Draft) -> str | None:
    """The first reason ``d`` is not a quantity, or ``None`` when it is one."""
    for reason, applies in NOT_A_QUANTITY:
        if applies(text, d):
            return reason
    return None


# A plain number right after, joined by a range dash: "1.66–4.88" (not "2-7B").
NUMBER_RANGE_AFTER = regex.compile(r"\s?[-–]\s?\d+(?:\.\d+)?(?![\p{L}\d.])")
VERSION_LIST = regex.compile(r"^\s*(?:,|and|or|/)\s*(?:and\s+|or\s+)?$")


# Reasons whose numbers are written in lists: what is listed right after one shares it.
LISTED_REASONS = frozenset(
    {"version or size in a name", "reference into the paper", "hardware model number"}
)
QUANTITY_PREFIX = regex.compile(
    r"(?:^|(?<=[\s(]))(?:"
    + lexicons.alternation(lexicons.words("quantity_prefixes.txt"))
    + r")$",  # "sub-4-bit", "best-of-16": a word and a hyphen before a quantity
    regex.IGNORECASE,
)


def _after_hyphen(text: str, d: Draft, dropped_end: int) -> bool:
    """Whether the dash before ``d`` is a hyphen, not a minus.

    It is when it joins a dropped version or year ("Llama 2-7B", "2019-2021") or a word that
    keeps the number a quantity ("sub-4-bit").
    """
    if not (d.sign and d.sign in "-–"):
        return False
    return d.start == dropped_end or bool(
        QUANTITY_PREFIX.search(text, max(d.sentence.start, d.start - PREFIX_CHARS), d.start)
    )


def drop_names(doc: Doc) -> Doc:
    """Keep the drafts that are quantities; drop names, years, references and URL parts.

    A bare number listed right after a version or a reference ("Llama 3, 3.1 and 3.2",
    "Tables 2 and 3") is one too.
    """
    urls = inside_addresses(doc.text)
    kept: list[Draft] = []
    last_version: Draft | None = None  # the last version or reference number dropped
    dropped_end = -1
    for draft in doc.drafts:
        if any(s <= draft.start < e for s, e in urls) or _in_dataset_name(doc.text, draft):
            continue  # part of a web address or of a benchmark's name
        d = draft
        if _after_hyphen(doc.text, d, dropped_end):
            d = msgspec.structs.replace(d, start=d.number_start, sign=None, value=abs(d.value))
        reason = why_not_a_quantity(doc.text, d)
        listed_after_version = (
            last_version is not None
            and d.unit_source is None
            and not d.multiplier
            and VERSION_LIST.match(doc.text[last_version.end : d.start]) is not None
        )
        if reason is None and not listed_after_version:
            kept.append(d)
            last_version = None
            continue
        if reason in {"version or size in a name", "year"}:
            dropped_end = d.end  # not after a glued name: "Llama-2-7B" stays one name
        if reason in LISTED_REASONS or listed_after_version:
            last_version = d  # "Llama 3, 3.1 and 3.2", "Tables 2 and 3"
    return msgspec.structs.replace(doc, drafts=tuple(kept))
