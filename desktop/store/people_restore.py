"""Undo and redo of record edits: put back a captured state of records and links."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, insert
from sqlalchemy.orm import Session

from desktop.store.models import Base, PersonRow, SourceLinkRow
from desktop.store.people import refresh_names, set_link
from desktop.store.people_edits import (
    PERSON_FIELDS,
    LinkKey,
    PeopleError,
    RecordState,
    capture,
    restricted,
)


@dataclass(frozen=True)
class Restore:
    """Put ``target`` back where ``expected`` is now (undo and redo)."""

    expected: RecordState
    target: RecordState

    def scope(self, session: Session) -> tuple[set[int], set[LinkKey]]:
        return {p for p, _ in self.target.persons}, {k for k, _ in self.target.links}

    def apply(self, session: Session) -> tuple[int, ...]:
        now = capture(session, *self.scope(session))
        if now != restricted(self.expected, now):
            raise PeopleError(
                "These records were changed since (by another edit or a re-analysis); "
                "the edit cannot be undone."
            )
        table = Base.metadata.tables[PersonRow.__tablename__]
        for pid, data in self.target.persons:
            row = session.get(PersonRow, pid)
            if data is None:
                continue
            if row is None:
                session.execute(insert(table), [{"id": pid, **data}])
                row = session.get_one(PersonRow, pid)
            else:
                for f in PERSON_FIELDS:
                    setattr(row, f, data[f])
            refresh_names(session, row)
        for (aid, key), link in self.target.links:
            if link is None:
                session.execute(
                    delete(SourceLinkRow).where(
                        SourceLinkRow.article_id == aid, SourceLinkRow.source_key == key
                    )
                )
            else:
                set_link(
                    session,
                    aid,
                    key,
                    link["source_name"],
                    link["person_id"],
                    origin=link["origin"],
                    rule=link["rule"],
                    confidence=link["confidence"],
                    candidates=link["candidates"] or (),
                )
        session.flush()
        for pid, data in self.target.persons:
            if data is None and (row := session.get(PersonRow, pid)) is not None:
                session.delete(row)
        return tuple(p for p, d in self.target.persons if d is not None)
