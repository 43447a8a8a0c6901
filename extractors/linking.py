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
from extractors.sentences import Sentence


def _names_pattern(entries: tuple[str, ...]) -> regex.Pattern[str]:
    """Lower-case entries match in any case; entries with capitals match as written."""
    lower = [e for e in entries if e == e.lower()]
    cased = [e for e in entries if e != e.lower()]
    parts = []
    if cased:
        parts.append(lexicons.alternation(cased))
    if lower:
        parts.append("(?i:" + lexicons.alternation(lower) + ")")
    return regex.compile(r"(?<![\p{L}\d\-])(?:" + "|".join(parts) + r")(?![\p{L}\d]|-\p{L})")


METRIC = _names_pattern(lexicons.words("metrics.txt"))
DATASET = _names_pattern(lexicons.words("datasets.txt"))
MODEL = regex.compile(
    r"^(?:" + lexicons.alternation(lexicons.words("models.txt")) + r")(?:[\-\d.\s]|$)"
)
METRIC_HEADS = frozenset(lexicons.words("metric_heads.txt"))
SETTINGS = tuple(
    (regex.compile(pattern, regex.IGNORECASE), setting)
    for pattern, setting in lexicons.pairs("settings.tsv")
)

# A name: a token with a capital letter after its first character, a digit, or all capitals
# ("AffineQuant", "C-Eval", "UL2", "MTRB", "Llama-3-SynE", "ImageNet-1K").
NAME = regex.compile(
    r"""
    (?<![\p{L}\d\-@])
    (?: [\p{L}\d]*\p{Lu}[\p{L}\d]*\p{Lu}[\p{L}\d]* | \p{Lu}[\p{L}]*\d[\p{L}\d.]* | \p{Lu}{2,}
      | \p{Lu}\p{Ll}+(?=-\p{Lu}) )
    (?: [\-.][\p{L}\d]+ )*
    (?: \s\d+(?:\.\d)? (?![\d%]) )?                # "ERNIE 3.0", "SQuAD 2.0"
    (?![\p{L}\d])
    """,
    regex.VERBOSE,
)
# Capitalised words that look like names but are the language of abstracts.
NOT_NAMES = frozenset(
    """LLM LLMs LM LMs NLP ML AI CV RL GPU GPUs TPU TPUs CPU API APIs QA VQA SOTA SotA MoE
    PLM PLMs MLLM MLLMs VLM VLMs LVLM LVLMs CNN CNNs RNN RNNs DNN DNNs GNN GNNs NLU NLG ASR
    OCR IR KD PEFT SFT RLHF DPO CoT ICL CL OOD IID FLOPs FLOP TB GB MB AUC II III IV URL
    HTTP JSON E2E""".split()
)
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
NP_END = regex.compile(
    r"\s+(?:on|in|by|across|at|for|with|while|and|or|when|using|which|that|of|to|from|"
    r"respectively|without|under|\d)\b.*$",
    regex.IGNORECASE | regex.DOTALL,
)
DETERMINER = regex.compile(r"^(?:the|a|an|its|their|our|this|these|those)\s+", regex.IGNORECASE)
PARENTHETICAL = regex.compile(r"\s--\s.*?\s--\s|\s—.*?—\s|\([^()]*\)")
VERB_NP_BY = regex.compile(
    r"""(?<![\p{L}])(?:improv|increas|reduc|decreas|boost|lower|rais|sav|cut|enhanc|lift|
        accelerat|speed(?:s|ing)?\s+up|outperform|surpass|beat|exceed|mitigat|shrink|drop)\p{L}*
        \s+(?P<np>[^,;:()]{1,80}?)\s+by\s+\S*\s*(?:\S+\s+)?$""",
    regex.VERBOSE | regex.IGNORECASE,
)
NP_OF_BEFORE = regex.compile(
    r"(?P<np>(?:[\p{L}\d][\p{L}\d'’\-/@]*\s+){0,3}[\p{L}\d][\p{L}\d'’\-/@]*)\s+of\s+"
    r"(?:(?:up\s+to|about|around|over|nearly|only|just|~)\s*)?$",
    regex.IGNORECASE,
)
ON_DATASET = regex.compile(
    r"""(?<![\p{L}])(?i:on|across|in|for|over|using)\s+(?:the\s+)?(?:\d+\s+)?
        (?P<np>
            (?:[\p{L}\d][\p{L}\d\-'’]*\s+){0,3}?(?:tasks?|benchmarks?|datasets?)\b  # QA tasks
          | [\p{Lu}\d][\p{L}\d\-'’.@]*(?:\s+[\p{Lu}\d][\p{L}\d\-'’.@]*){0,3}   # Natural Questions
        )""",
    regex.VERBOSE,
)
METRIC_NAMED_AFTER = regex.compile(
    r"^[^.;]{0,40}?\b(?:based\s+on|in\s+terms\s+of|measured\s+by|on)\s+the\s+metric\s+"
    r"(?P<name>[\p{L}\d][\p{L}\d\-@]*)",
    regex.IGNORECASE,
)
RESPECTIVELY_ON = regex.compile(
    r"\bon\s+(?P<names>(?:[^.;:()]|\.\d){1,120}?)\s*(?:,\s*)?(?:respectively\b|[.;]|$)"
)
AFTER_METRIC = regex.compile(
    r"^\s*(?:\p{L}+\s+)?(?:improvement|gain|increase)s?\s+(?:in|on)\s+(?P<name>\S+)",
    regex.IGNORECASE,
)
IN_NAME_AFTER = regex.compile(r"^\s+(?:in|of|for|by|from)\s+(?P<name>[\p{L}\d][\p{L}\d\-.]*)")


