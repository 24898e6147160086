"""Read-side use cases for the window: the article list, one article, the sample."""

from __future__ import annotations

from importlib.resources import files

from desktop.domain import Article
from desktop.formats.text import guess_title
from desktop.store import browse
from desktop.store import repository as repo
from desktop.store.browse import BrowseQuery
from desktop.store.database import Database

SAMPLE_ID = "sample-article"
SAMPLE_COLLECTION = "Sample"  # its own collection: exports of the analyst's leave it out


def browse_page(
    db: Database, query: BrowseQuery, offset: int, limit: int
) -> tuple[list[repo.ArticleSummary], int]:
    """One page of the article browser, and how many articles match in all."""
    with db.session() as session:
        total = browse.count(session, query) if offset == 0 else -1
        return browse.page(session, query, offset, limit), total


def collection_names(db: Database) -> list[str]:
    with db.session() as session:
        return repo.collection_names(session)


def load_article(db: Database, article_id: int, include_rejected: bool = False) -> Article:
    with db.session() as session:
        return repo.load_article(session, article_id, include_rejected)


def find_article(db: Database, external_id: str) -> int | None:
    with db.session() as session:
        return repo.find_article(session, external_id)


def is_analyzed(db: Database, article_id: int) -> bool:
    with db.session() as session:
        return repo.is_analyzed(session, article_id)


def is_empty(db: Database) -> bool:
    with db.session() as session:
        return not repo.any_article(session)


def add_sample(db: Database, collection: str = SAMPLE_COLLECTION) -> int | None:
    """Import the shipped sample article (not yet analyzed) into its own collection; None
    if it is already there."""
    text = files("desktop.resources").joinpath("sample_article.txt").read_text("utf-8")
    article = Article(
        external_id=SAMPLE_ID,
        text=text,
        title=guess_title(text) or "Kim Jong Un to meet Putin in Russia (sample article)",
        meta={"file": "sample_article.txt"},
    )
    with db.transaction() as session:
        return repo.add_article(session, repo.collection(session, collection), article)
