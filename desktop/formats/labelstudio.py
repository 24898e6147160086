"""Label Studio JSON: a list of tasks, a person's work in ``annotations``, the model's in
``predictions``.

Region results are ``{"id", "from_name": "label", "to_name": "text", "type": "labels",
"value": {"start", "end", "text", "labels": [label]}}``; relation results are
``{"type": "relation", "from_id", "to_id", "direction": "right", "labels": [label]}``.
Offsets count code points, as Label Studio stores them (its "NER - Emoji - Text" test: "test"
in "🐱 Warning: This is a test text" is 21-25), so they are Python's string indexes.

What a person made or kept goes in ``annotations[0].result``; what the model made goes in
``predictions[0]`` with ``model_version`` and a ``score`` (the mean of its quotes'
confidences), so a project puts model output in the labelling queue instead of showing it
as finished work. A cue or a speaker goes with its quote, a source mention with its source.
Reading takes the first annotation that was not cancelled and the first prediction: their
regions come in as ``human`` and ``model`` (a region in both is the person's), and a
predicted quote's ``score`` as its confidence. Label Studio's
own JSON export lists predictions by id only, so from it only the annotations come back.
``data.quotedesk`` carries what Label Studio has no slot for.

``labeling_config`` is the matching labelling interface (every label used, the three quote
kinds, the two relation labels); the export writes it beside the tasks
(``tasks.label_config.xml``) to paste into the project's Labeling Interface or to pass as
``label_config`` when creating the project through the API.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any
from xml.sax.saxutils import quoteattr

from desktop.domain import Article, Origin
from desktop.domain.names import one_line, shown
from desktop.formats.checks import check_article
from desktop.formats.errors import FormatError, surrogate_error, unencodable
from desktop.formats.flat import (
    BAD_RECORD,
    CUE,
    QUOTE_KINDS,
    QUOTE_LABELS,
    REL_CUE,
    REL_SPEAKER,
    SOURCE,
    SPEAKER,
    Flat,
    Link,
    Mark,
    bad_record_message,
    flatten,
    unflatten,
)
from desktop.formats.json_stream import NotAList, json_list_items
from desktop.formats.jsonl import RecordError
from desktop.formats.jsonlines import DuplicateKeyError

FROM_NAME, TO_NAME = "label", "text"
CONFIG_SUFFIX = ".label_config.xml"
_FIXED_LABELS = [*QUOTE_LABELS.values(), CUE, SPEAKER, SOURCE]
LABELSTUDIO_NOTE = (
    f"The labelling config is written beside the export (NAME{CONFIG_SUFFIX}): create the "
    "Label Studio project with it (Settings ▸ Labeling Interface ▸ Code), then import the "
    "tasks. The model's spans arrive as predictions, a person's as annotations."
)


def labeling_config(labels: Iterable[str]) -> str:
    """A labelling interface for tasks that use ``labels`` (the quote, cue, speaker and
    source labels are always there, so an annotator can add any kind)."""
    entity = sorted(set(labels) - set(_FIXED_LABELS))
    lines = [
        "<View>",
        '  <Header value="$title"/>',
        f'  <Labels name="{FROM_NAME}" toName="{TO_NAME}">',
        *(f"    <Label value={quoteattr(label)}/>" for label in [*entity, *_FIXED_LABELS]),
        "  </Labels>",
        f'  <Text name="{TO_NAME}" value="$text"/>',
        "  <Relations>",
        f'    <Relation value="{REL_SPEAKER}"/>',
        f'    <Relation value="{REL_CUE}"/>',
        "  </Relations>",
        "</View>",
        "",
    ]
    return "\n".join(lines)


def config_path(out: Path) -> Path:
    """Where the labelling config of an export to ``out`` goes: ``tasks.json`` ->
    ``tasks.label_config.xml``."""
    stem = out.name[: -len(out.suffix)] if out.suffix.lower() == ".json" else out.name
    return out.with_name(stem + CONFIG_SUFFIX)


class ConfigCollector:
    """Sees the exported articles one by one and gives the labelling config they need."""

    def __init__(self) -> None:
        self.labels: set[str] = set()

    def see(self, article: Article) -> None:
        self.labels.update(e.label for e in article.entities)

    def path(self, out: Path) -> Path:
        return config_path(out)

    def text(self) -> str:
        return labeling_config(self.labels)


def _mark_origins(article: Article, flat: Flat) -> dict[str, Origin]:
    """Who made each mark: entities and quotes their own origin, a cue or a speaker its
    quote's, a source mention its source's."""
    own: dict[str, str] = flat.info.get("origins", {})
    origins = {mid: Origin(value) for mid, value in own.items()}
    for link in flat.links:
        origins[link.head] = origins.get(link.child, Origin.HUMAN)
    for source, info in zip(article.sources, flat.info.get("sources", []), strict=True):
        for mid in info["mentions"]:
            origins[mid] = source.origin
    return origins


def _region(article: Article, m: Mark, score: float | None) -> dict[str, Any]:
    region: dict[str, Any] = {
        "id": m.id,
        "from_name": FROM_NAME,
        "to_name": TO_NAME,
        "type": "labels",
        "value": {
            "start": m.start,
            "end": m.end,
            "text": article.text[m.start : m.end],
            "labels": [m.label],
        },
    }
    if score is not None:
        region["score"] = score
    return region


def _relation(link: Link) -> dict[str, Any]:
    return {
        "from_id": link.head,
        "to_id": link.child,
        "type": "relation",
        "direction": "right",
        "labels": [link.label],
    }


def _quote_mark_ids(article: Article, flat: Flat) -> list[str]:
    """The id of each quote's own mark, in quote order: ``flatten`` marks the entities, then
    the source mentions, then each quote followed by its cue and speaker (an entity's label
    says nothing: a writer may be handed one named like a quote mark)."""
    at = len(article.entities) + sum(len(s.mentions) for s in article.sources)
    ids = []
    for q in article.quotes:
        ids.append(flat.marks[at].id)
        at += 1 + (q.cue is not None) + (q.speaker is not None)
    return ids


def labelstudio_task(article: Article, number: int) -> dict[str, Any]:
    """One task: the person's regions in ``annotations``, the model's in ``predictions``."""
    flat = flatten(article)
    origins = _mark_origins(article, flat)
    ids = _quote_mark_ids(article, flat)
    scores = {mid: q.confidence for mid, q in zip(ids, article.quotes, strict=True)}
    results: dict[Origin, list[dict[str, Any]]] = {Origin.HUMAN: [], Origin.MODEL: []}
    for m in flat.marks:
        side = origins.get(m.id, Origin.HUMAN)
        results[side].append(
            _region(article, m, scores.get(m.id) if side is Origin.MODEL else None)
        )
    for link in flat.links:
        results[origins.get(link.child, Origin.HUMAN)].append(_relation(link))
    info = {k: v for k, v in flat.info.items() if k != "origins"}
    task: dict[str, Any] = {
        "id": number,
        "data": {"text": article.text, "title": article.title, "quotedesk": info},
    }
    if results[Origin.HUMAN]:
        task["annotations"] = [{"result": results[Origin.HUMAN], "ground_truth": False}]
    if results[Origin.MODEL]:
        known = [s for s in scores.values() if s is not None]
        version = " ".join(v for v in (article.model_name, article.model_version) if v)
        prediction: dict[str, Any] = {
            "model_version": version or "quotedesk",
            "result": results[Origin.MODEL],
        }
        if known:
            prediction["score"] = round(sum(known) / len(known), 4)
        task["predictions"] = [prediction]
    return task


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


def _first(task: dict[str, Any], key: str) -> list[Any]:
    """The result list of the first annotation (not cancelled) or prediction."""
    items = task.get(key)
    if items is None:
        return []
    if not isinstance(items, list):
        raise RecordError(f'"{key}" must be a list')
    for item in items:
        if isinstance(item, int) and not isinstance(item, bool):
            continue  # Label Studio's JSON export lists predictions by id only
        if not isinstance(item, dict):
            raise RecordError(f'each of "{key}" must be an object')
        if item.get("was_cancelled"):
            continue
        result = item.get("result", [])
        if not isinstance(result, list):
            raise RecordError(f'"{key}[].result" must be a list')
        return result
    return []


class _Reader:
    """Regions and relations of one task's annotation and prediction into one Flat."""

    def __init__(self, text: str, info: Any) -> None:
        self.text = text
        self.flat = Flat(info=info if isinstance(info, dict) else {})
        self.ids: dict[str, str] = {}  # Label Studio region id -> mark id
        # (start, end, label) of the regions of the lists read before that Label Studio marks
        # as taken over from a prediction ("origin": "prediction"): the person's copy of a
        # predicted region is the person's, not a second region (a copy with the same id is
        # caught by its id)
        self.seen: dict[tuple[int, int, str], str] = {}
        self.current: dict[tuple[int, int, str], str] = {}
        self.links: set[tuple[str, str, str]] = set()
        self.origins: dict[str, str] = {}
        self.scores: dict[str, float] = {}  # the model's confidence in a predicted region
        self.here: set[str] = set()
        self.n = 0

    def read(self, results: list[Any], origin: Origin) -> None:
        relations = []
        self.here = set()  # region ids of this result list
        self.seen.update(self.current)
        self.current = {}
        for r in results:
            self.n += 1
            if not isinstance(r, dict):
                raise RecordError(f"result {self.n} must be an object")
            if r.get("type") == "relation":
                relations.append((self.n, r))
            else:
                self._region(self.n, r, origin)
        for i, r in relations:
            labels = r.get("labels") or [""]
            if not isinstance(labels, list) or not labels:
                raise RecordError(f"result {i} has bad labels")
            head = self.ids.get(str(r.get("from_id")), f"?{r.get('from_id')}")
            child = self.ids.get(str(r.get("to_id")), f"?{r.get('to_id')}")
            key = (head, child, str(labels[0]))
            if key not in self.links:
                self.links.add(key)
                self.flat.links.append(Link(f"R{len(self.flat.links) + 1}", *key))

    def _region(self, i: int, r: dict[str, Any], origin: Origin) -> None:
        value = r.get("value")
        if not isinstance(value, dict) or "start" not in value or "end" not in value:
            return  # choices, ratings and other non-span results
        start, end, labels = value["start"], value["end"], value.get("labels")
        if not isinstance(start, int) or not isinstance(end, int) or isinstance(start, bool):
            raise RecordError(f"result {i} needs integer start and end")
        if not isinstance(labels, list) or not labels or not isinstance(labels[0], str):
            raise RecordError(f"result {i} has no labels")
        text = self.text
        if "text" in value and value["text"] != text[start:end]:
            raise RecordError(
                f"result {i} says {shown(value['text'])} but the text at its offsets is "
                f"{shown(text[start:end])} (Label Studio offsets count code points)"
            )
        rid = str(r.get("id") or f"T{i}")
        if rid in self.here:
            raise RecordError(f"span id {rid!r} is used twice")
        self.here.add(rid)
        key = (start, end, labels[0])
        if rid in self.ids or key in self.seen:  # the person's copy of a predicted region
            self.ids.setdefault(rid, self.seen.get(key, ""))
            return
        mid, k = rid, 0
        while mid in self.origins:
            k += 1
            mid = f"{rid}-{k}"
        self.ids[rid] = mid
        if str(r.get("origin", "")).startswith("prediction"):
            self.current.setdefault(key, mid)
        self.origins[mid] = str(origin)
        score = r.get("score")
        if origin is Origin.MODEL and isinstance(score, float) and 0.0 <= score <= 1.0:
            self.scores[mid] = score
        self.flat.marks.append(Mark(mid, start, end, labels[0]))


