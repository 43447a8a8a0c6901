"""Structural passes: a value and the name written right beside it.

The value after "vs." belongs to the baseline named before it or the name after it ("vs 9.92 in
Lambda"); a value in brackets or after a colon is written under the name before it
("CIFAR-100 (90.4%)", "Sleep-EDF: 84.0%"); the start of "of <model> from X to Y" is that
model's, and both values measure the metric named before "of".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import msgspec
import regex

from claimex.extractors.linking.counts import DATA_TYPES, TRUSTED
from claimex.extractors.model import RESULT_KINDS

if TYPE_CHECKING:
    from claimex.extractors.draft import Doc, Draft
    from claimex.extractors.mentions.mention import Mention


def _set(drafts: list[Draft], i: int, **fields: str | None) -> None:
    drafts[i] = msgspec.structs.replace(drafts[i], **fields)


# "(0.8 lower vs 9.92 in Lambda)", "compared with 75.0% for Zeta", "than the 61.2 of Zeta":
# the compared value, then whose it is.
VERSUS_BEFORE = regex.compile(
    r"""\b(?:vs\.?|versus|compared\s+(?:to|with)|against|relative\s+to|than)
        \s+(?:(?:the|a|an)\s+)?$""",
    regex.VERBOSE,
)
OWNER_AFTER = regex.compile(r"\s+(?:in|of|for|by|from)\s+(?P<name>\p{Lu}[\p{L}\d\-.]*[\p{L}\d])")


def versus(doc: Doc) -> Doc:
    """A value after "vs." is the baseline's, or that of the name written right after it.

    In "+1.2% (84.3% vs. 83.1%)" the value after "vs." is the baseline's; in "vs 9.92 in Lambda"
    or "compared with 9.92 for Lambda" it is Lambda's.
    """
    drafts = list(doc.drafts)
    for i in range(1, len(drafts)):
        d = drafts[i]
        owner = OWNER_AFTER.match(doc.text, d.end, d.sentence.end)
        if VERSUS_BEFORE.search(doc.text, d.sentence.start, d.start) and owner:
            name = owner["name"]
            if d.dataset == name:  # whose value it is, not what it is measured on
                _set(drafts, i, dataset=drafts[i - 1].dataset)
            _set(drafts, i, subject=name)
        elif d.joined == "versus":
            baseline = next((x.baseline for x in drafts[i - 2 : i] if x.baseline), None)
            if baseline:
                _set(drafts, i, subject=baseline, baseline=None)
    return msgspec.structs.replace(doc, drafts=tuple(drafts))


# "CIFAR-100 (90.4%)", "Cityscapes (81.5% mean IoU)", "Sleep-EDF: 84.0%": a value opening a
# parenthesis, or a colon, right after a name is written under that name.
UNDER_OPENING = regex.compile(r"\s*(?:\(|:)\s*$")
UNDER_FROM = regex.compile(r"\s+from\s+$")  # "text8 from 1.10 to 1.06 bpc"
BRACKETED_TASK = "bracketed"  # a phrase right before "(+15%)": a task the value is written under


def written_under(doc: Doc) -> Doc:
    """A result written under a dataset's name is on that dataset, whatever the scores say.

    The brackets tie them closer than any distance a feature can weigh.
    """
    ends = {
        m.end: m
        for m in doc.mentions
        if m.type in DATA_TYPES and (m.source in TRUSTED or m.via == BRACKETED_TASK)
    }
    drafts = list(doc.drafts)
    for i, d in enumerate(drafts):
        if d.kind not in RESULT_KINDS:
            continue
        lo = max(d.sentence.start, d.start - 8)
        opening = UNDER_OPENING.search(doc.text, lo, d.start)
        starts_range = i + 1 < len(drafts) and drafts[i + 1].joined == "range"
        if opening is None and starts_range:
            opening = UNDER_FROM.search(doc.text, lo, d.start)
        if opening is None:
            continue
        name_end = opening.start()
        m = ends.get(name_end)
        if m is not None:
            name = doc.text[m.start : m.end]
            _set(drafts, i, dataset=name)
            if d.subject == name:  # what it is measured on is not who is measured
                _set(drafts, i, subject=None)
    return msgspec.structs.replace(doc, drafts=tuple(drafts))


# What a value is said of: the model whose name ends where one of these starts, and whether
# the name must open a bracket; the first that applies decides.
SAID_OF = (
    # "(BetaNet, 17B parameters)": the name opens the bracket, the value follows a comma
    (regex.compile(r"\s*,\s*$"), True),
    # "BetaNet (trained with 30x more data)": a bracket opened right after the name, and no
    # bracket closed before the number
    (regex.compile(r"\s*\([^()]{0,60}$"), False),
    # "a BetaNet trained with 2.5x more compute": a participle right after the name
    (
        regex.compile(
            r"""(?:\s+(?:LMs?|LLMs?|models?|baselines?|networks?))?    # "a BetaNet model trained"
                (?P<rest>\s+(?:trained|pre-?trained|fine-?tuned|tuned|distilled)\s+(?:with|using|on|for))
                \s+[^,;()]{0,30}$""",
            regex.VERBOSE,
        ),
        False,
    ),
    # "BetaNet-405B, which is roughly 6 times larger": a relative clause right after the name
    (
        regex.compile(
            r"""\s*,\s+(?:which|who)\s+(?:is|was|are|were|has|had)\s+[^,;()]{0,30}$""",
            regex.VERBOSE,
        ),
        False,
    ),
)
SAID_OF_READ = 70  # characters before a value read for what it is said of


def _said_of(doc: Doc, d: Draft, ends: dict[int, tuple[str, str]]) -> str | None:
    lo = max(d.sentence.start, d.start - SAID_OF_READ)
    for pattern, opens_bracket in SAID_OF:
        found = pattern.search(doc.text, lo, d.start)
        if found is None:
            continue
        # the name ends where the form starts, or before its head word ("BetaNet| model trained")
        rest = found.start("rest") if "rest" in found.groupdict() else -1
        written, name = ends.get(found.start()) or ends.get(rest) or ("", "")
        if not name:
            continue
        if not opens_bracket or doc.text.endswith("(", 0, found.start() - len(written)):
            return name
    return None


def _method_name(doc: Doc, m: Mention) -> tuple[str, str]:
    """A method mention as written and as named: a self reference names the paper's own method."""
    written = doc.text[m.start : m.end]
    return written, doc.paper_name if m.via == "self" and doc.paper_name else written


