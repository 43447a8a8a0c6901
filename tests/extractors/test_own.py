"""subjects.py: the paper's own name, and who a claim is about."""

from __future__ import annotations

import pytest

from claimex.extractors import extract
from claimex.extractors.mentions.defined import definitions
from claimex.extractors.mentions.own import own_candidates, paper_name
from claimex.extractors.pipeline import BEFORE_LINKING, run_steps
from claimex.extractors.weights import default


# Abstracts name their own method where they introduce it and again where they report it; one
# sentence that names a method once says little, so the cases are written as abstracts are.
@pytest.mark.parametrize(
    ("text", "title", "name"),
    [
        # a name only in the title is not the abstract's (GUIDELINES: "our approach" then)
        ("It works. Our model is fast.", "Zeta: Fast Models", None),
        ("We present Zeta, a fast model. Zeta reads long inputs. Zeta is small.", None, "Zeta"),
        (
            "We propose a method called FastKV that caches keys. FastKV halves memory. With "
            "FastKV, decoding is faster.",
            None,
            "FastKV",
        ),
        ("Our model, Orion, is small. Orion runs on phones. Orion is open.", None, "Orion"),
        (
            "We use our recipe to build Vela, a compact speech model. Vela runs offline. We "
            "fine-tune Vela on five accents.",
            None,
            "Vela",
        ),
        (
            "We introduce Qwen3-Mini, a model family. Qwen3-Mini is cheap. Qwen3-Mini wins.",
            None,
            "Qwen3-Mini",
        ),
        ("Results of SparseGPT are good. SparseGPT wins. SparseGPT is fast.", None, "SparseGPT"),
        ("We study pruning. It helps.", "A Study of Pruning", None),
        ("We refer to the tuned model as Zeta-X. Zeta-X is fast. Zeta-X is open.", None, "Zeta-X"),
        (
            "We propose a new sparse pruning (SPX) framework for LLMs. SPX keeps accuracy. SPX "
            "is simple.",
            None,
            "SPX",
        ),
        (
            'We build a "Quill Language Model". The Quill Language Model reads books. It is open.',
            None,
            "Quill Language Model",
        ),
        # a benchmark or metric the text repeats is others' name, not this paper's
        ("Tests on ImageNet are hard. ImageNet is big. Our recipe is cheap.", None, None),
        ("We rank by nDCG. nDCG rewards early hits. Our ranker is fast.", None, None),
        (
            "CPT is common. CPT helps. We refer to our model as Llama-3-Pro. Llama-3-Pro wins. "
            "Llama-3-Pro is open.",
            None,
            "Llama-3-Pro",
        ),
    ],
)
def test_subjects_paper_name(text: str, title: str | None, name: str | None) -> None:
    assert paper_name(text, title, definitions(text), default().model("own")) == name


@pytest.mark.parametrize(
    ("text", "subject"),
    [
        ("We present Zeta, a model. Zeta is small. Our method improves F1 by 2.1%.", "Zeta"),
        ("We present Zeta, a model. BetaNet reaches 71.3% accuracy.", "BetaNet"),
        ("Zeta improves F1 by 2.1% over BetaNet.", "Zeta"),
        ("We compare to GPT-3, which is 6 times larger.", "GPT-3"),
        ("We train the 70B Chinchilla on books.", "Chinchilla"),
        ("We adapt Mistral (7B) to legal text.", "Mistral"),
        ("Scaling from 220M to 770M parameters helps.", None),
        ("It runs at 417 petaFLOP/s on 2048 GPUs.", None),
        (
            "Fine-tuning a network trained on noise attains 88.2% accuracy.",
            "network trained on noise",
        ),
        ("We propose a novel cache schedule that can improve throughput by 12%.", "cache schedule"),
        # A described subject that ends in a name is that name.
        ("We propose BazNet. The earlier FooNet reaches 75.0% accuracy on BarSet.", "FooNet"),
        ("We propose BazNet. Prior work reports that Quux-7B reaches 61.0% on BarSet.", "Quux-7B"),
        # ... unless the name is a benchmark: then the description is the subject.
        ("A network trained on ImageNet attains 71.5% accuracy.", "network trained on ImageNet"),
        # auxiliaries and adverbs between the subject and its verb are not part of it
        ("Our system could markedly boost recall by 9%.", "Our system"),
        ("Our method is able to steadily improve recall by 9%.", "Our method"),
        # a model size is about the model right by it, not the paper's own
        ("We present BazNet, a model. BazNet is fast. Mistral has 7B parameters.", "Mistral"),
        # what a comparison cue governs is the baseline, never the subject
        ("It needs 2.5x fewer FLOPs than Quux-7B.", None),
        # ... but a value in brackets right after the compared model is said of that model
        ("Zeta outperforms BetaNet (trained with 30x more compute) on QuuxQA.", "BetaNet"),
        ("We beat BERT (which uses 4x more data).", "BERT"),
        # ... or a value after a comma, in a bracket the model's name opens
        ("Our Zeta matches a far larger model (BetaNet, 70B parameters).", "BetaNet"),
        # ... or a value in a participle right after the model's name
        ("Zeta matches a BetaNet trained with 3.5 times more data on QuuxQA.", "BetaNet"),
        # a comma with no bracket opened by the name says nothing of whose the value is
        ("We compare Zeta with BetaNet, 12% fewer steps suffice.", "Zeta"),
    ],
)
def test_subjects_subject_of_first_claim(text: str, subject: str | None) -> None:
    assert extract(text)[0].subject == subject


