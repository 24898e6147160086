"""Hand edits to one article's annotations, row by row.

Annotations are named by what they are, not by row id: an entity by (start, end, label), a
quote by (start, end), a source by its key. Row ids change when an undo restores a snapshot;
these names do not. Every function here marks what it touches as ``human``; deleting a
model annotation rejects it instead, so that re-analysis does not bring it back.

Who: a session whose ``info[ANNOTATOR]`` names a person (``set_annotator``; the editor sets
it for every edit) writes that name into every human annotation row the edit adds or
changes, whichever function here changed it (``_name_rows``, run before each flush).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, event, insert, select
from sqlalchemy.orm import Session, object_session

from desktop.domain import (
    Article,
    Origin,
    QuoteKind,
)
from desktop.store import bulk
from desktop.store.convert import read_articles
from desktop.store.errors import ConflictError, StoreError
from desktop.store.models import (
    ArticleRow,
    EntityRow,
    MentionRow,
    QuoteRow,
    SourceLinkRow,
    SourceRow,
)

HUMAN = str(Origin.HUMAN)
ANNOTATOR = "quotedesk_annotator"  # the session.info key naming who edits


def set_annotator(session: Session, name: str | None) -> None:
    """Every human annotation row this session adds or changes from now on names ``name``."""
    session.info[ANNOTATOR] = name


@event.listens_for(Session, "before_flush")
def _name_rows(session: Session, _context: object, _instances: object) -> None:
    """Write the session's annotator into the human annotation rows about to be flushed."""
    who = session.info.get(ANNOTATOR)
    if who is None:
        return
    for obj in (*session.new, *session.dirty):
        if isinstance(obj, EntityRow | QuoteRow | SourceRow) and obj.origin == HUMAN:
            if obj.annotator != who:
                obj.annotator = who


class EditError(StoreError):
    """An edit that cannot be made (the annotation is gone, a span is out of range)."""


def load_for_edit(session: Session, article_id: int, revision: int | None) -> ArticleRow:
    """The article row with its annotations, if nobody changed it since ``revision``."""
    row = session.get(ArticleRow, article_id)
    if row is None:
        raise EditError("This article no longer exists.")
    if revision is not None and row.revision != revision:
        raise ConflictError(
            "This article was changed in another window or by re-analysis since you opened "
            "it; it has been reloaded. Please make your change again."
        )
    return row


def snapshot(session: Session, row: ArticleRow) -> Article:
    """Everything a person can edit, rejected annotations included."""
    session.flush()
    return read_articles(session, [row.id], include_rejected=True)[0][1]


def _check(row: ArticleRow, start: int, end: int) -> None:
    if not (0 <= start < end <= len(row.text)):
        raise EditError(f"The span {start}..{end} is outside the article.")


def _overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


def _drop(item: QuoteRow, collection: list[Any]) -> None:
    """Delete a human quote; reject a model one."""
    if item.origin == HUMAN:
        collection.remove(item)
    else:
        item.rejected = True


def entity_dict(e: EntityRow) -> dict[str, Any]:
    return {"start": e.start, "end": e.end, "label": e.label, "origin": e.origin}


def quote_dict(q: QuoteRow) -> dict[str, Any]:
    return {
        "start": q.start,
        "end": q.end,
        "kind": q.kind,
        "speaker": [q.speaker_start, q.speaker_end] if q.speaker_start is not None else None,
        "source": q.source.key if q.source else None,
        "origin": q.origin,
    }


def source_dict(s: SourceRow) -> dict[str, Any]:
    return {"key": s.key, "name": s.name, "type": s.type, "description": s.description}


# --- entities -------------------------------------------------------------------------


def find_entity(session: Session, row: ArticleRow, start: int, end: int, label: str) -> EntityRow:
    found = session.scalars(
        select(EntityRow).where(
            EntityRow.article_id == row.id,
            EntityRow.start == start,
            EntityRow.end == end,
            EntityRow.label == label,
            EntityRow.rejected.is_(False),
        )
    ).first()
    if found is None:
        raise EditError(f"There is no {label} entity at {start}..{end} any more.")
    return found


def _drop_entity(session: Session, entity: EntityRow) -> None:
    """Delete a human entity; reject a model one."""
    if entity.origin == HUMAN:
        session.delete(entity)
    else:
        entity.rejected = True
    session.flush()


