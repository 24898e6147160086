"""A database made by the previous schema revision opens and keeps every row."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import Session

from desktop.domain import Article, Entity, Quote, QuoteKind, Source, Span
from desktop.services import library
from desktop.store import Database, backups
from desktop.store import repository as repo
from desktop.store.browse import BrowseQuery
from desktop.store.database import _alembic_config, head_revision

PREVIOUS = "0002"
TEXT = 'Ann Lee said "we will win" in Kyiv. Bo Chan disagreed.'


def counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        names = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'article_fts%'"
                " AND name != 'alembic_version' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}  # noqa: S608 - table names from sqlite_master
    finally:
        conn.close()


def database_at(path: Path, revision: str) -> None:
    """A database at an older schema ``revision``, holding the rows of ``old_articles``:
    written at head through the repository, then copied column by column (the columns that
    ``revision`` already had) into a database migrated only that far."""
    head_path = path.with_name("head-" + path.name)
    head_engine = create_engine(f"sqlite:///{head_path}")
    cfg = _alembic_config()
    with head_engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    old_articles(head_engine)
    head_engine.dispose()
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
    engine.dispose()
    conn = sqlite3.connect(path)
    try:
        conn.execute("ATTACH DATABASE ? AS head", (str(head_path),))
        for table in ("collection", "article", "entity", "source", "mention", "quote", "edit"):
            old = {r[1] for r in conn.execute(f'PRAGMA main.table_info("{table}")')}
            new = [r[1] for r in conn.execute(f'PRAGMA head.table_info("{table}")')]
            cols = ", ".join(f'"{c}"' for c in new if c in old)
            conn.execute(f'INSERT INTO main."{table}" ({cols}) SELECT {cols} FROM head."{table}"')  # noqa: S608 - names from PRAGMA
        conn.commit()
        conn.execute("DETACH DATABASE head")
    finally:
        conn.close()
    head_path.unlink()


def old_articles(engine: Engine) -> None:
    with Session(engine) as s, s.begin():
        coll = repo.collection(s, "old")
        for n in range(25):
            repo.add_article(
                s,
                coll,
                Article(
                    f"old-{n}",
                    TEXT + f" Number {n}.",
                    title=f"Old {n}",
                    entities=[Entity(0, 7, "PERSON", "Ann Lee"), Entity(30, 34, "GPE", "Kyiv")],
                    sources=[Source("s1", "Ann Lee", "PERSON", mentions=[Span(0, 7, "Ann Lee")])],
                    quotes=[
                        Quote(
                            14, 25, "we will win", QuoteKind.DIRECT, Span(8, 12, "said"), None, "s1"
                        )
                    ],
                ),
            )


@pytest.mark.parametrize("previous", [PREVIOUS, "0003", "0004", "0005"])
def test_a_database_of_the_previous_revision_is_upgraded_with_every_row(
    tmp_path: Path, previous: str
) -> None:
    path = tmp_path / "previous.sqlite3"
    database_at(path, previous)
    before = counts(path)
    assert before["article"] == 25 and before["entity"] == 50 and before["quote"] == 25

    db = Database.open(path)
    try:
        assert db.current_revision() == head_revision() != previous
        after = counts(path)  # tables a later migration adds start empty
        assert {t: after[t] for t in before} == before
        rows, total = library.browse_page(db, BrowseQuery(search="kyi"), 0, 50)
        assert total == 25  # the rebuilt search index holds the old articles
        with db.session() as s:
            article = repo.load_article(s, repo.find_article(s, "old-7"))
        assert article.text == TEXT + " Number 7." and len(article.quotes) == 1
        (quote,) = article.quotes
        # quotes from before migration 0004 have no confidence and no reasons
        assert quote.source_key == "s1" and quote.cue == Span(8, 12, "said")
        assert (quote.confidence, quote.reason) == (None, "")
        assert (quote.source_confidence, quote.source_reason) == (None, "")
        # migration 0005: a model quote without confidences gives its article no figure
        (summary,) = library.browse_page(db, BrowseQuery(search="number 7"), 0, 5)[0]
        assert summary.lowest_confidence is None
    finally:
        db.close()
    made = [b.reason for b in backups.list_backups(path)]
    assert made == [f"before-migration-{previous}"]
