"""Records and links in and out of files: the export puts each source's record on it
(``Source.record``), the import writes records and links back from it.

A record is named in a file by its ``key``. Importing a source whose record key the
collection already has links it to that record and leaves the record as it is (a
person's edits there are not overwritten); an unknown key makes the record, with every
field as the file gives it. Ambiguous links are not carried: the linking rules make them
again (``services.sources.link_collection``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.domain import Article
from desktop.domain.people import RecordLink
from desktop.store.models import PersonRow, SourceLinkRow
from desktop.store.people import add_person, refresh_names, set_link, to_person


def with_records(
    session: Session, articles: Iterable[tuple[int, Article]], batch: int = 200
) -> Iterator[tuple[int, Article]]:
    """The articles with their sources' records attached, read in batches."""
    part: list[tuple[int, Article]] = []
    for pair in articles:
        part.append(pair)
        if len(part) >= batch:
            attach_records(session, part)
            yield from part
            part = []
    attach_records(session, part)
    yield from part


def attach_records(session: Session, articles: Sequence[tuple[int, Article]]) -> None:
    """Fill ``record`` on the sources of these articles (by database id) from their
    links; a source with no link, or an ambiguous one, keeps None."""
    ids = [aid for aid, _ in articles]
    if not ids:
        return
    links = {
        (row.article_id, row.source_key): row
        for row in session.scalars(select(SourceLinkRow).where(SourceLinkRow.article_id.in_(ids)))
    }
    pids = {row.person_id for row in links.values() if row.person_id is not None}
    persons = {
        p.id: to_person(p)
        for p in (
            session.scalars(select(PersonRow).where(PersonRow.id.in_(sorted(pids)))) if pids else []
        )
    }
    for aid, article in articles:
        for source in article.sources:
            row = links.get((aid, source.key))
            if row is None or row.rule == "ambiguous":
                continue
            record = persons.get(row.person_id) if row.person_id is not None else None
            source.record = RecordLink(record, row.origin, row.confidence, row.rule)


def import_links(session: Session, collection_id: int, article_id: int, article: Article) -> int:
    """Write the links (and the records they name) that a read article's sources carry;
    returns how many."""
    done = 0
    for source in article.sources:
        link = source.record
        if link is None:
            continue
        person_id = None
        if link.record is not None:
            person_id = _record_for(session, collection_id, link)
        set_link(
            session,
            article_id,
            source.key,
            source.name,
            person_id,
            origin=link.origin,
            rule=link.rule,
            confidence=link.confidence,
        )
        done += 1
    return done


def _record_for(session: Session, collection_id: int, link: RecordLink) -> int:
    person = link.record
    assert person is not None
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
