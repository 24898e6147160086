"""Which pipeline analyzes a collection: the one chosen for it, else the general preference.

A collection's choice (``collection.model``) is set with ``quotedesk models --use NAME
--collection C`` or the training dialog's "Use this model", and is what ``analyze`` runs
on that collection's articles when no ``--model`` is given.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import select

from desktop.nlp.pipeline import installed_pipelines
from desktop.services.analysis import AnalysisReport
from desktop.store import repository as repo
from desktop.store.database import Database
from desktop.store.models import ArticleRow, CollectionRow


class UnknownModel(ValueError):
    """A model name that is neither an installed pipeline nor one trained here."""


def collection_model(db: Database, collection: str) -> str | None:
    """The pipeline chosen for ``collection`` (None: none chosen). ``KeyError`` if unknown."""
    with db.session() as session:
        row = session.scalar(select(CollectionRow).where(CollectionRow.name == collection))
        if row is None:
            raise KeyError(collection)
        return row.model


def set_collection_model(db: Database, collection: str, model: str | None) -> None:
    """Analyze ``collection`` with ``model`` from now on (None: the general preference).
    Results already there stay until the collection is analyzed again."""
    if model is not None and model not in installed_pipelines():
        known = ", ".join(installed_pipelines()) or "none"
        raise UnknownModel(f"no model named {model!r} (installed and trained: {known})")
    with db.transaction() as session:
        row = session.scalar(select(CollectionRow).where(CollectionRow.name == collection))
        if row is None:
            raise KeyError(collection)
        row.model = model


def chosen_models(db: Database) -> dict[str, str]:
    """Collection name → its chosen pipeline, for the collections that have one."""
    with db.session() as session:
        rows = session.execute(
            select(CollectionRow.name, CollectionRow.model).where(CollectionRow.model.is_not(None))
        )
        return {name: model for name, model in rows if model}


def group_by_model(db: Database, ids: list[int]) -> dict[str | None, list[int]]:
    """The article ids split by the pipeline their collection chose (None: no choice), each
    list in the order given."""
    wanted = set(ids)
    with db.session() as session:
        rows = session.execute(
            select(ArticleRow.id, CollectionRow.model).join(
                CollectionRow, ArticleRow.collection_id == CollectionRow.id
            )
        )
        model_of = {i: m for i, m in rows if i in wanted}
    groups: dict[str | None, list[int]] = defaultdict(list)
    for i in ids:
        groups[model_of.get(i)].append(i)
    return dict(groups)


def analysis_runs(
    db: Database, collection: str | None, force: bool, model: str | None
) -> list[tuple[str | None, list[int] | None]]:
    """The analysis runs ``analyze`` makes: (model, ids) pairs, ids None meaning "what the
    collection has to analyze". An explicit ``model`` is one run; otherwise each collection
    is analyzed with the pipeline it chose, the rest with the general one (model None)."""
    if model is not None:
        return [(model, None)]
    if collection is not None:
        try:
            return [(collection_model(db, collection), None)]
        except KeyError:  # analyze names the known collections
            return [(None, None)]
    if not chosen_models(db):
        return [(None, None)]
    with db.session() as session:
        ids = repo.article_ids(session, None, unanalyzed_only=not force)
    return list(group_by_model(db, ids).items())


def runs_for(
    db: Database, ids: Sequence[int] | None, collection: str | None, force: bool
) -> list[tuple[str | None, list[int] | None]]:
    """``analysis_runs`` for the window: named articles split by their collections' models."""
    if ids is None:
        return analysis_runs(db, collection, force, None)
    return list(group_by_model(db, list(ids)).items())


def combined(reports: Sequence[AnalysisReport]) -> AnalysisReport:
    """One report for several runs (one per model)."""
    done = [r for r in reports if r.analyzed or r.failed] or list(reports[:1])
    return AnalysisReport(
        analyzed=sum(r.analyzed for r in done),
        added=sum(r.added for r in done),
        removed=sum(r.removed for r in done),
        kept_human=sum(r.kept_human for r in done),
        model=", ".join(dict.fromkeys(r.model for r in done if r.model)),
        failed=[f for r in done for f in r.failed],
    )