def _clean(np: str | None) -> str | None:
    if np is None:
        return None
    np = PARENTHETICAL.sub(" ", np)
    np = NP_END.sub("", np.strip())
    np = DETERMINER.sub("", np.strip()).strip(" -'\"“”")
    if not np or len(np.split()) > 6 or any(c.isdigit() for c in np if np.isdigit()):
        return None
    return np


def _is_name(token: str) -> bool:
    return token not in NOT_NAMES and NAME.fullmatch(token) is not None


def paper_name(text: str, title: str | None) -> str | None:
    """The name the abstract gives its own method or model, if it gives one."""
    if title:
        m = TITLE_NAME.match(title)
        if m and len(m["name"].split()) <= 3 and any(c.isupper() for c in m["name"]):
            return m["name"].strip()
    for m in INTRODUCED.finditer(text):
        name = m["name"].rstrip(".,")
        if _is_name(name) and not MODEL.match(name) and not DATASET.fullmatch(name):
            return name
    for m in ACRONYM_DEFINED.finditer(text[:600]):
        if _is_name(m["name"]) and not DATASET.fullmatch(m["name"]):
            return m["name"]
    return None


def _nearest(pattern: regex.Pattern[str], text: str, lo: int, hi: int, at: int) -> str | None:
    best: tuple[int, str] | None = None
    for m in pattern.finditer(text, lo, hi):
        distance = at - m.end() if m.end() <= at else (m.start() - at) * 2
        if distance >= 0 and (best is None or distance < best[0]):
            best = (distance, m.group())
    return best[1] if best else None


def _metric(text: str, d: Draft, s: Sentence, clause_start: int) -> str | None:
    after = text[d.end : s.end]
    before = text[clause_start : d.start]
    if d.kind in {"count", "other"} and d.noun_start is not None and d.noun_end is not None:
        return text[d.noun_start : d.noun_end]
    m = AFTER_METRIC.match(after)
    if m:
        return m["name"].rstrip(".,;")
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
        np = _clean(m["np"])
        if np:
            return regex.sub(r"^\p{L}[\p{L}\d\-]*'s?\s+", "", np) if "'" in np else np
    m = NP_OF_BEFORE.search(before)
    if m:
        np = _clean(m["np"])
        if np and (
            METRIC.search(np) or np.split()[-1].lower() in METRIC_HEADS
        ):
            return np
    return None


def _dataset(text: str, d: Draft, s: Sentence, subject: str | None) -> str | None:
    def ok(name: str | None) -> str | None:
        if not name or MODEL.match(name) or name == subject or METRIC.fullmatch(name):
            return None
        return name

    after = text[d.end : s.end]
    m = ON_DATASET.match(after.lstrip(" ,")) if after.lstrip(" ,")[:3].strip() else None
    if m is None:
        m = regex.match(r"^\s*(?:\p{L}+\s+){0,5}?(?=(?:on|across)\s)", after)
        m = ON_DATASET.match(after, m.end()) if m else None
    if m:
        name = _dataset_name(m["np"])
        if ok(name):
            return name
    for m in reversed(list(ON_DATASET.finditer(text, s.start, d.start))):
        name = _dataset_name(m["np"])
        if ok(name):
            return name
    return ok(_nearest(DATASET, text, s.start, s.end, d.start))


