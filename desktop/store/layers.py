"""Annotator layers, the curated layer, assignments and the project's annotation mode.

The shared layer is the article's own annotation rows, as before. Every other layer is one
``annotation_layer`` row per article: an annotator's version (the row is also the article's
assignment to them) or the curated version. A version's annotations are kept in the
project's JSONL form (``formats.jsonl`` turns them into domain objects, in services) and
written whole in one statement; ``revision`` tells a second writer it came too late.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.domain import Article, ArticleStatus
from desktop.store.models import (
    AnnotatorRow,
    ArticleRow,
    CollectionRow,
    EditRow,
    LayerRow,
    utcnow,
)

ANNOTATOR = "annotator"
CURATED = "curated"
MODES = ("shared", "parallel")
ROLES = ("annotator", "curator")


class LayerConflict(Exception):
    """The layer changed since the caller read it (another window or person saved it)."""


@dataclass(frozen=True)
class LayerInfo:
    """One layer row without its annotations: for lists, assignments and the window."""

    id: int
    article_id: int
    kind: str
    annotator: str
    started: bool
    status: str
    revision: int
    updated_by: str


@dataclass(frozen=True)
class Version:
    """One layer's annotations with what agreement and curation need of its article."""

    article_id: int
    external_id: str
    text: str
    kind: str
    annotator: str
    annotations: dict[str, Any]
    revision: int
    status: str


def layer_name(kind: str, annotator: str) -> str:
    """How an edit row names a layer: "curated" or "annotator:NAME"."""
    return CURATED if kind == CURATED else f"{ANNOTATOR}:{annotator}"


def _info(row: LayerRow) -> LayerInfo:
    return LayerInfo(
        row.id,
        row.article_id,
        row.kind,
        row.annotator,
        row.annotations is not None,
        row.status,
        row.revision,
        row.updated_by,
    )


def bare_article(session: Session, article_id: int) -> Article:
    """The article without its annotations (a layer brings its own): the article row
    alone, no shared annotation row read; KeyError when there is none."""
    row = session.get(ArticleRow, article_id)
    if row is None:
        raise KeyError(article_id)
    return Article(
        external_id=row.external_id,
        text=row.text,
        title=row.title,
        meta=dict(row.meta or {}),
        status=ArticleStatus(row.status),
        model_name=row.model_name,
        model_version=row.model_version,
        revision=row.revision,
    )


def add_annotator(session: Session, name: str, role: str = "annotator") -> bool:
    """Register a person (True) or change their role; False when nothing changed."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    row = session.scalar(select(AnnotatorRow).where(AnnotatorRow.name == name))
    if row is None:
        session.add(AnnotatorRow(name=name, role=role))
        session.flush()
        return True
    if row.role == role:
        return False
    row.role = role
    return True


def ensure_annotator(session: Session, name: str) -> None:
    """Register ``name`` as an annotator unless they are registered (in any role)."""
    if session.scalar(select(AnnotatorRow.id).where(AnnotatorRow.name == name)) is None:
        session.add(AnnotatorRow(name=name, role="annotator"))
        session.flush()


def article_id_of(session: Session, collection_id: int, external_id: str) -> int:
    """The database id of the collection's article with that external id."""
    query = select(ArticleRow.id).where(
        ArticleRow.collection_id == collection_id, ArticleRow.external_id == external_id
    )
    return session.scalars(query).one()


def annotators(session: Session) -> list[tuple[str, str]]:
    """Every registered person and role, by name."""
    query = select(AnnotatorRow.name, AnnotatorRow.role).order_by(AnnotatorRow.name)
    return [(n, r) for n, r in session.execute(query)]


def mode(session: Session, collection_id: int) -> tuple[str, int]:
    """The collection's annotation mode and its annotators per article."""
    row = session.get_one(CollectionRow, collection_id)
    return row.annotation_mode, row.annotators_per_article