def test_subjects_respectively_pairs_values_with_earlier_counts() -> None:
    text = "For 7B and 70B parameters, we reach 41% and 52% MFU, respectively."
    claims = extract(text)
    assert [(c.span, c.subject) for c in claims if c.kind == "score"] == [
        ("41%", "7B"),
        ("52%", "70B"),
    ]


def test_subjects_count_after_a_baseline_keeps_the_sentence_subject() -> None:
    text = (
        "We present Zeta, a model for long documents. Zeta reads whole books. It gains 7% over "
        "its GPT counterpart on average."
    )
    assert [(c.span, c.subject) for c in extract(text)] == [("7%", "Zeta")]


def test_subjects_it_refers_to_the_method_named_in_the_sentence_before() -> None:
    text = "Our method beats prior work. For example, it improves recall by 2.1% on BEIR."
    assert [c.subject for c in extract(text)] == ["Our method"]


@pytest.mark.parametrize(
    "verb",
    ["It lifts the accuracy of the Orca-2 model", "It boosts Orca-2", "It improved Orca-2"],
)
def test_subjects_the_value_before_a_change_belongs_to_the_named_model(verb: str) -> None:
    text = f"We present Zeta, a tuning recipe. Zeta needs no labels. {verb} from 61.0% to 66.5%."
    claims = extract(text)
    assert [(c.span, c.subject) for c in claims] == [("61.0%", "Orca-2"), ("66.5%", "Zeta")]
    assert claims[0].baseline is None  # the model's own value, not a comparison with it


@pytest.mark.parametrize(
    "text",
    [
        "BazNet reaches 84.0% accuracy on BarSet, compared with 75.0% for FooNet.",
        "BazNet reaches 84.0% accuracy on BarSet, higher than the 75.0% of FooNet.",
        "BazNet reaches 84.0% accuracy on BarSet (vs. 75.0% for FooNet).",
    ],
)
def test_subjects_a_compared_value_belongs_to_the_model_named_after_it(text: str) -> None:
    ours, theirs = extract(text)
    assert (ours.subject, ours.dataset) == ("BazNet", "BarSet")
    assert (theirs.subject, theirs.dataset, theirs.value) == ("FooNet", "BarSet", 75.0)


@pytest.mark.parametrize(
    ("text", "name", "concept"),
    [
        # a lower-case term spelled out and nothing more is a field's term
        ("We study entity linking (EL) for tables. EL helps search.", "EL", True),
        # introduced as the paper's own, it is a name whatever its long form
        ("We propose sparse pruning (SPX), a method for nets. SPX is fast.", "SPX", False),
        ("We release Query Tool Matching (QTM) for agents. QTM is fast.", "QTM", False),
        # a capital that only opens the sentence leaves the term a term
        ("Entity linking (EL) matters. EL helps search engines.", "EL", True),
        # "an EL model" is a model for the task, not a method named EL
        ("We study entity linking (EL) for tables. An EL model helps.", "EL", True),
    ],
)
def test_own_candidates_mark_an_abbreviated_term(text: str, name: str, concept: bool) -> None:
    found = {c.name: c.features for c in own_candidates(text, None, definitions(text))}
    assert ("concept" in found[name]) is concept


def test_own_candidates_a_term_used_as_a_method_name_is_not_a_concept() -> None:
    text = "A table rewiring (TR) method is studied for parsing. TR is cheap to run."
    found = {c.name: c.features for c in own_candidates(text, None, definitions(text))}
    assert "acronym_method" in found["TR"]
    assert "concept" not in found["TR"]


