"""The analyst's corrections: each one saved at once, in its own transaction.

Every edit is checked against the article revision the caller last saw (another window or a
re-analysis may have changed it: ``ConflictError``), bumps the revision, is recorded in the
edit history with who made it, and returns the article before and after, which is all an
undo stack needs.
"""

from __future__ import annotations

import getpass
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy.orm import Session

from desktop.domain import Article, ArticleStatus, QuoteKind
from desktop.domain.names import (
    InvalidName,
    check_description,
    check_label,
    check_source_name,
)
from desktop.store import annotations as ann
from desktop.store.convert import as_utc
from desktop.store.database import Database
from desktop.store.models import ArticleRow, EditRow, utcnow


def current_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def checked(check: Callable[[object], str], value: str) -> str:
    """``value`` if the rule ``check`` (from ``desktop.domain.names``) allows it, after
    trimming the spaces at its ends; else the EditError the window shows in its status bar."""
    try:
        return check(value.strip() if isinstance(value, str) else value)
    except InvalidName as exc:
        raise ann.EditError(str(exc)[:1].upper() + str(exc)[1:] + ".") from None


@dataclass(frozen=True)
class EditResult:
    article_id: int
    before: Article
    after: Article
    action: str


# change(session, row) -> (target kind, before dict, after dict) for the edit history
Change = Callable[[Session, ArticleRow], tuple[str, Any, Any]]


