"""Linking: what each quantity measures (metric), on what (dataset), for whom (subject), against
what (baseline), and in which setting.

Known names come from the lexicons; names in no list are found by their place in the sentence
("improves the <metric> by", "<metric> of N", "+8.6 on <dataset>", "outperforms <baseline>"),
so that benchmarks published last week are linked too. A field with no clear answer stays None.
"""

from __future__ import annotations

import msgspec
import regex

from extractors import lexicons
from extractors.draft import Doc, Draft
from extractors.languages import with_language_pair
from extractors.sentences import Sentence
from extractors.subjects import baseline_of, paper_name, subject_of
from extractors.vocabulary import (
    DATASET,
    METRIC,
    METRIC_HEADS,
    MODEL,
    NOT_NAMES,
    PARENTHETICAL,
    QUANTIFIERS,
    SETTINGS,
    NameLexicon,
    clean_phrase,
    is_name,
)

VERB_NP_BY = regex.compile(
    r"""(?<![\p{L}])(?:improv|increas|reduc|decreas|boost|lower|rais|sav|cut|enhanc|lift|
        accelerat|speed(?:s|ing)?\s+up|mitigat|shrink|drop)\p{L}*
        \s+(?P<np>[^,;:()]{1,80}?)\s+by\s+\S*\s*(?:\S+\s+)?$""",
    regex.VERBOSE | regex.IGNORECASE,
)
# "signal to distortion ratio (SDR) of 6.01 dB": the abbreviation names the metric.
ABBREVIATION_OF_BEFORE = regex.compile(
    r"\((?P<abbr>[^()\s]{1,15})\)\s+of\s+(?:(?:up\s+to|about|around|over|nearly|~)\s*)?$"
)
NP_OF_BEFORE = regex.compile(
    r"(?P<np>(?:[\p{L}\d][\p{L}\d'’\-/@]*\s+){0,3}[\p{L}\d][\p{L}\d'’\-/@]*)\s+of\s+"
    r"(?:(?:up\s+to|about|around|over|nearly|only|just|~)\s*)?$",
    regex.IGNORECASE,
)
ON_DATASET = regex.compile(
    r"""(?<![\p{L}])(?i:on|across|in|for|over|using)\s+(?:the\s+)?(?:\d+\s+)?
        (?P<np>
            (?:[\p{L}\d][\p{L}\d\-'’]*\s+){0,3}?tasks?\b                          # QA tasks
          | (?:[\p{L}\d][\p{L}\d\-'’]*\s+){0,4}?(?:benchmarks?|datasets?)\b
          | [\p{Lu}\d][\p{L}\d\-'’.@]*(?:\s+[\p{Lu}\d][\p{L}\d\-'’.@]*){0,3}   # Natural Questions
          | \p{Ll}+\d[\p{L}\d\-.]*(?<!\.)\b                                         # enwik8
        )""",
    regex.VERBOSE,
)
RESULT_KINDS = frozenset({"score", "delta", "ratio"})
LOOK_BACK = 4  # sentences a result may look back for the dataset it is measured on
# A year or version written right after a known benchmark's name: "TREC 2019", "DAVIS 2017".
EDITION = regex.compile(r"\s+(?:(?:19|20)\d{2}|v\d+(?:\.\d+)*)(?![\p{L}\d])")
FUNCTION_WORDS = frozenset(
    {"without", "with", "within", "for", "in", "on", "at", "to", "by", "of", "and", "or", "than"}
    | {"per", "after", "before", "while", "when", "from", "into", "over", "under", "through"}
)
WORD_BEFORE = regex.compile(r"(?P<word>[\p{L}\d][\p{L}\d\-]*)\s+")
METRIC_MODIFIERS = frozenset(w.casefold() for w in lexicons.words("metric_modifiers.txt"))
# Words that end the lead-in to a metric phrase: "Kappa reaches a | perplexity of 9.1".
LEAD_IN = regex.compile(
    r"^.*\b(?:reach\p{L}*|achiev\p{L}*|attain\p{L}*|obtain\p{L}*|yield\p{L}*|show\p{L}*|"
    r"record\p{L}*|report\p{L}*|giv\p{L}*|gave|produc\p{L}*|deliver\p{L}*|improv\p{L}*|"
    r"boost\p{L}*|(?:lead\p{L}*|led)\s+to|result\p{L}*\s+in|"
    r"get|gets|has|have|had|with|a|an|the|and|its|their|our)\s+",
    regex.IGNORECASE,
)
# A name introduced as a collection of data: "X, a dataset of", "the X benchmark", "dataset X".
COLLECTION_NOUN = r"(?:dataset|benchmark|corpus|suite|collection|testbed|leaderboard)"
COLLECTION_NAME = r"(?P<name>[\p{Lu}\d][\p{L}\d]*(?:[\-.][\p{L}\d]+)*)"
COLLECTION = regex.compile(
    COLLECTION_NAME + r",\s+(?:a|an|the)\s+(?:[\p{L}\-]+\s+){0,4}?" + COLLECTION_NOUN + r"\b"
    r"|\bthe\s+" + COLLECTION_NAME + r"\s+" + COLLECTION_NOUN + r"\b"
    r"|\b" + COLLECTION_NOUN + r",?\s+(?:called\s+|named\s+|dubbed\s+)?" + COLLECTION_NAME
)
LATEX_TIE = regex.compile(r"(?<=[\p{L}\d])~")
ANAPHOR = regex.compile(
    r"(?i:this|these|that|those|both|all|each|the\s+same|our|their|its)\s+(?:\p{Ll}+\s+){0,2}"
    r"(?i:tasks?|benchmarks?|datasets?|corpora|corpus|settings?)$"
)
COLLECTION_WORDS = frozenset(
    {"benchmark", "benchmarks", "dataset", "datasets", "corpus", "corpora", "testset", "testsets"}
)
# A lower-case token that is a name by its digits: "enwik8", "text8", "v2".
LOWER_NAME = regex.compile(r"\p{Ll}+\d[\p{L}\d.\-]*")
SETTING_OF = regex.compile(r"\s+(?P<word>\p{Ll}[\p{L}\-]+)")
SHARE_OF = regex.compile(r"\s+of\s+(?:the\s+|its\s+|their\s+)?(?P<np>[^,.;:()]{1,60})")
METRIC_NAMED_AFTER = regex.compile(
    r"^[^.;]{0,40}?\b(?:based\s+on|in\s+terms\s+of|measured\s+by|on)\s+the\s+metric\s+"
    r"(?P<name>[\p{L}\d][\p{L}\d\-@]*)",
    regex.IGNORECASE,
)
_CAP_NAME = r"(?:[\p{Lu}\d]|\p{Ll}+\d)[^\s,;()]*(?:\s[\p{Lu}\d][^\s,;()]*)*"
NAMES_BEFORE = regex.compile(
    r"(?:\b(?i:on|for|across)|(?i:benchmarks|datasets|tasks)\s+(?:of|like|such\s+as|including))"
    r"\s+(?:both\s+)?(?:the\s+)?(?P<names>"
    + _CAP_NAME
    + r"(?:,\s*"
    + _CAP_NAME
    + r")*,?\s+and\s+"
    + _CAP_NAME
    + r")"
)
# "AP/AR" or "box/mask AP" right after the last of slash-joined values.
SLASH_METRICS = regex.compile(
    r"\s*(?:(?:average|mean|avg\.?)\s+)?(?P<parts>[\p{L}\d@\-]+(?:/[\p{L}\d@\-]+)+)"
    r"(?:\s+(?P<head>" + METRIC.pattern + r"))?"
)


