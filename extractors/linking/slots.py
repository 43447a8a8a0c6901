"""Values listed each with its own place: "3.1 on FooEval and 2.2 on BarQA".

When a sentence writes several results, each followed by the dataset it was measured on, the
name right after a value's preposition of place is that value's dataset, whatever the place of
another value (better known, or found by more finders) scores. The fitted choice is overridden
only where it took another value's place, or none (the fitted subject already leaves such a
name out: ``assign.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import msgspec

from claimex.extractors.linking.assign import display
from claimex.extractors.linking.structure import listed_places

if TYPE_CHECKING:
    from claimex.extractors.draft import Doc


def placed_datasets(doc: Doc) -> Doc:
    """Each result's dataset is the name its own "on …" opens, not another value's place."""
    drafts = list(doc.drafts)
    names = {n: display("dataset", doc.text[a:b]) for n, (a, b) in listed_places(doc).items()}
    in_sentence: dict[int, set[str]] = {}  # sentence start -> the places of its values
    for n, name in names.items():
        in_sentence.setdefault(drafts[n].sentence.start, set()).add(name.casefold())
    for n, name in names.items():
        d = drafts[n]
        taken = d.dataset.casefold() if d.dataset else None
        # another value's place: one of the sentence's places, not this value's own
        if taken is None or (taken in in_sentence[d.sentence.start] and taken != name.casefold()):
            drafts[n] = msgspec.structs.replace(d, dataset=name)
    return msgspec.structs.replace(doc, drafts=tuple(drafts))
