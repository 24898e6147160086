"""The analyst's edits to records, each one transaction with its before and after state.

A ``Change`` says which records and links it touches (``scope``) and makes itself
(``apply``). ``apply_change`` reads the state of what it touches before and after, records
both in the edit history (target "record") and returns them: ``people_restore.Restore``
puts a state back (undo, redo) after checking that nobody changed those rows meanwhile.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.domain.gender_guess import guess_gender
from desktop.domain.people import GenderOrigin, PersonType
from desktop.store.errors import StoreError
from desktop.store.models import ArticleRow, EditRow, PersonRow, SourceLinkRow, SourceRow
from desktop.store.people import HUMAN, add_person, refresh_names, set_link

LinkKey = tuple[int, str]  # (article id, source key)
PERSON_FIELDS = (
    "collection_id",
    "key",
    "name",
    "type",
    "role",
    "gender",
    "gender_origin",
    "aliases",
    "attributes",
    "origin",
)
LINK_FIELDS = ("source_name", "person_id", "origin", "confidence", "rule", "candidates")


class PeopleError(StoreError):
    """A record edit that cannot be made; the message is one line for the analyst."""


@dataclass(frozen=True)
class RecordState:
    """Records (by id) and links (by article id and source key) as they were; None for
    one that did not exist."""

    persons: tuple[tuple[int, dict[str, Any] | None], ...] = ()
    links: tuple[tuple[LinkKey, dict[str, Any] | None], ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {
            "persons": [[pid, p] for pid, p in self.persons],
            "links": [[aid, key, link] for (aid, key), link in self.links],
        }


class Change(Protocol):
    """An edit: ``scope`` lists every existing record and link it may touch or name;
    the records ``apply`` returns beyond them are ones it made."""

    def scope(self, session: Session) -> tuple[set[int], set[LinkKey]]: ...
    def apply(self, session: Session) -> tuple[int, ...]: ...


def _person_dict(row: PersonRow) -> dict[str, Any]:
    out = {f: getattr(row, f) for f in PERSON_FIELDS}
    out["aliases"] = list(out["aliases"] or [])
    out["attributes"] = dict(out["attributes"] or {})
    return out


def _person(session: Session, pid: int) -> PersonRow:
    row = session.get(PersonRow, pid)
    if row is None:
        raise PeopleError("This record no longer exists.")
    return row


def _link_rows(session: Session, keys: Iterable[LinkKey]) -> dict[LinkKey, SourceLinkRow]:
    out: dict[LinkKey, SourceLinkRow] = {}
    by_article: dict[int, set[str]] = {}
    for aid, key in keys:
        by_article.setdefault(aid, set()).add(key)
    for aid, ks in by_article.items():
        for row in session.scalars(
            select(SourceLinkRow).where(
                SourceLinkRow.article_id == aid, SourceLinkRow.source_key.in_(sorted(ks))
            )
        ):
            out[(row.article_id, row.source_key)] = row
    return out


def capture(session: Session, pids: Iterable[int], keys: Iterable[LinkKey]) -> RecordState:
    session.flush()
    persons = []
    for pid in sorted(set(pids)):
        row = session.get(PersonRow, pid)
        persons.append((pid, _person_dict(row) if row is not None else None))
    keys = sorted(set(keys))
    rows = _link_rows(session, keys)
    links = []
    for k in keys:
        link = rows.get(k)
        links.append((k, {f: getattr(link, f) for f in LINK_FIELDS} if link is not None else None))
    return RecordState(tuple(persons), tuple(links))


def _links_to(session: Session, pids: Iterable[int]) -> set[LinkKey]:
    return {
        (aid, key)
        for aid, key in session.execute(
            select(SourceLinkRow.article_id, SourceLinkRow.source_key).where(
                SourceLinkRow.person_id.in_(list(pids))
            )
        )
    }


def _source_name(session: Session, article_id: int, key: str) -> str:
    name = session.scalar(
        select(SourceRow.name).where(
            SourceRow.article_id == article_id,
            SourceRow.key == key,
            SourceRow.rejected.is_(False),
        )
    )
    if name is None:
        raise PeopleError(f"The source {key!r} is no longer in that article.")
    return name


def _collection_of_article(session: Session, article_id: int) -> int:
    found = session.scalar(select(ArticleRow.collection_id).where(ArticleRow.id == article_id))
    if found is None:
        raise PeopleError("That article no longer exists.")
    return found


@dataclass(frozen=True)
class MergeRecords:
    keep: int
    drop: int

    def scope(self, session: Session) -> tuple[set[int], set[LinkKey]]:
        return {self.keep, self.drop}, _links_to(session, [self.keep, self.drop])

    def apply(self, session: Session) -> tuple[int, ...]:
        if self.keep == self.drop:
            raise PeopleError("A record cannot be merged into itself.")
        keep, drop = _person(session, self.keep), _person(session, self.drop)
        if keep.collection_id != drop.collection_id:
            raise PeopleError("Only records of the same collection can be merged.")
        for row in session.scalars(select(SourceLinkRow).where(SourceLinkRow.person_id == drop.id)):
            row.person_id = keep.id
            row.origin, row.rule, row.confidence = HUMAN, "merge", None
        names = [*(keep.aliases or []), drop.name, *(drop.aliases or [])]
        keep.aliases = [n for n in dict.fromkeys(names) if n.casefold() != keep.name.casefold()]
        keep.attributes = {**(drop.attributes or {}), **(keep.attributes or {})}
        if keep.gender is None and drop.gender is not None:
            keep.gender, keep.gender_origin = drop.gender, drop.gender_origin
        keep.role = keep.role or drop.role
        keep.origin = HUMAN
        session.flush()
        session.delete(drop)
        refresh_names(session, keep)
        return (keep.id,)


@dataclass(frozen=True)
class SplitRecord:
    person_id: int
    sources: tuple[LinkKey, ...]
    name: str

    def scope(self, session: Session) -> tuple[set[int], set[LinkKey]]:
        return {self.person_id}, set(self.sources)

    def apply(self, session: Session) -> tuple[int, ...]:
        old = _person(session, self.person_id)
        rows = _link_rows(session, self.sources)
        if not self.sources or any(
            k not in rows or rows[k].person_id != old.id for k in self.sources
        ):
            raise PeopleError("Pick one or more sources of this record to split off.")
        new = add_person(session, old.collection_id, self.name, PersonType(old.type), origin=HUMAN)
        for row in rows.values():
            row.person_id = new.id
            row.origin, row.rule, row.confidence = HUMAN, "split", None
        old.origin = HUMAN
        session.flush()
        return (new.id,)


@dataclass(frozen=True)
class UpdateRecord:
    """Change some fields of a record; ``gender`` is a 1-tuple so that None can be set."""

    person_id: int
    name: str | None = None
    type_: PersonType | None = None
    role: str | None = None
    gender: tuple[str | None] | None = None
    aliases: tuple[str, ...] | None = None
    attributes: dict[str, str] | None = None

    def scope(self, session: Session) -> tuple[set[int], set[LinkKey]]:
        return {self.person_id}, set()

    def apply(self, session: Session) -> tuple[int, ...]:
        row = _person(session, self.person_id)
        if self.name is not None and self.name != row.name:
            old = row.name
            row.name = self.name
            kept = [a for a in (row.aliases or []) if a.casefold() != self.name.casefold()]
            row.aliases = list(dict.fromkeys([*kept, old]))
        if self.type_ is not None:
            row.type = str(self.type_)
        if self.role is not None:
            row.role = self.role
        if self.gender is not None:
            (value,) = self.gender
            row.gender = value
            row.gender_origin = str(GenderOrigin.SET) if value is not None else None
        if self.aliases is not None:
            row.aliases = [a for a in dict.fromkeys(self.aliases) if a != row.name]
        if self.attributes is not None:
            row.attributes = dict(self.attributes)
        row.origin = HUMAN
        refresh_names(session, row)
        return (row.id,)


@dataclass(frozen=True)
class LinkSource:
    """Link an article source to a record, or to none (``person_id`` None)."""

    article_id: int
    source_key: str
    person_id: int | None

    def scope(self, session: Session) -> tuple[set[int], set[LinkKey]]:
        target = {self.person_id} if self.person_id is not None else set()
        return target, {(self.article_id, self.source_key)}

    def apply(self, session: Session) -> tuple[int, ...]:
        name = _source_name(session, self.article_id, self.source_key)
        if self.person_id is not None:
            person = _person(session, self.person_id)
            if person.collection_id != _collection_of_article(session, self.article_id):
                raise PeopleError("That record belongs to another collection.")
        rule = "person" if self.person_id is not None else "refused"
        set_link(
            session,
            self.article_id,
            self.source_key,
            name,
            self.person_id,
            origin=HUMAN,
            rule=rule,
        )
        return (self.person_id,) if self.person_id is not None else ()


@dataclass(frozen=True)
class NewRecordFor:
    article_id: int
    source_key: str
    name: str

    def scope(self, session: Session) -> tuple[set[int], set[LinkKey]]:
        return set(), {(self.article_id, self.source_key)}

    def apply(self, session: Session) -> tuple[int, ...]:
        source = _source_name(session, self.article_id, self.source_key)
        type_ = session.scalar(
            select(SourceRow.type).where(
                SourceRow.article_id == self.article_id, SourceRow.key == self.source_key
            )
        )
        from desktop.domain.people import person_type_of

        person = add_person(
            session,
            _collection_of_article(session, self.article_id),
            self.name,
            person_type_of(type_ or "OTHER"),
            origin=HUMAN,
        )
        set_link(
            session,
            self.article_id,
            self.source_key,
            source,
            person.id,
            origin=HUMAN,
            rule="person",
        )
        return (person.id,)


@dataclass(frozen=True)
class GuessGenders:
    """Guess the gender of every person record of a collection that has none."""

    collection_id: int
    pids: tuple[int, ...] = field(default=())

    def scope(self, session: Session) -> tuple[set[int], set[LinkKey]]:
        return set(self._targets(session)), set()

    def _targets(self, session: Session) -> list[int]:
        return list(
            session.scalars(
                select(PersonRow.id).where(
                    PersonRow.collection_id == self.collection_id,
                    PersonRow.type == str(PersonType.PERSON),
                    PersonRow.gender.is_(None),
                )
            )
        )

    def apply(self, session: Session) -> tuple[int, ...]:
        done = []
        for row in session.scalars(
            select(PersonRow).where(PersonRow.id.in_(self._targets(session)))
        ):
            gender = guess_gender(row.name)
            if gender is not None:
                row.gender, row.gender_origin = gender, str(GenderOrigin.GUESSED)
                done.append(row.id)
        return tuple(done)


def restricted(state: RecordState, like: RecordState) -> RecordState:
    """``state`` for the same rows as ``like`` (rows it lacks did not exist)."""
    persons = dict(state.persons)
    links = dict(state.links)
    return RecordState(
        tuple((p, persons.get(p)) for p, _ in like.persons),
        tuple((k, links.get(k)) for k, _ in like.links),
    )


def apply_change(
    session: Session, change: Change, action: str, user: str
) -> tuple[RecordState, RecordState, tuple[int, ...]]:
    """Make the change, record it in the edit history, return (before, after, result)."""
    pids, keys = change.scope(session)
    before = capture(session, pids, keys)
    result = change.apply(session)
    session.flush()
    after = capture(session, pids | set(result), keys)
    before = restricted(before, after)
    session.add(
        EditRow(
            article_id=None,
            user=user,
            action=action,
            target="record",
            target_id=result[0] if result else None,
            before=before.as_json(),
            after=after.as_json(),
        )
    )
    session.flush()
    return before, after, result