def set_mode(session: Session, collection_id: int, new_mode: str, per_article: int) -> None:
    if new_mode not in MODES:
        raise ValueError(f"the annotation mode is one of {', '.join(MODES)}, not {new_mode!r}")
    if per_article < 1:
        raise ValueError("each article needs at least one annotator")
    row = session.get_one(CollectionRow, collection_id)
    row.annotation_mode = new_mode
    row.annotators_per_article = per_article


def find(session: Session, article_id: int, kind: str, annotator: str = "") -> LayerRow | None:
    query = select(LayerRow).where(
        LayerRow.article_id == article_id, LayerRow.kind == kind, LayerRow.annotator == annotator
    )
    return session.scalar(query)


def assign(session: Session, article_id: int, annotator: str, by: str) -> bool:
    """Give the article to ``annotator`` (an empty layer until they start); False when it
    was theirs already."""
    if find(session, article_id, ANNOTATOR, annotator) is not None:
        return False
    session.add(
        LayerRow(article_id=article_id, kind=ANNOTATOR, annotator=annotator, assigned_by=by)
    )
    session.flush()
    return True


def unassign(session: Session, article_id: int, annotator: str) -> bool:
    """Take the article from ``annotator`` if they have not started it; True when done."""
    row = find(session, article_id, ANNOTATOR, annotator)
    if row is None or row.annotations is not None:
        return False
    session.delete(row)
    return True


def save(
    session: Session,
    article_id: int,
    kind: str,
    annotator: str,
    annotations: dict[str, Any],
    by: str,
    revision: int | None = None,
    status: str | None = None,
    action: str = "save layer",
    target: str = "layer",
    before: Any = None,
    after: Any = None,
) -> LayerInfo:
    """Write a layer's annotations whole (creating the row), with an edit-history row.

    ``revision`` is the revision the caller read (0: it read no such layer; None: no
    check, as an import): a layer saved since raises LayerConflict and nothing is written.
    The edit-history row records ``action`` on ``target`` with the editor's ``before`` and
    ``after``; a whole save ("save layer") records the whole layer before and after.
    """
    name = annotator if kind == ANNOTATOR else ""
    row = find(session, article_id, kind, name)
    if revision is not None and (row.revision if row is not None else 0) != revision:
        who = row.updated_by if row is not None else "someone"
        raise LayerConflict(
            f"The {layer_name(kind, name)} layer of this article was saved by {who} "
            "meanwhile: open it again to see it as it is now."
        )
    whole_before = None
    if row is None:
        row = LayerRow(article_id=article_id, kind=kind, annotator=name, assigned_by=by)
        session.add(row)
    else:
        whole_before = row.annotations
        row.revision += 1
    row.annotations = annotations
    row.updated_by = by
    row.updated_at = utcnow()
    if status is not None:
        row.status = status
    session.add(
        EditRow(
            article_id=article_id,
            user=by,
            action=action,
            target=target,
            # an edit's own before/after (from the editor), else the whole layer's
            before=before if action != "save layer" else whole_before,
            after=after if action != "save layer" else annotations,
            layer=layer_name(kind, name),
        )
    )
    session.flush()
    return _info(row)


def layers_of(session: Session, article_id: int) -> list[LayerInfo]:
    """The article's layers, curated first, then the annotators' by name."""
    query = (
        select(LayerRow)
        .where(LayerRow.article_id == article_id)
        .order_by(LayerRow.kind.desc(), LayerRow.annotator)
    )
    return [_info(r) for r in session.scalars(query)]


def _scope(query: Any, collection_id: int | None, ids: Sequence[int] | None) -> Any:
    if collection_id is not None:
        query = query.where(ArticleRow.collection_id == collection_id)
    if ids is not None:
        query = query.where(LayerRow.article_id.in_(ids))
    return query


