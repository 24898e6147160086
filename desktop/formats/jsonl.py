"""The project's own JSONL: one article per line, with entities, sources and quotes.

See DESIGN.md for the record layout. Reading validates every record and names the line at
fault; writing produces the same lines for the same articles, so import then export is
lossless.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from enum import Enum
from pathlib import Path
from typing import IO, Any

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
from desktop.domain.names import InvalidName
from desktop.domain.offsets import check_span, content_id
from desktop.domain.people import Person, RecordLink
from desktop.domain.record_dicts import (
    RecordLinkError,
    read_record_link,
    read_records,
    record_link_dict,
    records_dict,
)
from desktop.domain.team import check_annotator
from desktop.formats.checks import check_article
from desktop.formats.errors import FormatError
from desktop.formats.jsonlines import json_records


class RecordError(ValueError):
    """A record that is valid JSON but not a valid article."""


def read_jsonl(path: Path) -> Iterator[Article]:
    """Yield the articles of a JSONL file; raise FormatError naming the bad line."""
    for number, record in json_records(path):
        try:
            article = article_from_record(record)
        except RecordError as exc:
            raise FormatError(path, str(exc), number) from exc
        check_article(path, article, number)
        yield article


def _get(record: dict[str, Any], key: str, kind: type | tuple[type, ...], default: Any) -> Any:
    value = record.get(key, default)
    if value is None:
        return default
    if not isinstance(value, kind) or isinstance(value, bool) and kind is int:
        raise RecordError(f'"{key}" has the wrong type ({type(value).__name__})')
    return value


def _span(text: str, value: Any, what: str) -> Span:
    if not isinstance(value, dict):
        raise RecordError(f"{what} must be an object with start and end")
    start: Any = value.get("start")
    end: Any = value.get("end")
    if isinstance(start, bool) or isinstance(end, bool):
        raise RecordError(f"{what} offsets must be integers")
    try:
        check_span(text, start, end)
    except ValueError as exc:
        raise RecordError(f"{what}: {exc}") from None
    given = value.get("text")
    if given is not None and given != text[start:end]:
        raise RecordError(
            f"{what} at {start}..{end} says {given!r} but the text there is "
            f"{text[start:end]!r} (offsets must count Unicode code points)"
        )
    return Span(start, end, text[start:end])


def _enum(enum: type[Enum], value: Any, what: str) -> Any:
    try:
        return enum(value)
    except ValueError:
        allowed = ", ".join(m.value for m in enum)
        raise RecordError(f"{what} must be one of {allowed}, not {value!r}") from None


def article_from_record(record: Any) -> Article:
    """Validate one decoded JSON record and build the article it describes."""
    if not isinstance(record, dict):
        raise RecordError("each line must be a JSON object")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise RecordError('"text" is missing or empty')
    ext_id = record.get("id")
    if ext_id is not None and not isinstance(ext_id, str | int) or isinstance(ext_id, bool):
        shown = json.dumps(ext_id)[:40]  # 1.0, true, [1]: what JSON wrote
        raise RecordError(f'"id" must be a string or a whole number, not {shown}')
    model = _get(record, "model", dict, {})
    article = Article(
        external_id=str(ext_id) if ext_id is not None else content_id(text),
        text=text,
        title=_get(record, "title", str, ""),
        meta=_get(record, "meta", dict, {}),
        status=_enum(ArticleStatus, record.get("status") or "unreviewed", '"status"'),
        model_name=model.get("name"),
        model_version=model.get("version"),
        annotator=_annotator(record),
        status_by=who_of(record, "status_by", '"status_by"'),
        status_at=when_of(record, "status_at"),
    )
    for i, e in enumerate(_get(record, "entities", list, [])):
        span = _span(text, e, f"entity {i + 1}")
        label = e.get("label")
        if not isinstance(label, str) or not label:
            raise RecordError(f"entity {i + 1} has no label")
        origin = _enum(Origin, e.get("origin") or "human", f"entity {i + 1} origin")
        who = who_of(e, "annotator", f"entity {i + 1} annotator")
        article.entities.append(
            Entity(span.start, span.end, label, span.text, origin, annotator=who)
        )
    keys = set()
    for i, s in enumerate(_get(record, "sources", list, [])):
        article.sources.append(_source(text, s, i + 1))
        keys.add(article.sources[-1].key)
    for i, q in enumerate(_get(record, "quotes", list, [])):
        article.quotes.append(_quote(text, q, i + 1, keys))
    article.records = unlinked_records(record)
    return article


def _annotator(record: dict[str, Any]) -> str | None:
    """The record's ``"annotator"``: whose version of the article it is (None: shared)."""
    return who_of(record, "annotator", '"annotator"')


