"""Articles as flat labelled spans ("marks") and links, the shape annotation tools share.

Prodigy, doccano, Label Studio and brat all speak in labelled spans and binary relations.
``flatten`` turns an article into that shape, with one ``info`` dictionary for what the tools
have no slot for (article id, title, meta, status, model, source names and types, origins);
``unflatten`` validates the shape and builds the article back.

Labels: entities keep their own label; quotes are ``DIRECT_QUOTE``, ``MIXED_QUOTE`` or
``INDIRECT_QUOTE``; cues ``CUE``; speakers ``SPEAKER``; source mentions ``SOURCE``.
Relations: ``speaker`` (speaker -> quote) and ``cue`` (cue -> quote).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from desktop.domain import (
    SOURCE_TYPES,
    Article,
    ArticleStatus,
    Entity,
    Origin,
    Quote,
    QuoteKind,
    Source,
    Span,
)
from desktop.domain.offsets import check_span, content_id
from desktop.domain.record_dicts import record_link_dict, records_dict
from desktop.formats.jsonl import (
    RecordError,
    source_record_link,
    unlinked_records,
    when_of,
    when_text,
    who_of,
)

QUOTE_LABELS = {kind: f"{kind.value.upper()}_QUOTE" for kind in QuoteKind}
QUOTE_KINDS = {label: kind for kind, label in QUOTE_LABELS.items()}
CUE, SPEAKER, SOURCE = "CUE", "SPEAKER", "SOURCE"
RESERVED = {CUE, SPEAKER, SOURCE, *QUOTE_KINDS}
REL_SPEAKER, REL_CUE = "speaker", "cue"
# what the info block may hold beyond its share of the text and marks (title, meta, sources)
INFO_BASE_BYTES = 256 * 1024
INFO_BYTES_PER_TEXT_BYTE = 4
INFO_BYTES_PER_MARK = 100


@dataclass(frozen=True, slots=True)
class Mark:
    """A labelled span; ``id`` is unique within its article."""

    id: str
    start: int
    end: int
    label: str


@dataclass(frozen=True, slots=True)
class Link:
    """A labelled relation from the ``head`` mark to the ``child`` mark."""

    id: str
    head: str
    child: str
    label: str


@dataclass
class Flat:
    marks: list[Mark] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    info: dict[str, Any] = field(default_factory=dict)


def flatten(article: Article) -> Flat:
    """Marks T1..Tn (entities, source mentions, then each quote with its cue and speaker),
    links R1..Rn, and the info block."""
    flat = Flat()
    origins: dict[str, str] = {}
    annotators: dict[str, str] = {}  # who made a person's mark (issue 14)

    def mark(
        start: int, end: int, label: str, origin: Origin | None = None, who: str | None = None
    ) -> str:
        mid = f"T{len(flat.marks) + 1}"
        flat.marks.append(Mark(mid, start, end, label))
        if origin is not None:
            origins[mid] = str(origin)
        if who is not None:
            annotators[mid] = who
        return mid

    def link(head: str, child: str, label: str) -> None:
        flat.links.append(Link(f"R{len(flat.links) + 1}", head, child, label))

    for e in article.entities:
        mark(e.start, e.end, e.label, e.origin, e.annotator)
    sources = []
    for s in article.sources:
        mentions = [mark(m.start, m.end, SOURCE) for m in s.mentions]
        sources.append(
            {
                "id": s.key,
                "name": s.name,
                "type": s.type,
                "description": s.description,
                "origin": str(s.origin),
                "mentions": mentions,
                **record_link_dict(s.record),  # its collection-wide record (issue 12)
                **({} if s.annotator is None else {"annotator": s.annotator}),
            }
        )
    quote_sources: dict[str, str] = {}
    for q in article.quotes:
        qid = mark(q.start, q.end, QUOTE_LABELS[q.kind], q.origin, q.annotator)
        if q.source_key is not None:
            quote_sources[qid] = q.source_key
        if q.cue is not None:
            link(mark(q.cue.start, q.cue.end, CUE), qid, REL_CUE)
        if q.speaker is not None:
            link(mark(q.speaker.start, q.speaker.end, SPEAKER), qid, REL_SPEAKER)
    flat.info = {
        "id": article.external_id,
        "title": article.title,
        "meta": article.meta,
        "status": str(article.status),
        "model": (
            {"name": article.model_name, "version": article.model_version}
            if article.model_name
            else None
        ),
        "sources": sources,
        "origins": origins,
        "quote_sources": quote_sources,
        **records_dict(article.records),
        **({"annotators": annotators} if annotators else {}),
        **({} if article.status_by is None else {"status_by": article.status_by}),
        **({} if article.status_at is None else {"status_at": when_text(article.status_at)}),
    }
    return flat


def info_json(info: dict[str, Any]) -> str:
    """The info block as brat's sidecar holds it."""
    return json.dumps(info, ensure_ascii=False, indent=1)


