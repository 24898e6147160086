"""What Label Studio, Prodigy and doccano check when they take an export, checked on every
export (Hypothesis articles: emoji and every line-break form, nested, identical and crossing
spans, both origins): Label Studio's regions are ``text[start:end]`` in code points, a
person's work is in ``annotations`` and the model's in ``predictions``, and the labelling
config holds every label; Prodigy's tokens and ``ws`` rebuild the text as spaCy's tokenizer
cuts it; doccano's spans and relations are consistent, and its note says what it needs."""

from __future__ import annotations

import functools
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.domain import Article, Entity, Origin
from desktop.domain.names import InvalidName, check_article_names
from desktop.formats.doccano import DOCCANO_NOTE, doccano_record, write_doccano
from desktop.formats.flat import flatten
from desktop.formats.labelstudio import (
    article_from_task,
    config_path,
    labeling_config,
    labelstudio_task,
    read_labelstudio,
)
from desktop.formats.prodigy import prodigy_record
from desktop.formats.tokens import spaced_tokens
from tests.consumers.views import annotations
from tests.reliability.roundtrip import articles, good_labels

README = Path(__file__).parents[2] / "README.md"


def _importable(article: Article) -> bool:
    try:
        check_article_names(article)
    except InvalidName:
        return False
    return True


# articles whose names the importers accept (hostile names have tests of their own)
any_article = articles(good_labels).filter(_importable)
SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def _origins(article: Article) -> dict[tuple[int, int, str], set[str]]:
    """Who made each (start, end, label) region, as Label Studio should receive it."""
    flat = flatten(article)
    marks = {m.id: m for m in flat.marks}
    kinds: dict[str, str] = dict(flat.info["origins"])
    for link in flat.links:
        kinds[link.head] = kinds[link.child]
    for source, info in zip(article.sources, flat.info["sources"], strict=True):
        for mid in info["mentions"]:
            kinds[mid] = str(source.origin)
    out: dict[tuple[int, int, str], set[str]] = {}
    for mid, m in marks.items():
        out.setdefault((m.start, m.end, m.label), set()).add(kinds[mid])
    return out


def test_label_studio_counts_code_points_as_its_own_emoji_test_does() -> None:
    # Label Studio's test "NER - Emoji - Text": "test" in this text is 21-25
    text = "🐱 Warning: This is a test text"
    article = Article("e", text)
    article.entities = [Entity(21, 25, "TERM", "test")]
    (region,) = labelstudio_task(article, 1)["predictions"][0]["result"]
    assert (region["value"]["start"], region["value"]["end"]) == (21, 25)
    assert region["value"]["text"] == "test"


@SETTINGS
@given(any_article)
def test_label_studio_regions_origins_and_config(article: Article) -> None:
    task = json.loads(json.dumps(labelstudio_task(article, 1)))  # as a file holds it
    text = task["data"]["text"]
    made_by = _origins(article)
    labels = set()
    for key, origin in (("annotations", Origin.HUMAN), ("predictions", Origin.MODEL)):
        for item in task.get(key, []):
            results = item["result"]
            assert results, f"an empty {key} entry"
            ids = {r["id"] for r in results if r["type"] == "labels"}
            for r in results:
                if r["type"] == "relation":  # both ends in the same result list
                    assert {r["from_id"], r["to_id"]} <= ids
                    continue
                value = r["value"]
                assert text[value["start"] : value["end"]] == value["text"]
                assert str(origin) in made_by[(value["start"], value["end"], value["labels"][0])]
                labels.add(value["labels"][0])
            if key == "predictions":
                assert item["model_version"]
    assert "annotations" in task or "predictions" in task or not flatten(article).marks
    config = ET.fromstring(labeling_config({e.label for e in article.entities}))
    assert labels <= {x.get("value") for x in config.iter("Label")}
    assert {x.get("value") for x in config.iter("Relation")} == {"speaker", "cue"}
    # and it comes back the same, origins included
    assert annotations(article_from_task(task)) == annotations(article)