def who_of(item: dict[str, Any], key: str, what: str) -> str | None:
    """A person's name given as ``key`` (who made an annotation, who set the status)."""
    value = item.get(key)
    if value is None:
        return None
    try:
        return check_annotator(value)
    except InvalidName as exc:
        raise RecordError(f"{what}: {exc}") from None


# a zone offset with a fraction of a second, at the end of an ISO 8601 time
_OFFSET_FRACTION = re.compile(r"[+-]\d\d:?\d\d:?\d\d[.,]\d+$")


def when_of(record: dict[str, Any], key: str) -> datetime | None:
    """An ISO 8601 time with its zone (``status_at``), as an aware UTC datetime."""
    value = record.get(key)
    if value is None:
        return None
    try:
        at = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        at = None
    if isinstance(value, str) and _OFFSET_FRACTION.search(value):
        at = None  # Python reads "+00:00:00.5" as +00:00, another moment: no zone has one
    try:  # the UTC time of one at year 1 or 9999 may fall outside what datetime holds
        if at is None or at.tzinfo is None:
            raise ValueError(value)
        return at.astimezone(UTC)
    except (ValueError, OverflowError):
        raise RecordError(
            f'"{key}" must be an ISO 8601 time with its zone, not {value!r}'[:200]
        ) from None


def when_text(at: datetime) -> str:
    return (at if at.tzinfo is not None else at.replace(tzinfo=UTC)).astimezone(UTC).isoformat()


def _by(who: str | None) -> dict[str, str]:
    """An annotation's ``"annotator"`` key, only when it names someone."""
    return {} if who is None else {"annotator": who}


def _source(text: str, s: Any, n: int) -> Source:
    if not isinstance(s, dict) or not isinstance(s.get("id"), str | int):
        raise RecordError(f"source {n} needs an id")
    name = s.get("name")
    if not isinstance(name, str) or not name.strip():
        raise RecordError(f"source {n} needs a name")
    kind = s.get("type") or "OTHER"
    if kind not in SOURCE_TYPES:
        raise RecordError(f"source {n} type must be one of {', '.join(SOURCE_TYPES)}")
    mentions = s.get("mentions") or []
    if not isinstance(mentions, list):
        raise RecordError(f"source {n} mentions must be a list")
    description = s.get("description") or ""
    if not isinstance(description, str):
        raise RecordError(f"source {n} description must be text")
    return Source(
        key=str(s["id"]),
        name=name,
        type=kind,
        description=description,
        mentions=[_span(text, m, f"source {n} mention") for m in mentions],
        origin=_enum(Origin, s.get("origin") or "human", f"source {n} origin"),
        record=source_record_link(s, n),
        annotator=who_of(s, "annotator", f"source {n} annotator"),
    )


def unlinked_records(record: dict[str, Any]) -> tuple[Person, ...]:
    """The ``records`` a line carries (its collection's records no source links to)."""
    try:
        return read_records(record)
    except RecordLinkError as exc:
        raise RecordError(str(exc)) from None


def source_record_link(s: dict[str, Any], n: int) -> RecordLink | None:
    """The source's link to a collection-wide record, when the record carries one."""
    if "link" not in s:
        return None
    try:
        return read_record_link(s, f"source {n}")
    except RecordLinkError as exc:
        raise RecordError(str(exc)) from None


