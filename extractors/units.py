"""Units: measurement units written with the number, and the nouns that a bare number counts.

Measurement units ("15 ms", "4TB", "502 petaFLOP/s") become part of the span; counted nouns
("54 tasks", "1024 GPUs") do not, but name the unit and the counted thing. General units come
from quantulum3's unit lexicon (``extractors.dimensions``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import msgspec
import regex

from claimex.extractors import lexicons
from claimex.extractors.dimensions import measurement_dimension
from claimex.extractors.sizes import MODEL_SIZE_NOUNS, SIZE_MULTIPLIERS, infer_parameters

if TYPE_CHECKING:
    from claimex.extractors.draft import Doc, Draft

ML_UNITS = lexicons.words("units.txt")
# A unit word may open a sentence or be written capitalised ("15 Petaflops"); symbols may not.
_CAPITALISED = tuple(u[0].upper() + u[1:] for u in ML_UNITS if u.isalpha() and u.islower())
SCIENCE_UNITS = frozenset(lexicons.words("science_units.txt"))
ML_UNIT = regex.compile(
    r"(?:" + lexicons.alternation((*ML_UNITS, *_CAPITALISED)) + r")(?![\p{L}\d])"
)
SCIENCE_UNIT = regex.compile(r"(?:" + lexicons.alternation(SCIENCE_UNITS) + r")(?![\p{L}\d])")
# One-letter symbols that are units only after a space ("1000 K", "4.3 m", "5 g"); glued to a
# number they are magnitudes or names ("8K", "7B"), and B, T, M, k, a, A, x never are units here.
SPACED_LETTER_UNITS = frozenset({"K", "m", "g", "V", "W", "J", "N", "L", "s", "h"})
COUNTED = frozenset(w.lower() for w in lexicons.words("counted_nouns.txt"))

# Words after "N-" that make "N-word" a name or a setting rather than an amount of a unit.
HYPHEN_UNIT_DENYLIST = frozenset(
    {"shot", "shots", "gram", "grams", "way", "hop", "hot", "d", "th", "st", "nd", "rd", "of"}
)
# Short words that quantulum3 knows as units but that, after a number in prose, are words.
WORD = regex.compile(r"[\p{L}µ°][\p{L}µ\d/]*(?:[\-−]?\d+(?![\p{L}\d]))?")
# A unit with a power, as a second factor of a product: "g cm−3", "km s−1", "W m−2".
POWER_FACTOR = regex.compile(
    r" (?P<unit>[\p{L}µ]{1,4})(?P<power>[\-−] ?\d)(?![\p{L}\d])|"
    r" (?P<unit>[\p{L}µ]{1,3})(?P<power>\d)(?![\p{L}\d])"
)
# A divisor of a quotient unit written after a lexicon unit: "µg/ml", "°C/min", "Å/s".
DIVISOR = regex.compile(r"/(?P<unit>[\p{L}µ]{1,4})(?P<power>\d)?(?![\p{L}\d])")
# A unit per counted thing: "bits per character", "ms-per-image" (a unit per unit, "TWh per
# year", is left as the science convention writes it: the unit alone).
PER_DIVISOR = regex.compile(r"(?:\s+per\s+|-per-)(?P<unit>\p{Ll}{3,})(?![\p{L}\d])")
POWER_END = regex.compile(r"[\-−]?\d+$")
HYPHEN_WORD = regex.compile(r"[-–](\p{L}+)")  # "-bit" of "4-bit"
ACRONYM_PLURAL = regex.compile(r"\p{Lu}{2,}s")  # "LMs", "GPUs"
MICRO = str.maketrans("μ", "µ")  # Greek mu, written for the micro sign
# What may stand between a number and the noun it counts, and what ends the search.
NOUN_TOKEN = regex.compile(r"\s+(?P<tok>[\p{L}][\p{L}\d’/\-]*|[\p{Lu}\d][\p{L}\d\-]*)'?")
STOP_WORDS = frozenset(lexicons.words("noun_stop_words.txt"))
NOT_PLURAL = regex.compile(
    r"(?:ss|us|is|ous|ics|ness|less|ess|ys|[^s])$|^(?:its|this|has|was|does|series|species)$",
    regex.IGNORECASE,
)
VERB_S = regex.compile(
    r"^(?:achieves|outperforms|improves|shows|yields|reaches|obtains|gets|requires|takes|"
    r"uses|needs|contains|includes|covers|spans|leads|makes|gives|attains|surpasses|reduces|"
    r"increases|enables|allows|performs|results|remains|exceeds|beats|matches|runs|trains)$",
    regex.IGNORECASE,
)
MAX_MODIFIERS = 6
ONE_COLLECTION = frozenset(w.casefold() for w in lexicons.words("collection_heads.txt"))


def glued_unit(rest: str, spaced: bool = False) -> str | None:
    """The measurement unit written at the very start of ``rest`` ("TB corpus" -> "TB").

    ``spaced`` says a space separates it from the number, which lets one-letter symbols count.
    The unit is returned as written (a Greek mu stays a Greek mu).
    """
    m = ML_UNIT.match(rest) or SCIENCE_UNIT.match(rest.translate(MICRO))
    if m:
        return rest[: _factors_end(rest, m.end())]
    w = WORD.match(rest)
    if w is None:
        return None
    word = w.group().rstrip("-/")
    base = POWER_END.sub("", word)  # "cm−1", "m2": the unit without its power
    is_unit = (
        base in {"s", "h"}
        or (spaced and base in SPACED_LETTER_UNITS)
        or _is_unit_word(base.translate(MICRO))
    )
    if not is_unit or not base:
        return None
    return rest[: _factors_end(rest, len(word))]


def _factors_end(rest: str, end: int) -> int:
    """Where a compound unit ends: after its last factor, since every factor is the unit.

    A unit is often written as a product of powers or a quotient ("g cm-3", "kg s-1",
    "kg m-2 yr-1", "µg/ml", "°C/min").
    """
    while True:
        factor = POWER_FACTOR.match(rest, end) or DIVISOR.match(rest, end)
        if factor is not None and _is_factor(factor["unit"]):
            end = factor.end()
            continue
        per = PER_DIVISOR.match(rest, end)
        if per is None or not _is_counted_divisor(per["unit"]):
            return end
        end = per.end()  # "bits per character": a rate of the unit over a thing counted


def _is_counted_divisor(word: str) -> bool:
    """Whether the word after "per" is a counted thing: a singular noun, not a unit.

    "character" of "bits per character" is one; "year" of "TWh per year" is a unit.
    """
    singular = NOT_PLURAL.search(word) is not None  # "per tokens" is no quotient; "per pass" is
    return word not in STOP_WORDS and singular and not _is_unit_word(word)


def _is_factor(unit: str) -> bool:
    """A unit that may stand as a factor of a compound unit ("l" only there: "mg/l")."""
    return (
        unit in SPACED_LETTER_UNITS
        or unit in {"s", "h", "l"}
        or unit.translate(MICRO) in SCIENCE_UNITS
        or _is_unit_word(unit.translate(MICRO))
    )


def _is_unit_word(word: str) -> bool:
    """A unit, or a quotient of units ("W/m2", "mg/L", "km/h")."""
    if measurement_dimension(word):
        return True
    parts = word.split("/")
    return len(parts) == 2 and all(
        measurement_dimension(p.rstrip("0123456789"))
        or p in SPACED_LETTER_UNITS
        or p in {"s", "h", "l"}
        for p in parts
    )


def _measure_after(text: str, d: Draft, limit: int) -> tuple[str, int] | None:
    """A measurement unit glued to the number or one space after it, and where it ends."""
    pos = d.end
    spaced = pos < limit and text[pos] == " "
    if spaced:
        pos += 1
    unit = glued_unit(text[pos:limit], spaced)
    if unit is None:
        return None
    return unit, pos + len(unit)


def _hyphen_unit(text: str, d: Draft, limit: int) -> tuple[str, int] | None:
    """'4-bit', '7B-parameter', '3-layer': an amount written as a compound adjective."""
    m = HYPHEN_WORD.match(text, d.end, limit)
    if m is None or m.group(1).lower() in HYPHEN_UNIT_DENYLIST:
        return None
    return m.group(1), m.end()


def _is_noun(tok: str) -> bool:
    """A counted noun from the lexicon, or a word that looks like a plural noun."""
    if tok.lower() in COUNTED or ACRONYM_PLURAL.fullmatch(tok):
        return True  # listed, or an acronym's plural ("LMs", "GPUs", "VLMs")
    return len(tok) > 3 and not NOT_PLURAL.search(tok) and not VERB_S.match(tok)


def counted_noun(text: str, pos: int, limit: int) -> tuple[str, int, int] | None:
    """The noun counted by a number ending at ``pos``: (head, phrase start, phrase end).

    Up to six modifiers may come first ("40 carefully curated instruction-tuning style NLP
    tasks"); a stop word, punctuation or another number ends the search.
    """
    phrase_start = None
    for n, m in enumerate(NOUN_TOKEN.finditer(text, pos, limit, overlapped=False)):
        if m.start() != pos or n > MAX_MODIFIERS:
            return None
        tok = m["tok"]
        lower = tok.lower()
        if lower in STOP_WORDS or tok[0].isdigit() or (VERB_S.match(tok) and lower not in COUNTED):
            return None  # "3 runs" counts runs; "it runs" is a verb
        if phrase_start is None:
            phrase_start = m.start("tok")
        nxt = text[m.end() : m.end() + 12]
        pair = (lower + " " + nxt.split(" ", 1)[0].lower().strip(",.;:)")) if nxt else ""
        if pair in COUNTED and nxt[:1] == " ":
            return pair, phrase_start, m.end() + 1 + len(pair.split(" ", 1)[1])
        if _is_noun(tok):
            return _compound_head(text, m, limit, phrase_start)
        pos = m.end()
    return None


def _compound_head(
    text: str, noun: regex.Match[str], limit: int, start: int
) -> tuple[str, int, int]:
    """A counted phrase's head and end: its last noun ("TPU chips"), held by a collection after."""
    tok = noun["tok"]
    nxt = NOUN_TOKEN.match(text, noun.end(), limit)
    if nxt and nxt["tok"].lower() in ONE_COLLECTION:  # "a 3B pair dataset" counts pairs
        return (tok + "s" if REGULAR_SINGULAR.fullmatch(tok) else tok), start, noun.end()
    if nxt and nxt["tok"].lower() in COUNTED:
        return nxt["tok"], start, nxt.end()
    return tok, start, noun.end()


def _attach(text: str, d: Draft) -> Draft:
    if d.unit_source is None:
        written = _with_measure(text, d) or _with_hyphen_unit(text, d)
        if written is not None:
            return written
    if d.unit in {"%", "pp", "x"}:
        return d
    if POINTS.match(text, d.end, d.sentence.end):
        return msgspec.structs.replace(d, unit="points", unit_source="suffix")  # "12.2 points"
    return _with_noun(text, d)


def _with_measure(text: str, d: Draft) -> Draft | None:
    """'15 ms', '4TB corpus': a measurement unit joins the span; the measured thing is noted."""
    limit = d.sentence.end
    measure = _measure_after(text, d, limit)
    if measure is None:
        return None
    unit, end = measure
    d = msgspec.structs.replace(d, unit=unit, unit_source="measure", end=end)
    thing = MEASURED_THING.match(text, end, limit)  # "4TB corpus", "exaflops of compute"
    if thing and thing["word"].lower() not in STOP_WORDS:
        return msgspec.structs.replace(
            d, noun_start=thing.start("word"), noun_end=thing.end("word")
        )
    return d


# A lower-case noun whose plural adds an "s" ("token", "image", "pair"; not "bits", "query").
REGULAR_SINGULAR = regex.compile(r"\p{Ll}+(?<![sxyz]|ch|sh)")


def _with_hyphen_unit(text: str, d: Draft) -> Draft | None:
    """'4-bit', '7B-parameter': the word after the hyphen is the unit."""
    hyphen = _hyphen_unit(text, d, d.sentence.end)
    if hyphen is None:
        return None
    unit, end = hyphen
    sized = d.multiplier in SIZE_MULTIPLIERS and unit.lower() in MODEL_SIZE_NOUNS
    if unit.lower().startswith("param") or sized:
        unit = "parameters"  # "7B-parameter", "7B-scale"
    elif d.multiplier in SIZE_MULTIPLIERS and REGULAR_SINGULAR.fullmatch(unit):
        unit += "s"  # "a 19.2B-token corpus" counts tokens
    return msgspec.structs.replace(
        d, unit=unit, unit_source="noun", noun_start=d.end + 1, noun_end=end
    )


def _with_noun(text: str, d: Draft) -> Draft:
    """'54 tasks', 'a 7B model': the noun the number counts names its unit."""
    limit = d.sentence.end
    orders = ORDERS_OF_MAGNITUDE.match(text, d.end, limit)
    if orders:  # "2 orders of magnitude": a factor, named as such
        at = {"noun_start": orders.start("unit"), "noun_end": orders.end()}
        return msgspec.structs.replace(d, unit=ORDERS, unit_source="noun", **at)
    noun = counted_noun(text, d.end, limit)
    if noun is None:
        return d
    head, start, end = noun
    sized = d.multiplier in SIZE_MULTIPLIERS
    if sized:  # "a 1.3B encoder gains 5%": the phrase ends at the model's noun it sizes
        model = next(
            (
                w
                for w in NOUN_TOKEN.finditer(text, d.end, end)
                if w["tok"].lower() in MODEL_SIZE_NOUNS
            ),
            None,
        )
        if model is not None:
            head, end = model["tok"], model.end("tok")
    if (
        sized and (head.lower() in MODEL_SIZE_NOUNS or ACRONYM.match(text, d.end, limit))
    ) or "param" in text[start:end].lower():
        head = "parameters"  # "a 7B model", "a 2B VLM", "70 Billion parameter model"
    return msgspec.structs.replace(d, unit=head, unit_source="noun", noun_start=start, noun_end=end)


ORDERS = "orders of magnitude"
ORDERS_OF_MAGNITUDE = regex.compile(r"\s+(?P<unit>orders?\s+of\s+magnitude)(?![\p{L}])", regex.I)
POINTS = regex.compile(r"\s+(?:points?|pts\.?)(?![\p{L}])")
MEASURED_THING = regex.compile(r"\s+(?:of\s+(?:the\s+)?)?(?P<word>\p{Ll}[\p{L}\-]+)")
ACRONYM = regex.compile(r"\s+\p{Lu}{2,}s?\b")


def attach_units(doc: Doc) -> Doc:
    """Give each draft the unit written with it, or the noun it counts, when there is one."""
    drafts = tuple(infer_parameters(doc.text, _attach(doc.text, d)) for d in doc.drafts)
    return msgspec.structs.replace(doc, drafts=drafts)
