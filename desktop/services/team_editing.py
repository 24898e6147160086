"""Editing in a parallel collection: each annotator's edits go to their own layer.

``LayerEditor`` is the window's ``Editor``. Where the collection is in parallel mode and
the article is assigned to the connection's annotator, every edit goes to their layer:
the very edit the shared layer would get is applied by the same code (``Editor``'s) to a
private in-memory copy of the layer's state (``store.scratch``), so the shared rows are
never written, locked or read for it; then the result is saved as the layer in a
transaction of its own, checked against the layer's revision.
Elsewhere it is the plain ``Editor``: the shared layer, as before. A curator who sets
``curating`` edits the curated version the same way.
"""

from __future__ import annotations

import os
from dataclasses import replace

from sqlalchemy.orm import Session

from desktop.domain import Article, ArticleStatus
from desktop.services import library, team
from desktop.services.editing import Change, Editor, EditResult
from desktop.store import layers
from desktop.store.database import Database
from desktop.store.errors import ConflictError
from desktop.store.models import ArticleRow, LayerRow
from desktop.store.scratch import Scratch


class LayerEditor(Editor):
    """Edits the shared layer, or the annotator's own one where they work in parallel, or,
    with ``curating`` set, the curated version where there is one (a curator's edits after
    curation; on PostgreSQL only curators may save it)."""

    def __init__(self, db: Database, user: str | None = None) -> None:
        # on a server without $QUOTEDESK_ANNOTATOR the name is the login role, which only the
        # server can say: asked at the first use of ``user`` (or given by the window's
        # start, which asks on its worker thread), never here
        pending = user is None and db.on_server and not os.environ.get(team.ANNOTATOR_ENV)
        if user is None and not pending:
            user = team.own_name(db)
        super().__init__(db, user)
        self._user: str | None = None if pending else self._user
        self.curating = False
        # which layer each article was last shown in ("shared", "annotator", "curated")
        self.showing: dict[int, str] = {}
        # where a layer edit is made: an in-memory copy, never the shared rows
        self.scratch = Scratch()

    @property
    def user(self) -> str:
        """Who edits: the name given, else the connection's (``connection_annotator``)."""
        if self._user is None:
            self._user = team.own_name(self.db)
        return self._user

    @user.setter
    def user(self, name: str) -> None:
        self._user = name

    @property
    def named(self) -> bool:
        """Whether ``user`` is known without asking the server."""
        return self._user is not None

    def _layer_of(self, session: Session, article_id: int) -> LayerRow | None:
        """The layer this editor edits of the article: None for the shared one."""
        if self.curating:
            curated = layers.find(session, article_id, layers.CURATED)
            if curated is not None and curated.annotations is not None:
                return curated
        row = session.get(ArticleRow, article_id)
        if row is None:
            return None
        if layers.mode(session, row.collection_id)[0] != "parallel":
            return None
        return layers.find(session, article_id, layers.ANNOTATOR, self.user)

    def _version(self, article_id: int, kind: str) -> Article:
        if kind == layers.CURATED:
            found = team.curated(self.db, article_id)
            if found is None:  # pragma: no cover - _layer_of saw it; only a delete removes it
                raise ConflictError("The curated version of this article is gone; reloaded.")
            return found
        return team.start(self.db, article_id, self.user)

    def article_for(self, article_id: int) -> Article:
        """The article as this editor edits it: the curated version (when curating and
        there is one), the annotator's own layer where the collection is in parallel mode
        and the article is theirs (begun from the model's output the first time it is shown
        analyzed), else the shared layer with rejected annotations (as the window shows)."""
        with self.db.session() as session:
            layer = self._layer_of(session, article_id)
            kind = layer.kind if layer is not None else None
            begun = layer is not None and layer.annotations is not None
        # an unanalyzed article's layer waits for the model's output (its first edit begins it)
        if kind is not None and (begun or library.is_analyzed(self.db, article_id)):
            self.showing[article_id] = kind
            return self._version(article_id, kind)
        self.showing[article_id] = "shared"
        return library.load_article(self.db, article_id, include_rejected=True)

    def _edit(
        self,
        article_id: int,
        revision: int | None,
        action: str,
        change: Change,
        mark_in_review: bool = True,
        result_state: Article | None = None,
    ) -> EditResult:
        with self.db.session() as session:
            layer = self._layer_of(session, article_id)
            kind = layer.kind if layer is not None else None
            started = layer is not None and layer.annotations is not None
        if kind is None:
            return super()._edit(article_id, revision, action, change, mark_in_review, result_state)
        if not started:  # assigned, not begun: begin from the model's output
            team.start(self.db, article_id, self.user)
            raise ConflictError(
                "Your layer of this article has just been started from the model's "
                "output; it has been reloaded. Please make your change again."
            )
        self.known = None
        before = self._version(article_id, kind)
        if revision is not None and before.revision != revision:
            raise ConflictError(
                "This layer of the article was saved from another window since you opened "
                "it; it has been reloaded. Please make your change again."
            )
        (target, old, new), after = self.scratch.run(article_id, before, change, self.user)
        if mark_in_review and after.status == ArticleStatus.UNREVIEWED:
            after.status = ArticleStatus.IN_REVIEW
        with self.db.transaction() as session:
            try:
                info = layers.save(
                    session, article_id, kind, self.user,
                    team.annotations_of(after), self.user, revision=before.revision,
                    status=str(after.status), action=action, target=target,
                    before=old, after=new,
                )  # fmt: skip
            except layers.LayerConflict as exc:
                raise ConflictError(str(exc)) from None
        shown = replace(after, revision=info.revision, annotator=before.annotator)
        return EditResult(article_id, before, shown, action)


def article_for(db: Database, article_id: int, annotator: str) -> Article:
    """``LayerEditor(db, annotator).article_for(article_id)``: what that person edits."""
    return LayerEditor(db, annotator).article_for(article_id)


def shown_version(editor: Editor, article_id: int) -> Article:
    """What the window shows of an article for ``editor``: ``LayerEditor.article_for``, or
    the shared layer for a plain editor."""
    if isinstance(editor, LayerEditor):
        return editor.article_for(article_id)
    return library.load_article(editor.db, article_id, include_rejected=True)