def add_entity(session: Session, row: ArticleRow, start: int, end: int, label: str) -> EntityRow:
    """A human entity; any entity it overlaps is removed (model ones are rejected)."""
    _check(row, start, end)
    overlapping = session.scalars(
        select(EntityRow).where(
            EntityRow.article_id == row.id,
            EntityRow.rejected.is_(False),
            EntityRow.start < end,
            EntityRow.end > start,
        )
    )
    for entity in list(overlapping):
        _drop_entity(session, entity)
    new = EntityRow(
        article_id=row.id, start=start, end=end, label=label, origin=HUMAN, rejected=False
    )
    session.add(new)
    session.flush()
    return new


def delete_entity(session: Session, row: ArticleRow, start: int, end: int, label: str) -> EntityRow:
    entity = find_entity(session, row, start, end, label)
    _drop_entity(session, entity)
    return entity


# --- quotes ---------------------------------------------------------------------------


def find_quote(row: ArticleRow, start: int, end: int) -> QuoteRow:
    for q in row.quotes:
        if (q.start, q.end) == (start, end) and not q.rejected:
            return q
    raise EditError(f"There is no quote at {start}..{end} any more.")


def find_source(row: ArticleRow, key: str) -> SourceRow:
    for s in row.sources:
        if s.key == key and not s.rejected:
            return s
    raise EditError(f"The source {key!r} no longer exists.")


def add_quote(row: ArticleRow, start: int, end: int, kind: QuoteKind) -> QuoteRow:
    _check(row, start, end)
    for q in row.quotes:
        if (q.start, q.end) == (start, end) and not q.rejected:
            raise EditError("There is already a quote on exactly this text.")
    new = QuoteRow(start=start, end=end, kind=str(kind), origin=HUMAN, rejected=False)
    row.quotes.append(new)
    return new


def update_quote(
    row: ArticleRow,
    quote: QuoteRow,
    *,
    span: tuple[int, int] | None = None,
    kind: QuoteKind | None = None,
    speaker: tuple[int, int] | None | bool = False,
    source_key: str | None | bool = False,
) -> QuoteRow:
    """Change some of a quote's fields (``False`` leaves one as it is; ``None`` clears)."""
    if span is not None:
        _check(row, *span)
        quote.start, quote.end = span
    if kind is not None:
        quote.kind = str(kind)
    if speaker is not False:
        if speaker is None:
            quote.speaker_start = quote.speaker_end = None
        else:
            assert isinstance(speaker, tuple)
            _check(row, *speaker)
            quote.speaker_start, quote.speaker_end = speaker
            if quote.source is not None:
                _add_mention(quote.source, *speaker)
    if source_key is not False:
        quote.source = find_source(row, source_key) if isinstance(source_key, str) else None
        if quote.source is not None and quote.speaker_start is not None:
            _add_mention(quote.source, quote.speaker_start, quote.speaker_end or 0)
    quote.origin = HUMAN
    # a person's quote carries no model confidence: the engine's account no longer holds
    quote.confidence = quote.source_confidence = None
    quote.reason = quote.source_reason = ""
    return quote


def delete_quote(row: ArticleRow, start: int, end: int) -> QuoteRow:
    quote = find_quote(row, start, end)
    _drop(quote, row.quotes)
    return quote


# --- sources --------------------------------------------------------------------------


def _add_mention(source: SourceRow, start: int, end: int) -> None:
    if not any((m.start, m.end) == (start, end) for m in source.mentions):
        source.mentions.append(MentionRow(start=start, end=end))


def _free_key(row: ArticleRow) -> str:
    taken = {s.key for s in row.sources}
    n = 1
    while f"s{n}" in taken:
        n += 1
    return f"s{n}"


def add_source(row: ArticleRow, name: str, type_: str, description: str = "") -> SourceRow:
    if not name.strip():
        raise EditError("A source needs a name.")
    new = SourceRow(
        key=_free_key(row),
        name=name.strip(),
        type=type_,
        description=description.strip(),
        origin=HUMAN,
        rejected=False,
    )
    row.sources.append(new)
    # a key freed by a merge and given again: the old source's link is not this one's
    session = object_session(row)
    if session is not None:
        session.execute(
            delete(SourceLinkRow).where(
                SourceLinkRow.article_id == row.id, SourceLinkRow.source_key == new.key
            )
        )
    return new