def versions(
    session: Session,
    kind: str = ANNOTATOR,
    collection_id: int | None = None,
    ids: Sequence[int] | None = None,
) -> Iterator[Version]:
    """Every started layer of ``kind`` (in a collection, or of some articles)."""
    query = (
        select(LayerRow, ArticleRow.external_id, ArticleRow.text)
        .join(ArticleRow, ArticleRow.id == LayerRow.article_id)
        .where(LayerRow.kind == kind, LayerRow.annotations.is_not(None))
        .order_by(LayerRow.article_id, LayerRow.annotator)
    )
    for row, external_id, text in session.execute(_scope(query, collection_id, ids)):
        yield Version(
            row.article_id,
            external_id,
            text,
            row.kind,
            row.annotator,
            dict(row.annotations or {}),
            row.revision,
            row.status,
        )


def assigned(session: Session, annotator: str, collection_id: int | None = None) -> list[int]:
    """The ids of the articles assigned to ``annotator``, in id order."""
    query = (
        select(LayerRow.article_id)
        .join(ArticleRow, ArticleRow.id == LayerRow.article_id)
        .where(LayerRow.kind == ANNOTATOR, LayerRow.annotator == annotator)
        .order_by(LayerRow.article_id)
    )
    return list(session.scalars(_scope(query, collection_id, None)))


def assignment_counts(session: Session, collection_id: int) -> dict[int, list[str]]:
    """Each article of the collection and who it is assigned to (articles with nobody
    too), for round-robin assignment."""
    out: dict[int, list[str]] = {
        aid: []
        for aid in session.scalars(
            select(ArticleRow.id)
            .where(ArticleRow.collection_id == collection_id)
            .order_by(ArticleRow.id)
        )
    }
    query = (
        select(LayerRow.article_id, LayerRow.annotator)
        .join(ArticleRow, ArticleRow.id == LayerRow.article_id)
        .where(ArticleRow.collection_id == collection_id, LayerRow.kind == ANNOTATOR)
        .order_by(LayerRow.article_id, LayerRow.annotator)
    )
    for aid, name in session.execute(query):
        out.setdefault(aid, []).append(name)
    return out


def assignment_rows(
    session: Session, collection_id: int
) -> list[tuple[int, str, str, list[tuple[str, bool]]]]:
    """Each article of the collection (id, external id, title) with its annotators and
    whether each has started, for the assignment view."""
    names: dict[int, list[tuple[str, bool]]] = {}
    query = (
        select(LayerRow.article_id, LayerRow.annotator, LayerRow.annotations.is_not(None))
        .join(ArticleRow, ArticleRow.id == LayerRow.article_id)
        .where(ArticleRow.collection_id == collection_id, LayerRow.kind == ANNOTATOR)
        .order_by(LayerRow.annotator)
    )
    for aid, name, started in session.execute(query):
        names.setdefault(aid, []).append((name, bool(started)))
    articles = select(ArticleRow.id, ArticleRow.external_id, ArticleRow.title).where(
        ArticleRow.collection_id == collection_id
    )
    return [
        (aid, ext, title, names.get(aid, []))
        for aid, ext, title in session.execute(articles.order_by(ArticleRow.id))
    ]


def started_ids(
    session: Session, kind: str, annotator: str | None = None, reviewed_only: bool = False
) -> set[int]:
    """The articles that have a started layer of ``kind`` (of ``annotator``, when given;
    reviewed in it, with ``reviewed_only``); no list of ids is sent, so it holds for a
    collection of any size."""
    query = select(LayerRow.article_id).where(
        LayerRow.kind == kind, LayerRow.annotations.is_not(None)
    )
    if annotator is not None:
        query = query.where(LayerRow.annotator == annotator)
    if reviewed_only:
        query = query.where(LayerRow.status == "reviewed")
    return set(session.scalars(query))


def layer_count(session: Session, kind: str = ANNOTATOR) -> int:
    return session.scalar(select(func.count(LayerRow.id)).where(LayerRow.kind == kind)) or 0
