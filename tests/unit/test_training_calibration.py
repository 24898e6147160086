"""The quote confidences refitted from a collection's corrected quotes: the refit as a
class (Hypothesis: no correction changes nothing, right decisions raise a rule's confidence
and wrong ones lower it, whatever the table), what an article says about its quotes, and
the whole loop with real spaCy and SQLite on sentences made up here."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.domain import Article, ArticleStatus, Origin, Quote, QuoteKind, Source
from desktop.domain.labels import LabelDef
from desktop.nlp.attribution.confidence import Table, rate, table_from
from desktop.nlp.training_calibration import (
    CorrectedQuotes,
    Judged,
    KeptQuote,
    corrected_quotes,
    judge_found,
    refit,
    same_name,
)
from desktop.services.analysis import analyze
from desktop.services.editing import Editor
from desktop.services.labels import set_collection_labels
from desktop.services.training import train_collection
from desktop.store import Database
from desktop.store import repository as repo

RULES = st.sampled_from(
    [
        "direct.cue_after.say",
        "direct.cue_after.cue",
        "direct.cue_before.say",
        "reported.clause.say",
        "reported.clause.cue",
        "paragraph.continuation.none",
        "name",
        "name.partial",
        "pronoun.spoke_last",
    ]
)
COUNTS = st.integers(0, 400).flatmap(lambda n: st.tuples(st.just(n), st.integers(0, n)))
TABLES = st.builds(
    Table,
    quotes=st.dictionaries(RULES, COUNTS, max_size=8),
    sources=st.dictionaries(RULES, COUNTS, max_size=8),
)


@given(TABLES, RULES)
def test_no_correction_leaves_every_confidence_as_it_was(prior: Table, rule: str) -> None:
    same = refit(prior, Judged())
    assert rate(same.quotes, rule) == rate(prior.quotes, rule)
    assert rate(same.sources, rule) == rate(prior.sources, rule)


@given(TABLES, RULES, st.integers(1, 30), st.booleans())
def test_corrections_move_a_rules_confidence_their_way(
    prior: Table, rule: str, n: int, right: bool
) -> None:
    judged = Judged(quotes={rule: [n, n if right else 0]}, sources={rule: [n, n if right else 0]})
    after = refit(prior, judged)
    for part, before in ((after.quotes, prior.quotes), (after.sources, prior.sources)):
        if right:
            assert rate(part, rule) > rate(before, rule)
        else:
            assert rate(part, rule) < rate(before, rule)


@given(TABLES, RULES, st.integers(1, 20), st.integers(1, 20))
def test_more_rejections_mean_a_lower_confidence(prior: Table, rule: str, n: int, k: int) -> None:
    fewer = refit(prior, Judged(quotes={rule: [n, n]}))
    more = refit(prior, Judged(quotes={rule: [n + k, n]}))
    assert rate(more.quotes, rule) < rate(fewer.quotes, rule)


@given(st.dictionaries(st.text(max_size=5), st.from_type(object), max_size=4))
def test_a_damaged_table_in_a_model_is_left_out_not_raised(part: dict[str, object]) -> None:
    table = table_from({"quotes": part, "sources": part})
    assert all(0 <= r <= n for n, r in table.quotes.values())


def statement_article(
    status: ArticleStatus, model_name: str | None, quotes: list[Quote]
) -> Article:
    text = "x" * 200
    sources = [Source("s1", "Mara Velnik"), Source("s2", "Tobias Oyelaran")]
    for q in quotes:
        q.text = text[q.start : q.end]
    return Article("a", text, status=status, quotes=quotes, sources=sources, model_name=model_name)


QUOTES = st.lists(
    st.builds(
        lambda s, length, origin, rejected, src: Quote(
            s, s + length, "", QuoteKind.DIRECT, source_key=src, origin=origin, rejected=rejected
        ),
        st.integers(0, 150),
        st.integers(1, 40),
        st.sampled_from([Origin.MODEL, Origin.HUMAN]),
        st.booleans(),
        st.sampled_from([None, "s1", "s2"]),
    ),
    max_size=6,
)


@given(QUOTES, st.sampled_from(list(ArticleStatus)), st.sampled_from([None, "en_core_web_sm"]))
def test_what_an_article_says_about_its_quotes(
    quotes: list[Quote], status: ArticleStatus, model_name: str | None
) -> None:
    quotes = [q for q in quotes if not (q.rejected and q.origin == Origin.HUMAN)]
    said = corrected_quotes(statement_article(status, model_name, quotes))
    live = [q for q in quotes if not q.rejected]
    by_person = [q for q in live if q.origin == Origin.HUMAN]
    rejected = [q for q in quotes if q.rejected]
    if said is None:
        assert not by_person and not rejected
        assert status != ArticleStatus.REVIEWED or model_name is None
        return
    kept = {(k.start, k.end) for k in said.kept}
    assert kept <= {(q.start, q.end) for q in live}  # never a rejected one
    if not said.complete:  # a model quote nobody reviewed says nothing
        assert kept == {(q.start, q.end) for q in by_person}
    assert set(said.rejected) == {(q.start, q.end) for q in rejected}


class FakeFound:
    """The few fields of an engine statement ``judge_found`` reads."""

    def __init__(self, start: int, end: int, source_key: str | None) -> None:
        self.start, self.end, self.cue, self.rule = start, end, None, "direct.cue_after"
        self.source_key, self.source_rule = source_key, "name" if source_key else ""


# slots of text that do not overlap: in each, maybe a statement of the engine's, and what
# a person left there: a kept quote (credited to Velnik or Oyelaran), a rejection, or nothing
SLOTS = st.lists(
    st.tuples(st.booleans(), st.sampled_from(["kept", "kept-other", "rejected", "nothing"])),
    max_size=12,
)


@given(SLOTS, st.booleans())
def test_each_statement_is_judged_by_the_quote_a_person_left_there(
    slots: list[tuple[bool, str]], complete: bool
) -> None:
    def span(i: int) -> tuple[int, int]:
        return 20 * i, 20 * i + 15

    kept = tuple(
        KeptQuote(*span(i), "Velnik" if what == "kept" else "Oyelaran")
        for i, (_, what) in enumerate(slots)
        if what.startswith("kept")
    )
    rejected = tuple(span(i) for i, (_, what) in enumerate(slots) if what == "rejected")
    item = CorrectedQuotes("a", "x" * 20 * len(slots), kept, rejected, complete)
    found = [FakeFound(*span(i), "s1") for i, (there, _) in enumerate(slots) if there]
    judged = judge_found(item, found, {"s1": "Mara Velnik"})  # type: ignore[arg-type]

    said = [what for there, what in slots if there]
    right = sum(w.startswith("kept") for w in said)
    wrong = sum(w == "rejected" or (w == "nothing" and complete) for w in said)
    assert judged.quotes.get("direct.cue_after.none", [0, 0]) == [right + wrong, right]
    sources_right = sum(w == "kept" for w in said)
    assert judged.sources.get("name", [0, 0]) == [right, sources_right]


@given(st.integers(2, 5), st.booleans())
def test_one_kept_quote_makes_one_statement_right_and_its_copies_nothing(
    copies: int, complete: bool
) -> None:
    item = CorrectedQuotes("a", "x" * 100, (KeptQuote(10, 40, "Velnik"),), (), complete)
    found = [FakeFound(10, 40, "s1") for _ in range(copies)]
    judged = judge_found(item, found, {"s1": "Velnik"})  # type: ignore[arg-type]
    assert judged.quotes["direct.cue_after.none"] == [1, 1]  # the copies: neither way


@given(st.integers(0, 60), st.integers(1, 60))
def test_a_statement_sharing_less_than_half_is_not_the_kept_quote(start: int, length: int) -> None:
    item = CorrectedQuotes("a", "x" * 200, (KeptQuote(60, 100, "Velnik"),), (), True)
    judged = judge_found(item, [FakeFound(start, start + length, None)], {})  # type: ignore[list-item]
    shared = max(0, min(start + length, 100) - max(start, 60))
    half = shared > 0 and 2 * shared >= length and 2 * shared >= 40
    assert judged.quotes["direct.cue_after.none"] == [1, int(half)]


def test_names_are_one_when_their_last_words_are() -> None:
    assert same_name("Mara Velnik", "velnik")
    assert not same_name("Mara Velnik", "Mara Oyelaran")
    assert not same_name("", "Velnik")


# --- the whole loop: analyze, correct, train, analyze again -----------------------------

DIRECT = '"We will open the new bridge in {month}," said {person}.'
REPORTED = "{person} said that the harbour would close before {month}."
PEOPLE = ["Mara Velnik", "Tobias Oyelaran", "Ines Quarshie", "Pavel Drummond"]
MONTHS = ["May", "June", "July", "August", "October"]


def made_up_story(i: int) -> Article:
    person, other = PEOPLE[i % 4], PEOPLE[(i + 1) % 4]
    month = MONTHS[i % 5]
    text = (
        f"{person} runs a dairy in Wexham.\n\n"
        + DIRECT.format(month=month, person=person)
        + "\n\n"
        + REPORTED.format(month=month, person=other)
        + "\n"
    )
    return Article(f"story-{i}", text, title=f"Story {i}")


@pytest.fixture
def models_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    from desktop.paths import models_dir

    return models_dir()


def confidences(db: Database, key: str) -> dict[str, float | None]:
    """The confidence of the story's direct and its reported quote."""
    with db.session() as session:
        ids = repo.article_ids(session, "Quotes")
        article = next(a for i in ids if (a := repo.load_article(session, i)).external_id == key)
    live = {q.kind: q.confidence for q in article.quotes if not q.rejected}
    return {"direct": live.get(QuoteKind.DIRECT), "reported": live.get(QuoteKind.INDIRECT)}


