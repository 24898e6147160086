"""Collection-wide records of the people and organisations quoted, and the numbers about them.

A ``Person`` record (a person, an organisation or another kind of source) belongs to one
collection and is linked from the per-article sources that are the same real source
("Vladimir Putin" in one story, "Putin" in the next). A link carries an origin like every
annotation (``model``: made by the linking rules; ``human``: made or refused by a person), so
re-analysis leaves a person's decisions alone. Gender is unknown (None) unless a person set
it (``GenderOrigin.SET``) or the first-name guess gave one (``GenderOrigin.GUESSED``); the two
are never mixed silently: every count keeps guessed genders apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class PersonType(StrEnum):
    """What a record stands for."""

    PERSON = "PERSON"
    ORG = "ORG"
    OTHER = "OTHER"


class GenderOrigin(StrEnum):
    """Where a record's gender comes from: a person set it, or it was guessed from the
    first name."""

    SET = "set"
    GUESSED = "guessed"


FEMALE = "female"
MALE = "male"
UNKNOWN = "unknown"  # the key of the gender row for records with no gender
GENDERS = (FEMALE, MALE)  # what the guess can give; a person may set any short word


def person_type_of(source_type: str) -> PersonType:
    """The record type for an article source's type (PERSON, ORG, GPE, NORP, OTHER)."""
    if source_type == "PERSON":
        return PersonType.PERSON
    if source_type == "ORG":
        return PersonType.ORG
    return PersonType.OTHER


@dataclass(slots=True)
class Person:
    """A collection-wide record of someone (or something) quoted.

    ``id`` is the database row id (0 before it is stored); ``key`` is the record's exchange
    id, unique within its collection and kept by the JSONL export and import ("r-3f9a...").
    ``aliases`` are other names the record is known by ("Putin", "the Kremlin leader");
    ``attributes`` are the analyst's own key-value fields ("party": "Liberal").
    """

    id: int
    collection_id: int
    name: str
    key: str = ""
    aliases: tuple[str, ...] = ()
    type: PersonType = PersonType.PERSON
    role: str = ""
    gender: str | None = None
    gender_origin: GenderOrigin | None = None
    attributes: dict[str, str] = field(default_factory=dict)
    origin: str = "model"  # "model": made by the linking rules; "human": made or edited by a person

    @property
    def gender_label(self) -> str:
        """ "female", "female (guessed)", "unknown": how the gender is shown and counted."""
        if self.gender is None:
            return UNKNOWN
        if self.gender_origin == GenderOrigin.GUESSED:
            return f"{self.gender} (guessed)"
        return self.gender


@dataclass(frozen=True, slots=True)
class SourceLink:
    """The link from one article's source (named by article and source key) to a record.

    ``person_id`` None with origin ``human``: a person decided this source is linked to no
    record (re-analysis does not link it again). With origin ``model`` and rule
    ``ambiguous``: the rules found several candidates (``candidates``) and left it for the
    analyst.
    """

    article_id: int
    source_key: str
    source_name: str
    person_id: int | None
    origin: str = "model"
    confidence: float | None = None
    rule: str = ""
    candidates: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class RecordLink:
    """A source's link as the formats carry it: the whole record (None: a person linked
    the source to none, or the rules could not tell between ``candidates``), and the
    link's origin, confidence and rule. The record's ``id`` and ``collection_id`` are the
    store's; ``key`` is what names it in a file."""

    record: Person | None
    origin: str = "model"
    confidence: float | None = None
    rule: str = ""
    # the records an ambiguous link (rule "ambiguous", no record) is left between
    candidates: tuple[Person, ...] = ()


@dataclass(frozen=True)
class ArticleFilter:
    """Which articles the index, the concordance and the statistics count.

    ``date_from`` and ``date_to`` are ISO dates (``2026-11-01``), inclusive, compared with
    the article's publication date; ``search`` is a full-text search over titles and texts,
    as in the article browser. Every field None/empty: everything.
    """

    collection: str | None = None
    outlet: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    status: str | None = None
    search: str = ""


@dataclass(frozen=True, slots=True)
class RecordSummary:
    """One row of the sources index: a record and its numbers under the current filter."""

    person: Person
    quotes: int
    articles: int
    outlets: int
    first_date: str | None  # ISO date of its first and last article, None when undated
    last_date: str | None


@dataclass(frozen=True, slots=True)
class RecordPage:
    """A page of the sources index and how many rows the whole filter has."""

    rows: list[RecordSummary]
    total: int


@dataclass(frozen=True, slots=True)
class ConcordanceLine:
    """One quote of a record, wherever it is: what the concordance lists. ``start``/``end``
    name the quote in its article (as the editor does); ``quote_id`` is its row id."""

    quote_id: int
    article_id: int
    external_id: str
    title: str
    published: str | None
    outlet: str | None
    start: int
    end: int
    text: str
    kind: str
    source_key: str
    source_name: str


@dataclass(frozen=True, slots=True)
class LinkedSource:
    """An article source linked to a record (what a split picks from)."""

    article_id: int
    external_id: str
    title: str
    source_key: str
    source_name: str
    quotes: int
    origin: str
    confidence: float | None


@dataclass(frozen=True, slots=True)
class AmbiguousSource:
    """A source the linking rules could not decide about, listed for the analyst."""

    article_id: int
    external_id: str
    title: str
    source_key: str
    source_name: str
    candidates: tuple[Person, ...]
    reason: str


@dataclass(frozen=True, slots=True)
class StatRow:
    """One bar of a chart, one line of ``quotedesk stats``.

    ``key`` names the group: a record's name (``by="source"``), a type, a gender label
    ("female", "female (guessed)", "male", "male (guessed)", "unknown": guessed genders
    are rows of their own, never added to what a person set), an outlet, a month
    ("2026-11") or an ISO week ("2026-W48"). ``quotes``, ``sources`` (distinct records,
    an unlinked source counted once per article) and ``articles`` are counts of that group
    under the filter; ``sources`` is None where it does not apply (``by="source"``).
    ``record_id`` is the record's id for ``by="source"`` (None for an unlinked source,
    grouped by its name); ``gender`` and ``guessed`` split a gender label into its parts.
    """

    key: str
    quotes: int
    sources: int | None
    articles: int
    record_id: int | None = None
    gender: str | None = None
    guessed: bool = False
