"""Label Studio JSON: a list of tasks with ``annotations[].result`` of labels and relations.

Region results are ``{"id", "from_name": "label", "to_name": "text", "type": "labels",
"value": {"start", "end", "text", "labels": [label]}}``; relation results are
``{"type": "relation", "from_id", "to_id", "direction": "right", "labels": [label]}``.
Label Studio counts offsets in UTF-16 code units (JavaScript strings), so offsets are
converted both ways. ``data.quotedesk`` carries what Label Studio has no slot for.
``LABELING_CONFIG`` is a matching labelling interface to paste into a project.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from desktop.domain import Article
from desktop.domain.names import shown
from desktop.domain.offsets import Utf16Map
from desktop.formats.checks import check_article
from desktop.formats.errors import FormatError, surrogate_error, unencodable
from desktop.formats.files import read_json_text
from desktop.formats.flat import (
    BAD_RECORD,
    CUE,
    QUOTE_LABELS,
    SOURCE,
    SPEAKER,
    Flat,
    Link,
    Mark,
    bad_record_message,
    flatten,
    unflatten,
)
from desktop.formats.jsonl import RecordError

_LABELS = [*QUOTE_LABELS.values(), CUE, SPEAKER, SOURCE, "PERSON", "ORG", "GPE", "NORP"]
LABELING_CONFIG = (
    '<View>\n  <Relations><Relation value="speaker"/><Relation value="cue"/></Relations>\n'
    '  <Labels name="label" toName="text">\n'
    + "".join(f'    <Label value="{label}"/>\n' for label in _LABELS)
    + '  </Labels>\n  <Text name="text" value="$text"/>\n</View>\n'
)


def labelstudio_task(article: Article, number: int) -> dict[str, Any]:
    flat = flatten(article)
    utf16 = Utf16Map(article.text)
    result: list[dict[str, Any]] = [
        {
            "id": m.id,
            "from_name": "label",
            "to_name": "text",
            "type": "labels",
            "origin": "manual",
            "value": {
                "start": utf16.to_utf16(m.start),
                "end": utf16.to_utf16(m.end),
                "text": article.text[m.start : m.end],
                "labels": [m.label],
            },
        }
        for m in flat.marks
    ]
    result += [
        {
            "from_id": link.head,
            "to_id": link.child,
            "type": "relation",
            "direction": "right",
            "labels": [link.label],
        }
        for link in flat.links
    ]
    return {
        "id": number,
        "data": {"text": article.text, "title": article.title, "quotedesk": flat.info},
        "annotations": [{"result": result}],
    }


def write_labelstudio(articles: Iterator[Article], fh: IO[str]) -> int:
    """A JSON list written one task at a time, so memory stays flat."""
    n = 0
    fh.write("[")
    for article in articles:
        fh.write(",\n" if n else "\n")
        fh.write(json.dumps(labelstudio_task(article, n + 1), ensure_ascii=False))
        n += 1
    fh.write("\n]\n")
    return n


def article_from_task(task: Any) -> Article:
    if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
        raise RecordError('each task must be an object with "data"')
    data = task["data"]
    text = data.get("text")
    if not isinstance(text, str) or not text.strip():
        raise RecordError('"data.text" is missing or empty')
    utf16 = Utf16Map(text)
    annotations = task.get("annotations") or task.get("predictions") or []
    if not isinstance(annotations, list):
        raise RecordError('"annotations" must be a list')
    flat = Flat(info=data.get("quotedesk") or {})
    results = annotations[0].get("result", []) if annotations else []
    if not isinstance(results, list):
        raise RecordError('"annotations[0].result" must be a list')
    for i, r in enumerate(results, start=1):
        if not isinstance(r, dict):
            raise RecordError(f"result {i} must be an object")
        if r.get("type") == "relation":
            labels = r.get("labels") or [""]
            flat.links.append(Link(f"R{i}", str(r.get("from_id")), str(r.get("to_id")), labels[0]))
            continue
        value = r.get("value")
        if not isinstance(value, dict) or "start" not in value or "end" not in value:
            continue  # choices, ratings and other non-span results
        start, end, labels = value["start"], value["end"], value.get("labels")
        if not isinstance(start, int) or not isinstance(end, int) or isinstance(start, bool):
            raise RecordError(f"result {i} needs integer start and end")
        if not isinstance(labels, list) or not labels or not isinstance(labels[0], str):
            raise RecordError(f"result {i} has no labels")
        start, end = utf16.from_utf16(start), utf16.from_utf16(end)
        if "text" in value and value["text"] != text[start:end]:
            raise RecordError(
                f"result {i} says {shown(value['text'])} but the text at its offsets is "
                f"{shown(text[start:end])} (Label Studio offsets count UTF-16 units)"
            )
        flat.marks.append(Mark(str(r.get("id") or f"T{i}"), start, end, labels[0]))
    return unflatten(text, flat, fallback_id=task.get("id"))


def read_labelstudio(path: Path) -> Iterator[Article]:
    try:
        tasks = json.loads(read_json_text(path))
    except (json.JSONDecodeError, RecursionError) as exc:
        line = getattr(exc, "lineno", None)
        raise FormatError(path, "not valid JSON", line) from exc
    if isinstance(tasks, dict):
        tasks = [tasks]
    if not isinstance(tasks, list):
        raise FormatError(path, "a Label Studio export must be a JSON list of tasks")
    where = unencodable(tasks)
    if where is not None:
        raise surrogate_error(path, f'"{where}"')
    for n, task in enumerate(tasks, start=1):
        try:
            article = article_from_task(task)
        except BAD_RECORD as exc:
            raise FormatError(path, f"task {n}: {bad_record_message(exc)}") from exc
        try:
            check_article(path, article)
        except FormatError as exc:
            raise FormatError(path, f"task {n}: {exc.reason}") from None
        yield article