def article_from_task(task: Any) -> Article:
    if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
        raise RecordError('each task must be an object with "data"')
    data = task["data"]
    text = data.get("text")
    if not isinstance(text, str) or not text.strip():
        raise RecordError('"data.text" is missing or empty')
    reader = _Reader(text, data.get("quotedesk") or {})
    reader.read(_first(task, "annotations"), Origin.HUMAN)
    reader.read(_first(task, "predictions"), Origin.MODEL)
    flat = reader.flat
    # exports made before predictions were used kept every origin in the info block
    earlier = flat.info.get("origins")
    origins = {**reader.origins, **earlier} if isinstance(earlier, dict) else reader.origins
    flat.info = _still_there({**flat.info, "origins": origins}, flat)
    article = unflatten(text, flat, fallback_id=task.get("id"))
    # the quotes come in the order of their regions: give back the model's confidences
    quote_ids = [m.id for m in flat.marks if m.label in QUOTE_KINDS]
    for mid, quote in zip(quote_ids, article.quotes, strict=True):
        quote.confidence = reader.scores.get(mid)
    return article


def _still_there(info: dict[str, Any], flat: Flat) -> dict[str, Any]:
    """The info block without its links to regions the task no longer has (deleted in Label
    Studio, or left out of its export with the predictions)."""
    ids = {m.id for m in flat.marks}
    sources = info.get("sources")
    if isinstance(sources, list):
        info["sources"] = [
            {**s, "mentions": [m for m in s["mentions"] if m in ids]}
            if isinstance(s, dict) and isinstance(s.get("mentions"), list)
            else s
            for s in sources
        ]
    links = info.get("quote_sources")
    if isinstance(links, dict):
        info["quote_sources"] = {mid: key for mid, key in links.items() if mid in ids}
    return info


def read_labelstudio(path: Path) -> Iterator[Article]:
    """The tasks of a Label Studio JSON list one at a time (``json_stream``: memory stays
    flat whatever the size of the file)."""
    tasks = json_list_items(path)
    n = 0
    while True:
        try:
            task = next(tasks, None)
        except NotAList:
            raise FormatError(path, "a Label Studio export must be a JSON list of tasks") from None
        except DuplicateKeyError as exc:
            key = one_line(exc.key, 80)
            raise FormatError(
                path, f"task {n + 1}: the key {key!r} appears twice in one object: keep one of them"
            ) from exc
        if task is None:
            return
        n += 1
        where = unencodable(task, f"[{n - 1}]")
        if where is not None:
            raise surrogate_error(path, f'"{where}"')
        try:
            article = article_from_task(task)
        except BAD_RECORD as exc:
            raise FormatError(path, f"task {n}: {bad_record_message(exc)}") from exc
        try:
            check_article(path, article)
        except FormatError as exc:
            raise FormatError(path, f"task {n}: {exc.reason}") from None
        yield article