def person_work(db: Database) -> dict[str, tuple[object, ...]]:
    """What a person made or rejected, and each article's status."""
    with db.session() as session:
        ids = repo.article_ids(session, "Quotes")
        out = {}
        for i in ids:
            a = repo.load_article(session, i, include_rejected=True)
            out[a.external_id] = (
                a.status,
                sorted((q.start, q.end, q.rejected) for q in a.quotes if q.rejected),
                sorted(
                    (q.start, q.end, q.source_key) for q in a.quotes if q.origin == Origin.HUMAN
                ),
                sorted((e.start, e.end, e.label) for e in a.entities if e.origin == Origin.HUMAN),
            )
        return out


@pytest.mark.slow
def test_refit_from_corrections_changes_the_confidences_their_way_and_no_human_work(
    db: Database, models_home: Path
) -> None:
    with db.transaction() as session:
        cid = repo.collection(session, "Quotes")
        for i in range(8):
            repo.add_article(session, cid, made_up_story(i))
    set_collection_labels(db, "Quotes", [LabelDef("PERSON"), LabelDef("GPE")])
    analyze(db, collection="Quotes")
    before = confidences(db, "story-7")
    assert before["direct"] is not None and before["reported"] is not None

    # a person: in six stories the reported quote is not one (rejected), the direct one is
    # right; each story reviewed. Stories 6 and 7 are left as they are.
    editor = Editor(db, user="tester")
    with db.session() as session:
        ids = repo.article_ids(session, "Quotes")
        stories = [repo.load_article(session, i) for i in ids]
    for article_id, article in zip(ids, stories, strict=True):
        if article.external_id in ("story-6", "story-7"):
            continue
        (reported,) = [q for q in article.quotes if q.kind == QuoteKind.INDIRECT]
        done = editor.delete_quote(article_id, article.revision, (reported.start, reported.end))
        editor.set_status(article_id, done.after.revision, ArticleStatus.REVIEWED)
    work = person_work(db)

    model = train_collection(
        db,
        "Quotes",
        max_minutes=0.25,
        overrides={"training.eval_frequency": 4, "training.patience": 20},
    )
    assert model.quotes_judged >= 12 and model.calibration is not None
    assert person_work(db) == work  # training reads, never writes

    analyze(db, collection="Quotes", force=True, model=model.name)
    after = confidences(db, "story-7")
    assert after["reported"] is not None and before["reported"] is not None
    assert after["direct"] is not None and before["direct"] is not None
    assert after["reported"] < before["reported"]  # six rejected: less sure of that rule
    assert after["direct"] >= before["direct"]  # six kept: as sure or surer
    assert person_work(db) == work  # re-analysis leaves what a person made or rejected

    analyze(db, collection="Quotes", force=True)  # the general model: the general table
    assert confidences(db, "story-7") == before


def test_the_refit_stops_at_its_deadline_with_what_it_judged() -> None:
    import time

    import spacy

    from desktop.nlp.training_calibration import judge

    item = CorrectedQuotes("a", "x" * 50, (KeptQuote(0, 10, None),), (), True)
    judged = judge(spacy.blank("en"), [item, item], deadline=time.monotonic() - 1)
    assert (judged.articles, judged.quotes, judged.sources) == (0, {}, {})
