"""Records and links in and out of files: the export puts each source's record on it
(``Source.record``), the import writes records and links back from it.

A record is named in a file by its ``key``. Importing a source whose record key the
collection already has links it to that record and leaves the record as it is (a
person's edits there are not overwritten); an unknown key makes the record, with every
field as the file gives it. An ambiguous link carries its candidates whole, and the first
article of each collection the records that no source links to, so that an export loses no
record and no undecided source.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.orm import Session

from desktop.domain import Article
from desktop.domain.people import Person, RecordLink
from desktop.store.models import ArticleRow, PersonRow, SourceLinkRow
from desktop.store.people import add_person, refresh_names, set_link, to_person


def with_records(
    session: Session, articles: Iterable[tuple[int, Article]], batch: int = 200
) -> Iterator[tuple[int, Article]]:
    """The articles with their sources' records attached, read in batches; the first
    article of each collection also carries the collection's records no source links to."""
    part: list[tuple[int, Article]] = []
    seen: set[int] = set()  # the collections whose first article has gone by
    for pair in articles:
        part.append(pair)
        if len(part) >= batch:
            attach_records(session, part, seen)
            yield from part
            part = []
    attach_records(session, part, seen)
    yield from part


def attach_records(
    session: Session, articles: Sequence[tuple[int, Article]], seen: set[int] | None = None
) -> None:
    """Fill ``record`` on the sources of these articles (by database id) from their
    links (an ambiguous link with its candidates); a source with no link keeps None. With
    ``seen``, an article of a collection not in it carries that collection's records that
    no source links to (``Article.records``), and the collection is added to it."""
    ids = [aid for aid, _ in articles]
    if not ids:
        return
    links = {
        (row.article_id, row.source_key): row
        for row in session.scalars(select(SourceLinkRow).where(SourceLinkRow.article_id.in_(ids)))
    }
    pids = {row.person_id for row in links.values() if row.person_id is not None}
    pids.update(pid for row in links.values() for pid in row.candidates or [])
    persons = _persons(session, PersonRow.id.in_(sorted(pids))) if pids else {}
    for aid, article in articles:
        for source in article.sources:
            row = links.get((aid, source.key))
            if row is None:
                continue
            record = persons.get(row.person_id) if row.person_id is not None else None
            among = tuple(persons[p] for p in row.candidates or [] if p in persons)
            source.record = RecordLink(record, row.origin, row.confidence, row.rule, among)
    if seen is not None:
        _attach_unlinked(session, articles, seen)


def _persons(session: Session, where: ColumnElement[bool]) -> dict[int, Person]:
    return {p.id: to_person(p) for p in session.scalars(select(PersonRow).where(where))}


def _attach_unlinked(
    session: Session, articles: Sequence[tuple[int, Article]], seen: set[int]
) -> None:
    ids = [aid for aid, _ in articles]
    stmt = select(ArticleRow.id, ArticleRow.collection_id).where(ArticleRow.id.in_(ids))
    collection_of = {aid: cid for aid, cid in session.execute(stmt)}
    for aid, article in articles:
        cid = collection_of.get(aid)
        if cid is None or cid in seen:
            continue
        seen.add(cid)
        linked = select(SourceLinkRow.id).where(SourceLinkRow.person_id == PersonRow.id)
        unlinked = and_(PersonRow.collection_id == cid, ~linked.exists())
        article.records = tuple(sorted(_persons(session, unlinked).values(), key=_by_key))


def _by_key(person: Person) -> str:
    return person.key


def import_links(session: Session, collection_id: int, article_id: int, article: Article) -> int:
    """Write the links (and the records they name) that a read article's sources carry,
    and the records it carries that no source links to; returns how many links."""
    for person in article.records:
        _record_for(session, collection_id, person)
    done = 0
    for source in article.sources:
        link = source.record
        if link is None:
            continue
        person_id = None
        if link.record is not None:
            person_id = _record_for(session, collection_id, link.record)
        among = [_record_for(session, collection_id, p) for p in link.candidates]
        set_link(
            session,
            article_id,
            source.key,
            source.name,
            person_id,
            origin=link.origin,
            rule=link.rule,
            confidence=link.confidence,
            candidates=among,
        )
        done += 1
    return done


def _record_for(session: Session, collection_id: int, person: Person) -> int:
    """The id of the collection's record of ``person.key``, made from ``person`` when the
    collection has none (an existing record is left as it is)."""
    found = session.scalar(
        select(PersonRow.id).where(
            PersonRow.collection_id == collection_id, PersonRow.key == person.key
        )
    )
    if found is not None:
        return found
    row = add_person(
        session,
        collection_id,
        person.name,
        person.type,
        role=person.role,
        aliases=person.aliases,
        origin=person.origin,
        key=person.key,
    )
    row.gender = person.gender
    row.gender_origin = str(person.gender_origin) if person.gender_origin else None
    row.attributes = dict(person.attributes)
    refresh_names(session, row)
    return row.id
