"""Collection-wide source records in the store: rows to ``Person``, the name forms the
linking rules look up, and linking an article's sources at the end of its analysis.

A link names an article's source by (article id, source key): keys survive undo snapshots
and re-analysis of the sources a person kept, row ids do not. ``link_article`` reconciles
an article's links with its sources after every analysis: a person's links (origin
``human``) are kept, following their source by name when re-analysis gave it another key;
the rules' links whose source is gone or renamed are made again; a source with no link is
linked by the rules of ``desktop.domain.linking``, to a new record when none fits, or left
unlinked with its candidates when several do.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from desktop.domain.gender_guess import guess_gender
from desktop.domain.linking import Candidate, Decision, decide, lookup_forms, name_forms
from desktop.domain.people import GenderOrigin, Person, PersonType, SourceLink, person_type_of
from desktop.store.models import ArticleRow, PersonNameRow, PersonRow, SourceLinkRow, SourceRow

HUMAN = "human"
MODEL = "model"


def new_key() -> str:
    """A fresh exchange id for a record ("r-" and 12 hex digits)."""
    return f"r-{uuid.uuid4().hex[:12]}"


def to_person(row: PersonRow) -> Person:
    return Person(
        id=row.id,
        collection_id=row.collection_id,
        name=row.name,
        key=row.key,
        aliases=tuple(row.aliases or ()),
        type=PersonType(row.type),
        role=row.role or "",
        gender=row.gender,
        gender_origin=GenderOrigin(row.gender_origin) if row.gender_origin else None,
        attributes=dict(row.attributes or {}),
        origin=row.origin,
    )


def get_person(session: Session, person_id: int) -> Person | None:
    row = session.get(PersonRow, person_id)
    return to_person(row) if row is not None else None


def persons(session: Session, collection_id: int) -> list[Person]:
    """Every record of a collection, by id."""
    rows = session.scalars(
        select(PersonRow).where(PersonRow.collection_id == collection_id).order_by(PersonRow.id)
    )
    return [to_person(r) for r in rows]


def refresh_names(session: Session, row: PersonRow) -> None:
    """Write the record's name forms again (after its name, type or aliases changed)."""
    session.flush()
    session.execute(delete(PersonNameRow).where(PersonNameRow.person_id == row.id))
    for form, kind in name_forms(row.name, PersonType(row.type), row.aliases or ()):
        session.add(
            PersonNameRow(person_id=row.id, collection_id=row.collection_id, form=form, kind=kind)
        )
    session.flush()


def add_person(
    session: Session,
    collection_id: int,
    name: str,
    type_: PersonType,
    *,
    role: str = "",
    aliases: Sequence[str] = (),
    origin: str = MODEL,
    key: str | None = None,
    guess: bool = False,
) -> PersonRow:
    """A new record (its gender guessed from a person's first name when ``guess``: the
    name list loads in seconds, so analysis does not guess; ``GuessGenders`` does)."""
    gender = guess_gender(name) if guess and type_ == PersonType.PERSON else None
    row = PersonRow(
        collection_id=collection_id,
        key=key or new_key(),
        name=name,
        type=str(type_),
        role=role,
        gender=gender,
        gender_origin=str(GenderOrigin.GUESSED) if gender else None,
        aliases=list(aliases),
        attributes={},
        origin=origin,
    )
    session.add(row)
    session.flush()
    refresh_names(session, row)
    return row


def to_link(row: SourceLinkRow) -> SourceLink:
    return SourceLink(
        article_id=row.article_id,
        source_key=row.source_key,
        source_name=row.source_name,
        person_id=row.person_id,
        origin=row.origin,
        confidence=row.confidence,
        rule=row.rule,
        candidates=tuple(row.candidates or ()),
    )


def links_of_article(session: Session, article_id: int) -> list[SourceLink]:
    rows = session.scalars(
        select(SourceLinkRow)
        .where(SourceLinkRow.article_id == article_id)
        .order_by(SourceLinkRow.source_key)
    )
    return [to_link(r) for r in rows]


def set_link(
    session: Session,
    article_id: int,
    source_key: str,
    source_name: str,
    person_id: int | None,
    *,
    origin: str,
    rule: str,
    confidence: float | None = None,
    candidates: Sequence[int] = (),
) -> SourceLinkRow:
    """Make (or replace) the link of one article source."""
    row = session.scalars(
        select(SourceLinkRow).where(
            SourceLinkRow.article_id == article_id, SourceLinkRow.source_key == source_key
        )
    ).first()
    if row is None:
        row = SourceLinkRow(article_id=article_id, source_key=source_key)
        session.add(row)
    row.source_name = source_name
    row.person_id = person_id
    row.origin = origin
    row.rule = rule
    row.confidence = confidence
    row.candidates = list(candidates) if candidates else None
    session.flush()
    return row


