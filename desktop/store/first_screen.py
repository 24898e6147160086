"""The window's first screen read with the standard library's ``sqlite3`` (issue 16).

Before the first paint the window needs the collections, the browser's first page (the list
starts unfiltered, in import order) and the article it opens with: this module reads them
from a read-only connection (``mode=ro``) into the very rows and domain objects the full
store gives (``listing.ArticleSummary``, ``domain.Article`` as ``convert.read_articles``
builds it, rejected annotations included), without importing SQLAlchemy.

It reads only when the file is sure to open as it is: the same file checks as
``Database.open`` (``integrity``), a Quotedesk database at ``HEAD_REVISION`` that carries
its identity stamp, no team (annotators, layers, a collection in parallel mode). Anything
else, or any error, gives None: the caller then takes the full path, which says what is
wrong in today's words.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from desktop.domain import Article, ArticleStatus, Entity, Origin, Quote, QuoteKind, Source, Span
from desktop.store import integrity
from desktop.store.errors import StoreError
from desktop.store.listing import ArticleSummary
from desktop.store.open_rules import CHEAP_CHECK_BYTES, HEAD_REVISION


@dataclass(frozen=True)
class StoredArticle:
    """An article as the window loads it, with its collection's name and stored labels."""

    id: int
    article: Article
    analyzed: bool
    collection: str
    labels: object


@dataclass(frozen=True)
class StoredScreen:
    """What the window shows first, as stored: the collection names (sorted), the first
    ``limit`` rows of the unfiltered list in id order and their total, the article shown
    (``shown``) and, with an ``--open`` of another, the one the list picks on its way."""

    collections: list[str]
    page: list[ArticleSummary]
    total: int
    shown: StoredArticle
    picked: StoredArticle | None = None

    @property
    def article_id(self) -> int:
        return self.shown.id

    @property
    def article(self) -> Article:
        return self.shown.article

    @property
    def analyzed(self) -> bool:
        return self.shown.analyzed

    @property
    def collection(self) -> str:
        return self.shown.collection

    @property
    def labels(self) -> object:
        return self.shown.labels


_PAGE = """
SELECT a.id, a.external_id, a.title, a.status, c.name, a.analyzed_at,
       substr(a.text, 1, 120), a.published,
       (SELECT count(*) FROM entity AS e WHERE e.article_id = a.id AND e.rejected IS 0),
       a.quote_count, a.source_count, a.lowest_confidence
FROM article AS a JOIN collection AS c ON c.id = a.collection_id
ORDER BY a.id, a.id LIMIT ? OFFSET 0
"""
_ARTICLE = """
SELECT a.external_id, a.title, a.text, a.meta, a.status, a.model_name, a.model_version,
       a.revision, a.status_by, a.status_at, a.analyzed_at, c.name, c.labels
FROM article AS a JOIN collection AS c ON c.id = a.collection_id WHERE a.id = ?
"""
_ENTITIES = """
SELECT start, "end", label, origin, rejected, annotator FROM entity
WHERE article_id = ? ORDER BY start, "end", id
"""
_SOURCES = """
SELECT id, "key", name, type, description, origin, annotator FROM source
WHERE article_id = ? AND rejected IS 0 ORDER BY id
"""
_MENTIONS = """
SELECT m.source_id, m.start, m."end" FROM mention AS m JOIN source AS s ON m.source_id = s.id
WHERE s.article_id = ? ORDER BY m.source_id, m.start, m.id
"""
_QUOTES = """
SELECT start, "end", kind, cue_start, cue_end, speaker_start, speaker_end, source_id, origin,
       rejected, confidence, reason, source_confidence, source_reason, annotator
FROM quote WHERE article_id = ? ORDER BY start, "end", id
"""
_TEAM = """
SELECT (SELECT count(*) FROM annotator) + (SELECT count(*) FROM annotation_layer)
     + (SELECT count(*) FROM collection WHERE annotation_mode IS NOT 'shared')
"""


def read_first_screen(
    path: Path, open_id: str | None, last_article: str, limit: int, checks: bool = True
) -> StoredScreen | None:
    """The first screen of the database file at ``path``, or None when the full path must
    read it. ``open_id``: the article asked for (``--open``), which must be on the first
    page; else the one shown last (``last_article``) when it is there, else the first.
    ``checks=False``: the file checks passed a moment ago in this process (a second read
    for another last article); the revision is compared again all the same."""
    try:
        if not path.is_file() or path.stat().st_size == 0:
            return None  # a new database: the full path creates it (and seeds the sample)
        if checks:
            integrity.check_file_kind(path)
            integrity.check_sqlite_header(path)
            small = path.stat().st_size <= CHEAP_CHECK_BYTES
            found = integrity.inspect_file(path, HEAD_REVISION, small)
            if found.kind != "quotedesk" or found.revision != HEAD_REVISION:
                return None
        conn = integrity.read_only(path)
        try:
            return _read(conn, open_id, last_article, limit)
        finally:
            conn.close()
    except (StoreError, sqlite3.Error, OSError, ValueError, KeyError, UnicodeError):
        return None