def _list_of(name: str, last_joint: str) -> regex.Pattern[str]:
    """Two or more names written as a list: "A, B and C"."""
    return regex.compile(name + r"(?:\s*,\s*" + name + r")*\s*,?" + last_joint + name)


# "UAS and LAS", "BLEU, METEOR and ROUGE-L": metrics listed before values paired respectively.
METRIC_LIST = _list_of(METRIC.pattern, r"\s*(?:and|&|/)\s*")
UNIT_LIST_GAP = regex.compile(r"\s*(?:[\p{L}/\-]+\s*){0,2}(?:,\s*(?:and\s+)?|\s+and\s+)")
QUANTITY_LIKE = regex.compile(
    r"[~≈<>]?[\d.,]+\s*(?:%|[kKMBT]\b|(?i:thousand|million|billion|trillion|times)\b)"
)
LIST_SEPARATOR = regex.compile(r",\s*(?:and\s+)?|\s+and\s+")
# Known benchmarks in a list: "Penn Treebank and WikiText-2", "CIFAR-10, CIFAR-100 and SVHN".
DATASET_LIST = _list_of(DATASET.pattern, r"\s+and\s+")
# What may stand between a list of metrics and the values it pairs with, unmarked.
PAIRING_GAP = regex.compile(r"\s+(?:scores?\s+)?(?:are|were|of|at|reach(?:es|ed)?|is)\s+")
RESPECTIVELY_ON = regex.compile(
    r"\bon\s+(?P<names>(?:[^.;:()]|\.\d){1,120}?)\s*(?:,\s*)?(?:respectively\b|[.;,](?!\d)|$)"
)
# "(" or ":" that opens the text a value is in: "(91.7%", "(70.3% on 1-shot and 81.9%", ": 86.2%"
VALUE_OPENING = regex.compile(r"(?:(?P<paren>\()(?=[^()]*\Z)|(?<=\S):\s(?=[^():]*\Z))")
# The words right before such an opening (up to four), read for the name they end with.
NAME_BEFORE = regex.compile(
    r"(?<![\p{L}\d\-])(?P<name>[\p{L}\d][\p{L}\d\-'’.+]*(?:\s[\p{L}\d][\p{L}\d\-'’.+]*){0,3})"
    r"\s*\Z"
)
# A name right before "from <value>", after a list separator or a clause opening.
FROM_HEAD = regex.compile(
    r"(?:^|[,;:(]\s*|\b(?:and|on|for|in)\s+)(?P<name>[\p{L}\d][\p{L}\d\-'’.+]*"
    r"(?:\s[\p{L}\d][\p{L}\d\-'’.+]*){0,2})\s+from\s+\Z"
)
# A metric named in parentheses right after the value: "62.4 (GLEU)".
METRIC_IN_PARENS = regex.compile(r"\s*\((?P<name>[^()]{1,30})\)")
AFTER_METRIC = regex.compile(
    r"^\s*(?:\p{L}+\s+)?(?:improvement|gain|increase)s?\s+(?:in|on)\s+(?P<name>[^,.;:()]+)",
    regex.IGNORECASE,
)