def candidates_for(
    session: Session, collection_id: int, name: str, type_: PersonType
) -> list[Candidate]:
    """The records whose name forms meet the source's lookup forms (one indexed query)."""
    forms = lookup_forms(name, type_)
    if not forms:
        return []
    found: dict[int, list[tuple[str, str]]] = {}
    for pid, form, kind in session.execute(
        select(PersonNameRow.person_id, PersonNameRow.form, PersonNameRow.kind).where(
            PersonNameRow.collection_id == collection_id, PersonNameRow.form.in_(forms)
        )
    ):
        found.setdefault(pid, []).append((form, kind))
    if not found:
        return []
    rows = session.scalars(select(PersonRow).where(PersonRow.id.in_(list(found))))
    return [
        Candidate(
            r.id,
            r.name,
            PersonType(r.type),
            r.role or "",
            tuple(r.aliases or ()),
            tuple(found[r.id]),
        )
        for r in rows
    ]


@dataclass(frozen=True)
class _Src:
    key: str
    name: str
    type: str
    description: str


def _sources(session: Session, article_id: int) -> list[_Src]:
    return [
        _Src(k, n, t, d)
        for k, n, t, d in session.execute(
            select(SourceRow.key, SourceRow.name, SourceRow.type, SourceRow.description).where(
                SourceRow.article_id == article_id, SourceRow.rejected.is_(False)
            )
        )
    ]


def link_article(session: Session, article_id: int) -> list[Decision]:
    """Reconcile the article's links with its sources and link the unlinked ones by the
    rules; returns the rules' decisions for the sources it linked (for tests and counts)."""
    collection_id = session.scalars(
        select(ArticleRow.collection_id).where(ArticleRow.id == article_id)
    ).one()
    sources = _sources(session, article_id)
    by_key = {s.key: s for s in sources}
    by_name: dict[str, _Src] = {}
    for s in sources:
        by_name.setdefault(s.name.casefold(), s)
    rows = list(
        session.scalars(select(SourceLinkRow).where(SourceLinkRow.article_id == article_id))
    )
    linked: set[str] = set()
    # a person's decisions first: they keep their source, following it by name
    for row in sorted(rows, key=lambda r: r.origin != HUMAN):
        here = by_key.get(row.source_key)
        same = here is not None and here.name.casefold() == row.source_name.casefold()
        if row.origin == HUMAN:
            if same:
                linked.add(row.source_key)
                continue
            moved = by_name.get(row.source_name.casefold())
            if moved is not None and moved.key not in linked:
                _rekey(session, row, moved.key, rows)
                linked.add(moved.key)
                continue
            if here is None:
                continue  # its source is gone: the decision waits, in case it comes back
            session.delete(row)  # its key now names another source
        elif same and row.rule != "ambiguous" and row.source_key not in linked:
            linked.add(row.source_key)
        else:
            session.delete(row)
    session.flush()
    decisions = []
    for s in sources:
        if s.key in linked:
            continue
        decisions.append(link_source(session, article_id, collection_id, s))
    return decisions


def _rekey(session: Session, row: SourceLinkRow, key: str, rows: Iterable[SourceLinkRow]) -> None:
    for other in rows:
        if other is not row and other.source_key == key:
            session.delete(other)
    session.flush()
    row.source_key = key
    session.flush()


def link_source(session: Session, article_id: int, collection_id: int, src: _Src) -> Decision:
    """Link one source by the rules: to the record that fits, to a new record when none
    does, or to none (listed as ambiguous) when several do."""
    type_ = person_type_of(src.type)
    decision = decide(
        src.name, type_, src.description, candidates_for(session, collection_id, src.name, type_)
    )
    if decision.rule == "new":
        person = add_person(session, collection_id, src.name, type_, role=src.description)
        set_link(session, article_id, src.key, src.name, person.id, origin=MODEL, rule="new")
        return Decision("new", person.id, None)
    set_link(
        session,
        article_id,
        src.key,
        src.name,
        decision.person_id,
        origin=MODEL,
        rule=decision.rule,
        confidence=decision.confidence,
        candidates=decision.candidates,
    )
    return decision
