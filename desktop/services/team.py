"""People and their work: who this connection is, assignments, annotator and curated layers.

In a *shared* collection (the default) everybody edits the article's one layer, as before.
In a *parallel* one each article is assigned to N annotators, who each start from the
model's output and edit their own layer without seeing the others'; a curator then makes
the curated layer from their versions (``ui.curation_view``). Layers other than the shared
one are stored whole per article (``store.layers``); here they become domain Articles.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from sqlalchemy.exc import NoResultFound
from sqlalchemy.orm import Session

from desktop.domain import Article, ArticleStatus
from desktop.domain.team import check_annotator, round_robin
from desktop.services.editing import current_user
from desktop.services.versions import annotations_of as annotations_of
from desktop.services.versions import model_version as model_version
from desktop.services.versions import named as named
from desktop.services.versions import version_article as version_article
from desktop.store import layers, team_roles
from desktop.store import repository as repo
from desktop.store.database import Database
from desktop.store.layers import ANNOTATOR as ANNOTATOR  # the layer kinds, for callers
from desktop.store.layers import CURATED as CURATED
from desktop.store.layers import LayerConflict as LayerConflict
from desktop.store.layers import LayerInfo as LayerInfo

ANNOTATOR_ENV = "QUOTEDESK_ANNOTATOR"
LAYER_CHOICES = ("curated", "model", "shared", "annotator")
MODES = layers.MODES


class TeamError(ValueError):
    """A request about people or layers that cannot be done; the message is one line."""


def connection_annotator(name: str | None = None, db: Database | None = None) -> str:
    """Who this connection annotates as: ``name``, else ``$QUOTEDESK_ANNOTATOR``, else on
    PostgreSQL the role it logged in as (the server's row-level security knows people by
    it), else the OS user."""
    chosen = name or os.environ.get(ANNOTATOR_ENV)
    if not chosen and db is not None and db.on_server:
        with db.session() as session:
            chosen = team_roles.database_user(session)
    chosen = chosen or current_user()
    try:
        return check_annotator(chosen)
    except ValueError as exc:
        raise TeamError(str(exc)) from None


def own_name(db: Database) -> str:
    """``connection_annotator(db=db)``, or the OS user when no rule allows that name: who
    this window's edits, assignments and curation are recorded under."""
    try:
        return connection_annotator(db=db)
    except TeamError:
        return current_user()


def add_server_person(db: Database, name: str, curator: bool = False) -> None:
    """Give annotator ``name`` a login role on the PostgreSQL server (curator: one who may
    write every layer); the server then refuses their writes to anyone else's layer."""
    name = connection_annotator(name)
    if not db.on_server:
        raise TeamError(
            "database roles and row-level security need a PostgreSQL database (--db "
            "postgresql://...); a SQLite file has no users of its own"
        )
    with db.transaction() as session:
        team_roles.add_person(session, name, curator)
        layers.add_annotator(session, name, "curator" if curator else "annotator")


@dataclass(frozen=True)
class LayerImport:
    """What importing a record with an ``annotator`` did: the article's placement and
    whether that annotator's layer was filled (False: it was there already)."""

    placed: repo.Placement
    filled: bool


def import_layer(session: Session, collection_id: int, article: Article, by: str) -> LayerImport:
    """Place an annotator's record: the article itself (without annotations) when it is
    new, then their layer. The same id with another text is refused as for any record."""
    assert article.annotator is not None
    # the shared layer gets the text, not the annotator's work nor their review status
    bare = replace(article, entities=[], sources=[], quotes=[], status=ArticleStatus.UNREVIEWED)
    placed = repo.place_article(session, collection_id, bare)
    if placed.outcome is repo.Placed.CONFLICT:
        return LayerImport(placed, False)
    article_id = placed.article_id
    if article_id is None:
        article_id = layers.article_id_of(session, collection_id, placed.existing_id or "")
    existing = layers.find(session, article_id, ANNOTATOR, article.annotator)
    if existing is not None and existing.annotations is not None:
        return LayerImport(placed, False)
    layers.save(
        session,
        article_id,
        ANNOTATOR,
        article.annotator,
        annotations_of(named(article, article.annotator)),
        by,
        status=str(article.status),
    )
    return LayerImport(placed, True)