def _nearest_match(
    pattern: NameLexicon, text: str, lo: int, hi: int, at: int
) -> regex.Match[str] | None:
    """The name in ``text[lo:hi]`` nearest to ``at``: before it counts once, after it twice."""
    best: tuple[int, regex.Match[str]] | None = None
    for m in pattern.finditer(text, lo, hi):
        distance = at - m.end() if m.end() <= at else (m.start() - at) * 2
        if distance >= 0 and (best is None or distance < best[0]):
            best = (distance, m)
    return best[1] if best else None


def _nearest(pattern: NameLexicon, text: str, lo: int, hi: int, at: int) -> str | None:
    m = _nearest_match(pattern, text, lo, hi, at)
    return m.group() if m else None


def _with_modifiers(text: str, m: regex.Match[str] | None) -> str | None:
    """A metric found on its own, with the words right before it that specify it ("POS tagging
    accuracy", "box AP")."""
    if m is None:
        return None
    start = m.start()
    for word in reversed(list(WORD_BEFORE.finditer(text, max(0, start - 40), start))):
        if word.end() != start or word["word"].casefold() not in METRIC_MODIFIERS:
            break
        start = word.start()
    return text[start : m.end()]


def _metric(text: str, d: Draft, s: Sentence, clause_start: int) -> str | None:
    after = text[d.end : s.end]
    before = text[clause_start : d.start]
    if d.unit == "parameters":
        return "parameters"
    if d.kind == "other" and d.noun_start == d.end + 1 and text[d.end : d.end + 1] in "-–":
        thing = SETTING_OF.match(text, d.noun_end or d.end, s.end)
        return thing["word"] if thing else d.unit  # "4-bit quantization"
    if d.kind in {"count", "other"} and d.noun_start is not None and d.noun_end is not None:
        noun = text[d.noun_start : d.noun_end]
        if noun.casefold() not in FUNCTION_WORDS:  # "in 4 minutes without …": no counted thing
            return noun
    m = METRIC_IN_PARENS.match(after)
    if m and METRIC.fullmatch(m["name"].strip()):
        return m["name"].strip()
    m = AFTER_METRIC.match(after)
    if m:
        named = clean_phrase(m["name"])
        if named:
            return named
    m = METRIC.match(after.lstrip()) if after[:1] == " " or after[:1].isalpha() else None
    if m is None:
        m = regex.match(r"^\s*(?:\p{L}+\s+)?", after)
        if m:
            m = METRIC.match(after, m.end()) if m.group().strip().lower() in {
                "", "fewer", "less", "more", "lower", "higher", "better", "faster", "top-1",
                "average", "relative", "absolute",
            } else None  # fmt: skip
    if m:
        return m.group()
    m = METRIC_NAMED_AFTER.match(after)
    if m:
        return m["name"].rstrip(".,;")
    m = VERB_NP_BY.search(PARENTHETICAL.sub(" ", before))
    if m:
        np = clean_phrase(m["np"])
        if np:
            return regex.sub(r"^\p{L}[\p{L}\d\-]*'s?\s+", "", np) if "'" in np else np
    m = ABBREVIATION_OF_BEFORE.search(before)
    if m and METRIC.fullmatch(m["abbr"]):
        return m["abbr"]
    m = NP_OF_BEFORE.search(before)
    if m:
        np = clean_phrase(LEAD_IN.sub("", m["np"]))
        if np and (METRIC.search(np) or np.split()[-1].lower() in METRIC_HEADS):
            return _metric_proper(np)
    share = SHARE_OF.match(after) if d.unit == "%" else None
    if share:
        return clean_phrase(share["np"])  # "40% of the original training budget"
    return None