class Editor:
    """Applies edits to articles in one database on behalf of one user."""

    def __init__(self, db: Database, user: str | None = None) -> None:
        self.db = db
        self.user = user or current_user()
        # the caller's copy of the article at the revision it edits, if it has one: the
        # revision check proves it is what is on disk, so it need not be read again
        self.known: Article | None = None

    def _edit(
        self,
        article_id: int,
        revision: int | None,
        action: str,
        change: Change,
        mark_in_review: bool = True,
        result_state: Article | None = None,
    ) -> EditResult:
        """Run ``change`` in one transaction; ``result_state``, when given, is what the
        article's annotations are afterwards (a restore knows it), saving a read back."""
        with self.db.transaction() as session:
            ann.set_annotator(session, self.user)  # every human row it touches names them
            row = ann.load_for_edit(session, article_id, revision)
            known = self.known
            self.known = None
            if known is not None and revision is not None and known.revision == revision:
                before = known
            else:
                before = ann.snapshot(session, row)
            target, old, new = change(session, row)
            if mark_in_review and row.status == ArticleStatus.UNREVIEWED:
                row.status = str(ArticleStatus.IN_REVIEW)
                row.status_by, row.status_at = self.user, utcnow()
            row.revision += 1
            session.add(
                EditRow(
                    article_id=article_id,
                    user=self.user,
                    action=action,
                    target=target,
                    before=old,
                    after=new,
                )
            )
            session.flush()
            if result_state is not None:
                after = replace(
                    result_state,
                    revision=row.revision,
                    status=ArticleStatus(row.status),
                    status_by=row.status_by,
                    status_at=as_utc(row.status_at),
                )
            else:
                after = ann.snapshot(session, row)
            return EditResult(article_id, before, after, action)

    # --- entities -------------------------------------------------------------------

    def add_entity(
        self, article_id: int, revision: int | None, start: int, end: int, label: str
    ) -> EditResult:
        label = checked(check_label, label)

        def change(session: Session, row: ArticleRow) -> tuple[str, Any, Any]:
            new = ann.add_entity(session, row, start, end, label)
            return "entity", None, ann.entity_dict(new)

        return self._edit(article_id, revision, "add entity", change)

    def relabel_entity(
        self, article_id: int, revision: int | None, entity: tuple[int, int, str], label: str
    ) -> EditResult:
        label = checked(check_label, label)

        def change(session: Session, row: ArticleRow) -> tuple[str, Any, Any]:
            found = ann.find_entity(session, row, *entity)
            old = ann.entity_dict(found)
            ann.delete_entity(session, row, *entity)
            new = ann.add_entity(session, row, entity[0], entity[1], label)
            return "entity", old, ann.entity_dict(new)

        return self._edit(article_id, revision, "change entity label", change)

    def resize_entity(
        self,
        article_id: int,
        revision: int | None,
        entity: tuple[int, int, str],
        start: int,
        end: int,
    ) -> EditResult:
        def change(session: Session, row: ArticleRow) -> tuple[str, Any, Any]:
            found = ann.find_entity(session, row, *entity)
            old = ann.entity_dict(found)
            ann.delete_entity(session, row, *entity)
            new = ann.add_entity(session, row, start, end, entity[2])
            return "entity", old, ann.entity_dict(new)

        return self._edit(article_id, revision, "adjust entity", change)

    def delete_entity(
        self, article_id: int, revision: int | None, entity: tuple[int, int, str]
    ) -> EditResult:
        def change(session: Session, row: ArticleRow) -> tuple[str, Any, Any]:
            gone = ann.delete_entity(session, row, *entity)
            return "entity", ann.entity_dict(gone), None

        return self._edit(article_id, revision, "delete entity", change)

    # --- quotes ---------------------------------------------------------------------

    def add_quote(
        self,
        article_id: int,
        revision: int | None,
        start: int,
        end: int,
        kind: QuoteKind,
        speaker: tuple[int, int] | None = None,
        source_key: str | None = None,
    ) -> EditResult:
        def change(session: Session, row: ArticleRow) -> tuple[str, Any, Any]:
            quote = ann.add_quote(row, start, end, kind)
            ann.update_quote(row, quote, speaker=speaker, source_key=source_key)
            return "quote", None, ann.quote_dict(quote)

        return self._edit(article_id, revision, "add quote", change)

    def update_quote(
        self,
        article_id: int,
        revision: int | None,
        quote: tuple[int, int],
        action: str = "change quote",
        **fields: Any,
    ) -> EditResult:
        """``fields``: span=(start, end), kind=QuoteKind, speaker=(start, end) | None,
        source_key=str | None."""

        def change(session: Session, row: ArticleRow) -> tuple[str, Any, Any]:
            found = ann.find_quote(row, *quote)
            old = ann.quote_dict(found)
            ann.update_quote(row, found, **fields)
            return "quote", old, ann.quote_dict(found)

        return self._edit(article_id, revision, action, change)

    def delete_quote(
        self, article_id: int, revision: int | None, quote: tuple[int, int]
    ) -> EditResult:
        def change(session: Session, row: ArticleRow) -> tuple[str, Any, Any]:
            gone = ann.delete_quote(row, *quote)
            return "quote", ann.quote_dict(gone), None

        return self._edit(article_id, revision, "delete quote", change)

    def new_source_for_quote(
        self,
        article_id: int,
        revision: int | None,
        quote: tuple[int, int],
        name: str,
        type_: str,
        description: str = "",
    ) -> EditResult:
        name = checked(check_source_name, name)
        description = checked(check_description, description)

        def change(session: Session, row: ArticleRow) -> tuple[str, Any, Any]:
            found = ann.find_quote(row, *quote)
            old = ann.quote_dict(found)
            source = ann.add_source(row, name, type_, description)
            ann.update_quote(row, found, source_key=source.key)
            return "quote", old, ann.quote_dict(found) | {"new_source": ann.source_dict(source)}

        return self._edit(article_id, revision, "new source", change)

    def set_speaker(
        self,
        article_id: int,
        revision: int | None,
        quote: tuple[int, int],
        speaker: tuple[int, int],
        source_key: str | None = None,
        new_source: tuple[str, str] | None = None,
    ) -> EditResult:
        """Make a mention the quote's speaker, crediting the quote to ``source_key`` or to
        a new source (name, type) made for it; with neither, the source stays."""
        if new_source is not None:
            new_source = (checked(check_source_name, new_source[0]), new_source[1])

        def change(session: Session, row: ArticleRow) -> tuple[str, Any, Any]:
            found = ann.find_quote(row, *quote)
            old = ann.quote_dict(found)
            key: str | None | bool = False
            if new_source is not None:
                key = ann.add_source(row, *new_source).key
            elif source_key is not None:
                key = source_key
            ann.update_quote(row, found, source_key=key)
            ann.update_quote(row, found, speaker=speaker)
            return "quote", old, ann.quote_dict(found)

        return self._edit(article_id, revision, "set speaker", change)

    # --- sources --------------------------------------------------------------------

    def update_source(
        self,
        article_id: int,
        revision: int | None,
        key: str,
        name: str | None = None,
        type_: str | None = None,
        description: str | None = None,
    ) -> EditResult:
        if name is not None:
            name = checked(check_source_name, name)
        if description is not None:
            description = checked(check_description, description)

        def change(session: Session, row: ArticleRow) -> tuple[str, Any, Any]:
            source = ann.find_source(row, key)
            old = ann.source_dict(source)
            ann.update_source(source, name, type_, description)
            return "source", old, ann.source_dict(source)

        return self._edit(article_id, revision, "edit source", change)

    def merge_sources(
        self, article_id: int, revision: int | None, keep: str, drop: str
    ) -> EditResult:
        def change(session: Session, row: ArticleRow) -> tuple[str, Any, Any]:
            dropped = ann.source_dict(ann.find_source(row, drop))
            kept = ann.merge_sources(row, keep, drop)
            return "source", dropped, ann.source_dict(kept)

        return self._edit(article_id, revision, "merge sources", change)

    def split_source(
        self,
        article_id: int,
        revision: int | None,
        key: str,
        quotes: list[tuple[int, int]],
        name: str,
    ) -> EditResult:
        name = checked(check_source_name, name)

        def change(session: Session, row: ArticleRow) -> tuple[str, Any, Any]:
            old = ann.source_dict(ann.find_source(row, key))
            new = ann.split_source(row, key, quotes, name)
            return "source", old, ann.source_dict(new)

        return self._edit(article_id, revision, "split source", change)

    # --- the article ----------------------------------------------------------------

    def set_status(
        self, article_id: int, revision: int | None, status: ArticleStatus
    ) -> EditResult:
        def change(session: Session, row: ArticleRow) -> tuple[str, Any, Any]:
            old = row.status
            row.status = str(status)
            row.status_by, row.status_at = self.user, utcnow()
            return "article", {"status": old}, {"status": str(status)}

        return self._edit(article_id, revision, "set status", change, mark_in_review=False)

    def restore(
        self, article_id: int, revision: int | None, state: Article, action: str
    ) -> EditResult:
        """Put back a snapshot (undo and redo are edits like any other)."""

        def change(session: Session, row: ArticleRow) -> tuple[str, Any, Any]:
            ann.restore(session, row, state)
            return "article", None, {"restored": action}

        return self._edit(
            article_id, revision, action, change, mark_in_review=False, result_state=state
        )
