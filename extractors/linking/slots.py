"""Values listed each with its own place: "3.1 on FooEval and 2.2 on BarQA".

When a sentence writes several results, each followed by the dataset it was measured on, the
name right after a value's preposition of place is that value's dataset, whatever a name
further on (better known, or found by more finders) scores. The fitted choice is overridden
only where it took a name written after the next value of the sentence, that is, the next
value's own (the fitted subject already leaves such a name out: ``assign.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import msgspec

from claimex.extractors.linking.assign import display
from claimex.extractors.linking.structure import listed_places

if TYPE_CHECKING:
    from claimex.extractors.draft import Doc, Draft


def _next_value(drafts: tuple[Draft, ...], n: int) -> int | None:
    """Where the next draft of draft ``n``'s sentence starts, if there is one."""
    d = drafts[n]
    later = [e.start for e in drafts[n + 1 :] if e.sentence == d.sentence]
    return later[0] if later else None


def _taken_beyond(doc: Doc, n: int, place: tuple[int, int]) -> bool:
    """Whether draft ``n``'s dataset is none, or a name written only after the next value."""
    d = doc.drafts[n]
    if d.dataset is None:
        return True
    nxt = _next_value(doc.drafts, n)
    if nxt is None or place[1] > nxt:
        return False
    first = doc.text.find(d.dataset, d.sentence.start, d.sentence.end)
    return first >= nxt


def placed_datasets(doc: Doc) -> Doc:
    """Each result's dataset is the name its own "on …" opens, over one of a later value's."""
    found = listed_places(doc)
    drafts = list(doc.drafts)
    names = {n: display("dataset", doc.text[a:b]) for n, (a, b) in found.items()}
    for n, place in found.items():
        if _taken_beyond(doc, n, place):
            drafts[n] = msgspec.structs.replace(drafts[n], dataset=names[n])
    return msgspec.structs.replace(doc, drafts=tuple(drafts))
