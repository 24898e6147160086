"""doccano JSONL for sequence labelling with relations: ``entities`` and ``relations``.

Each line is ``{"text", "entities": [{"id", "label", "start_offset", "end_offset"}],
"relations": [{"id", "from_id", "to_id", "type"}]}``; offsets count code points. Extra keys
are kept by doccano as metadata, so ``quotedesk`` carries what doccano has no slot for.
Reading also accepts doccano's older ``"label": [[start, end, label], ...]`` lines.

The spans overlap (quotes hold entities; a speaker and a source mention lie on the same
characters as a PERSON entity), which only a project with "Allow overlapping entity" keeps,
and relations only import into one with "Use relation Labeling" (``DOCCANO_NOTE``, shown by
the export dialog and the README); "Count grapheme clusters" must stay off, as offsets count
code points.
"""

from __future__ import annotations

import json
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
from desktop.formats.jsonlines import json_records

DOCCANO_NOTE = (
    "For doccano, create a Sequence Labeling project with “Allow overlapping entity” and "
    "“Use relation Labeling” ticked and import the file as JSONL(Relation). Without "
    "overlapping, doccano drops the spans that overlap (a speaker lies on its PERSON entity) "
    "and fails on their relations; a default project reads no spans at all."
)


def doccano_record(article: Article) -> dict[str, Any]:
    flat = flatten(article)
    number = {m.id: i for i, m in enumerate(flat.marks, start=1)}
    return {
        "text": article.text,
        "entities": [
            {"id": number[m.id], "label": m.label, "start_offset": m.start, "end_offset": m.end}
            for m in flat.marks
        ],
        "relations": [
            {
                "id": i,
                "from_id": number[link.head],
                "to_id": number[link.child],
                "type": link.label,
            }
            for i, link in enumerate(flat.links, start=1)
        ],
        "quotedesk": flat.info,
    }


def write_doccano(articles: Iterator[Article], fh: IO[str]) -> int:
    """One line per article, in ASCII (other characters as ``\\u`` escapes): doccano's
    import guesses the encoding with chardet ("Auto"), which takes a small UTF-8 file with
    an emoji for a Windows code page and fails; ASCII reads the same under any guess."""
    n = 0
    for article in articles:
        fh.write(json.dumps(doccano_record(article), ensure_ascii=True) + "\n")
        n += 1
    return n


def _int(value: Any, what: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise RecordError(f"{what} must be an integer")
    return value


def article_from_doccano(record: Any) -> Article:
    if not isinstance(record, dict):
        raise RecordError("each line must be a JSON object")
    flat = Flat(info=record.get("quotedesk") or {})
    entities = record.get("entities")
    if entities is None and isinstance(record.get("label"), list):
        entities = [
            {"id": i, "start_offset": e[0], "end_offset": e[1], "label": e[2]}
            for i, e in enumerate(record["label"], start=1)
            if isinstance(e, list) and len(e) == 3
        ]
    if not isinstance(entities or [], list) or not isinstance(record.get("relations") or [], list):
        raise RecordError('"entities" and "relations" must be lists')
    ids: dict[Any, str] = {}
    for i, e in enumerate(entities or [], start=1):
        if not isinstance(e, dict):
            raise RecordError(f"entity {i} must be an object")
        mid = f"T{i}"
        ids[e.get("id", i)] = mid
        start = _int(e.get("start_offset"), f"entity {i} start_offset")
        end = _int(e.get("end_offset"), f"entity {i} end_offset")
        flat.marks.append(Mark(mid, start, end, str(e.get("label") or "")))
    for i, r in enumerate(record.get("relations") or [], start=1):
        if not isinstance(r, dict) or r.get("from_id") not in ids or r.get("to_id") not in ids:
            raise RecordError(f"relation {i} must link two entity ids of this line")
        flat.links.append(Link(f"R{i}", ids[r["from_id"]], ids[r["to_id"]], str(r.get("type"))))
    return unflatten(record.get("text"), flat, fallback_id=record.get("id"))


def read_doccano(path: Path) -> Iterator[Article]:
    for number, record in json_records(path):
        try:
            article = article_from_doccano(record)
        except BAD_RECORD as exc:
            raise FormatError(path, bad_record_message(exc), number) from exc
        check_article(path, article, number)
        yield article
