"""SQLAlchemy 2 table definitions.

Offsets are stored as integers into ``Article.text`` (code points). Annotation text is not
stored twice: it is read back from the article text. Every annotation has an ``origin``
(``model`` or ``human``) and a ``rejected`` flag, so that re-analysis can leave alone what a
person made or turned down.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Named constraints, so that Alembic's batch mode on SQLite can alter them later.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class CollectionRow(Base):
    __tablename__ = "collection"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    labels: Mapped[list[Any] | None] = mapped_column(JSON, default=None)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # "shared": one layer everybody edits; "parallel": each assigned annotator edits their
    # own layer, started from the model's output (migration 0007)
    annotation_mode: Mapped[str] = mapped_column(
        String(10), default="shared", server_default="shared"
    )
    annotators_per_article: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # the pipeline analysis uses for this collection when none is asked for (migration 0008)
    model: Mapped[str | None] = mapped_column(String(200), default=None)


class ArticleRow(Base):
    __tablename__ = "article"
    __table_args__ = (UniqueConstraint("collection_id", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    collection_id: Mapped[int] = mapped_column(
        ForeignKey("collection.id", ondelete="CASCADE"), index=True
    )
    external_id: Mapped[str] = mapped_column(String(500))
    title: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text)
    text_hash: Mapped[str] = mapped_column(String(64), index=True)
    meta: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(20), default="unreviewed", index=True)
    # the publication date as given by the source (ISO 8601 text), for sorting the list
    published: Mapped[str | None] = mapped_column(String(40), index=True)
    model_name: Mapped[str | None] = mapped_column(String(200))
    model_version: Mapped[str | None] = mapped_column(String(50))
    analyzed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    # bumped by every change to the article or its annotations: detects concurrent writers
    revision: Mapped[int] = mapped_column(Integer, default=1)
    # its least certain quote (1.0: a person's), kept by the triggers of migration 0005
    lowest_confidence: Mapped[float | None] = mapped_column(Float, index=True)
    # where it was published (meta "outlet", "source", "publisher", or the URL's host;
    # migration 0006), for the sources index and the statistics
    outlet: Mapped[str | None] = mapped_column(String(200), index=True)
    # its live quotes without a source, kept by the triggers of migration 0010
    unsourced_quotes: Mapped[int] = mapped_column(Integer, server_default="0")
    # its live quotes and live sources, kept by the triggers of migration 0011 (indexed
    # with the id there: the browser's keyset order)
    quote_count: Mapped[int] = mapped_column(Integer, server_default="0")
    source_count: Mapped[int] = mapped_column(Integer, server_default="0")
    # who set its review status last, and when (migration 0012)
    status_by: Mapped[str | None] = mapped_column(String(200), default=None)
    status_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)

    entities: Mapped[list[EntityRow]] = relationship(
        back_populates="article", cascade="all, delete-orphan", passive_deletes=True
    )
    sources: Mapped[list[SourceRow]] = relationship(
        back_populates="article", cascade="all, delete-orphan", passive_deletes=True
    )
    quotes: Mapped[list[QuoteRow]] = relationship(
        back_populates="article", cascade="all, delete-orphan", passive_deletes=True
    )


class _Annotation:
    origin: Mapped[str] = mapped_column(String(10), default="model")
    rejected: Mapped[bool] = mapped_column(Boolean, default=False)
    # who made or last changed a human row (NULL: the model's, or not known; 0012)
    annotator: Mapped[str | None] = mapped_column(String(200), default=None)


class EntityRow(_Annotation, Base):
    __tablename__ = "entity"

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("article.id", ondelete="CASCADE"), index=True
    )
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(50))

    article: Mapped[ArticleRow] = relationship(back_populates="entities")


class SourceRow(_Annotation, Base):
    __tablename__ = "source"

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("article.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(50))
    name: Mapped[str] = mapped_column(Text)
    type: Mapped[str] = mapped_column(String(20), default="OTHER")
    description: Mapped[str] = mapped_column(Text, default="")
    # its live quotes, kept by the triggers of migration 0010
    quote_count: Mapped[int] = mapped_column(Integer, server_default="0")

    article: Mapped[ArticleRow] = relationship(back_populates="sources")
    mentions: Mapped[list[MentionRow]] = relationship(
        back_populates="source",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="MentionRow.start",
    )


class MentionRow(Base):
    __tablename__ = "mention"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id", ondelete="CASCADE"), index=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)

    source: Mapped[SourceRow] = relationship(back_populates="mentions")


class QuoteRow(_Annotation, Base):
    __tablename__ = "quote"

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("article.id", ondelete="CASCADE"), index=True
    )
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(10))
    cue_start: Mapped[int | None] = mapped_column(Integer)
    cue_end: Mapped[int | None] = mapped_column(Integer)
    speaker_start: Mapped[int | None] = mapped_column(Integer)
    speaker_end: Mapped[int | None] = mapped_column(Integer)
    source_id: Mapped[int | None] = mapped_column(
        ForeignKey("source.id", ondelete="SET NULL"), index=True
    )
    # the engine's calibrated confidences and reasons (migration 0004); none on a person's
    confidence: Mapped[float | None] = mapped_column(Float)
    reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    source_confidence: Mapped[float | None] = mapped_column(Float)
    source_reason: Mapped[str] = mapped_column(Text, default="", server_default="")

    article: Mapped[ArticleRow] = relationship(back_populates="quotes")
    source: Mapped[SourceRow | None] = relationship()


class EditRow(Base):
    """One analyst edit: what changed, from what, to what, when and by whom."""

    __tablename__ = "edit"

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int | None] = mapped_column(
        ForeignKey("article.id", ondelete="SET NULL"), index=True
    )
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    user: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(50))
    target: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[int | None] = mapped_column(Integer)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # the layer edited: NULL for the shared one, else "curated" or "annotator:NAME" (0007)
    layer: Mapped[str | None] = mapped_column(String(220))


# --- collection-wide source records (issue 12, migration 0006) --------------------------


class PersonRow(Base):
    """A collection-wide record of a person, organisation or other source; ``key`` is its
    exchange id (JSONL), unique in the collection."""

    __tablename__ = "person"
    __table_args__ = (UniqueConstraint("collection_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    collection_id: Mapped[int] = mapped_column(
        ForeignKey("collection.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(50))
    name: Mapped[str] = mapped_column(Text)
    type: Mapped[str] = mapped_column(String(10), default="PERSON")
    role: Mapped[str] = mapped_column(Text, default="")
    gender: Mapped[str | None] = mapped_column(String(30))
    gender_origin: Mapped[str | None] = mapped_column(String(10))
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    attributes: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    origin: Mapped[str] = mapped_column(String(10), default="model")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    # what the sources index shows, over its linked sources that are not rejected: kept by
    # the triggers of migration 0011 (never written here)
    quote_count: Mapped[int] = mapped_column(Integer, server_default="0")
    article_count: Mapped[int] = mapped_column(Integer, server_default="0")
    outlet_count: Mapped[int] = mapped_column(Integer, server_default="0")
    first_published: Mapped[str | None] = mapped_column(String(40))
    last_published: Mapped[str | None] = mapped_column(String(40))


class PersonNameRow(Base):
    """The name forms a record answers to (its name, surname, aliases, short forms),
    normalised, so the linking rules find candidates with one indexed lookup."""

    __tablename__ = "person_name"
    __table_args__ = (Index("ix_person_name_lookup", "collection_id", "form"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    collection_id: Mapped[int] = mapped_column(Integer)
    form: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(10))


class SourceLinkRow(Base):
    """The link from an article's source (by article and source key: keys survive undo
    and re-analysis, row ids do not) to a record. ``person_id`` NULL: linked to none
    (origin ``human``: a person's refusal; rule ``ambiguous``: left for the analyst, the
    ``candidates`` listed)."""

    __tablename__ = "source_link"
    __table_args__ = (UniqueConstraint("article_id", "source_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"))
    source_key: Mapped[str] = mapped_column(String(50))
    source_name: Mapped[str] = mapped_column(Text, default="")
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), index=True
    )
    origin: Mapped[str] = mapped_column(String(10), default="model")
    confidence: Mapped[float | None] = mapped_column(Float)
    rule: Mapped[str] = mapped_column(String(50), default="")
    candidates: Mapped[list[int] | None] = mapped_column(JSON)


# --- annotators, their layers and the curated layer (issue 14, migration 0007) ----------


class AnnotatorRow(Base):
    """A person who annotates in this database: ``role`` is ``annotator`` or ``curator``."""

    __tablename__ = "annotator"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    role: Mapped[str] = mapped_column(String(10), default="annotator")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class LayerRow(Base):
    """One annotator's version of one article (``kind`` ``annotator``, ``annotator`` its
    owner), or the article's curated version (``kind`` ``curated``, ``annotator`` "").

    A row is also the article's assignment to its annotator. ``annotations`` holds the
    version's entities, sources and quotes in the project's JSONL form, written whole in one
    statement; NULL until the annotator starts (from the model's output). ``status`` is
    that annotator's review status, ``revision`` detects a second writer, ``updated_by``
    who saved it last (the curator, for the curated layer).
    """

    __tablename__ = "annotation_layer"
    __table_args__ = (UniqueConstraint("article_id", "kind", "annotator"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("article.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(10), default="annotator")
    annotator: Mapped[str] = mapped_column(String(200), index=True)
    annotations: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(20), default="unreviewed")
    revision: Mapped[int] = mapped_column(Integer, default=1)
    assigned_by: Mapped[str] = mapped_column(String(200), default="")
    assigned_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(200), default="")
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