def _named_before(text: str, d: Draft, s: Sentence) -> str | None:
    """The name a value is written under: "CIFAR-100 (91.7%)", "Pascal Context (53.7% mIoU)",
    "MASS: 86.2%". The opening parenthesis or colon must belong to the value's own clause."""
    head = FROM_HEAD.search(text, s.start, d.start)
    if head:  # "…, text8 from 1.08 to 1.04 bpc": the name the change is written under
        known = DATASET.search(text, head.start("name"), head.end("name"))
        if known and known.end() == head.end("name"):
            return known.group()
        return head["name"] if is_name(head["name"]) else None
    openings = list(VALUE_OPENING.finditer(text, s.start, d.start))
    if not openings:
        return None
    opening = openings[-1]
    if not opening["paren"] and text[opening.end() : d.start].strip():
        return None  # a colon heads the value itself ("MASS: 86.2%"), not a whole clause
    m = NAME_BEFORE.search(text, s.start, opening.start())
    if m is None:
        return None
    name = m["name"]
    known = DATASET.search(name)
    if known and known.end() == len(name):
        return known.group()
    words = name.split()
    if opening["paren"]:
        # "Flowers (98.8%)": one plain capitalised word. A name with digits or inner capitals
        # before parentheses is as often the model measured ("YOLOv3 (34.4% AP)"): not taken.
        word = words[-1]
        plain = word[:1].isupper() and not is_name(word) and word not in NOT_NAMES
        return word if len(words) == 1 and plain else None
    # "MASS: 86.2%, Sleep-EDF: 82.0%": a run of names or numbers heads the value
    run: list[str] = []
    for word in reversed(words):
        if not (is_name(word) or word[0].isdigit() or LOWER_NAME.fullmatch(word)):
            break
        run.insert(0, word)
    return " ".join(run) if run and not run[0][0].isdigit() else None