def _quote(text: str, q: Any, n: int, keys: set[str]) -> Quote:
    span = _span(text, q, f"quote {n}")
    if not isinstance(q, dict):  # pragma: no cover - _span checked it
        raise RecordError(f"quote {n} must be an object")
    source = q.get("source")
    key = None
    if source is not None:
        if not isinstance(source, dict) or str(source.get("id")) not in keys:
            raise RecordError(f'quote {n} names a source that is not in "sources"')
        key = str(source["id"])
    return Quote(
        start=span.start,
        end=span.end,
        text=span.text,
        kind=_enum(QuoteKind, q.get("kind") or "direct", f"quote {n} kind"),
        cue=_span(text, q["cue"], f"quote {n} cue") if q.get("cue") else None,
        speaker=_span(text, q["speaker"], f"quote {n} speaker") if q.get("speaker") else None,
        source_key=key,
        origin=_enum(Origin, q.get("origin") or "human", f"quote {n} origin"),
        confidence=_confidence(q, "confidence", n),
        reason=_reason(q, "reason", n),
        source_confidence=_confidence(q, "source_confidence", n),
        source_reason=_reason(q, "source_reason", n),
        annotator=who_of(q, "annotator", f"quote {n} annotator"),
    )


def _confidence(q: dict[str, Any], key: str, n: int) -> float | None:
    """An optional model confidence: a number from 0 to 1."""
    value = q.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise RecordError(f'quote {n} "{key}" must be a number from 0 to 1, not {value!r}')
    return float(value)


def _reason(q: dict[str, Any], key: str, n: int) -> str:
    value = q.get(key) or ""
    if not isinstance(value, str):
        raise RecordError(f'quote {n} "{key}" must be text')
    return value


def _model_account(q: Quote) -> dict[str, Any]:
    """The engine's confidences and reasons, only those it gave (a person's quote has none)."""
    out: dict[str, Any] = {}
    if q.confidence is not None:
        out["confidence"] = q.confidence
    if q.reason:
        out["reason"] = q.reason
    if q.source_confidence is not None:
        out["source_confidence"] = q.source_confidence
    if q.source_reason:
        out["source_reason"] = q.source_reason
    return out


def _span_dict(s: Span | None) -> dict[str, Any] | None:
    return None if s is None else {"start": s.start, "end": s.end, "text": s.text}


def article_record(article: Article) -> dict[str, Any]:
    """The JSONL record of an article, keys in the documented order."""
    names = {s.key: s.name for s in article.sources}
    record: dict[str, Any] = {
        "id": article.external_id,
        "title": article.title,
        "text": article.text,
        "meta": article.meta,
        "status": str(article.status),
    }
    if article.annotator is not None:
        record["annotator"] = article.annotator
    if article.status_by is not None:
        record["status_by"] = article.status_by
    if article.status_at is not None:
        record["status_at"] = when_text(article.status_at)
    if article.model_name:
        record["model"] = {"name": article.model_name, "version": article.model_version}
    record["entities"] = [
        {
            "start": e.start,
            "end": e.end,
            "label": e.label,
            "text": e.text,
            "origin": str(e.origin),
            **_by(e.annotator),
        }
        for e in article.entities
    ]
    record["sources"] = [
        {
            "id": s.key,
            "name": s.name,
            "type": s.type,
            "description": s.description,
            "mentions": [_span_dict(m) for m in s.mentions],
            "origin": str(s.origin),
            **_by(s.annotator),
            **record_link_dict(s.record),
        }
        for s in article.sources
    ]
    record["quotes"] = [
        {
            "start": q.start,
            "end": q.end,
            "text": q.text,
            "kind": str(q.kind),
            "cue": _span_dict(q.cue),
            "speaker": _span_dict(q.speaker),
            "source": (
                {"id": q.source_key, "name": names[q.source_key]} if q.source_key in names else None
            ),
            "origin": str(q.origin),
            **_by(q.annotator),
            **_model_account(q),
        }
        for q in article.quotes
    ]
    record.update(records_dict(article.records))
    return record


def write_jsonl(articles: Iterator[Article], fh: IO[str]) -> int:
    n = 0
    for article in articles:
        fh.write(json.dumps(article_record(article), ensure_ascii=False) + "\n")
        n += 1
    return n
