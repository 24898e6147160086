"""The Label Studio export imported into a real Label Studio 1.23 through its API."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop.domain import Article, Origin
from desktop.formats.labelstudio import config_path
from desktop.services import exporting, importing
from desktop.store import Database
from desktop.store import repository as repo
from tests.consumers import servers
from tests.consumers.views import annotations, counts

pytestmark = pytest.mark.consumers


def _results(task: dict, key: str) -> list[dict]:
    return [r for item in task.get(key) or [] for r in item["result"]]


def test_label_studio_takes_the_export_with_its_config(
    label_studio: servers.Server, corpus_db: Database, corpus: list[Article], tmp_path: Path
) -> None:
    out = tmp_path / "tasks.json"
    assert exporting.export(corpus_db, "labelstudio", out) == len(corpus)
    config = config_path(out).read_text("utf-8")
    project = label_studio.call(
        "POST", "/api/projects", {"title": "Quotedesk export", "label_config": config}
    )
    pid = project["id"]
    report = label_studio.call(
        "POST", f"/api/projects/{pid}/import?commit_to_project=true", json.loads(out.read_text())
    )
    with_model = [
        a
        for a in corpus
        if any(x.origin is Origin.MODEL for x in [*a.entities, *a.quotes, *a.sources])
    ]
    with_human = [
        a
        for a in corpus
        if any(x.origin is Origin.HUMAN for x in [*a.entities, *a.quotes, *a.sources])
    ]
    assert report["task_count"] == len(corpus)
    assert report["prediction_count"] == len(with_model)
    assert report["annotation_count"] == len(with_human)

    tasks = label_studio.call("GET", f"/api/tasks?project={pid}&fields=all&page_size=1000")["tasks"]
    by_text = {t["data"]["text"]: t for t in tasks}
    totals = {"regions": 0, "relations": 0, "predictions": 0}
    for article in corpus:
        task = by_text[article.text]
        results = _results(task, "annotations") + _results(task, "predictions")
        regions = [r for r in results if r["type"] == "labels"]
        relations = [r for r in results if r["type"] == "relation"]
        assert (len(regions), len(relations)) == counts(article)
        for r in regions:  # offsets in code points: the region's text is the text there
            assert (
                task["data"]["text"][r["value"]["start"] : r["value"]["end"]] == r["value"]["text"]
            )
        for p in task["predictions"]:
            assert p["model_version"] and p["result"]
            confident = [
                q.confidence
                for q in article.quotes
                if q.origin is Origin.MODEL and q.confidence is not None
            ]
            if confident:  # the model's own account: the mean of its quotes' confidences
                assert p["score"] == pytest.approx(sum(confident) / len(confident), abs=1e-4)
        totals["regions"] += len(regions)
        totals["relations"] += len(relations)
        totals["predictions"] += len(task["predictions"])
    project = label_studio.call("GET", f"/api/projects/{pid}")
    print(
        f"\nLabel Studio: {project['task_number']} tasks, {totals['regions']} regions, "
        f"{totals['relations']} relations, {project['total_predictions_number']} predictions, "
        f"{project['total_annotations_number']} annotations"
    )
    assert project["total_predictions_number"] == totals["predictions"] == len(with_model)

    # what Label Studio hands back, read by Quotedesk: the full tasks the API gives, and its
    # own JSON export (which lists predictions by id, so only the annotations come back)
    export = label_studio.call(
        "GET", f"/api/projects/{pid}/export?exportType=JSON&download_all_tasks=true"
    )
    for name, tasks_back, origin in (("api", tasks, None), ("export", export, "human")):
        got = _read_back(tmp_path, name, tasks_back)
        assert sorted(got) == sorted(a.text for a in corpus), name
        for article in corpus:
            assert annotations(got[article.text], origin) == annotations(article, origin)


def _read_back(tmp_path: Path, name: str, tasks: list[dict]) -> dict[str, Article]:
    back = tmp_path / f"from-label-studio-{name}.json"
    back.write_text(json.dumps(tasks), "utf-8")
    db = Database.open(tmp_path / f"back-{name}.sqlite3")
    try:
        assert importing.import_paths(db, [back]).errors == []
        with db.session() as session:
            ids = repo.article_ids(session, None)
            return {a.text: a for _, a in repo.iter_articles(session, ids)}
    finally:
        db.close()
