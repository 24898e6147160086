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
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import bindparam, delete, false, insert, select, update
from sqlalchemy.orm import Session

from desktop.domain.gender_guess import guess_gender
from desktop.domain.linking import Candidate, Decision, decide, lookup_forms, name_forms
from desktop.domain.people import GenderOrigin, Person, PersonType, SourceLink, person_type_of
from desktop.store.models import (
    ArticleRow,
    Base,
    PersonNameRow,
    PersonRow,
    SourceLinkRow,
    SourceRow,
    utcnow,
)

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


# plain tables and statements built once: linking runs for every analyzed article
_PERSON = Base.metadata.tables[PersonRow.__tablename__]
_NAME = Base.metadata.tables[PersonNameRow.__tablename__]
_LINK = Base.metadata.tables[SourceLinkRow.__tablename__]
_INSERT_PERSON = insert(_PERSON).returning(_PERSON.c.id)
_INSERT_NAME = insert(_NAME)
_INSERT_LINK = insert(_LINK)


def _write_names(
    session: Session, pid: int, collection_id: int, name: str, type_: PersonType,
    aliases: Sequence[str], new: bool = False,
) -> None:  # fmt: skip
    if not new:
        session.execute(delete(_NAME).where(_NAME.c.person_id == pid))
    rows = [
        {"person_id": pid, "collection_id": collection_id, "form": form, "kind": kind}
        for form, kind in name_forms(name, type_, aliases)
    ]
    if rows:
        session.execute(_INSERT_NAME, rows)


def refresh_names(session: Session, row: PersonRow) -> None:
    """Write the record's name forms again (after its name, type or aliases changed)."""
    session.flush()
    _write_names(
        session, row.id, row.collection_id, row.name, PersonType(row.type), row.aliases or ()
    )


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


def new_record(
    session: Session, collection_id: int, name: str, type_: PersonType, role: str
) -> int:
    """A record made by the linking rules (plain INSERTs: one per new source); its id."""
    now = utcnow()
    pid: int = session.execute(
        _INSERT_PERSON,
        {
            "collection_id": collection_id, "key": new_key(), "name": name,
            "type": str(type_), "role": role, "gender": None, "gender_origin": None,
            "aliases": [], "attributes": {}, "origin": MODEL, "created_at": now,
            "updated_at": now,
        },
    ).scalar_one()  # fmt: skip
    _write_names(session, pid, collection_id, name, type_, (), new=True)
    return pid


_SRC = Base.metadata.tables[SourceRow.__tablename__]
_ARTICLE = Base.metadata.tables[ArticleRow.__tablename__]
_CANDIDATES = (
    select(
        _NAME.c.person_id,
        _NAME.c.form,
        _NAME.c.kind,
        _PERSON.c.name,
        _PERSON.c.type,
        _PERSON.c.role,
    )  # fmt: skip
    .join(_PERSON, _PERSON.c.id == _NAME.c.person_id)
    .where(
        _NAME.c.collection_id == bindparam("c"),
        _NAME.c.form.in_(bindparam("forms", expanding=True)),
    )
)
_COLLECTION_OF = select(_ARTICLE.c.collection_id).where(_ARTICLE.c.id == bindparam("a"))
_SOURCES = select(_SRC.c.key, _SRC.c.name, _SRC.c.type, _SRC.c.description).where(
    _SRC.c.article_id == bindparam("a"), _SRC.c.rejected == false()
)
_LINKS = select(_LINK.c.id, _LINK.c.source_key, _LINK.c.source_name, _LINK.c.origin,
                _LINK.c.rule).where(_LINK.c.article_id == bindparam("a"))  # fmt: skip
_DELETE_LINKS = delete(_LINK).where(_LINK.c.id.in_(bindparam("ids", expanding=True)))
_REKEY = update(_LINK).where(_LINK.c.id == bindparam("lid")).values(source_key=bindparam("k"))


