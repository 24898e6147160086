"""The entity labels of a collection (name, colour, key)."""

from __future__ import annotations

from sqlalchemy import select

from desktop.domain.labels import LabelDef, labels_from_json, labels_to_json
from desktop.domain.names import check_label
from desktop.store.database import Database
from desktop.store.models import ArticleRow, CollectionRow

MAX_LABELS = 200


def _hex(digits: str) -> bool:
    return all(ch in "0123456789abcdefABCDEF" for ch in digits)


def article_labels(db: Database, article_id: int) -> tuple[str, list[LabelDef]]:
    """The article's collection name and its labels."""
    with db.session() as session:
        query = (
            select(CollectionRow.name, CollectionRow.labels)
            .join(ArticleRow, ArticleRow.collection_id == CollectionRow.id)
            .where(ArticleRow.id == article_id)
        )
        name, stored = session.execute(query).one()
        return name, labels_from_json(stored)


def collection_labels(db: Database, collection: str) -> list[LabelDef]:
    with db.session() as session:
        stored = session.scalar(
            select(CollectionRow.labels).where(CollectionRow.name == collection)
        )
        return labels_from_json(stored)


def set_collection_labels(db: Database, collection: str, labels: list[LabelDef]) -> None:
    """Save a collection's labels; ValueError (``InvalidName`` for a name the rules of
    ``desktop.domain.names`` refuse) says in one line what is wrong, and nothing is saved."""
    names = [check_label(lab.name) for lab in labels]
    if len(set(names)) != len(names):
        raise ValueError("Label names must be unique.")
    colours = [lab.color for lab in labels if lab.color]
    if any(len(c) != 7 or c[0] != "#" or not _hex(c[1:]) for c in colours):
        raise ValueError("A label colour must be written #rrggbb.")
    keys = [lab.key for lab in labels if lab.key]
    if len(set(keys)) != len(keys) or any(k not in "123456789" or len(k) != 1 for k in keys):
        raise ValueError("Each key 1–9 can belong to one label only.")
    if len(labels) > MAX_LABELS:
        raise ValueError(f"A collection can have at most {MAX_LABELS} labels.")
    with db.transaction() as session:
        row = session.scalars(select(CollectionRow).where(CollectionRow.name == collection)).one()
        row.labels = labels_to_json(labels)