def test_a_file_label_studio_made_imports(tmp_path: Path) -> None:
    """In the shape of Label Studio's own JSON export: annotations with their user, a region
    the annotator took over from the prediction, predictions listed by id, offsets after an
    emoji in code points."""
    text = "🙂 Mara Quist said the ferry would run."
    task = {
        "id": 7,
        "data": {"text": text},
        "annotations": [
            {
                "id": 3,
                "completed_by": 1,
                "was_cancelled": False,
                "result": [
                    {
                        "id": "a1",
                        "from_name": "label",
                        "to_name": "text",
                        "type": "labels",
                        "origin": "prediction",
                        "value": {
                            "start": 2,
                            "end": 12,
                            "text": "Mara Quist",
                            "labels": ["PERSON"],
                        },
                    },
                    {
                        "id": "a2",
                        "from_name": "label",
                        "to_name": "text",
                        "type": "labels",
                        "origin": "manual",
                        "value": {
                            "start": 18,
                            "end": 38,
                            "text": "the ferry would run.",
                            "labels": ["INDIRECT_QUOTE"],
                        },
                    },
                ],
            }
        ],
        "predictions": [4],
        "drafts": [],
    }
    path = tmp_path / "project-1-at-2026.json"
    path.write_text(json.dumps([task]), "utf-8")
    (article,) = read_labelstudio(path)
    assert [(e.text, e.label, e.origin) for e in article.entities] == [
        ("Mara Quist", "PERSON", Origin.HUMAN)
    ]
    assert [(q.text, str(q.kind)) for q in article.quotes] == [("the ferry would run.", "indirect")]


def test_the_labelling_config_goes_beside_the_export() -> None:
    assert config_path(Path("/x/tasks.json")) == Path("/x/tasks.label_config.xml")
    assert config_path(Path("/x/tasks")) == Path("/x/tasks.label_config.xml")


def _rebuilt(record: dict) -> str:
    return "".join(t["text"] + (" " if t["ws"] else "") for t in record["tokens"])


@SETTINGS
@given(any_article)
def test_prodigy_tokens_rebuild_the_text_and_hold_every_span(article: Article) -> None:
    record = json.loads(json.dumps(prodigy_record(article), ensure_ascii=False))
    tokens = record["tokens"]
    assert _rebuilt(record) == article.text
    assert [t["id"] for t in tokens] == list(range(len(tokens)))
    for t in tokens:
        assert article.text[t["start"] : t["end"]] == t["text"]
        # a token is whitespace or holds none, as spaCy's are
        assert t["text"].isspace() or not any(ch.isspace() for ch in t["text"])
    for span in record["spans"]:
        assert tokens[span["token_start"]]["start"] == span["start"]
        assert tokens[span["token_end"]]["end"] == span["end"]
    for rel in record["relations"]:
        assert rel["head"] == rel["head_span"]["token_end"]
        assert rel["child"] == rel["child_span"]["token_end"]
    # a Doc built from the tokens, as Prodigy's recipes build one, holds every span
    from spacy.tokens import Doc

    doc = Doc(_blank_english().vocab, [t["text"] for t in tokens], [t["ws"] for t in tokens])
    assert doc.text == article.text
    for span in record["spans"]:
        found = doc[span["token_start"] : span["token_end"] + 1]
        assert (found.start_char, found.end_char) == (span["start"], span["end"])


def test_prodigy_keeps_paragraph_breaks_as_tokens() -> None:
    text = "First line.\n\nSecond  one"
    got = [(text[s:e], ws) for s, e, ws in spaced_tokens(text)]
    assert got == [
        ("First", True),
        ("line", False),
        (".", False),
        ("\n\n", False),
        ("Second", True),
        (" ", False),
        ("one", False),
    ]


@functools.cache
def _blank_english() -> Any:
    import spacy

    return spacy.blank("en")