def info_limit(text_bytes: int, marks: int) -> int:
    """The most bytes an info block (as ``info_json`` writes it) may take, for a text of
    ``text_bytes`` UTF-8 bytes with ``marks`` marks and links: every importer holds an
    article to it, so that brat, which keeps the block in a sidecar, reads back every export."""
    return INFO_BASE_BYTES + INFO_BYTES_PER_TEXT_BYTE * text_bytes + INFO_BYTES_PER_MARK * marks


# what a reader catches around one record: a RecordError, or a wrong type deep inside it
BAD_RECORD = (RecordError, TypeError, AttributeError, KeyError, IndexError, ValueError)


def bad_record_message(exc: Exception) -> str:
    """The reason to show for an exception in ``BAD_RECORD``."""
    if isinstance(exc, RecordError):
        return str(exc)
    return f"unexpected structure ({type(exc).__name__}: {exc})"


def _as(value: Any, kind: type | tuple[type, ...], what: str, default: Any) -> Any:
    if value is None:
        return default
    if not isinstance(value, kind) or isinstance(value, bool):
        raise RecordError(f"{what} has the wrong type ({type(value).__name__})")
    return value


def unflatten(text: object, flat: Flat, fallback_id: str | None = None) -> Article:
    """Validate marks, links and info against ``text`` and build the article.

    Without info (a file made by another tool) entities and quotes come in as ``human``,
    and source mentions that no source claims become one source per distinct name.
    """
    if not isinstance(text, str) or not text.strip():
        raise RecordError("the text is missing or empty")
    info = _as(flat.info, dict, "the Quotedesk info block", {})
    marks: dict[str, Mark] = {}
    for m in flat.marks:
        if m.id in marks:
            raise RecordError(f"span id {m.id!r} is used twice")
        if not isinstance(m.label, str) or not m.label:
            raise RecordError(f"span {m.id} has no label")
        try:
            check_span(text, m.start, m.end)
        except ValueError as exc:
            raise RecordError(f"span {m.id} ({m.label}): {exc}") from None
        marks[m.id] = m
    origins = _as(info.get("origins"), dict, '"origins"', {})

    def origin(mid: str) -> Origin:
        value = origins.get(mid) or "human"
        try:
            return Origin(value)
        except ValueError:
            raise RecordError(f"span {mid} has an unknown origin {value!r}") from None

    def span(m: Mark) -> Span:
        return Span(m.start, m.end, text[m.start : m.end])

    cue_of: dict[str, Span] = {}
    speaker_of: dict[str, Span] = {}
    linked: set[str] = set()
    for link in flat.links:
        head, child = marks.get(link.head), marks.get(link.child)
        if head is None or child is None:
            raise RecordError(f"relation {link.id} points to a span that does not exist")
        if link.label not in (REL_CUE, REL_SPEAKER):
            continue  # relations of other tools are not Quotedesk's to keep
        wanted = CUE if link.label == REL_CUE else SPEAKER
        if head.label != wanted or child.label not in QUOTE_KINDS:
            raise RecordError(
                f"relation {link.id} ({link.label}) must go from a {wanted} span to a quote span"
            )
        (cue_of if link.label == REL_CUE else speaker_of)[child.id] = span(head)
        linked.add(head.id)
    for m in marks.values():
        if m.label in (CUE, SPEAKER) and m.id not in linked:
            # it would be dropped: a cue or a speaker is only kept as part of its quote
            raise RecordError(f"span {m.id} is a {m.label} but no relation links it to a quote")

    sources: list[Source] = []
    claimed: set[str] = set()
    for n, s in enumerate(_as(info.get("sources"), list, '"sources"', []), start=1):
        if not isinstance(s, dict) or not isinstance(s.get("id"), str):
            raise RecordError(f"source {n} needs an id")
        if not isinstance(s.get("name"), str) or not s["name"].strip():
            raise RecordError(f"source {n} needs a name")
        if s.get("type", "OTHER") not in SOURCE_TYPES:
            raise RecordError(f"source {n} type must be one of {', '.join(SOURCE_TYPES)}")
        mentions = []
        for mid in _as(s.get("mentions"), list, f"source {n} mentions", []):
            if mid not in marks or marks[mid].label != SOURCE:
                raise RecordError(f"source {n} names a mention {mid!r} that is not a SOURCE span")
            mentions.append(span(marks[mid]))
            claimed.add(mid)
        try:
            src_origin = Origin(s.get("origin") or "human")
        except ValueError:
            raise RecordError(f"source {n} has an unknown origin") from None
        sources.append(
            Source(
                key=s["id"],
                name=s["name"],
                type=s.get("type") or "OTHER",
                description=_as(s.get("description"), str, f"source {n} description", ""),
                mentions=mentions,
                origin=src_origin,
                record=source_record_link(s, n),
                annotator=who_of(s, "annotator", f"source {n} annotator"),
            )
        )
    by_name: dict[str, Source] = {}
    for m in marks.values():
        if m.label == SOURCE and m.id not in claimed:
            name = text[m.start : m.end]
            if name.casefold() not in by_name:
                key = f"s{len(sources) + 1}"
                by_name[name.casefold()] = Source(key, name, origin=Origin.HUMAN)
                sources.append(by_name[name.casefold()])
            by_name[name.casefold()].mentions.append(span(m))

    keys = {s.key for s in sources}
    quote_sources = _as(info.get("quote_sources"), dict, '"quote_sources"', {})
    for mid, key in quote_sources.items():
        if mid not in marks or marks[mid].label not in QUOTE_KINDS:
            raise RecordError(f"quote_sources names {mid!r}, which is not a quote span")
        if key not in keys:
            raise RecordError(f"quote {mid} names a source {key!r} that is not in the sources")

    article = Article(
        external_id=str(_as(info.get("id"), (str, int), '"id"', fallback_id or content_id(text))),
        text=text,
        title=_as(info.get("title"), str, '"title"', ""),
        meta=_as(info.get("meta"), dict, '"meta"', {}),
    )
    try:
        article.status = ArticleStatus(info.get("status") or "unreviewed")
    except ValueError:
        raise RecordError(f"unknown status {info.get('status')!r}") from None
    article.records = unlinked_records(info)
    annotators = _as(info.get("annotators"), dict, '"annotators"', {})
    article.status_by = who_of(info, "status_by", '"status_by"')
    article.status_at = when_of(info, "status_at")
    model = _as(info.get("model"), dict, '"model"', {})
    article.model_name, article.model_version = model.get("name"), model.get("version")
    for m in marks.values():
        if m.label in QUOTE_KINDS:
            article.quotes.append(
                Quote(
                    start=m.start,
                    end=m.end,
                    text=text[m.start : m.end],
                    kind=QUOTE_KINDS[m.label],
                    cue=cue_of.get(m.id),
                    speaker=speaker_of.get(m.id),
                    source_key=quote_sources.get(m.id),
                    origin=origin(m.id),
                    annotator=who_of(annotators, m.id, f"span {m.id} annotator"),
                )
            )
        elif m.label not in RESERVED:
            who = who_of(annotators, m.id, f"span {m.id} annotator")
            article.entities.append(
                Entity(m.start, m.end, m.label, text[m.start : m.end], origin(m.id), annotator=who)
            )
    article.sources = sources
    return article
