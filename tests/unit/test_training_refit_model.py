"""The quote confidence refit at the end of a training judges the engine with the newly
trained pipeline (the one saved), not the base one: real spaCy, real SQLite, sentences made
up here. The collection's label ``PER`` is one only the trained model knows (the base
model says ``PERSON``), so the engine sees other entities with it and decides otherwise."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.domain import Article, Entity, Origin, Quote, QuoteKind, Source, Span
from desktop.domain.labels import LabelDef
from desktop.nlp.attribution.confidence import default_table
from desktop.nlp.pipeline import DEFAULT_MODEL, load_pipeline, load_pipeline_from
from desktop.nlp.training_calibration import judge, refit, table_json
from desktop.services.labels import set_collection_labels
from desktop.services.training import plan_training, refit_deadline, train_collection
from desktop.store import Database
from desktop.store import repository as repo

PEOPLE = ["Mara Velnik", "Tobias Oyelaran", "Ines Quarshie", "Pavel Drummond", "Lotte Brannigan"]
FAST = {"training.eval_frequency": 4, "training.patience": 40}


def made_up_article(i: int) -> Article:
    """'<person> runs a dairy. "<quote>," said <person>. She/He added that ...' with the
    names labelled PER and the quotes credited by a person, imported as such."""
    person = PEOPLE[i % len(PEOPLE)]
    other = PEOPLE[(i + 2) % len(PEOPLE)]
    text = ""
    entities: list[Entity] = []
    quotes: list[Quote] = []
    mentions: dict[str, list[Span]] = {person: [], other: []}

    def name(who: str) -> None:
        nonlocal text
        start = len(text)
        text += who
        entities.append(Entity(start, len(text), "PER", who, Origin.HUMAN))
        mentions[who].append(Span(start, len(text), who))

    def quote(body: str, who: str) -> None:
        nonlocal text
        start = len(text)
        text += body
        key = "s1" if who == person else "s2"
        quotes.append(
            Quote(start, len(text), body, QuoteKind.DIRECT, source_key=key, origin=Origin.HUMAN)
        )

    name(person)
    text += ' runs a dairy near Wexham.\n\n"'
    quote(f"We will sell the north field before winter {i}", person)
    text += '," said '
    name(person)
    text += ".\n\n"
    name(other)
    text += ' disagreed. "'
    quote(f"Nobody asked the farmers about route {i + 3}", other)
    text += '," '
    name(other)
    text += " told the paper.\n"
    sources = [
        Source("s1", person, "PERSON", mentions=mentions[person], origin=Origin.HUMAN),
        Source("s2", other, "PERSON", mentions=mentions[other], origin=Origin.HUMAN),
    ]
    return Article(
        f"desk-{i}", text, title=f"Story {i}", entities=entities, quotes=quotes, sources=sources
    )


@pytest.fixture
def models_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    from desktop.paths import models_dir

    return models_dir()


def ner_labels(nlp: Any) -> set[str]:
    return set(nlp.get_pipe("ner").labels)


@pytest.mark.slow
def test_the_refit_judges_with_the_trained_pipeline(db: Database, models_home: Path) -> None:
    with db.transaction() as session:
        cid = repo.collection(session, "Desk")
        for i in range(12):
            repo.add_article(session, cid, made_up_article(i))
    set_collection_labels(db, "Desk", [LabelDef("PER")])
    plan = plan_training(db, "Desk")
    assert len(plan.quote_articles) == 12

    model = train_collection(db, "Desk", max_minutes=0.25, overrides=FAST)
    saved = load_pipeline_from(model.path).nlp
    base = load_pipeline(DEFAULT_MODEL).nlp
    assert "PER" in ner_labels(saved) and "PER" not in ner_labels(base)

    reading = load_pipeline_from(model.path).engine_labels
    assert reading == {"PER": "PERSON"}  # the engine reads the trained PER as its PERSON
    articles = plan.quote_articles
    with_trained = table_json(refit(default_table(), judge(saved, articles, engine_labels=reading)))
    with_base = table_json(refit(default_table(), judge(base, articles)))
    unread = table_json(refit(default_table(), judge(saved, articles)))
    assert model.calibration == with_trained  # what the model carries: its own judgement,
    assert with_trained != with_base  # not the base model's
    assert with_trained != unread  # and of the engine as analysis runs it, PER read as PERSON


@given(
    started=st.floats(0, 1e6),
    training=st.floats(0, 3_600),
    budget=st.floats(1, 3_600),
    reserve_share=st.floats(0, 0.5),
)
def test_the_refit_keeps_within_half_the_budget_and_gets_its_reserve(
    started: float, training: float, budget: float, reserve_share: float
) -> None:
    reserve = budget * reserve_share  # what train_collection keeps: at most half
    now = started + training
    deadline = refit_deadline(started, now, budget, reserve)
    assert deadline - now <= budget / 2 + 1e-6
    assert deadline - now >= reserve - 1e-6
    # what the training left of the budget, it may use (up to half the budget)
    assert deadline >= min(started + budget, now + budget / 2) - 1e-6