def _metric_proper(np: str) -> str:
    """A phrase that ends in a known metric, without the words that praise rather than specify
    it: "new state-of-the-art F1 score" → "F1 score"; "top-1 accuracy" stays whole."""
    last = next(iter(reversed(list(METRIC.finditer(np)))), None)
    if last is None or last.end() != len(np):
        return np
    words = np[: last.start()].split()
    kept = 0
    while kept < len(words):
        word = words[len(words) - kept - 1]
        if word.casefold() not in METRIC_MODIFIERS and not METRIC.fullmatch(word):
            break  # "FID score", "intersection-over-union score": a metric names the score
        kept += 1
    return " ".join([*words[len(words) - kept :], last.group()])


def _dataset(text: str, d: Draft, s: Sentence, subject: str | None) -> str | None:
    def ok(name: str | None) -> str | None:
        if not name or MODEL.match(name) or name == subject or METRIC.fullmatch(name):
            return None
        return name

    written_under = ok(_named_before(text, d, s)) if d.kind != "count" else None
    if written_under:
        return written_under
    if d.kind == "count":
        # "AoPS-Instruct, a dataset of 600,000 QA pairs": a count describes a named collection
        named = [m["name"] for m in COLLECTION.finditer(text, max(0, s.start - 250), d.start)]
        if named and not MODEL.match(named[-1]):
            return named[-1]
    after = text[d.end : s.end]
    m = ON_DATASET.match(after.lstrip(" ,")) if after.lstrip(" ,")[:3].strip() else None
    if m is None:
        m = regex.match(r"^\s*(?:[\p{L}\d@\-.%/]+\s+){0,5}?(?=(?:on|across)\s)", after)
        m = ON_DATASET.match(after, m.end()) if m else None
    if m:
        name = _on_name(text, m)
        if ok(name):
            return name
    for m in reversed(list(ON_DATASET.finditer(text, s.start, d.start))):
        name = _on_name(text, m)
        if ok(name):
            return name
    return ok(_nearest(DATASET, text, s.start, s.end, d.start))


def _datasets_named(text: str, s: Sentence, subject: str | None) -> set[str]:
    """The datasets a sentence names ("We evaluate on GSM8K." names one)."""
    names = {m.group() for m in DATASET.finditer(text, s.start, s.end)}
    for m in ON_DATASET.finditer(text, s.start, s.end):
        name = _on_name(text, m)
        if name and not MODEL.match(name) and name != subject:
            names.add(name)
    return names


def _context_dataset(
    text: str, s: Sentence, previous: dict[Sentence, Sentence], subject: str | None
) -> str | None:
    """The dataset the sentences before set as the context: the nearest one, up to LOOK_BACK
    sentences back, that names exactly one. A sentence naming several ends the search."""
    for back in range(LOOK_BACK):
        if s not in previous:
            return None
        s = previous[s]
        # the sentence right before may name a benchmark in any way; further back, only a
        # benchmark claimex knows is trusted to set the context
        names = (
            _datasets_named(text, s, subject)
            if back == 0
            else {m.group() for m in DATASET.finditer(text, s.start, s.end)}
        )
        if len(names) > 1:
            return None
        if names:
            return names.pop()
    return None


def _on_name(text: str, m: regex.Match[str]) -> str | None:
    """The dataset an "on <np>" phrase names: a known name that starts inside the phrase wins
    ("on the English Penn treebank" names "Penn treebank"), else the phrase read as a name."""
    known = DATASET.search(text, m.start("np"), m.end("np") + 40)
    read = _dataset_name(m["np"])
    if known and known.start() < m.end("np"):
        if read and read.startswith(known.group()) and len(read) > len(known.group()):
            return read  # "TREC 2019": the known name with its edition
        return known.group()
    return read


