"""Collection-wide source records: the sources index, the concordance, and the analyst's
edits to records (merge, split, rename, gender, attributes, link, unlink).

Reads take an ``ArticleFilter`` (collection, outlet, date range, status, text search) and
answer with the plain dataclasses of ``desktop.domain.people``; the window runs them on its
worker thread. Every edit is one transaction, recorded in the edit history (``edit`` table,
``target`` "record") with who made it, and returns a ``RecordEdit`` whose ``before`` state
``undo`` puts back (and ``redo`` the ``after`` one): one undoable edit each, like the
article edits of ``services/editing.py``. A link or unlink made by a person has origin
``human`` and survives re-analysis.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from desktop.domain.names import InvalidName, check_source_name
from desktop.domain.people import (
    AmbiguousSource,
    ArticleFilter,
    ConcordanceLine,
    LinkedSource,
    Person,
    PersonType,
    RecordPage,
)
from desktop.services.editing import current_user
from desktop.services.progress import CancelToken, ProgressFn, no_progress
from desktop.store import concordance as store_pages
from desktop.store import people, people_restore
from desktop.store import people_edits as edits
from desktop.store import people_queries as store
from desktop.store.concordance import ConcordancePage
from desktop.store.database import Database
from desktop.store.errors import StoreError

SORT_KEYS = ("name", "quotes", "articles", "outlets", "first", "last", "type", "gender")
PAGE = 200


class RecordError(StoreError):
    """A record edit that cannot be made (the record is gone, a name is not allowed); its
    message is one line for the status bar or the command line."""


@dataclass(frozen=True)
class RecordEdit:
    """One edit to records: what it was and the states before and after, for undo/redo."""

    action: str
    before: edits.RecordState
    after: edits.RecordState
    # the records the edit leaves in place of the ones it was given (a merge's survivor,
    # a split's new record), for the view to select
    result: tuple[int, ...] = ()


# --- reading ------------------------------------------------------------------------------


def record_page(
    db: Database,
    filter: ArticleFilter | None = None,
    search: str = "",
    sort: str = "quotes",
    descending: bool = True,
    offset: int = 0,
    limit: int = PAGE,
) -> RecordPage:
    """A page of the sources index: the records quoted in the filtered articles, with their
    quotes, articles, outlets and first and last date under the filter. ``search`` matches
    a record's name or aliases (case-insensitive, as typed). ``sort`` is one of
    ``SORT_KEYS``; ties go by name."""
    if sort not in SORT_KEYS:
        raise ValueError(f"unknown sort {sort!r}")
    with db.session() as session:
        return store.record_page(
            session, filter or ArticleFilter(), search, sort, descending, offset, limit
        )


def record(db: Database, person_id: int) -> Person:
    """The record with this id (RecordError when it is gone)."""
    with db.session() as session:
        found = store.get_person(session, person_id)
    if found is None:
        raise RecordError("This record no longer exists.")
    return found


def concordance(
    db: Database, person_id: int, filter: ArticleFilter | None = None
) -> list[ConcordanceLine]:
    """Every quote of the record across the filtered articles, newest article first, each
    quote in text order within its article."""
    with db.session() as session:
        f = filter or ArticleFilter()
        return store_pages.concordance_page(session, person_id, f, 0, None).lines


def concordance_page(
    db: Database, person_id: int, filter: ArticleFilter, offset: int, limit: int
) -> ConcordancePage:
    """A page of ``concordance`` (the same order), with the whole filter's quote and
    article counts: what the window reads as the user scrolls."""
    with db.session() as session:
        return store_pages.concordance_page(session, person_id, filter, offset, limit)


def linked_sources(db: Database, person_id: int) -> list[LinkedSource]:
    """The article sources linked to the record (what a split picks from)."""
    with db.session() as session:
        return store.linked_sources(session, person_id)


def ambiguous(db: Database, filter: ArticleFilter | None = None) -> list[AmbiguousSource]:
    """The sources the linking rules left unlinked because several records fit ("Kim",
    two Smiths), with their candidates, for the analyst to decide."""
    with db.session() as session:
        return store.ambiguous_sources(session, filter or ArticleFilter())


def outlets(db: Database, collection: str | None = None) -> list[str]:
    """The outlets of a collection's articles (or of all), for the filter's list."""
    with db.session() as session:
        return store.outlets(session, collection)


def link_collection(
    db: Database,
    collection: str | None = None,
    progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
) -> int:
    """Run the linking rules over every article of the collection (or all) that has
    sources, each article in its own transaction (analysis does this for the articles it
    analyzes; this is for articles imported with their sources). Returns how many sources
    it linked or left ambiguous."""
    with db.session() as session:
        ids = store.articles_with_sources(session, collection)
    done = 0
    for n, article_id in enumerate(ids, 1):
        if cancel is not None:
            cancel.check()
        with db.transaction() as session:
            done += len(people.link_article(session, article_id))
        progress(n, len(ids), f"Linked the sources of {n} of {len(ids)} articles")
    return done


# --- editing ------------------------------------------------------------------------------


def _checked_name(name: str) -> str:
    try:
        return check_source_name(name.strip())
    except InvalidName as exc:
        raise RecordError(str(exc)[:1].upper() + str(exc)[1:] + ".") from None


class RecordEditor:
    """Applies edits to the records of one database on behalf of one user."""

    def __init__(self, db: Database, user: str | None = None) -> None:
        self.db = db
        self.user = user or current_user()

    def _run(self, action: str, change: edits.Change) -> RecordEdit:
        with self.db.transaction() as session:
            try:
                before, after, result = edits.apply_change(session, change, action, self.user)
            except edits.PeopleError as exc:
                raise RecordError(str(exc)) from None
        return RecordEdit(action, before, after, result)

    def merge(self, keep: int, drop: int) -> RecordEdit:
        """Move every link of record ``drop`` to ``keep`` (its name and aliases become
        aliases of ``keep``; attributes ``keep`` lacks are taken over) and remove ``drop``."""
        return self._run("merge records", edits.MergeRecords(keep, drop))

    def split(self, person_id: int, sources: Sequence[tuple[int, str]], name: str) -> RecordEdit:
        """Give the listed sources (article id, source key) of a record to a new record
        named ``name`` (same type; no gender, role or attributes of its own)."""
        return self._run(
            "split record", edits.SplitRecord(person_id, tuple(sources), _checked_name(name))
        )

    def rename(self, person_id: int, name: str) -> RecordEdit:
        """Give the record a new name (its old one becomes an alias)."""
        return self._run("rename record", edits.UpdateRecord(person_id, name=_checked_name(name)))

    def set_gender(self, person_id: int, gender: str | None) -> RecordEdit:
        """Set the gender a person knows (None: unknown); it is never marked guessed."""
        value = gender.strip().casefold() if gender else None
        if value is not None and (not value or len(value) > 30 or not value.isprintable()):
            raise RecordError("A gender is one short word (at most 30 characters).")
        return self._run("set gender", edits.UpdateRecord(person_id, gender=(value,)))

    def update(
        self,
        person_id: int,
        *,
        type_: PersonType | None = None,
        role: str | None = None,
        aliases: Sequence[str] | None = None,
        attributes: Mapping[str, str] | None = None,
    ) -> RecordEdit:
        """Change a record's type, role, aliases or free attributes (what is None stays)."""
        checked_aliases = tuple(_checked_name(a) for a in aliases) if aliases is not None else None
        if attributes is not None:
            for k, v in attributes.items():
                if not k.strip() or len(k) > 100 or len(v) > 2000:
                    raise RecordError(
                        "An attribute needs a name of at most 100 characters and a value "
                        "of at most 2,000."
                    )
        return self._run(
            "edit record",
            edits.UpdateRecord(
                person_id,
                type_=type_,
                role=role.strip() if role is not None else None,
                aliases=checked_aliases,
                attributes=dict(attributes) if attributes is not None else None,
            ),
        )

    def link(self, article_id: int, source_key: str, person_id: int) -> RecordEdit:
        """Link an article's source to a record, as a person's decision."""
        return self._run("link source", edits.LinkSource(article_id, source_key, person_id))

    def unlink(self, article_id: int, source_key: str) -> RecordEdit:
        """Link an article's source to no record, as a person's decision (re-analysis does
        not link it again)."""
        return self._run("unlink source", edits.LinkSource(article_id, source_key, None))

    def new_record(self, article_id: int, source_key: str, name: str) -> RecordEdit:
        """Make a new record for an article's source and link it there."""
        return self._run(
            "new record", edits.NewRecordFor(article_id, source_key, _checked_name(name))
        )

    def guess_genders(self, collection: str) -> RecordEdit:
        """Guess, from the first name, the gender of every person record of the collection
        that has none; each guess is marked as guessed (one edit, undoable)."""
        with self.db.session() as session:
            cid = store.collection_id(session, collection)
        if cid is None:
            raise RecordError(f"There is no collection {collection!r}.")
        return self._run("guess genders", edits.GuessGenders(cid))

    def undo(self, edit: RecordEdit) -> RecordEdit:
        """Put back the state before ``edit`` (an edit like any other, in the history)."""
        return self._run(f"undo {edit.action}", people_restore.Restore(edit.after, edit.before))

    def redo(self, edit: RecordEdit) -> RecordEdit:
        """Make ``edit`` again after its undo."""
        return self._run(f"redo {edit.action}", people_restore.Restore(edit.before, edit.after))
