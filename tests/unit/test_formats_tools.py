"""Prodigy, doccano and Label Studio: their layouts, format detection and malformed input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop.formats import FormatError
from desktop.formats.doccano import doccano_record, read_doccano
from desktop.formats.labelstudio import labelstudio_task, read_labelstudio
from desktop.formats.prodigy import prodigy_record, read_prodigy
from desktop.formats.registry import sniff_json_lines
from desktop.services import importing
from desktop.store import Database
from tests.unit.test_formats_common import TEXT_A, sample_articles


def _lines(path: Path, *records: object) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_prodigy_spans_carry_token_indices_and_relations() -> None:
    record = prodigy_record(sample_articles()[0])
    tokens = record["tokens"]
    for span in record["spans"]:
        assert tokens[span["token_start"]]["start"] == span["start"]
        assert tokens[span["token_end"]]["end"] == span["end"]
    speaker = [r for r in record["relations"] if r["label"] == "speaker"][0]
    assert speaker["head_span"]["label"] == "SPEAKER"
    assert speaker["child_span"]["label"] == "DIRECT_QUOTE"
    assert speaker["head"] == speaker["head_span"]["token_end"]
    assert record["answer"] == "accept"
    assert isinstance(record["_input_hash"], int) and -(2**31) <= record["_task_hash"] < 2**31
    assert prodigy_record(sample_articles()[0])["_task_hash"] == record["_task_hash"]


def test_label_studio_offsets_count_code_points() -> None:
    task = labelstudio_task(sample_articles()[0], 1)
    region = task["predictions"][0]["result"][0]  # a model entity: a prediction
    start = TEXT_A.index("Adrienne")
    assert region["value"]["start"] == start  # the emoji before it is one code point
    assert region["value"]["text"] == "Adrienne Watson"
    relation = [r for r in task["predictions"][0]["result"] if r["type"] == "relation"][0]
    assert relation["from_id"] and relation["to_id"] and relation["labels"] == ["cue"]


def test_doccano_relations_use_entity_ids() -> None:
    record = doccano_record(sample_articles()[0])
    ids = {e["id"]: e for e in record["entities"]}
    for rel in record["relations"]:
        assert ids[rel["to_id"]]["label"].endswith("_QUOTE")
        assert ids[rel["from_id"]]["label"] in ("CUE", "SPEAKER")


def test_sniffing_tells_the_jsonl_dialects_apart(tmp_path: Path) -> None:
    article = sample_articles()[0]
    assert sniff_json_lines(_lines(tmp_path / "p.jsonl", prodigy_record(article))) == "prodigy"
    assert sniff_json_lines(_lines(tmp_path / "d.jsonl", doccano_record(article))) == "doccano"
    old = {"text": "Ann", "label": [[0, 3, "PER"]]}
    assert sniff_json_lines(_lines(tmp_path / "o.jsonl", old)) == "doccano"
    plain = {"text": "Ann", "entities": [{"start": 0, "end": 3, "label": "PER"}]}
    assert sniff_json_lines(_lines(tmp_path / "q.jsonl", plain)) == "jsonl"


def test_foreign_doccano_and_prodigy_lines_import(tmp_path: Path) -> None:
    (a,) = read_doccano(
        _lines(tmp_path / "d.jsonl", {"id": 7, "text": "Ann Lee", "label": [[0, 3, "PER"]]})
    )
    assert a.external_id == "7" and [(e.label, e.text) for e in a.entities] == [("PER", "Ann")]
    task = {"text": "Bob said hi", "spans": [{"start": 0, "end": 3, "label": "PERSON"}]}
    rejected = dict(task, answer="reject")
    (b,) = read_prodigy(_lines(tmp_path / "p.jsonl", task, rejected))
    assert [(e.label, e.text, str(e.origin)) for e in b.entities] == [("PERSON", "Bob", "human")]


PRODIGY_BAD = [
    ({"text": ""}, "text is missing"),
    ({"text": "abc", "spans": [{"start": 0, "end": 9, "label": "X"}]}, "outside the text"),
    ({"text": "abc", "spans": [{"start": "0", "end": 1, "label": "X"}]}, "integer start"),
    ({"text": "abc", "spans": [{"start": 0, "end": 1}]}, "no label"),
    ({"text": "abc", "spans": {}}, "must be lists"),
    (
        {
            "text": "abc",
            "spans": [{"start": 0, "end": 1, "label": "X"}],
            "relations": [
                {
                    "head_span": {"start": 0, "end": 1, "label": "X"},
                    "child_span": {"start": 1, "end": 2, "label": "Y"},
                }
            ],
        },
        "not one of the spans",
    ),
    (
        {
            "text": "abc",
            "spans": [
                {"start": 0, "end": 1, "label": "X"},
                {"start": 1, "end": 2, "label": "DIRECT_QUOTE"},
            ],
            "relations": [
                {
                    "head_span": {"start": 0, "end": 1, "label": "X"},
                    "child_span": {"start": 1, "end": 2, "label": "DIRECT_QUOTE"},
                    "label": "speaker",
                }
            ],
        },
        "must go from a SPEAKER span",
    ),
]


@pytest.mark.parametrize("record,message", PRODIGY_BAD)
def test_malformed_prodigy_names_the_line(tmp_path: Path, record: dict, message: str) -> None:
    path = _lines(tmp_path / "bad.jsonl", {"text": "fine"}, record)
    with pytest.raises(FormatError, match=message) as err:
        list(read_prodigy(path))
    assert err.value.line == 2 and "bad.jsonl, line 2" in str(err.value)


DOCCANO_BAD = [
    ({"text": "abc", "entities": [{"id": 1, "label": "X", "start_offset": 0}]}, "end_offset"),
    (
        {"text": "abc", "entities": [{"id": 1, "label": "X", "start_offset": 0, "end_offset": 4}]},
        "outside the text",
    ),
    ({"text": "abc", "entities": [], "relations": [{"from_id": 1, "to_id": 2}]}, "relation 1"),
    ({"text": "abc", "entities": "x"}, "must be lists"),
    ({"text": "abc", "quotedesk": {"status": "finished"}}, "unknown status"),
    ({"text": "abc", "quotedesk": {"sources": [{"id": "s1"}]}}, "source 1 needs a name"),
    ({"text": "abc", "quotedesk": {"quote_sources": {"T1": "s1"}}}, "not a quote span"),
    ("just a string", "JSON object"),
]


@pytest.mark.parametrize("record,message", DOCCANO_BAD)
def test_malformed_doccano_names_the_line(tmp_path: Path, record: object, message: str) -> None:
    path = _lines(tmp_path / "bad.jsonl", {"text": "fine"}, record)
    with pytest.raises(FormatError, match=message) as err:
        list(read_doccano(path))
    assert err.value.line == 2


LABELSTUDIO_BAD = [
    ({"data": {}}, 'task 2: "data.text" is missing'),
    ({"text": "abc"}, 'task 2: each task must be an object with "data"'),
    (
        {"data": {"text": "abc"}, "annotations": [{"result": [{"value": {"start": 0, "end": 1}}]}]},
        "task 2: result 1 has no labels",
    ),
    (
        {
            "data": {"text": "😀abc"},
            "annotations": [
                # "b" where UTF-16 units would put it: one character off in code points
                {"result": [{"value": {"start": 3, "end": 4, "text": "b", "labels": ["X"]}}]}
            ],
        },
        "code points",
    ),
    (
        {
            "data": {"text": "abc"},
            "annotations": [
                {"result": [{"type": "relation", "from_id": "a", "to_id": "b", "labels": ["x"]}]}
            ],
        },
        "task 2: relation R1 points to a span that does not exist",
    ),
]


@pytest.mark.parametrize("task,message", LABELSTUDIO_BAD)
def test_malformed_label_studio_names_the_task(tmp_path: Path, task: dict, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps([{"data": {"text": "fine"}}, task]), encoding="utf-8")
    with pytest.raises(FormatError, match=message) as err:
        list(read_labelstudio(path))
    assert "bad.json" in str(err.value)


def test_label_studio_not_json_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('[\n{"data": {"text": "a"}},\n{oops}\n]', encoding="utf-8")
    with pytest.raises(FormatError, match="not valid JSON") as err:
        list(read_labelstudio(path))
    assert err.value.line == 3


@pytest.mark.parametrize("fmt", ["prodigy", "doccano"])
def test_a_bad_last_line_means_nothing_is_imported(tmp_path: Path, fmt: str) -> None:
    make = prodigy_record if fmt == "prodigy" else doccano_record
    good = [make(a) for a in sample_articles()]
    bad = dict(good[1], text="")
    path = _lines(tmp_path / "half.jsonl", *good, bad)
    db = Database.open(tmp_path / "db.sqlite3")
    try:
        report = importing.import_paths(db, [path])
        assert report.added == 0
        assert report.errors and "half.jsonl, line 3" in report.errors[0]
        again = importing.import_paths(db, [_lines(tmp_path / "ok.jsonl", *good)], fmt=fmt)
        assert again.added == 2 and again.errors == []
    finally:
        db.close()


@pytest.mark.parametrize(
    "reader,record",
    [
        (read_doccano, {"text": "abc", "entities": [{"id": [1], "label": "X"}]}),
        (
            read_doccano,
            {
                "text": "abc",
                "quotedesk": {"origins": {"T1": "robot"}},
                "entities": [{"id": 1, "label": "X", "start_offset": 0, "end_offset": 1}],
            },
        ),
        (read_doccano, {"text": "abc", "quotedesk": ["not", "a", "dict"]}),
        (read_prodigy, {"text": "abc", "spans": [{"start": 0, "end": 1, "label": ["X"]}]}),
        (read_prodigy, {"text": "abc", "relations": [7]}),
        (read_prodigy, {"text": ["abc"]}),
    ],
)
def test_odd_structures_are_format_errors(tmp_path: Path, reader, record) -> None:  # type: ignore[no-untyped-def]
    path = _lines(tmp_path / "odd.jsonl", record)
    with pytest.raises(FormatError) as err:
        list(reader(path))
    assert err.value.line == 1 and "odd.jsonl, line 1" in str(err.value)


@pytest.mark.parametrize(
    "task",
    [
        {
            "data": {"text": "abc"},
            "annotations": [{"result": [{"value": {"start": 0, "end": 1, "labels": "X"}}]}],
        },
        {"data": {"text": "abc"}, "annotations": ["x"]},
        {"data": {"text": "abc", "quotedesk": {"sources": "none"}}},
    ],
)
def test_odd_label_studio_tasks_are_format_errors(tmp_path: Path, task: dict) -> None:
    path = tmp_path / "odd.json"
    path.write_text(json.dumps([task]), encoding="utf-8")
    with pytest.raises(FormatError, match="task 1"):
        list(read_labelstudio(path))


def test_a_label_studio_task_scores_each_quote_by_its_own_mark() -> None:
    """Quote regions are known by how the article was flattened, not by their label: an
    entity a writer is handed under a quote mark's name took a quote's score (and a strict
    zip raised ValueError, a traceback)."""
    from desktop.domain import Article, Entity, Quote, QuoteKind, Span
    from desktop.formats.labelstudio import labelstudio_task

    text = '"We will," she said. Alice agreed.'
    article = Article(
        external_id="a1",
        text=text,
        entities=[Entity(21, 26, "DIRECT_QUOTE", text[21:26])],
        quotes=[
            Quote(1, 8, text[1:8], QuoteKind.DIRECT, cue=Span(14, 18, "said"), confidence=0.8),
            Quote(21, 33, text[21:33], QuoteKind.INDIRECT, confidence=0.6),
        ],
    )
    task = labelstudio_task(article, 1)
    regions = [r for p in task["predictions"] for r in p["result"] if r.get("type") == "labels"]
    scored = {(r["value"]["start"], r["value"]["end"]): r.get("score") for r in regions}
    assert scored[(1, 8)] == 0.8 and scored[(21, 33)] == 0.6
    assert scored[(21, 26)] is None  # the entity, whatever its label


def test_prodigy_relations_keep_to_their_own_span_when_two_are_alike() -> None:
    """Two quotes on one span, the second with a speaker: the relation's span id says which
    quote it belongs to (it went to the first span with the same offsets)."""
    import io
    import json as _json

    from desktop.domain import Article, Quote, QuoteKind, Span
    from desktop.formats.prodigy import article_from_prodigy, write_prodigy

    article = Article(
        external_id="a1",
        text="Alice",
        quotes=[
            Quote(0, 1, "A", QuoteKind.DIRECT),
            Quote(0, 1, "A", QuoteKind.DIRECT, speaker=Span(0, 1, "A")),
        ],
    )
    out = io.StringIO()
    write_prodigy(iter([article]), out)
    back = article_from_prodigy(_json.loads(out.getvalue().splitlines()[0]))
    assert back is not None
    assert [q.speaker for q in back.quotes] == [None, Span(0, 1, "A")]