def _dataset_name(np: str) -> str | None:
    np = np.strip().rstrip(".,")
    if regex.fullmatch(r"(?i:the|a|an|this|these|top|average)", np):
        return None
    if ANAPHOR.match(np):
        return None  # "on these two datasets", "for this task": named elsewhere, if at all
    known = DATASET.match(np)
    if known:
        edition = EDITION.match(np, known.end())
        return np[: edition.end()] if edition else known.group()  # "TREC 2019"
    words = np.split()
    while words and words[0].lower() in QUANTIFIERS:
        words = words[1:]
    hyphenated = len(words) > 1 and regex.fullmatch(r"\p{Ll}+-[\p{Ll}\-]+", words[0])
    if hyphenated and words[1][:1].isupper():
        words = words[1:]  # "the over-studied CoNLL-2003": an adjective, no part of the name
    if words and words[-1].lower() in COLLECTION_WORDS:
        words = words[:-1]
        named = [i for i, w in enumerate(words) if _names_collection(w)]
        if not named:
            return None
        # "the popular RVL-CDIP document image dataset": the name is the named words, not the
        # adjectives before them nor the description after them
        return " ".join(words[named[0] : named[-1] + 1])
    if words and words[-1].lower() in {"task", "tasks"} and len(words) > 1:
        return " ".join(words)
    if len(words) == 1 and LOWER_NAME.fullmatch(words[0]):
        return words[0]  # "on enwik8", "on text8": lower case, but letters and digits
    numbered = regex.match(r"\d+-\p{Lu}", words[0]) if words else None  # "10-Split-CIFAR-100"
    if not words or MODEL.match(words[0]) or not (words[0][:1].isupper() or numbered):
        return None
    if len(words) == 1 and not (is_name(words[0]) or numbered):
        return None  # "on Python", "in English": capitalised, but not a benchmark's name
    return " ".join(words)


def _names_collection(word: str) -> bool:
    """A word that can be (part of) a collection's name: capitalised, a name ("RVL-CDIP"), a
    year or version ("2012", "v2"), but not a common capitalised word."""
    if word in NOT_NAMES:
        return False
    return is_name(word) or word[:1].isupper() or LOWER_NAME.fullmatch(word) is not None


def _setting(text: str, s: Sentence) -> str | None:
    sentence = text[s.start : s.end]
    for pattern, setting in SETTINGS:
        m = pattern.search(sentence)
        if m:
            return setting.format(*m.groups()) if "{" in setting else setting
    return None


def _respectively(text: str, group: list[Draft]) -> list[str] | None:
    """'by 2.8% and 3.2% … on GLUE and SQuAD 2.0 respectively': one name per member."""
    last = group[-1]
    after = text[last.end : last.sentence.end]
    if "respectively" not in after:
        return None
    m = RESPECTIVELY_ON.search(after)
    if m is not None:
        names = _listed(m["names"])
        if len(names) == len(group):
            return names
    # "on both HMDB51 and UCF101 with 85.1% and 98.7%, respectively", "two data sets, Penn
    # Treebank and Hutter Prize Wikipedia, where … respectively": the nearest list before
    lists = [
        (found.end(), _listed(found["names"] if "names" in found.groupdict() else found.group()))
        for pattern in (NAMES_BEFORE, DATASET_LIST)
        for found in pattern.finditer(text, last.sentence.start, group[0].start)
    ]
    fitting = [(end, names) for end, names in lists if len(names) == len(group)]
    return max(fitting)[1] if fitting else None


def _listed(names: str) -> list[str]:
    """The names of a written list; empty when one of them is a quantity ("22 Billion")."""
    parts = [n.strip() for n in LIST_SEPARATOR.split(names) if n.strip()]
    if any(QUANTITY_LIKE.match(n) or not regex.search(r"\p{L}", n) for n in parts):
        return []
    return [regex.sub(r"\s+(?:benchmarks?|datasets?|tasks?)$", "", n) for n in parts]


