"""The entity labels of a collection (name, colour, key)."""

from __future__ import annotations

from sqlalchemy import select

from desktop.domain.labels import LabelDef, labels_from_json, labels_to_json
from desktop.store.database import Database
from desktop.store.models import ArticleRow, CollectionRow


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
    names = [lab.name.strip() for lab in labels]
    if not all(names) or len(set(names)) != len(names):
        raise ValueError("Label names must be unique and not empty.")
    keys = [lab.key for lab in labels if lab.key]
    if len(set(keys)) != len(keys) or any(k not in "123456789" or len(k) != 1 for k in keys):
        raise ValueError("Each key 1–9 can belong to one label only.")
    with db.transaction() as session:
        row = session.scalars(select(CollectionRow).where(CollectionRow.name == collection)).one()
        row.labels = labels_to_json(labels)
