"""CoNLL: entities survive the round trip; the documented losses happen and no others."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.domain import Origin
from desktop.formats import FormatError
from desktop.formats.conll import flat_entities, read_conll
from desktop.formats.tokens import tokenize
from tests.unit.test_formats_common import round_trip, sample_articles


def _tokens_joined(text: str) -> str:
    lines = [" ".join(line[s:e] for s, e in tokenize(line)) for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def test_conll_round_trip_keeps_entities_and_loses_what_it_says(tmp_path: Path) -> None:
    before, after, out = round_trip(tmp_path, "conll", ".conll")
    assert out.read_text("utf-8").count("-DOCSTART- -X- O O") == 2
    assert len(after) == 2
    for original, record, article in zip(sample_articles(), after, before, strict=True):
        # text: tokens joined by one space, lines by one line break (blank lines dropped)
        assert record["text"] == _tokens_joined(original.text)
        # entities: the non-overlapping ones, same labels and token text, now human
        kept = flat_entities(original.entities)
        assert [(e["label"], e["text"]) for e in record["entities"]] == [
            (e.label, _tokens_joined(e.text)) for e in kept
        ]
        assert {e["origin"] for e in record["entities"]} == {str(Origin.HUMAN)}
        # lost: quotes, sources, id, title, status
        assert record["quotes"] == [] and record["sources"] == []
        assert record["id"] != article["id"] and record["title"] == ""
    # the overlapping GPE inside "Seoul's ministry" is the one entity IOB could not hold
    assert len(flat_entities(sample_articles()[0].entities)) == 4


def test_entity_across_a_line_break_stays_whole(tmp_path: Path) -> None:
    from desktop.domain import Article, Entity

    text = "Visit New\nYork now.\nBye."
    article = Article("x", text, entities=[Entity(6, 14, "GPE", "New\nYork")])
    from desktop.formats.conll import write_conll

    path = tmp_path / "x.conll"
    with path.open("w", encoding="utf-8") as fh:
        write_conll(iter([article]), fh)
    (back,) = read_conll(path)
    assert back.text == "Visit New York now .\nBye ."
    assert [(e.label, e.text) for e in back.entities] == [("GPE", "New York")]


@pytest.mark.parametrize(
    "body,line,message",
    [
        ("-DOCSTART- -X- O O\n\nHello O\nWorld X-PER\n", 4, "IOB tag"),
        ("-DOCSTART- -X- O O\n\nHello\n", 3, "IOB tag"),
        ("\n\n", None, "no tokens"),
    ],
)
def test_malformed_conll_names_the_line(
    tmp_path: Path, body: str, line: int | None, message: str
) -> None:
    path = tmp_path / "bad.conll"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(FormatError, match=message) as err:
        list(read_conll(path))
    assert err.value.line == line
    assert "bad.conll" in str(err.value)


def test_iob1_continuation_is_read_as_a_start(tmp_path: Path) -> None:
    path = tmp_path / "iob1.conll"
    path.write_text("Ann I-PER\nLee I-PER\nsaid O\nParis I-LOC\n", encoding="utf-8")
    (article,) = read_conll(path)
    assert [(e.label, e.text) for e in article.entities] == [("PER", "Ann Lee"), ("LOC", "Paris")]