def _metrics_respectively(text: str, group: list[Draft]) -> list[str] | None:
    """One metric per member of a list: "72.3/75.3% AP/AR", "46.8/38.6 box/mask AP", or
    "UAS and LAS of 94.5% and 92.9%, respectively"."""
    first, last = group[0], group[-1]
    s = last.sentence
    if "/" in text[first.end : last.start]:
        m = SLASH_METRICS.match(text, last.end, s.end)
        if m:
            parts = m["parts"].split("/")
            head = m["head"] or ""
            names = [f"{p} {head}".strip() if head else p for p in parts]
            if len(names) == len(group) and (head or all(METRIC.fullmatch(p) for p in parts)):
                return names
    lists = list(METRIC_LIST.finditer(text, s.start, first.start))
    if not lists:
        return None
    close = PAIRING_GAP.fullmatch(text, lists[-1].end(), first.start)  # "UAS and LAS are 95.9%"
    if "respectively" not in text[last.end : s.end] and not close:
        return None
    names = [
        n.strip() for n in regex.split(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+|/)\s*", lists[-1].group())
    ]
    return names if len(names) == len(group) else None


def _unit_lists(text: str, drafts: list[Draft]) -> list[list[int]]:
    """Values listed with their unit each ("1.19 bpc and 1.08 bpc"): not one group of numbers,
    but one list for "respectively". Only runs of two or more, in sentences that say it."""
    runs: list[list[int]] = []
    for i, d in enumerate(drafts):
        prev = drafts[i - 1] if i else None
        listed = (
            prev is not None
            and prev.sentence == d.sentence
            and d.joined is None
            and UNIT_LIST_GAP.fullmatch(text, prev.end, d.start) is not None
        )
        if listed and runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        elif listed:
            runs.append([i - 1, i])
    return [
        r for r in runs if "respectively" in text[drafts[r[-1]].end : drafts[r[-1]].sentence.end]
    ]


def _pair_with_earlier_results(text: str, drafts: list[Draft]) -> None:
    """ "88.5% on ImageNet and 80.7% on ImageNet-CN, … by 2.2% and 21.1%, respectively": with
    no list of names of its own, a list paired respectively takes the datasets of as many
    results before it in the sentence, when those name different datasets."""
    for members in _groups(drafts):
        last = drafts[members[-1]]
        s = last.sentence
        if len(members) < 2 or "respectively" not in text[last.end : s.end]:
            continue
        if _respectively(text, [drafts[i] for i in members]) is not None:
            continue
        earlier = [
            d
            for d in drafts[: members[0]]
            if d.sentence == s and d.kind in RESULT_KINDS and d.dataset
        ][-len(members) :]
        names = [d.dataset for d in earlier]
        if len(names) == len(members) and len(set(names)) == len(names):
            for i, name in zip(members, names, strict=True):
                drafts[i] = msgspec.structs.replace(drafts[i], dataset=name)


def _label(text: str, d: Draft) -> str:
    """How a count names a model: "22 Billion", or "175 Billion parameter model" where the
    counted phrase names the model itself."""
    if d.unit_source == "noun" and d.noun_start is not None and d.noun_end is not None:
        phrase = text[d.noun_start : d.noun_end]
        if regex.search(r"\b(?:model|LLM|LM|network)s?$", phrase):
            return text[d.start : d.noun_end]
    return text[d.start : d.end]


def _pair_respectively(text: str, drafts: list[Draft]) -> None:
    """'For 22B and 175B parameters we reach 38% and 36%, respectively': each value's subject
    is the count in the same place among the counts before the list, in the same sentence."""
    for members in _groups(drafts):
        last = drafts[members[-1]]
        if len(members) < 2 or "respectively" not in text[last.end : last.sentence.end]:
            continue
        counts = [
            j
            for j in range(members[0])
            if drafts[j].sentence == last.sentence and drafts[j].kind == "count"
        ][-len(members) :]
        if len(counts) == len(members):
            for i, j in zip(members, counts, strict=True):
                drafts[i] = msgspec.structs.replace(drafts[i], subject=_label(text, drafts[j]))


