"""Read-side use cases for the window: the article list, one article, the sample."""

from __future__ import annotations

from importlib.resources import files

from desktop.domain import Article
from desktop.formats.text import guess_title
from desktop.store import repository as repo
from desktop.store.database import Database

SAMPLE_ID = "sample-article"


def summaries(db: Database, collection: str | None = None) -> list[repo.ArticleSummary]:
    with db.session() as session:
        return repo.summaries(session, collection)


def load_article(db: Database, article_id: int) -> Article:
    with db.session() as session:
        return repo.load_article(session, article_id)


def find_article(db: Database, external_id: str) -> int | None:
    with db.session() as session:
        return repo.find_article(session, external_id)


def is_analyzed(db: Database, article_id: int) -> bool:
    with db.session() as session:
        return repo.is_analyzed(session, article_id)


def is_empty(db: Database) -> bool:
    with db.session() as session:
        return not repo.article_ids(session)


def add_sample(db: Database) -> int | None:
    """Import the shipped sample article (not yet analyzed); None if it is already there."""
    text = files("desktop.resources").joinpath("sample_article.txt").read_text("utf-8")
    article = Article(
        external_id=SAMPLE_ID,
        text=text,
        title=guess_title(text) or "Kim Jong Un to meet Putin in Russia (sample article)",
        meta={"file": "sample_article.txt"},
    )
    with db.transaction() as session:
        return repo.add_article(session, repo.collection(session), article)