def _dataset_name(np: str) -> str | None:
    np = np.strip().rstrip(".,")
    if regex.fullmatch(r"(?i:the|a|an|this|these|top|average)", np):
        return None
    known = DATASET.match(np)
    if known:
        return known.group()
    words = np.split()
    if words and words[-1].lower() in {"benchmark", "benchmarks", "dataset", "datasets"}:
        words = words[:-1] or words
        return " ".join(words)
    if words and words[-1].lower() in {"task", "tasks"} and len(words) > 1:
        return " ".join(words)
    if not words or MODEL.match(words[0]) or not words[0][:1].isupper() and not words[0][:1].isdigit():
        return None
    if len(words) == 1 and not _is_name(words[0]):
        return None  # "on Python", "in English": capitalised, but not a benchmark's name
    return " ".join(words)


def _subject(text: str, d: Draft, s: Sentence, own: str | None) -> str | None:
    after = text[d.end : d.end + 40]
    if d.unit_source == "inferred":
        m = regex.match(r"\s+(?:the\s+|a\s+)?(?P<name>[\p{L}\d][\p{L}\d\-.]*)", after)
        if m:
            return m["name"].rstrip(".")
    if d.joined == "versus":
        m = IN_NAME_AFTER.match(after)
        if m and _is_name(m["name"]):
            return m["name"]
    sentence = text[s.start : d.start]
    cue = BASELINE_CUE.search(sentence)
    limit = cue.start() if cue else len(sentence)
    if d.kind == "count":
        names = [m.group() for m in NAME.finditer(sentence) if _is_name(m.group())]
        names = [n for n in names if not DATASET.fullmatch(n)]
        if names:
            return names[-1]
    for m in NAME.finditer(sentence, 0, limit):
        name = m.group()
        if _is_name(name) and not DATASET.fullmatch(name) and not METRIC.fullmatch(name):
            return name
    if own:
        return own
    m = SELF_REFERENCE.search(text, s.start, d.start)
    if m and m.group().lower() not in {"we", "it"}:
        return m.group()
    return None


def _baseline(text: str, d: Draft, s: Sentence, subject: str | None) -> str | None:
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
    np = _clean(near["np"])
    if np is None:
        return None
    possessive = regex.match(r"^(?P<name>[\p{L}\d][\p{L}\d\-.]*)'s?\b", np)
    if possessive:
        np = possessive["name"]
    if np == subject or METRIC.fullmatch(np) or np.lower() in {"the", "baseline"}:
        return None
    return np


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
    if m is None:
        return None
    names = [n.strip() for n in regex.split(r",\s*(?:and\s+)?|\s+and\s+", m["names"]) if n.strip()]
    return names if len(names) == len(group) else None


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
    text = doc.text
    drafts = list(doc.drafts)
    for i, d in enumerate(drafts):
        s = d.sentence
        clause_start = s.start
        if i > 0 and drafts[i - 1].sentence == s:
            clause_start = max(s.start, drafts[i - 1].end)
        subject = _subject(text, d, s, own)
        metric = _metric(text, d, s, clause_start)
        if d.kind == "count" and metric is None:
            metric = d.unit
        drafts[i] = msgspec.structs.replace(
            d,
            metric=metric,
            dataset=_dataset(text, d, s, subject),
            subject=subject,
            baseline=_baseline(text, d, s, subject) if d.kind != "count" else None,
            setting=_setting(text, s),
        )
    # members of a range or list share what one of them states; "respectively" pairs names
    for members in _groups(drafts):
        group = [drafts[i] for i in members]
        metric = next((g.metric for g in group if g.metric), None)
        dataset = next((g.dataset for g in group if g.dataset), None)
        per_member = _respectively(text, group) if len(group) > 1 else None
        for n, i in enumerate(members):
            g = drafts[i]
            drafts[i] = msgspec.structs.replace(
                g,
                metric=g.metric or metric,
                dataset=per_member[n] if per_member else (g.dataset or dataset),
            )
    for i, d in enumerate(drafts):
        if d.metric is None and d.kind in {"score", "delta", "ratio"}:
            s = d.sentence
            drafts[i] = msgspec.structs.replace(
                d, metric=_nearest(METRIC, text, s.start, s.end, d.start)
            )
    return msgspec.structs.replace(doc, drafts=tuple(drafts), paper_name=own)
