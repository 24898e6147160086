"""Curating an article: its annotators' versions merged into units, the curator's picks
saved as the article's curated layer (``domain.curation`` does the merging)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from desktop.domain import Article, ArticleStatus
from desktop.domain.curation import Unit, curate, majority, merge, picks_of
from desktop.services import team
from desktop.services.library import load_article
from desktop.store.database import Database
from desktop.store.layers import CURATED, LayerInfo


@dataclass(frozen=True)
class Curation:
    """What the curation view shows: the article, each annotator's version, the units and
    the current picks (from the saved curated layer, else each unit's majority)."""

    article_id: int
    base: Article
    versions: dict[str, Article]
    units: list[Unit]
    picks: list[int | None]
    revision: int  # the curated layer's as read, 0 before it is first saved

    @property
    def annotators(self) -> list[str]:
        return sorted(self.versions)

    @property
    def disagreements(self) -> int:
        return sum(not u.agreed for u in self.units)


def open_curation(db: Database, article_id: int) -> Curation:
    """The article's versions merged, with the picks the curated layer holds."""
    base = load_article(db, article_id)
    versions = team.versions_of(db, article_id)
    if len(versions) < 1:
        raise team.TeamError("nobody has annotated this article in a layer of their own yet")
    units = merge(base.text, versions)
    saved = team.curated(db, article_id)
    if saved is None:
        picks: list[int | None] = list(majority(units))
        revision = 0
    else:
        picks = picks_of(units, saved)
        revision = saved.revision
    return Curation(article_id, base, versions, units, picks, revision)


def save_curation(
    db: Database, curation: Curation, picks: Sequence[int | None], curator: str, reviewed: bool
) -> LayerInfo:
    """Save the picks as the curated layer (a LayerConflict when another curator saved it
    since ``curation`` was read)."""
    made = curate(curation.base, curation.versions, curation.units, picks)
    made.status = ArticleStatus.REVIEWED if reviewed else ArticleStatus.IN_REVIEW
    return team.save_version(
        db, made, curation.article_id, curator, kind=CURATED, revision=curation.revision
    )
