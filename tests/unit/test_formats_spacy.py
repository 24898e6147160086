"""The spaCy DocBin export, checked by spaCy itself: DocBin.from_disk, debug data, convert."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.formats import FormatError
from desktop.formats.conll import flat_entities
from desktop.services import exporting
from desktop.services.formats import read_spacy
from desktop.store import Database
from tests.unit.test_formats_common import fill, sample_articles

SPACY = [sys.executable, "-m", "spacy"]


def _export(tmp: Path, fmt: str, suffix: str, copies: int = 1) -> Path:
    db = Database.open(tmp / f"{fmt}.sqlite3")
    try:
        articles = []
        for n in range(copies):
            for a in sample_articles():
                articles.append(
                    dataclasses.replace(
                        a, external_id=f"{a.external_id}-{n}", text=a.text + f" ({n})"
                    )
                )
        fill(db, articles)
        out = tmp / f"out{suffix}"
        exporting.export(db, fmt, out)
        return out
    finally:
        db.close()


def test_docbin_reads_back_with_the_same_spans(tmp_path: Path) -> None:
    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

    out = _export(tmp_path, "spacy", ".spacy")
    docs = list(DocBin().from_disk(out).get_docs(Vocab()))
    for doc, article in zip(docs, sample_articles(), strict=True):
        assert doc.text == article.text + " (0)"
        assert [(e.start_char, e.end_char, e.label_) for e in doc.ents] == [
            (e.start, e.end, e.label) for e in flat_entities(article.entities)
        ]
        assert [(s.start_char, s.end_char, s.label_) for s in doc.spans["entities"]] == [
            (e.start, e.end, e.label) for e in article.entities
        ]
        assert [(s.start_char, s.end_char, s.label_, s.kb_id_) for s in doc.spans["quotes"]] == [
            (q.start, q.end, f"{q.kind.value.upper()}_QUOTE", q.source_key or "")
            for q in article.quotes
        ]
        cues = [(q.cue.start, q.cue.end) for q in article.quotes if q.cue]
        assert [(s.start_char, s.end_char) for s in doc.spans["cues"]] == cues
        speakers = [(q.speaker.start, q.speaker.end) for q in article.quotes if q.speaker]
        assert [(s.start_char, s.end_char) for s in doc.spans["speakers"]] == speakers
        mentions = [(m.start, m.end, s.key) for s in article.sources for m in s.mentions]
        assert [(s.start_char, s.end_char, s.kb_id_) for s in doc.spans["sources"]] == mentions
        # source links in custom attributes (user_data)
        links = {k[2:]: v for k, v in doc.user_data.items() if k[1] == "source_id"}
        for q in article.quotes:
            assert links.get((q.start, q.end)) == q.source_key
        assert doc.user_data[("._.", "article", None, None)]["id"] == article.external_id + "-0"


def test_docbin_extension_attributes_work(tmp_path: Path) -> None:
    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

    from desktop.nlp.docbin import register_extensions

    register_extensions()
    out = _export(tmp_path, "spacy", ".spacy")
    doc = next(iter(DocBin().from_disk(out).get_docs(Vocab())))
    assert doc._.sources[0]["name"] == "Adrienne Watson"
    assert doc.spans["quotes"][0]._.source_id == "s1"


def test_malformed_docbin_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.spacy"
    bad.write_bytes(b"this is not a docbin")
    with pytest.raises(FormatError, match=r"bad\.spacy: not a spaCy DocBin file"):
        list(read_spacy(bad))


def test_docbin_with_unknown_source_link_is_refused(tmp_path: Path) -> None:
    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

    out = _export(tmp_path, "spacy", ".spacy")
    docs = list(DocBin(store_user_data=True).from_disk(out).get_docs(Vocab()))
    docs[1].user_data[("._.", "sources", None, None)] = []
    broken = tmp_path / "broken.spacy"
    DocBin(store_user_data=True, docs=docs).to_disk(broken)
    with pytest.raises(FormatError, match="document 2: .*unknown source"):
        list(read_spacy(broken))


@pytest.mark.slow
def test_spacy_debug_data_accepts_the_export(tmp_path: Path) -> None:
    out = _export(tmp_path, "spacy", ".spacy", copies=60)  # 120 docs: enough to train on
    cfg = tmp_path / "config.cfg"
    init = [*SPACY, "init", "config", str(cfg), "--lang", "en", "--pipeline", "ner"]
    subprocess.run(init, check=True, capture_output=True)
    done = subprocess.run(
        [*SPACY, "debug", "data", str(cfg), "--paths.train", str(out), "--paths.dev", str(out)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Corpus is loadable" in done.stdout
    assert "120 training docs" in done.stdout


@pytest.mark.slow
def test_spacy_convert_reads_the_conll_export(tmp_path: Path) -> None:
    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

    from desktop.formats.conll import read_conll

    out = _export(tmp_path, "conll", ".conll")
    target = tmp_path / "converted"
    target.mkdir()
    done = subprocess.run(
        [*SPACY, "convert", str(out), str(target), "--converter", "conll", "-n", "0"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    docs = list(DocBin().from_disk(target / "out.spacy").get_docs(Vocab()))
    ours = list(read_conll(out))
    assert len(docs) == len(ours) == 2
    for doc, article, original in zip(docs, ours, sample_articles(), strict=True):
        got = [(e.label_, e.text) for e in doc.ents]
        assert got == [(e.label, e.text) for e in article.entities]
        assert [e.label for e in flat_entities(original.entities)] == [g[0] for g in got]


def test_a_span_inside_a_token_splits_the_token(tmp_path: Path) -> None:
    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

    from desktop.domain import Article, Entity
    from desktop.nlp.docbin import write_docbin

    text = "The Watsons' report, dated 2024-05-01, was late."
    ents = [Entity(4, 10, "PERSON", "Watson"), Entity(27, 31, "DATE", "2024")]
    out = tmp_path / "split.spacy"
    with out.open("wb") as fh:
        write_docbin(iter([Article("x", text, entities=ents)]), fh)
    (doc,) = DocBin().from_disk(out).get_docs(Vocab())
    assert doc.text == text
    assert [(e.start_char, e.end_char, e.text) for e in doc.ents] == [
        (4, 10, "Watson"),
        (27, 31, "2024"),
    ]
