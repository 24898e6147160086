"""A model trained on a collection's labels gets the quote engine's OntoNotes reading
(``Pipeline.engine_labels``): the same quotes and sources as the base labels would give."""

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.nlp.analyzer import _from_doc
from desktop.nlp.pipeline import Pipeline, engine_labels

CONLL = ["PER", "ORG", "LOC", "MISC"]
CONLL_READING = {"PER": "PERSON", "LOC": "GPE", "MISC": "NORP"}
# what a CoNLL-trained model calls the base model's labels (for the labels that map back)
AS_TRAINED = {"PERSON": "PER", "GPE": "LOC", "NORP": "MISC"}

SENTENCES = st.sampled_from(
    [
        '"We will reopen the bridge in May," Mayor Ana Ruiz said on Tuesday.',
        "She added that the council in Toronto had approved the plan.",
        "Tom Berg, a spokesman for Hadley Rovers, told reporters the club would appeal.",
        "According to Lena Okafor, the Canadian budget is not enough.",
        '"It is a disgrace," he said.',
        "The Liberals said the vote would be held next week.",
        "Ravi Shah, the minister of health, said Ottawa would pay for the new clinic.",
        "Officials in Peru declined to comment.",
    ]
)


def test_the_conll_labels_are_read_as_the_labels_they_were_seeded_from() -> None:
    assert engine_labels({"quotedesk": {"labels": CONLL}}) == CONLL_READING
    assert engine_labels({"quotedesk": {"labels": ["PERSON", "ORG", "GPE"]}}) == {}
    assert engine_labels({"quotedesk": {"labels": ["GPE", "LOC", "PER"]}}) == {"PER": "PERSON"}
    assert engine_labels({"quotedesk": {"labels": ["SHIP", "PER"]}}) == {"PER": "PERSON"}


@pytest.mark.parametrize(
    "meta",
    [{}, {"quotedesk": None}, {"quotedesk": {"labels": "PER"}}, {"quotedesk": {"labels": [1]}}],
)
def test_a_pipeline_without_collection_labels_is_read_as_it_is(meta: dict[str, object]) -> None:
    assert engine_labels(meta) == {}


@pytest.mark.slow
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(SENTENCES, min_size=1, max_size=6))
def test_a_model_in_the_collections_labels_gets_the_same_attribution(nlp, sentences) -> None:  # type: ignore[no-untyped-def]
    text = " ".join(sentences)
    base_doc = nlp(text)
    trained_doc = base_doc.copy()
    trained_doc.ents = [
        e
        if e.label_ not in AS_TRAINED
        else trained_doc.char_span(e.start_char, e.end_char, label=AS_TRAINED[e.label_])
        for e in base_doc.ents
    ]
    base = _from_doc(base_doc, Pipeline(nlp, "base", "1"))
    trained = _from_doc(trained_doc, Pipeline(nlp, "t", "1", engine_labels=CONLL_READING))
    assert trained.attribution == base.attribution
    # the entities are stored in the collection's labels
    assert [(e.start, e.end, e.label) for e in trained.entities] == [
        (e.start, e.end, AS_TRAINED.get(e.label, e.label)) for e in base.entities
    ]


@pytest.mark.slow
def test_a_saved_trained_pipeline_loads_with_its_reading(tmp_path: Path) -> None:
    import spacy

    from desktop.nlp.pipeline import DEFAULT_MODEL, load_pipeline_from

    folder = tmp_path / "tiny-ner-1"
    plain = spacy.load(DEFAULT_MODEL)
    plain.meta["quotedesk"] = {"labels": CONLL}
    plain.to_disk(folder)
    assert json.loads((folder / "meta.json").read_text("utf-8"))["quotedesk"]["labels"] == CONLL
    assert load_pipeline_from(folder).engine_labels == CONLL_READING
