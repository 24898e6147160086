"""Prodigy JSONL: ``text``, ``tokens``, ``spans`` with token indices, ``relations``.

Each task is one article, shaped for the ``spans.manual`` recipe (view ``spans_manual``;
and spancat training with ``data-to-spacy --spancat``): its spans may overlap, as quotes
hold entities and a speaker lies on its PERSON entity and source mention, which
``ner.manual`` and NER training refuse (train NER on the spaCy export's ``doc.ents``).

The tokens are the ones spaCy, and so Prodigy, makes: each token's ``ws`` says one space
follows it, and other whitespace ("\\n\\n") is a token of its own, so the tokens and their
``ws`` rebuild ``text`` exactly and every span starts and ends on a token boundary.
``relations`` go from the speaker to the quote and from the cue to the quote;
``head``/``child`` are the index of the last token of each span, as in ``rel.manual``.
``answer`` is ``accept``; ``_input_hash`` and ``_task_hash`` are stable 32-bit hashes of the
text and of the annotations. Offsets count code points, like Prodigy's Python side. What
Prodigy has no slot for rides in the ``quotedesk`` key, which Prodigy keeps.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from desktop.domain import Article
from desktop.formats.checks import check_article
from desktop.formats.errors import FormatError
from desktop.formats.flat import (
    BAD_RECORD,
    Flat,
    Link,
    Mark,
    bad_record_message,
    flatten,
    unflatten,
)
from desktop.formats.jsonl import RecordError
from desktop.formats.jsonlines import dumps, json_records, stable_hash
from desktop.formats.tokens import spaced_tokens, token_range

PRODIGY_NOTE = (
    "Shaped for Prodigy's spans.manual recipe (spans overlap: quotes hold entities); "
    "train NER on the spaCy export instead."
)


def prodigy_record(article: Article) -> dict[str, Any]:
    flat = flatten(article)
    spaced = spaced_tokens(article.text, (m.start for m in flat.marks), (m.end for m in flat.marks))
    tokens = [(s, e) for s, e, _ in spaced]
    starts = [s for s, _ in tokens]
    spans: dict[str, dict[str, Any]] = {}
    for m in flat.marks:
        span: dict[str, Any] = {"start": m.start, "end": m.end, "label": m.label, "id": m.id}
        found = token_range(tokens, starts, m.start, m.end)
        if found is not None:
            span["token_start"], span["token_end"] = found
        spans[m.id] = span
    relations = [
        {
            "head": spans[link.head].get("token_end"),
            "child": spans[link.child].get("token_end"),
            "head_span": spans[link.head],
            "child_span": spans[link.child],
            "label": link.label,
        }
        for link in flat.links
    ]
    input_hash = stable_hash(article.text)
    return {
        "text": article.text,
        "meta": {"id": article.external_id, "title": article.title},
        "tokens": [
            {
                "text": article.text[s:e],
                "start": s,
                "end": e,
                "id": i,
                "ws": ws,
            }
            for i, (s, e, ws) in enumerate(spaced)
        ],
        "spans": list(spans.values()),
        "relations": relations,
        "answer": "accept",
        "_input_hash": input_hash,
        "_task_hash": stable_hash(str(input_hash), repr(flat.marks), repr(flat.links)),
        "_view_id": "spans_manual",
        "quotedesk": flat.info,
    }


def write_prodigy(articles: Iterator[Article], fh: IO[str]) -> int:
    n = 0
    for article in articles:
        fh.write(dumps(prodigy_record(article)))
        n += 1
    return n


def _offsets(span: Any, what: str) -> tuple[int, int, str]:
    if not isinstance(span, dict):
        raise RecordError(f"{what} must be an object")
    start, end, label = span.get("start"), span.get("end"), span.get("label")
    if not isinstance(start, int) or not isinstance(end, int) or isinstance(start, bool):
        raise RecordError(f"{what} needs integer start and end")
    if not isinstance(label, str) or not label:
        raise RecordError(f"{what} has no label")
    return start, end, label


def article_from_prodigy(record: Any) -> Article | None:
    """The article of one task; None for a task that was rejected or ignored."""
    if not isinstance(record, dict):
        raise RecordError("each line must be a JSON object")
    if record.get("answer", "accept") != "accept":
        return None
    spans = record.get("spans") if record.get("spans") is not None else []
    relations = record.get("relations") if record.get("relations") is not None else []
    if not isinstance(spans, list) or not isinstance(relations, list):
        raise RecordError('"spans" and "relations" must be lists')
    flat = Flat(info=record.get("quotedesk") or {})
    ids: dict[tuple[int, int, str], str] = {}
    where: dict[str, tuple[int, int, str]] = {}  # span id -> its offsets and label
    for i, span in enumerate(spans, start=1):
        start, end, label = _offsets(span, f"span {i}")
        mid = str(span.get("id") or f"T{i}")
        flat.marks.append(Mark(mid, start, end, label))
        ids.setdefault((start, end, label), mid)
        where.setdefault(mid, (start, end, label))
    for i, rel in enumerate(relations, start=1):
        if not isinstance(rel, dict):
            raise RecordError(f"relation {i} must be an object")
        ends = []
        for side in ("head_span", "child_span"):
            key = _offsets(rel.get(side), f"relation {i} {side}")
            if key not in ids:
                raise RecordError(f"relation {i} {side} is not one of the spans")
            # two spans alike (two quotes of one sentence): the span's own id says which
            named = str(rel[side].get("id") or "")
            ends.append(named if where.get(named) == key else ids[key])
        flat.links.append(Link(f"R{i}", ends[0], ends[1], str(rel.get("label") or "")))
    meta: dict[str, Any] = record["meta"] if isinstance(record.get("meta"), dict) else {}
    return unflatten(record.get("text"), flat, fallback_id=meta.get("id"))


def read_prodigy(path: Path) -> Iterator[Article]:
    for number, record in json_records(path):
        try:
            article = article_from_prodigy(record)
        except BAD_RECORD as exc:
            raise FormatError(path, bad_record_message(exc), number) from exc
        if article is not None:
            check_article(path, article, number)
            yield article