def candidates_for(
    session: Session, collection_id: int, name: str, type_: PersonType
) -> list[Candidate]:
    """The records whose name forms meet the source's lookup forms (one indexed query)."""
    forms = lookup_forms(name, type_)
    if not forms:
        return []
    found: dict[int, list[tuple[str, str]]] = {}
    heads: dict[int, tuple[str, str, str]] = {}
    for pid, form, kind, pname, ptype, role in session.execute(
        _CANDIDATES, {"c": collection_id, "forms": forms}
    ):
        found.setdefault(pid, []).append((form, kind))
        heads[pid] = (pname, ptype, role or "")
    return [
        Candidate(pid, heads[pid][0], PersonType(heads[pid][1]), heads[pid][2], (), tuple(f))
        for pid, f in found.items()
    ]


@dataclass(frozen=True)
class _Src:
    key: str
    name: str
    type: str
    description: str


def link_article(session: Session, article_id: int) -> list[Decision]:
    """Reconcile the article's links with its sources and link the unlinked ones by the
    rules; returns the rules' decisions for the sources it linked (for tests and counts).
    Plain statements built once, this runs for every analyzed article: ORM copies of this
    article's links read before it in the same session are stale after it."""
    session.flush()
    bind = {"a": article_id}
    collection_id = session.execute(_COLLECTION_OF, bind).scalar_one()
    sources = [_Src(*row) for row in session.execute(_SOURCES, bind)]
    by_key = {s.key: s for s in sources}
    by_name: dict[str, _Src] = {}
    for s in sources:
        by_name.setdefault(s.name.casefold(), s)
    rows = list(session.execute(_LINKS, bind))
    linked: set[str] = set()
    gone: list[int] = []
    # a person's decisions first: they keep their source, following it by name
    for lid, key, source_name, origin, rule in sorted(rows, key=lambda r: r.origin != HUMAN):
        here = by_key.get(key)
        same = here is not None and here.name.casefold() == source_name.casefold()
        if origin == HUMAN:
            if same:
                linked.add(key)
                continue
            moved = by_name.get(source_name.casefold())
            if moved is not None and moved.key not in linked:
                # the link that holds that key now (the rules') gives way
                gone.extend(r.id for r in rows if r.source_key == moved.key and r.id != lid)
                _flush_deletes(session, gone)
                session.execute(_REKEY, {"lid": lid, "k": moved.key})
                linked.add(moved.key)
                continue
            if here is None:
                continue  # its source is gone: the decision waits, in case it comes back
            gone.append(lid)  # its key now names another source
        elif same and rule != "ambiguous" and key not in linked and lid not in gone:
            linked.add(key)
        else:
            gone.append(lid)
    _flush_deletes(session, gone)
    decisions = []
    for s in sources:
        if s.key in linked:
            continue
        decisions.append(link_source(session, article_id, collection_id, s))
    return decisions


def _flush_deletes(session: Session, ids: list[int]) -> None:
    if ids:
        session.execute(_DELETE_LINKS, {"ids": sorted(set(ids))})
        ids.clear()


def link_source(session: Session, article_id: int, collection_id: int, src: _Src) -> Decision:
    """Link one source by the rules: to the record that fits, to a new record when none
    does, or to none (listed as ambiguous) when several do."""
    type_ = person_type_of(src.type)
    decision = decide(
        src.name, type_, src.description, candidates_for(session, collection_id, src.name, type_)
    )
    if decision.rule == "new":
        pid = new_record(session, collection_id, src.name, type_, src.description)
        decision = Decision("new", pid, None)
    session.execute(
        _INSERT_LINK,
        {
            "article_id": article_id, "source_key": src.key, "source_name": src.name,
            "person_id": decision.person_id, "origin": MODEL, "confidence": decision.confidence,
            "rule": decision.rule, "candidates": list(decision.candidates) or None,
        },
    )  # fmt: skip
    return decision
