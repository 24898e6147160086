"""A private in-memory copy of one article, to run a hand edit on without the real rows.

An annotator's layer (``services.team_editing``) is edited by the very code that edits the
shared layer (``store.annotations``, through ``Editor``'s changes), which works on table
rows. ``Scratch`` gives that code rows of its own: an in-memory SQLite database with the
same tables, where the layer's state is written, the edit made and the result read back,
then rolled back. The real database (a file, or the server every annotator shares) is not
touched, locked or waited for: only the layer's own save is.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from desktop.domain import Article
from desktop.store import annotations as ann
from desktop.store import bulk
from desktop.store.models import ArticleRow, Base, CollectionRow

T = TypeVar("T")


def _engine() -> Engine:
    engine = create_engine(
        "sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False}
    )

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: object, _record: object) -> None:
        # SQLAlchemy, not the sqlite3 module, begins transactions (so rollback is whole)
        dbapi_conn.isolation_level = None  # type: ignore[attr-defined]
        # as in the real database: deleting a source deletes its mentions (an undo restores
        # by deleting and re-inserting; without this the old mentions stayed, doubled)
        dbapi_conn.execute("PRAGMA foreign_keys=ON")  # type: ignore[attr-defined]

    @event.listens_for(engine, "begin")
    def _begin(conn: object) -> None:
        conn.exec_driver_sql("BEGIN")  # type: ignore[attr-defined]

    Base.metadata.create_all(engine)
    return engine


class Scratch:
    """One in-memory database for trying edits on copies of articles, one at a time."""

    def __init__(self) -> None:
        self._engine: Engine | None = None  # made at the first edit (tables: ~20 ms)
        self._sessions: sessionmaker[Session] | None = None
        self._lock = threading.Lock()

    def run(
        self,
        article_id: int,
        state: Article,
        change: Callable[[Session, ArticleRow], T],
        annotator: str | None = None,
    ) -> tuple[T, Article]:
        """``change``'s answer and the article after it, run on a copy of ``state`` stored
        under ``article_id`` (the human rows it touches naming ``annotator``); the copy is
        gone afterwards, whatever happened."""
        with self._lock:
            if self._sessions is None:
                self._engine = _engine()
                self._sessions = sessionmaker(self._engine, expire_on_commit=False)
            return self._run(self._sessions, article_id, state, change, annotator)

    @staticmethod
    def _run(
        sessions: sessionmaker[Session],
        article_id: int,
        state: Article,
        change: Callable[[Session, ArticleRow], T],
        annotator: str | None,
    ) -> tuple[T, Article]:
        with sessions() as session:
            session.begin()
            ann.set_annotator(session, annotator)
            try:
                session.add(CollectionRow(id=1, name="scratch"))
                session.flush()  # before the article that names it (foreign keys are on)
                row = ArticleRow(
                    id=article_id,
                    collection_id=1,
                    external_id=state.external_id,
                    title=state.title,
                    text=state.text,
                    text_hash="",
                    meta=dict(state.meta),
                    status=str(state.status),
                    revision=state.revision,
                    status_by=state.status_by,
                    status_at=state.status_at,
                    model_name=state.model_name,
                    model_version=state.model_version,
                )
                session.add(row)
                session.flush()
                bulk.insert_entities(session, article_id, state.entities)
                bulk.insert_sources_and_quotes(session, article_id, state.sources, state.quotes)
                session.expire(row, ["entities", "sources", "quotes"])
                answer = change(session, row)
                return answer, ann.snapshot(session, row)
            finally:
                session.rollback()

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