def _read(
    conn: sqlite3.Connection, open_id: str | None, last_article: str, limit: int
) -> StoredScreen | None:
    if conn.execute("SELECT version_num FROM alembic_version").fetchall() != [(HEAD_REVISION,)]:
        return None
    stamped = conn.execute("PRAGMA application_id").fetchone()[0] == integrity.APPLICATION_ID
    if not stamped or not conn.execute("PRAGMA user_version").fetchone()[0]:
        return None  # the full open writes the stamp first
    if conn.execute(_TEAM).fetchone()[0]:
        return None  # a team's database: layers, "Assigned to me", the annotator's name
    page = [_summary(row) for row in conn.execute(_PAGE, (limit,))]
    if not page:
        return None
    ids = [s.external_id for s in page]
    # the list's own pick when it loads (``MainWindow._on_list_loaded``)
    pick = page[ids.index(last_article) if last_article in ids else 0].id
    wanted: int | None = pick
    if open_id is not None:
        row = conn.execute(
            "SELECT id FROM article WHERE external_id = ? ORDER BY id LIMIT 1", (open_id,)
        ).fetchone()
        wanted = row[0] if row is not None else None
    if wanted is None or wanted not in {s.id for s in page}:
        return None
    total = conn.execute("SELECT count(*) FROM article").fetchone()[0]
    names = [r[0] for r in conn.execute("SELECT name FROM collection ORDER BY name")]
    picked = _article(conn, pick) if pick != wanted else None
    return StoredScreen(names, page, total, _article(conn, wanted), picked)


def _summary(r: tuple[Any, ...]) -> ArticleSummary:
    aid, external_id, title, status, name, analyzed_at, head, published = r[:8]
    return ArticleSummary(
        id=aid,
        external_id=external_id,
        title=title or head.split("\n", 1)[0],
        status=status,
        collection=name,
        analyzed=analyzed_at is not None,
        entities=r[8],
        quotes=r[9],
        sources=r[10],
        published=published or "",
        lowest_confidence=r[11],
    )


def _article(conn: sqlite3.Connection, aid: int) -> StoredArticle:
    """The article as ``convert.read_articles(..., include_rejected=True)`` builds it."""
    head = conn.execute(_ARTICLE, (aid,)).fetchone()
    (external_id, title, text, meta, status, model_name, model_version, revision) = head[:8]
    status_by, status_at, analyzed_at, collection, labels = head[8:]
    entities = [
        Entity(s, e, label, text[s:e], Origin(origin), bool(rejected), who)
        for s, e, label, origin, rejected, who in conn.execute(_ENTITIES, (aid,))
    ]
    mentions: dict[int, list[Span]] = {}
    for sid, s, e in conn.execute(_MENTIONS, (aid,)):
        mentions.setdefault(sid, []).append(Span(s, e, text[s:e]))
    sources, keys = [], {}
    for sid, key, name, type_, description, origin, who in conn.execute(_SOURCES, (aid,)):
        keys[sid] = key
        sources.append(
            Source(
                key, name, type_, description, mentions.get(sid, []), Origin(origin), annotator=who
            )
        )
    quotes = [
        Quote(
            q[0],
            q[1],
            text[q[0] : q[1]],
            QuoteKind(q[2]),
            _span(text, q[3], q[4]),
            _span(text, q[5], q[6]),
            keys.get(q[7]) if q[7] is not None else None,
            Origin(q[8]),
            bool(q[9]),
            q[10],
            q[11] or "",
            q[12],
            q[13] or "",
            q[14],
        )  # fmt: skip
        for q in conn.execute(_QUOTES, (aid,))
    ]
    article = Article(
        external_id=external_id,
        text=text,
        title=title,
        meta=dict(json.loads(meta) or {}) if meta is not None else {},
        status=ArticleStatus(status),
        entities=entities,
        sources=sources,
        quotes=quotes,
        model_name=model_name,
        model_version=model_version,
        revision=revision,
        status_by=status_by,
        status_at=_utc(status_at),
    )
    stored_labels = json.loads(labels) if labels is not None else None
    return StoredArticle(aid, article, analyzed_at is not None, collection, stored_labels)


def _span(text: str, start: int | None, end: int | None) -> Span | None:
    if start is None or end is None:
        return None
    return Span(start, end, text[start:end])


def _utc(stored: str | None) -> datetime | None:
    """A stored DATETIME as ``convert.as_utc`` gives it: an aware UTC datetime."""
    if stored is None:
        return None
    at = datetime.fromisoformat(stored)
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
