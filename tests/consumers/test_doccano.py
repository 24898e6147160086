"""The doccano export imported into a real doccano 1.8 through its API: into a project set
up as the README says (keeps everything), and into a default one (loses what it says)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest

from desktop.domain import Article
from desktop.services import exporting, importing
from desktop.store import Database
from desktop.store import repository as repo
from tests.consumers import servers
from tests.consumers.views import annotations, counts

pytestmark = pytest.mark.consumers


def _project(doccano: servers.Server, name: str, **settings: bool) -> int:
    body = {
        "name": name,
        "description": "Quotedesk export",
        "guideline": "",
        "project_type": "SequenceLabeling",
        "resourcetype": "SequenceLabelingProject",
        **settings,
    }
    return int(doccano.call("POST", "/v1/projects", body)["id"])


def _import(doccano: servers.Server, pid: int, file: Path, task: str) -> Any:
    upload = doccano.upload("/v1/fp/process/", "filepond", file)
    body = {"uploadIds": [upload], "format": "JSONL", "task": task}
    started = doccano.call("POST", f"/v1/projects/{pid}/upload", body)
    return doccano.wait_task(started["task_id"])


def _annotations(doccano: servers.Server, pid: int) -> dict[str, tuple[int, int]]:
    """Spans and relations per example text."""
    examples = doccano.call("GET", f"/v1/projects/{pid}/examples?limit=1000")["results"]
    out = {}
    for e in examples:
        spans = doccano.call("GET", f"/v1/projects/{pid}/examples/{e['id']}/spans")
        relations = doccano.call("GET", f"/v1/projects/{pid}/examples/{e['id']}/relations")
        out[e["text"]] = (len(spans), len(relations))
    return out


def test_doccano_keeps_every_span_and_relation_in_a_project_set_up_as_documented(
    doccano: servers.Server, corpus_db: Database, corpus: list[Article], tmp_path: Path
) -> None:
    out = tmp_path / "doccano.jsonl"
    assert exporting.export(corpus_db, "doccano", out) == len(corpus)
    pid = _project(doccano, "as documented", allow_overlapping=True, use_relation=True)
    status = _import(doccano, pid, out, "RelationExtraction")
    assert status["error"] is None and status["result"]["error"] == []
    got = _annotations(doccano, pid)
    assert len(got) == len(corpus)
    for article in corpus:
        assert got[article.text] == counts(article)
    spans = sum(n for n, _ in got.values())
    relations = sum(n for _, n in got.values())
    print(
        f"\ndoccano (overlapping, relations): {len(got)} examples, {spans} spans, "
        f"{relations} relations"
    )

    # doccano's own export of that project, read back by Quotedesk: the same annotations
    started = doccano.call(
        "POST", f"/v1/projects/{pid}/download", {"format": "JSONL", "exportApproved": False}
    )
    doccano.wait_task(started["task_id"])
    payload = doccano.call(
        "GET", f"/v1/projects/{pid}/download?taskId={started['task_id']}", binary=True
    )
    back = tmp_path / "from-doccano.jsonl"
    with zipfile.ZipFile(io.BytesIO(payload)) as zf:
        back.write_bytes(b"".join(zf.read(n) for n in zf.namelist() if n.endswith(".jsonl")))
    db = Database.open(tmp_path / "back.sqlite3")
    try:
        assert importing.import_paths(db, [back]).errors == []
        with db.session() as session:
            ids = repo.article_ids(session, None)
            read = {a.text: a for _, a in repo.iter_articles(session, ids)}
    finally:
        db.close()
    for article in corpus:
        assert annotations(read[article.text]) == annotations(article)


def test_without_overlapping_doccano_loses_the_relations(
    doccano: servers.Server, corpus_db: Database, corpus: list[Article], tmp_path: Path
) -> None:
    out = tmp_path / "doccano.jsonl"
    exporting.export(corpus_db, "doccano", out)
    pid = _project(doccano, "relations only", use_relation=True)
    status = _import(doccano, pid, out, "RelationExtraction")
    got = _annotations(doccano, pid)
    spans = sum(n for n, _ in got.values())
    relations = sum(n for _, n in got.values())
    expected = [sum(counts(a)[i] for a in corpus) for i in (0, 1)]
    print(
        f"\ndoccano (relations, no overlapping): {spans} of {expected[0]} spans, "
        f"{relations} of {expected[1]} relations; import error: {status['error']}"
    )
    assert spans < expected[0] and relations < expected[1]


def test_a_default_doccano_project_loses_what_the_note_warns_of(
    doccano: servers.Server, corpus_db: Database, corpus: list[Article], tmp_path: Path
) -> None:
    out = tmp_path / "doccano.jsonl"
    exporting.export(corpus_db, "doccano", out)
    pid = _project(doccano, "default settings")
    options = doccano.call("GET", f"/v1/projects/{pid}/catalog")
    assert "JSONL(Relation)" not in [o.get("display_name") for o in options]  # no relations at all
    _import(doccano, pid, out, "SequenceLabeling")
    got = _annotations(doccano, pid)
    spans = sum(n for n, _ in got.values())
    expected = sum(counts(a)[0] for a in corpus)
    print(f"\ndoccano (default project): {spans} of {expected} spans kept, no relations")
    assert spans < expected and all(n == 0 for _, n in got.values())