def set_mode(db: Database, collection: str, mode: str, per_article: int = 1) -> None:
    with db.transaction() as session:
        coll = _collection(session, collection)
        try:
            layers.set_mode(session, coll, mode, per_article)
        except ValueError as exc:
            raise TeamError(str(exc)) from None


def assign_round_robin(
    db: Database, collection: str, annotators: Sequence[str], by: str, per_article: int | None
) -> list[tuple[int, str]]:
    """Deal the collection's articles out to ``annotators`` in turn (each article to
    ``per_article`` of them, default the collection's setting); return the new assignments."""
    names = [connection_annotator(a) for a in annotators]
    with db.transaction() as session:
        coll = _collection(session, collection)
        wanted = per_article or layers.mode(session, coll)[1]
        for name in names:
            layers.ensure_annotator(session, name)
        new = round_robin(layers.assignment_counts(session, coll), names, wanted)
        for article_id, name in new:
            layers.assign(session, article_id, name, by)
        return new


def assign(db: Database, article_ids: Sequence[int], annotator: str, by: str) -> int:
    """Assign articles to one annotator by hand; return how many were new to them."""
    name = connection_annotator(annotator)
    with db.transaction() as session:
        layers.ensure_annotator(session, name)
        return sum(layers.assign(session, aid, name, by) for aid in article_ids)


@dataclass(frozen=True)
class ProjectState:
    """A collection's annotation mode, and how many articles each annotator has."""

    mode: str
    per_article: int
    load: dict[str, int]
    unassigned: int
    articles: int


def project_state(db: Database, collection: str) -> ProjectState:
    with db.session() as session:
        coll = _collection(session, collection)
        mode, per = layers.mode(session, coll)
        counts = layers.assignment_counts(session, coll)
    load: dict[str, int] = {}
    for names in counts.values():
        for name in names:
            load[name] = load.get(name, 0) + 1
    unassigned = sum(not names for names in counts.values())
    return ProjectState(mode, per, dict(sorted(load.items())), unassigned, len(counts))


def _collection(session: Session, collection: str) -> int:
    try:
        return repo.collection(session, collection, create=False)
    except KeyError:
        raise TeamError(f"there is no collection named {collection!r}") from None


def article_ids(db: Database, collection: str, external_ids: Sequence[str] | None) -> list[int]:
    """The database ids of the collection's articles with those ids (None: every one)."""
    with db.session() as session:
        coll = _collection(session, collection)
        if external_ids is None:
            return repo.article_ids(session, collection)
        out = []
        for ext in external_ids:
            try:
                out.append(layers.article_id_of(session, coll, ext))
            except NoResultFound:
                raise TeamError(f"collection {collection!r} has no article {ext!r}") from None
        return out


@dataclass(frozen=True)
class Assignment:
    """One article in the assignment view: who has it, and who has started."""

    article_id: int
    external_id: str
    title: str
    annotators: tuple[str, ...]
    started: tuple[str, ...]


def assignments(db: Database, collection: str) -> list[Assignment]:
    """Every article of the collection with its annotators, in id order."""
    with db.session() as session:
        rows = layers.assignment_rows(session, _collection(session, collection))
    return [
        Assignment(
            aid, ext, title, tuple(n for n, _ in who), tuple(n for n, started in who if started)
        )
        for aid, ext, title, who in rows
    ]


def assigned_to(db: Database, annotator: str, collection: str | None = None) -> list[int]:
    """The articles assigned to ``annotator`` ("assigned to me" in the browser)."""
    with db.session() as session:
        coll = None
        if collection is not None:
            try:
                coll = repo.collection(session, collection, create=False)
            except KeyError:
                return []
        return layers.assigned(session, annotator, coll)


def start(db: Database, article_id: int, annotator: str) -> Article:
    """The annotator's version of the article, started from the model's output the first
    time they open it. Only an article assigned to them has a layer of theirs."""
    with db.transaction() as session:
        row = layers.find(session, article_id, ANNOTATOR, annotator)
        if row is None:
            raise TeamError(f"this article is not assigned to {annotator}")
        if row.annotations is None:
            base = repo.load_article(session, article_id, include_rejected=True)
            begun = annotations_of(model_version(base))
            layers.save(session, article_id, ANNOTATOR, annotator, begun, annotator)
        else:
            base = layers.bare_article(session, article_id)
        annotations = dict(row.annotations or {})
        shown = version_article(base, annotations, annotator, row.status)
        return replace(shown, revision=row.revision)


