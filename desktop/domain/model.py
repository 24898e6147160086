"""Plain dataclasses for what Quotedesk knows about an article.

Every span is ``[start, end)`` in Python ``str`` code points into ``Article.text``.
These classes carry no behaviour beyond validation helpers; the store, the NLP layer and
the formats all speak in them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from desktop.domain.people import Person, RecordLink


class Origin(StrEnum):
    """Who made an annotation: the model or a person."""

    MODEL = "model"
    HUMAN = "human"


class QuoteKind(StrEnum):
    """``direct``: all inside quotation marks; ``mixed``: reported speech holding a quoted
    fragment; ``indirect``: reported speech."""

    DIRECT = "direct"
    MIXED = "mixed"
    INDIRECT = "indirect"


class ArticleStatus(StrEnum):
    UNREVIEWED = "unreviewed"
    IN_REVIEW = "in_review"
    REVIEWED = "reviewed"


SOURCE_TYPES = ("PERSON", "ORG", "GPE", "NORP", "OTHER")


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of article text: ``text == article_text[start:end]``."""

    start: int
    end: int
    text: str

    @classmethod
    def of(cls, article_text: str, start: int, end: int) -> Span:
        return cls(start, end, article_text[start:end])


@dataclass(slots=True)
class Entity:
    start: int
    end: int
    label: str
    text: str
    origin: Origin = Origin.MODEL
    rejected: bool = False
    # who made or last changed it, for a person's (None: the model's, or not known); not
    # part of what it is, so equal annotations by two people compare equal
    annotator: str | None = field(default=None, compare=False)


@dataclass(slots=True)
class Source:
    """Someone (or something) quoted in the article, with every mention resolved to it.

    ``key`` identifies the source within one article ("s1", "s2", ...).
    """

    key: str
    name: str
    type: str = "OTHER"
    description: str = ""
    mentions: list[Span] = field(default_factory=list)
    origin: Origin = Origin.MODEL
    # its link to a collection-wide record (issue 12), where a reader or writer needs it:
    # the export fills it and the import writes it; the store keeps links apart
    record: RecordLink | None = None
    # who made or last changed it, for a person's (None: the model's, or not known); not
    # part of what it is, so equal annotations by two people compare equal
    annotator: str | None = field(default=None, compare=False)


@dataclass(slots=True)
class Quote:
    """An attributed statement: its content span, how it is reported and who said it."""

    start: int
    end: int
    text: str
    kind: QuoteKind
    cue: Span | None = None
    speaker: Span | None = None
    source_key: str | None = None
    origin: Origin = Origin.MODEL
    rejected: bool = False
    # The engine's own account of its decisions (None / "" on a person's quotes):
    # ``confidence`` that this is a quote at all and ``reason`` why ("quotation with cue
    # 'said' beside it"); ``source_confidence`` that ``source_key`` is the right source and
    # ``source_reason`` why ("she -> Adrienne Watson: last female source named, 1 paragraph
    # before"). Confidences are calibrated on annotated news: of quotes at 0.9, nine in ten
    # are right.
    confidence: float | None = None
    reason: str = ""
    source_confidence: float | None = None
    source_reason: str = ""
    # who made or last changed it, for a person's (None: the model's, or not known); not
    # part of what it is, so equal annotations by two people compare equal
    annotator: str | None = field(default=None, compare=False)


@dataclass(slots=True)
class Attribution:
    """What the quote engine returns for one article."""

    quotes: list[Quote] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)


@dataclass(slots=True)
class Article:
    """An article as imported, with its annotations.

    ``external_id`` is the id from the imported record, or one derived from the text.
    """

    external_id: str
    text: str
    title: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    status: ArticleStatus = ArticleStatus.UNREVIEWED
    entities: list[Entity] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    model_name: str | None = None
    model_version: str | None = None
    # the store's change counter: an edit made against an older revision is a conflict
    revision: int = 0
    # whose version of the article this is (a JSONL record's "annotator"); None: the
    # shared layer's (issue 14)
    annotator: str | None = None
    # who set ``status`` last, and when (None: nobody yet, or not known); left out of
    # comparisons, as an annotation's annotator is
    status_by: str | None = field(default=None, compare=False)
    status_at: datetime | None = field(default=None, compare=False)
    # collection-wide records that no source links to, carried on the first line of their
    # collection so that an export loses none (issue 12; the JSONL "records" key)
    records: tuple[Person, ...] = ()