def update_source(
    source: SourceRow,
    name: str | None = None,
    type_: str | None = None,
    description: str | None = None,
) -> SourceRow:
    if name is not None:
        if not name.strip():
            raise EditError("A source needs a name.")
        source.name = name.strip()
    if type_ is not None:
        source.type = type_
    if description is not None:
        source.description = description.strip()
    source.origin = HUMAN
    return source


def merge_sources(row: ArticleRow, keep_key: str, drop_key: str) -> SourceRow:
    """Move every quote and mention of ``drop_key`` to ``keep_key`` and remove it."""
    if keep_key == drop_key:
        raise EditError("A source cannot be merged into itself.")
    keep, drop = find_source(row, keep_key), find_source(row, drop_key)
    for q in row.quotes:
        if q.source is drop:
            q.source = keep
            q.origin = HUMAN
    for m in list(drop.mentions):
        _add_mention(keep, m.start, m.end)
    row.sources.remove(drop)
    keep.origin = HUMAN
    return keep


def split_source(row: ArticleRow, key: str, quotes: list[tuple[int, int]], name: str) -> SourceRow:
    """Give the listed quotes of a source (and their speaker mentions) to a new source."""
    old = find_source(row, key)
    moving = [find_quote(row, *span) for span in quotes]
    if not moving or any(q.source is not old for q in moving):
        raise EditError("Pick one or more quotes of this source to split off.")
    new = add_source(row, name, old.type, old.description)
    speakers = set()
    for q in moving:
        q.source = new
        q.origin = HUMAN
        if q.speaker_start is not None and q.speaker_end is not None:
            speakers.add((q.speaker_start, q.speaker_end))
            _add_mention(new, q.speaker_start, q.speaker_end)
    still_used = {(q.speaker_start, q.speaker_end) for q in row.quotes if q.source is old}
    for m in list(old.mentions):
        if (m.start, m.end) in speakers and (m.start, m.end) not in still_used:
            old.mentions.remove(m)
    old.origin = HUMAN
    return new


# --- whole-article restore (undo and redo) --------------------------------------------


def _restore_entities(session: Session, aid: int, state: Article) -> None:
    """Entities are most of an article's rows and an undo changes few of them: delete and
    insert only the difference."""
    have: dict[tuple[int, int, str, str, bool, str | None], list[int]] = {}
    for rid, start, end, label, origin, rejected, who in session.execute(
        select(
            EntityRow.id,
            EntityRow.start,
            EntityRow.end,
            EntityRow.label,
            EntityRow.origin,
            EntityRow.rejected,
            EntityRow.annotator,
        ).where(EntityRow.article_id == aid)
    ):
        have.setdefault((start, end, label, origin, rejected, who), []).append(rid)
    missing: list[tuple[int, int, str, str, bool, str | None]] = []
    for e in state.entities:
        key = (e.start, e.end, e.label, str(e.origin), e.rejected, e.annotator)
        if have.get(key):
            have[key].pop()
        else:
            missing.append(key)
    surplus = [rid for ids in have.values() for rid in ids]
    if surplus:
        session.execute(delete(EntityRow).where(EntityRow.id.in_(surplus)))
    if missing:
        session.execute(
            insert(EntityRow),
            [
                {
                    "article_id": aid,
                    "start": start,
                    "end": end,
                    "label": label,
                    "origin": origin,
                    "rejected": rejected,
                    "annotator": who,
                }
                for start, end, label, origin, rejected, who in missing
            ],
        )


def restore(session: Session, row: ArticleRow, state: Article) -> None:
    """Make the article's annotations exactly those of ``state`` (a snapshot)."""
    aid = row.id
    session.flush()
    session.execute(delete(QuoteRow).where(QuoteRow.article_id == aid))
    session.execute(delete(SourceRow).where(SourceRow.article_id == aid))  # mentions cascade
    _restore_entities(session, aid, state)
    bulk.insert_sources_and_quotes(session, aid, state.sources, state.quotes)
    row.status = str(state.status)
    row.status_by, row.status_at = state.status_by, state.status_at
    session.expire(row, ["entities", "sources", "quotes"])