def versions_of(db: Database, article_id: int) -> dict[str, Article]:
    """Every started annotator version of one article, by annotator (for curation)."""
    with db.session() as session:
        base = layers.bare_article(session, article_id)
        out = {}
        for v in layers.versions(session, ANNOTATOR, ids=[article_id]):
            out[v.annotator] = replace(
                version_article(base, v.annotations, v.annotator, v.status),
                revision=v.revision,
            )
        return out


def curated(db: Database, article_id: int) -> Article | None:
    """The article's curated version, or None when nobody curated it yet."""
    with db.session() as session:
        row = layers.find(session, article_id, CURATED)
        if row is None or row.annotations is None:
            return None
        base = layers.bare_article(session, article_id)
        made = version_article(base, dict(row.annotations), None, row.status)
        return replace(made, revision=row.revision)


def save_version(
    db: Database,
    article: Article,
    article_id: int,
    by: str,
    kind: str = ANNOTATOR,
    revision: int | None = None,
) -> LayerInfo:
    """Save ``article``'s annotations as ``by``'s layer (or, ``kind`` CURATED, as the
    curated layer); ``revision`` as read, so a save made meanwhile is a LayerConflict."""
    with db.transaction() as session:
        return layers.save(
            session,
            article_id,
            kind,
            by,
            annotations_of(article),
            by,
            revision=revision,
            status=str(article.status),
        )


def layer_ids(
    session: Session,
    ids: Sequence[int],
    layer: str | None,
    annotator: str | None = None,
    reviewed_only: bool = False,
) -> list[int]:
    """Those of ``ids`` that have the layer (every one for the shared, model and default);
    with ``reviewed_only``, those reviewed in the layer that goes out: a curated version or
    an annotator's layer by its own status, the default by the curated version's where
    there is one, else the shared layer's."""
    if layer in ("curated", "annotator"):
        kind = CURATED if layer == "curated" else ANNOTATOR
        who = annotator if kind == ANNOTATOR else None
        have = layers.started_ids(session, kind, who, reviewed_only=reviewed_only)
        return [i for i in ids if i in have]
    if not reviewed_only:
        return list(ids)
    shared = set(repo.article_ids(session, reviewed_only=True))
    if layer is not None:  # the shared layer or the model's: the article's own status
        return [i for i in ids if i in shared]
    curated = layers.started_ids(session, CURATED)
    reviewed = layers.started_ids(session, CURATED, reviewed_only=True)
    return [i for i in ids if (i in reviewed if i in curated else i in shared)]


def check_layer(layer: str | None, annotator: str | None) -> None:
    """A layer choice the export can follow, else TeamError saying what is wrong."""
    if layer is not None and layer not in LAYER_CHOICES:
        raise TeamError(f"the layer is one of {', '.join(LAYER_CHOICES)}, not {layer!r}")
    if (layer == "annotator") != (annotator is not None):
        raise TeamError("name the annotator whose layer to export: --layer annotator NAME")


def iter_layer(
    session: Session,
    ids: Sequence[int],
    layer: str | None,
    annotator: str | None = None,
    batch: int = 200,
) -> Iterator[tuple[int, Article]]:
    """The articles as one layer has them, for export, read in batches. ``layer`` None:
    the curated version where there is one, else the shared layer; "curated", "annotator"
    (``annotator``'s): only the articles that have that layer; "model": what the model
    made; "shared": the shared layer."""
    if layer == "model":
        for aid in ids:
            yield aid, model_version(repo.load_article(session, aid, include_rejected=True))
        return
    kind = ANNOTATOR if layer == "annotator" else CURATED
    who = annotator if kind == ANNOTATOR else ""
    wanted = layer_ids(session, ids, layer, annotator) if layer else list(ids)
    curated_ids = layers.started_ids(session, CURATED) if layer is None else set()
    for i in range(0, len(wanted), batch):
        part = wanted[i : i + batch]
        found: dict[int, layers.Version] = {}
        if layer in ("curated", "annotator") or curated_ids.intersection(part):
            found = {
                v.article_id: v
                for v in layers.versions(session, kind, ids=part)
                if v.annotator == who
            }
        for aid, base in repo.iter_articles(session, part):
            v = found.get(aid)
            if v is None or layer == "shared":
                yield aid, base
            else:
                name = who if kind == ANNOTATOR else None
                yield aid, version_article(base, v.annotations, name, v.status)
