"""Training the mention tagger: the readers, the token labels and reproducibility.

The corpora here are tiny files written by the tests; the last tests read the real shared
data and are skipped where it is absent (CI runs on a clean clone).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from claimex.extractors.mentions.tagger import Tagger
from training import tagger_data
from training.folds import fold_of
from training.tagger import DEFAULT_SHARED, fit, train
from training.tagger_cv import Counts, match
from training.tagger_data import Example, bio, dev_gold, non_overlapping, read, scirex, tdmsci

if TYPE_CHECKING:
    from pathlib import Path

METRICS = ("F1", "accuracy", "recall", "BLEU", "perplexity")
DATASETS = ("FooSet", "BarBank", "QuuxQA", "ZedNet-10", "Plinth")
TEMPLATES = (
    "We report {m} on {d} .",
    "Our model improves {m} on the {d} benchmark by 3 points .",
    "On {d} , the {m} of the baseline is low .",
)


def synthetic() -> list[Example]:
    """Sentences made from templates, with their metric and dataset spans."""
    out = []
    for i, (m, d) in enumerate((m, d) for m in METRICS for d in DATASETS):
        template = TEMPLATES[i % len(TEMPLATES)]
        text = template.format(m=m, d=d)
        ms, ds = text.index(m), text.index(d)
        entities = non_overlapping([(ms, ms + len(m), "METRIC"), (ds, ds + len(d), "DATASET")])
        out.append(Example(text, entities, f"doc{i}"))
    return out


def test_training_twice_gives_the_same_bytes(tmp_path: Path) -> None:
    first = fit(synthetic(), tmp_path / "a.crfsuite", max_iterations=30)
    second = fit(synthetic(), tmp_path / "b.crfsuite", max_iterations=30)
    assert first.read_bytes() == second.read_bytes()


def test_a_model_trained_on_templates_tags_a_new_name(tmp_path: Path) -> None:
    tagger = Tagger.load(fit(synthetic(), tmp_path / "m.crfsuite", max_iterations=50))
    text = "We report recall on Mistral ."
    got = {(text[m.start : m.end], m.type) for m in tagger.tag(text, [(0, len(text))])}
    assert ("recall", "metric") in got


def test_bio_labels_tokens_inside_and_across_names() -> None:
    text = "Top-1 accuracy on Foo-Bar's set"
    example = Example(text, ((0, 14, "METRIC"), (18, 25, "DATASET")), "d")
    toks, labels = bio(example)
    assert [text[s:e] for s, e in toks] == ["Top-1", "accuracy", "on", "Foo-Bar", "'", "s", "set"]
    assert labels == ["B-METRIC", "I-METRIC", "O", "B-DATASET", "O", "O", "O"]


def test_non_overlapping_keeps_the_earliest_longest() -> None:
    got = non_overlapping([(5, 9, "TASK"), (0, 3, "METRIC"), (0, 7, "METHOD"), (8, 12, "TASK")])
    assert got == ((0, 7, "METHOD"), (8, 12, "TASK"))


def test_tdmsci_reader_rebuilds_text_and_spans(tmp_path: Path) -> None:
    rows = [
        ("We", 100, "O"), ("study", 103, "O"), ("word", 109, "B-TASK"), ("sense", 114, "I-TASK"),
        ("on", 120, "O"), ("Foo", 123, "B-DATASET"), ("-", 126, "I-DATASET"),
        ("7", 127, "I-DATASET"), ("F1", 129, "B-METRIC"), (".", 131, "O"),
    ]  # fmt: skip
    second = [("Fine", 140, "O"), ("recall", 145, "I-METRIC")]
    lines = [f"{t}\t{o}\t{g}" for t, o, g in rows] + [""] + [f"{t}\t{o}\t{g}" for t, o, g in second]
    path = tmp_path / "x.conll"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    first, last = tdmsci(path)
    assert first.text == "We study word sense on Foo-7 F1."
    assert [(first.text[s:e], label) for s, e, label in first.entities] == [
        ("word sense", "TASK"), ("Foo-7", "DATASET"), ("F1", "METRIC"),
    ]  # fmt: skip
    assert [(last.text[s:e], label) for s, e, label in last.entities] == [("recall", "METRIC")]


def write_jsonl(path: Path, records: list[dict[str, object]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


SCIREX_TEXT = "We segment images with GlowNet. It reaches high mIoU on Cityblocks."


def scirex_record(doc: str) -> dict[str, object]:
    def span(name: str, kind: str) -> dict[str, object]:
        start = SCIREX_TEXT.index(name)
        return {"type": kind, "start": start, "end": start + len(name), "span": name}

    mentions = [span("segment images", "Task"), span("GlowNet", "Method"),
                span("mIoU", "Metric"), span("Cityblocks", "Material")]  # fmt: skip
    return {"id": doc, "text": SCIREX_TEXT, "abstract_found": True, "mentions": mentions}


def test_scirex_reader_types_and_sentences(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "s.jsonl", [scirex_record("a"), scirex_record("b")])
    examples = scirex(path)
    assert len(examples) == 4
    first, second = examples[:2]
    assert first.text == "We segment images with GlowNet."
    assert [(first.text[s:e], label) for s, e, label in first.entities] == [
        ("segment images", "TASK"), ("GlowNet", "METHOD"),
    ]  # fmt: skip
    assert [(second.text[s:e], label) for s, e, label in second.entities] == [
        ("mIoU", "METRIC"), ("Cityblocks", "DATASET"),
    ]  # fmt: skip
    assert {e.doc for e in scirex(path, exclude_ids=frozenset({"a"}))} == {"b"}


GOLD_TEXT = (
    "Parsing is hard. PlumParser reaches 91.0 F1 on the Fig corpus. "
    "Our approach also helps dependency parsing. It was trained on 3,000 sentences."
)


def gold_record(doc: str) -> dict[str, object]:
    claims = [
        {"kind": "score", "metric": "F1", "dataset": "Fig corpus", "subject": "PlumParser"},
        {"kind": "delta", "metric": None, "dataset": "dependency parsing",
         "subject": "Our approach"},
        {"kind": "count", "metric": "sentences", "dataset": None, "subject": None},
    ]  # fmt: skip
    return {"id": doc, "title": "t", "text": GOLD_TEXT, "claims": claims}


def test_dev_gold_reader_locates_names(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "g.jsonl", [gold_record("g1")])
    examples = dev_gold(path)
    named = [[(e.text[s:t], label) for s, t, label in e.entities] for e in examples]
    # "Parsing is hard." holds no name and is left out; "Our approach" is generic; a count's
    # counted noun is not a metric.
    assert named == [
        [("PlumParser", "METHOD"), ("F1", "METRIC"), ("Fig corpus", "DATASET")],
        [("dependency parsing", "TASK")],
    ]
    assert dev_gold(path, exclude_ids=frozenset({"g1"})) == []


def fake_shared(root: Path) -> Path:
    conll = root / tagger_data.TDMSCI_TRAIN
    conll.parent.mkdir(parents=True)
    conll.write_text("We\t0\tO\nuse\t3\tO\nBLEU\t7\tB-METRIC\n.\t11\tO\n", encoding="utf-8")
    write_jsonl(root / tagger_data.SCIREX, [scirex_record("s1"), scirex_record("s2")])
    write_jsonl(root / tagger_data.DEV_GOLD, [gold_record("g1")])
    return root


def test_read_and_train_from_a_shared_folder(tmp_path: Path) -> None:
    shared = fake_shared(tmp_path / "shared")
    everything = read(shared, ["tdmsci", "scirex", "dev-gold"])
    assert [e.doc for e in everything] == ["tdmsci:0", "s1", "s1", "s2", "s2", "g1", "g1"]
    fewer = read(shared, ["scirex", "dev-gold"], exclude_ids=frozenset({"s2", "g1"}))
    assert [e.doc for e in fewer] == ["s1", "s1"]
    with pytest.raises(ValueError, match="unknown"):
        read(shared, ["measeval"])
    model = train(shared, tmp_path / "out" / "m.crfsuite", sources=frozenset({"tdmsci"}))
    assert Tagger.load(model).labels()


def test_match_counts_exact_and_one_to_one_overlap() -> None:
    gold = [(0, 5, "TASK"), (10, 20, "DATASET"), (30, 35, "METRIC")]
    predicted = [(0, 5, "TASK"), (12, 15, "DATASET"), (16, 18, "DATASET"), (30, 35, "TASK")]
    got = match(gold, predicted)
    assert got["TASK"] == Counts(gold=1, predicted=2, exact=1, partial=1)
    assert got["DATASET"] == Counts(gold=1, predicted=2, exact=0, partial=1)
    assert got["METRIC"] == Counts(gold=1, predicted=0, exact=0, partial=0)


def test_folds_are_fixed() -> None:
    assert [fold_of(d, 5) for d in ("a", "b", "c")] == [fold_of(d, 5) for d in ("a", "b", "c")]
    assert {fold_of(f"doc{i}", 5) for i in range(100)} == set(range(5))


needs_shared = pytest.mark.skipif(
    not (DEFAULT_SHARED / tagger_data.TDMSCI_TEST).exists(), reason="no shared data here"
)


@needs_shared
@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (tagger_data.TDMSCI_TRAIN, {"TASK": 1219, "DATASET": 420, "METRIC": 536}),
        (tagger_data.TDMSCI_TEST, {"TASK": 396, "DATASET": 192, "METRIC": 174}),
    ],
)
def test_tdmsci_files_read_to_one_span_per_b_tag(path: Path, expected: dict[str, int]) -> None:
    examples = tdmsci(DEFAULT_SHARED / path)
    got: dict[str, int] = {}
    for example in examples:
        for _, _, label in example.entities:
            got[label] = got.get(label, 0) + 1
    assert got == expected
    # The runtime tokenizer keeps names apart: only one token in train holds two names
    # ("Precision-Recall", two metrics).
    lost = sum(len(e.entities) - sum(x.startswith("B-") for x in bio(e)[1]) for e in examples)
    assert lost <= 1