_WORDS = st.sampled_from(["Ana", "said", "9", "ok", "Zoë"])
_GAPS = st.sampled_from([" ", "  ", "\n", "\n\n", " \n", "\n ", "\t", " \t "])


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(_GAPS, _WORDS), min_size=1, max_size=8), _GAPS, st.booleans())
def test_prodigy_whitespace_is_cut_as_spacy_cuts_it(
    pairs: list[tuple[str, str]], tail: str, lead: bool
) -> None:
    text = "".join(g + w for g, w in pairs)[0 if lead else len(pairs[0][0]) :] + tail
    ours = [(text[s:e], ws) for s, e, ws in spaced_tokens(text)]
    theirs = [(t.text, bool(t.whitespace_)) for t in _blank_english()(text)]
    assert ours == theirs


@SETTINGS
@given(any_article)
def test_doccano_spans_and_relations_are_consistent(article: Article) -> None:
    record = doccano_record(article)
    ids = {e["id"] for e in record["entities"]}
    assert len(ids) == len(record["entities"])
    for e in record["entities"]:
        assert 0 <= e["start_offset"] < e["end_offset"] <= len(article.text)
    for r in record["relations"]:
        assert {r["from_id"], r["to_id"]} <= ids


def test_doccano_export_is_ascii_so_any_encoding_guess_reads_it(tmp_path: Path) -> None:
    from tests.unit.test_formats_common import sample_articles

    path = tmp_path / "d.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        write_doccano(iter(sample_articles()), fh)
    raw = path.read_bytes()
    assert raw.isascii()
    assert [json.loads(line)["text"] for line in raw.decode("cp1252").splitlines()] == [
        a.text for a in sample_articles()
    ]


def test_doccano_needs_are_said_where_a_user_reads() -> None:
    readme = README.read_text("utf-8")
    for needed in ("Allow overlapping entity", "Use relation Labeling", "JSONL(Relation)"):
        assert needed in DOCCANO_NOTE and needed in readme


def test_an_export_made_before_predictions_keeps_its_origins() -> None:
    """Earlier exports put every span in ``annotations`` and the origins in the info block."""
    text = "Ana Ruiz spoke."
    region = {
        "id": "T1",
        "from_name": "label",
        "to_name": "text",
        "type": "labels",
        "value": {"start": 0, "end": 8, "text": "Ana Ruiz", "labels": ["PERSON"]},
    }
    task = {
        "data": {"text": text, "quotedesk": {"id": "old", "origins": {"T1": "model"}}},
        "annotations": [{"result": [region]}],
    }
    (entity,) = article_from_task(task).entities
    assert entity.origin is Origin.MODEL


def test_a_region_the_annotator_took_over_from_the_prediction_is_one_region() -> None:
    text = "Ana Ruiz spoke."

    def region(rid: str, origin: str | None = None) -> dict:
        r = {
            "id": rid,
            "from_name": "label",
            "to_name": "text",
            "type": "labels",
            "value": {"start": 0, "end": 8, "text": "Ana Ruiz", "labels": ["PERSON"]},
        }
        return {**r, "origin": origin} if origin else r

    for annotated in (region("p1"), region("new", "prediction")):  # same id, or marked so
        task = {
            "data": {"text": text},
            "annotations": [{"result": [annotated]}],
            "predictions": [{"model_version": "m", "result": [region("p1")]}],
        }
        entities = article_from_task(task).entities
        assert [(e.text, e.origin) for e in entities] == [("Ana Ruiz", Origin.HUMAN)]


def test_a_predicted_quote_keeps_its_confidence() -> None:
    from desktop.domain import Quote, QuoteKind

    text = 'Ana Ruiz said "the bridge opens in May".'
    start = text.index('"') + 1
    quote_text = "the bridge opens in May"
    article = Article("c", text, model_name="m", model_version="1")
    article.quotes = [
        Quote(start, start + len(quote_text), quote_text, QuoteKind.DIRECT, confidence=0.83),
        Quote(0, 8, "Ana Ruiz", QuoteKind.INDIRECT, origin=Origin.HUMAN),
    ]
    task = json.loads(json.dumps(labelstudio_task(article, 1)))
    assert task["predictions"][0]["score"] == 0.83
    back = article_from_task(task)
    assert [(q.text, q.confidence) for q in back.quotes] == [
        ("Ana Ruiz", None),
        (quote_text, 0.83),
    ]
