"""As a user gets it: the sample article and three short articles of our own, imported and
analyzed with the real pipeline; the same people under different forms end up on one
record each, what stays ambiguous is listed, and re-analysis keeps a person's decision."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop.services import analysis, importing, sources, statistics
from desktop.store import Database

pytestmark = pytest.mark.slow  # loads the spaCy pipeline

REPO = Path(__file__).resolve().parents[2]
OURS = [
    (
        "port-1",
        "Harbour talks stall\n\n"
        "Amara Osei, the harbour master, said on Monday that the dredging would be late.\n\n"
        '"We cannot open the new berth before May," Osei said.\n\n'
        "The Royal Canadian Mounted Police said two men had been charged.\n",
    ),
    (
        "port-2",
        "Berth opening delayed again\n\n"
        '"The delay is costing us every week," said Amara Osei.\n\n'
        "The RCMP said the inquiry was continuing.\n",
    ),
    (
        "port-3",
        "Ferry strike looms\n\n"
        "Tomas Kim, a union steward, said the crews would walk out on Friday.\n\n"
        "Ingrid Kim, who runs the ferry company, said the offer was fair.\n\n"
        '"We are not moving," Kim said.\n',
    ),
]


@pytest.fixture
def analyzed(db: Database, tmp_path: Path, nlp: object) -> Database:
    src = tmp_path / "port.jsonl"
    with src.open("w", encoding="utf-8") as fh:
        for external_id, text in OURS:
            meta = {"published": "2026-11-2" + external_id[-1], "outlet": "Port Weekly"}
            record = {"id": external_id, "text": text, "meta": meta}
            fh.write(json.dumps(record) + "\n")
    sample = tmp_path / "sample.txt"
    sample.write_text((REPO / "resources" / "sample_article.txt").read_text(encoding="utf-8"))
    report = importing.import_paths(db, [sample, src], collection="port")
    assert report.added == 4
    analysis.analyze(db, collection="port", jobs=1)
    return db


def test_records_link_across_articles_as_a_reader_would(analyzed: Database) -> None:
    page = sources.record_page(analyzed).rows
    by_name = {r.person.name: r for r in page}
    osei = [r for r in page if "Osei" in r.person.name]
    assert len(osei) == 1 and osei[0].articles == 2, [r.person.name for r in page]
    mounties = [r for r in page if r.person.type == "ORG" and "Mounted" in r.person.name]
    assert len(mounties) == 1 and mounties[0].articles == 2
    assert "RCMP" not in by_name and "The RCMP" not in by_name
    # the sample article's sources are records of their own
    assert "Adrienne Watson" in by_name
    # each record's quotes in the index are those of its concordance
    for row in page:
        assert len(sources.concordance(analyzed, row.person.id)) == row.quotes
    # the numbers: every quote once, whatever the grouping
    total = statistics.totals(analyzed).quotes
    for by in statistics.GROUPINGS:
        assert sum(r.quotes for r in statistics.stats(analyzed, by)) == total


def test_a_persons_link_survives_re_analysis(analyzed: Database) -> None:
    editor = sources.RecordEditor(analyzed, "tester")
    unsure = [r for r in sources.record_page(analyzed).rows if "Osei" in r.person.name]
    (osei,) = unsure
    linked = sources.linked_sources(analyzed, osei.person.id)
    article_id, key = linked[0].article_id, linked[0].source_key
    editor.unlink(article_id, key)
    after_unlink = sources.record(analyzed, osei.person.id)
    analysis.analyze(analyzed, collection="port", force=True, jobs=1)
    again = {(s.article_id, s.source_key) for s in sources.linked_sources(analyzed, osei.person.id)}
    assert (article_id, key) not in again
    assert sources.record(analyzed, osei.person.id) == after_unlink