def said_of_a_model(doc: Doc) -> Doc:
    """A value in brackets or a participle right after a model's name is about that model."""
    ends = {m.end: _method_name(doc, m) for m in doc.mentions if m.type == "method"}
    drafts = list(doc.drafts)
    for i, d in enumerate(drafts):
        name = _said_of(doc, d, ends)
        if name is not None and name != d.dataset:
            # what is said of the compared model is its own claim, not a comparison with it
            _set(drafts, i, subject=name, baseline=None if d.baseline == name else d.baseline)
    return msgspec.structs.replace(doc, drafts=tuple(drafts))


# "… the accuracy of Orca-2 from 61.0% to 66.5%": the value the change starts from is the named
# model's; the value it reaches stays with whoever made the change.
FROM_OF_NAME = regex.compile(
    r"\b(?:of|boost(?:s|ed|ing)|lift(?:s|ed|ing)|rais(?:es|ed|ing)|improv(?:es|ed|ing)"
    r"|push(?:es|ed|ing)|tak(?:es|ing)|took)\s+(?:the\s+)?"
    r"(?P<name>\p{Lu}[\p{L}\d\-.]*[\p{L}\d])(?:\s+(?:model|baseline|backbone))?\s+from\s+$"
)


def change_from_a_model(doc: Doc) -> Doc:
    """The start of "<model> from X to Y" belongs to the model.

    Both values measure the metric named before "of <model>".
    """
    drafts = list(doc.drafts)
    metric_ends: dict[int, str] = {}  # the longest metric ending at each offset
    for mention in doc.mentions:
        if mention.type == "metric":
            metric_ends.setdefault(mention.end, doc.text[mention.start : mention.end])
    for i in range(len(drafts) - 1):
        d, nxt = drafts[i], drafts[i + 1]
        if nxt.joined != "range" or nxt.sentence != d.sentence:
            continue
        m = FROM_OF_NAME.search(doc.text, max(d.sentence.start, d.start - 120), d.start)
        if m is not None:
            # the value it starts from is the model's own, no comparison with it
            baseline = None if d.baseline == m["name"] else d.baseline
            _set(drafts, i, subject=m["name"], baseline=baseline)
            if nxt.subject == m["name"]:  # the value reached is the changer's, not the model's
                _set(drafts, i + 1, subject=doc.paper_name)
            measured = metric_ends.get(len(doc.text[: m.start()].rstrip()))
            if m.group().startswith("of") and measured is not None:
                # "the mean score of Foo-7B from 51.0% to 55.4%": what changed is named first
                _set(drafts, i, metric=measured)
                _set(drafts, i + 1, metric=measured)
    return msgspec.structs.replace(doc, drafts=tuple(drafts))