def _groups(drafts: list[Draft]) -> list[list[int]]:
    groups: list[list[int]] = []
    for i, d in enumerate(drafts):
        if i and d.joined in {"range", "list"}:
            groups[-1].append(i)
        else:
            groups.append([i])
    return groups


def link(doc: Doc) -> Doc:
    """Fill metric, dataset, subject, baseline and setting of every draft."""
    own = paper_name(doc.text, doc.title)
    # A LaTeX tie left in the text ("the Charades~ benchmark") is read as the space it stands
    # for; same length, so every offset still points into doc.text.
    text = LATEX_TIE.sub(" ", doc.text)
    drafts = list(doc.drafts)
    for i, d in enumerate(drafts):
        s = d.sentence
        clause_start = s.start
        if i > 0 and drafts[i - 1].sentence == s:
            clause_start = max(s.start, drafts[i - 1].end)
        subject = subject_of(text, d, s, own)
        metric = _metric(text, d, s, clause_start)
        if d.kind == "count" and metric is None:
            metric = d.unit
        drafts[i] = msgspec.structs.replace(
            d,
            metric=metric,
            dataset=_dataset(text, d, s, subject),
            subject=subject,
            baseline=baseline_of(text, d, s, subject) if d.kind != "count" else None,
            setting=_setting(text, s),
        )
    # "+0.8% (90.6% vs. 89.8%)": the value after "vs." belongs to the baseline before it
    for i in range(1, len(drafts)):
        d = drafts[i]
        if d.joined == "versus":
            baseline = next((x.baseline for x in drafts[i - 2 : i] if x.baseline), None)
            if baseline:
                drafts[i] = msgspec.structs.replace(d, subject=baseline, baseline=None)
    # members of a range or list share what one of them states; "respectively" pairs names
    for members in _groups(drafts):
        group = [drafts[i] for i in members]
        metric = next((g.metric for g in group if g.metric), None)
        dataset = next((g.dataset for g in group if g.dataset), None)
        per_member = _respectively(text, group) if len(group) > 1 else None
        metrics = _metrics_respectively(text, group) if len(group) > 1 else None
        # the two ends of a range ("from 1.08 to 1.04") are one result: one dataset for both
        is_range = len(group) > 1 and all(g.joined == "range" for g in group[1:])
        for n, i in enumerate(members):
            g = drafts[i]
            own_dataset = dataset if is_range else (g.dataset or dataset)
            drafts[i] = msgspec.structs.replace(
                g,
                metric=metrics[n] if metrics else (g.metric or metric),
                dataset=per_member[n] if per_member else own_dataset,
            )
    for run in _unit_lists(text, drafts):  # "1.19 bits/char and 1.08 bits/char respectively"
        names = _respectively(text, [drafts[i] for i in run])
        for n, i in enumerate(run):
            if names:
                drafts[i] = msgspec.structs.replace(drafts[i], dataset=names[n])
    _pair_with_earlier_results(text, drafts)
    _pair_respectively(text, drafts)
    previous = dict(zip(doc.sentences[1:], doc.sentences, strict=False))
    for i, d in enumerate(drafts):
        if d.kind not in RESULT_KINDS:
            continue
        s = d.sentence
        metric = d.metric or _with_modifiers(
            text, _nearest_match(METRIC, text, s.start, s.end, d.start)
        )
        dataset = d.dataset
        if dataset is None:
            dataset = _context_dataset(text, s, previous, d.subject)
        drafts[i] = msgspec.structs.replace(d, metric=metric, dataset=dataset)
    for i, d in enumerate(drafts):
        if d.dataset:
            drafts[i] = msgspec.structs.replace(
                d, dataset=with_language_pair(text, d.sentence, d.dataset)
            )
    return msgspec.structs.replace(doc, drafts=tuple(drafts), paper_name=own)
