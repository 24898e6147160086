"""The checks every importer runs on each article it reads, before anything is written.

An article is accepted only when every export format can carry it and read it back: its
names pass ``desktop.domain.names`` and what it holds besides its text and spans (title,
meta, source names and descriptions) fits the budget that brat's ``.json`` sidecar is read
with (``flat.info_limit``).
"""

from __future__ import annotations

import json
from pathlib import Path

from desktop.domain import Article, Entity, Quote, Span
from desktop.domain.names import MAX_META_DEPTH, InvalidName, check_article_names, check_meta
from desktop.formats.errors import FormatError, check_article_size


def info_bound(article: Article) -> tuple[int, int]:
    """An upper bound of the bytes brat's sidecar takes for ``article``, and its number of
    marks and links, without building the sidecar: every string is at most 6 bytes a
    character in JSON, every mark or source at most a fixed amount of keys and indentation,
    and indenting multiplies ``meta`` (at most 20 deep, checked first) by less than 52."""
    quotes = article.quotes
    parts = sum((q.cue is not None) + (q.speaker is not None) for q in quotes)
    marks = len(article.entities) + len(quotes) + parts
    marks += sum(len(s.mentions) for s in article.sources)
    meta = json.dumps(article.meta, ensure_ascii=False, separators=(",", ":"))
    strings = len(article.external_id) + len(article.title)
    strings += len(article.model_name or "") + len(article.model_version or "")
    strings += sum(
        len(s.key) + len(s.name) + len(s.type) + len(s.description) for s in article.sources
    )
    strings += sum(len(q.source_key or "") for q in quotes)
    bound = 1024 + 2 * (MAX_META_DEPTH + 6) * len(meta.encode("utf-8", "surrogatepass"))
    bound += 6 * strings + 200 * len(article.sources) + 100 * (marks + parts)
    # brat's sidecar names the type of each label brat cannot spell (``types``)
    bound += sum(100 + 6 * len(label) for label in {e.label for e in article.entities})
    return bound, marks + parts


def info_problem(article: Article) -> str | None:
    """Why the article's extra data is too large for its text, or None when it fits."""
    # imported here: flat and brat import jsonl, which runs these checks
    from desktop.formats.brat import sidecar
    from desktop.formats.flat import flatten, info_json, info_limit

    text_bytes = len(article.text.encode("utf-8", "surrogatepass"))
    bound, spans = info_bound(article)
    limit = info_limit(text_bytes, spans)
    if bound <= limit:
        return None  # nearly every article: no need to build the sidecar
    flat = flatten(article)
    size = len(info_json(sidecar(article.text, flat)).encode("utf-8", "surrogatepass"))
    if size <= limit:
        return None
    return (
        f"the article carries {size:,} bytes besides its text and spans (title, meta, "
        f"sources), more than the {limit:,} allowed for a text of its length"
    )


def blank_span(article: Article) -> str | None:
    """Which span holds only whitespace (no tool keeps one: spaCy has no token for it, CoNLL
    no word), or None. The editor and the model never make one."""
    spans: list[tuple[str, Span | Entity | Quote]] = [
        *((f"entity {e.label}", e) for e in article.entities),
        *(("quote", q) for q in article.quotes),
        *(
            (f"the {k} of a quote", x)
            for q in article.quotes
            for k, x in (("cue", q.cue), ("speaker", q.speaker))
            if x is not None
        ),
        *(("source mention", m) for s in article.sources for m in s.mentions),
    ]
    for what, span in spans:
        if not article.text[span.start : span.end].strip():
            return f"{what} at {span.start}..{span.end} holds only whitespace"
    return None


def check_article(path: Path | str, article: Article, line: int | None = None) -> None:
    """Raise FormatError (naming the file and line) unless ``article`` may be imported."""
    check_article_size(path, article.text, line)
    try:
        check_article_names(article)
        check_meta(article.meta)
    except InvalidName as exc:
        raise FormatError(path, str(exc), line) from None
    problem = blank_span(article) or info_problem(article)
    if problem is not None:
        raise FormatError(path, problem, line)