@pytest.mark.parametrize(
    ("text", "title", "name", "expected"),
    [
        # a word of the title, or its plural
        ("We build Vela. Vela is small.", "Vela: Small Speech Models", "Vela", "title_prefix"),
        (
            "We present Large Vela Model, a fast model.",
            "Large Vela Models for Speech",
            "Large Vela Model",
            "in_title",
        ),
        # not part of a longer word of the title
        ("BERT is strong. BERT is big.", "TinyBERT for Phones", "BERT", None),
    ],
)
def test_own_candidates_read_the_title_word_by_word(
    text: str, title: str, name: str, expected: str | None
) -> None:
    found = {c.name: c.features for c in own_candidates(text, title, definitions(text))}
    marks = {"title_prefix", "in_title"} & set(found[name])
    assert marks == ({expected} if expected else set())


def test_own_candidates_skip_a_numbered_series() -> None:
    text = "We ask Q1 and Q2, then Q3. For Q1, ZetaNet wins. For Q2, ZetaNet is fast. Q3 is open."
    names = {c.name for c in own_candidates(text, None, definitions(text))}
    assert {"Q1", "Q2", "Q3"}.isdisjoint(names)
    assert "ZetaNet" in names


def test_own_candidates_keep_a_latex_subscript_in_the_name() -> None:
    text = "We add an operator termed M_{fuse}. M_{fuse} is cheap. With M_{fuse}, loss drops."
    names = {c.name for c in own_candidates(text, None, definitions(text))}
    assert "M_{fuse}" in names


@pytest.mark.parametrize(
    ("text", "subject"),
    [
        # the paper's method spelled out and abbreviated: claims name it as they write it
        (
            "We propose Split-Train-Fuse (STF), a method for ensembles. STF is simple. STF "
            "cuts training cost by 41%.",
            "STF",
        ),
    ],
)
def test_subjects_an_abbreviated_own_method_is_named_by_its_short_form(
    text: str, subject: str
) -> None:
    assert extract(text)[-1].subject == subject


@pytest.mark.parametrize(
    ("text", "name", "collection"),
    [
        # a plural before a comma ends an adverbial phrase: the name after it is no dataset
        ("We propose Sift, a pruner. Across four QA benchmarks, Sift gains 6%.", "Sift", False),
        ("We release the benchmark LoomQA. LoomQA holds 9,000 questions.", "LoomQA", True),
        ("We release a new corpus, LoomText. LoomText holds 9,000 documents.", "LoomText", True),
    ],
)
def test_own_candidates_introduced_as_a_collection(text: str, name: str, collection: bool) -> None:
    (found,) = [c for c in own_candidates(text, None, definitions(text)) if c.name == name]
    assert ("collection" in found.features) is collection


@pytest.mark.parametrize(
    ("text", "span", "subject"),
    [
        (
            "ZetaLM-7B competes with the open BetaNet-405B, which is about 6 times larger.",
            "6 times",
            "BetaNet-405B",
        ),
        (
            "Specifically, ZetaLM-72B outperforms many open models and rivals BetaNet-405B, "
            "which is roughly 6 times larger.",
            "6 times",
            "BetaNet-405B",
        ),
    ],
)
def test_subjects_a_relative_clause_is_said_of_the_name_before_it(
    text: str, span: str, subject: str
) -> None:
    (claim,) = [c for c in extract(text) if c.span == span]
    assert claim.subject == subject


@pytest.mark.parametrize(
    ("text", "subject"),
    [
        ("ZetaNet matches a QuuxNet baseline trained with 3 times more data.", "QuuxNet"),
        ("ZetaNet matches the QuuxNet model trained with 3 times more data.", "QuuxNet"),
    ],
)
def test_subjects_a_participle_after_a_model_and_its_head_word(text: str, subject: str) -> None:
    (claim,) = extract(text)
    assert claim.subject == subject


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("We present Zorblax, a compact routing model trained on 40B tokens.", "40B"),
        ("We introduce Zorblax, a sparse mixture model with 8B active parameters.", "8B"),
    ],
)
def test_subjects_a_phrase_in_apposition_to_the_own_name_is_the_own_method(
    text: str, span: str
) -> None:
    doc = run_steps(text, until=BEFORE_LINKING)
    assert doc.paper_name == "Zorblax"
    described = [m for m in doc.mentions if m.type == "method" and m.start > text.index(",")]
    assert described
    assert all(m.via == "self" for m in described)
    (claim,) = [c for c in extract(text) if c.span == span]
    assert claim.subject == "Zorblax"
