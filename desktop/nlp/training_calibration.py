"""Refit the quote engine's confidence table from a collection's corrected quotes.

The engine's confidences come from a table of counts per decision rule (how many quotes a
rule found, how many were right: ``attribution.confidence``), fitted on general news. A
collection's own corrections say how the rules do on *its* articles, so training refits it:

- ``corrected_quotes`` reads what a person said about an article's quotes (plain data): the
  quotes a person made or kept, with their sources' names, and the model quotes a person
  rejected. An article is *complete* (every quote in it is known) when it is reviewed, or
  was imported with its quotes and never analyzed; otherwise only a person's own quotes
  and rejections count.
- ``judge`` runs the engine again on those articles (so each decision has its rule) with
  the newly trained pipeline, whose entities the rules will see, and counts, per rule:
  a statement on a kept quote is right (one statement a quote, sharing at
  least half of each once quotation marks and spaces are trimmed, as the shared scorer
  matches), one on a rejected quote, or where a complete article has none, is wrong; a
  second statement inside a matched quote counts neither way; a source is right when its
  name's last word is the one the person's quote is credited to (the shared scorer's
  rule), wrong otherwise.
- ``refit`` adds these counts to the general table, each counting ``COLLECTION_WEIGHT``
  times. No correction: the same table; more right decisions of a rule: a higher
  confidence for it, more wrong ones: a lower one.

The refitted table is saved in the trained model's ``meta.json`` (``quotedesk.calibration``)
and used whenever that model analyzes. Nothing here writes to the database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from desktop.domain import Article, ArticleStatus, Origin
from desktop.nlp.attribution.confidence import Table, quote_key

if TYPE_CHECKING:
    from spacy.language import Language

    from desktop.nlp.attribution.context import Found

# one decision judged on the collection counts as this many from the general table (on
# PolNeAR train, 2 calibrated best: benchmarks/calibration.py --refit)
COLLECTION_WEIGHT = 2
# text timed to tell how fast the engine judges on this machine (``judge_seconds``)
SAMPLE_CHARS = 5_000


@dataclass(frozen=True)
class KeptQuote:
    """A quote a person made or kept: its span and its source's name (None: no source);
    ``parts``: the pieces of a quote broken by other text (a gold corpus has them), any of
    which a statement may be."""

    start: int
    end: int
    source: str | None
    parts: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class CorrectedQuotes:
    """One article's text and what a person said about its quotes."""

    key: str
    text: str
    kept: tuple[KeptQuote, ...]
    rejected: tuple[tuple[int, int], ...] = ()
    complete: bool = False


@dataclass
class Judged:
    """Counts per rule, ``[decisions, right]``, for quotes and for sources."""

    quotes: dict[str, list[int]] = field(default_factory=dict)
    sources: dict[str, list[int]] = field(default_factory=dict)
    articles: int = 0

    def add(self, part: dict[str, list[int]], rule: str, right: bool) -> None:
        counts = part.setdefault(rule, [0, 0])
        counts[0] += 1
        counts[1] += int(right)

    def as_json(self) -> dict[str, Any]:
        return {"quotes": self.quotes, "sources": self.sources, "articles": self.articles}


def corrected_quotes(article: Article) -> CorrectedQuotes | None:
    """What the article says about the engine's quotes, or None when it says nothing (no
    quote of a person's, none rejected, and not a complete account of its quotes)."""
    names = {s.key: s.name for s in article.sources}
    live = [q for q in article.quotes if not q.rejected]
    by_person = [q for q in live if q.origin == Origin.HUMAN]
    rejected = tuple(
        sorted((q.start, q.end) for q in article.quotes if q.rejected and q.origin == Origin.MODEL)
    )
    reviewed = article.status == ArticleStatus.REVIEWED
    complete = (reviewed and article.model_name is not None) or (
        article.model_name is None and bool(by_person)
    )
    if not complete and not by_person and not rejected:
        return None
    kept = tuple(
        sorted(
            (
                KeptQuote(q.start, q.end, names.get(q.source_key) if q.source_key else None)
                for q in (live if complete else by_person)
            ),
            key=lambda k: (k.start, k.end),
        )
    )
    return CorrectedQuotes(article.external_id, article.text, kept, rejected, complete)


def same_name(a: str, b: str) -> bool:
    """The shared scorer's rule: two names are one when their last words are."""
    wa, wb = a.split(), b.split()
    return bool(wa and wb) and wa[-1].casefold() == wb[-1].casefold()


def judge_found(item: CorrectedQuotes, found: Iterable[Found], names: Mapping[str, str]) -> Judged:
    """Count the engine's statements on one article against the person's quotes
    (``names``: the engine's source key -> name)."""
    judged = Judged(articles=1)
    statements = list(found)
    spans = [_trim(item.text, f.start, f.end) for f in statements]
    kept_spans = [
        [_trim(item.text, a, b) for a, b in ((k.start, k.end), *k.parts)] for k in item.kept
    ]
    matched = _one_to_one(spans, kept_spans)
    for i, f in enumerate(statements):
        j = matched.get(i)
        kept = item.kept[j] if j is not None else None
        if kept is not None:
            judged.add(judged.quotes, quote_key(f, item.text), True)
            if f.source_key is not None and f.source_rule:
                engine_name = names.get(f.source_key, "")
                right = kept.source is not None and same_name(engine_name, kept.source)
                judged.add(judged.sources, f.source_rule, right)
        elif any(_within(spans[i], kept_spans[j][0]) for j in matched.values()):
            continue  # a piece of a quote another statement is: neither way (as the scorer)
        elif item.complete or any(
            _overlap(*spans[i], *_trim(item.text, *r)) for r in item.rejected
        ):
            judged.add(judged.quotes, quote_key(f, item.text), False)
    return judged


# what the shared scorer trims off both ends of a quote before comparing
_TRIM = frozenset(" \t\n\r\"'“”‘’«»,.;:—–-()[]")


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    return start, end


def _within(span: tuple[int, int], other: tuple[int, int]) -> bool:
    """At least half of ``span`` lies in ``other``."""
    shared = min(span[1], other[1]) - max(span[0], other[0])
    return shared > 0 and 2 * shared >= span[1] - span[0]


def _overlap(a0: int, a1: int, b0: int, b1: int) -> int:
    """Characters two spans share when that is at least half of each (the shared quote
    scorer's rule), else 0."""
    shared = min(a1, b1) - max(a0, b0)
    ok = shared > 0 and 2 * shared >= a1 - a0 and 2 * shared >= b1 - b0
    return shared if ok else 0


def _one_to_one(spans: list[tuple[int, int]], kept: list[list[tuple[int, int]]]) -> dict[int, int]:
    """Statement index -> index of the kept quote it is (``kept``: each quote's whole
    span, then its parts), each kept quote to one statement at most, the largest overlaps
    first (as the shared scorer matches)."""
    pairs = sorted(
        (
            (shared, i, j)
            for i, (start, end) in enumerate(spans)
            for j, units in enumerate(kept)
            if (shared := max(_overlap(start, end, a, b) for a, b in units))
        ),
        key=lambda p: (-p[0], p[1], p[2]),
    )
    used: set[int] = set()
    out: dict[int, int] = {}
    for _, i, j in pairs:
        if i not in out and j not in used:
            out[i] = j
            used.add(j)
    return out


def judge(
    nlp: Language,
    items: Iterable[CorrectedQuotes],
    check: Callable[[], None] | None = None,
    deadline: float | None = None,
    engine_labels: Mapping[str, str] | None = None,
) -> Judged:
    """Run the engine on each article (whole, or in the analyzer's pieces) and count its
    decisions against the person's quotes. ``check`` is called before each article (a
    cancel raises there); at ``deadline`` (``time.monotonic()``) the articles not reached
    yet are left out. ``engine_labels``: the engine reads the entities so relabelled, as
    analysis does (``Pipeline.engine_labels``)."""
    import time

    from desktop.nlp.analyzer import relabel_for_engine
    from desktop.nlp.attribution import find_statements
    from desktop.nlp.attribution.resolve import resolve_sources
    from desktop.nlp.pieces import PIECE_CHARS, piece_ranges
    from desktop.nlp.tokenize import make_doc

    total = Judged()
    for item in items:
        if check is not None:
            check()
        if deadline is not None and time.monotonic() >= deadline:
            break
        for start, end in piece_ranges(item.text, max(2, min(PIECE_CHARS, nlp.max_length))):
            doc = nlp(make_doc(nlp, item.text[start:end]))
            if engine_labels:
                relabel_for_engine(doc, engine_labels)
            ctx, found = find_statements(doc)
            sources = resolve_sources(ctx, found)
            for f in found:
                f.start, f.end = f.start + start, f.end + start
                if f.cue is not None:
                    f.cue = (f.cue[0] + start, f.cue[1] + start)
            one = judge_found(item, found, {s.key: s.name for s in sources})
            _merge(total.quotes, one.quotes)
            _merge(total.sources, one.sources)
        total.articles += 1
    return total


def judge_seconds(
    nlp: Language, items: Sequence[CorrectedQuotes], sample_chars: int = SAMPLE_CHARS
) -> float:
    """How long ``judge`` would take over ``items`` with a pipeline as fast as ``nlp``:
    timed on the first articles (about ``sample_chars`` of text), scaled to all of them."""
    import time

    total = sum(len(item.text) for item in items)
    sample: list[CorrectedQuotes] = []
    chars = 0
    for item in items:
        if chars >= sample_chars:
            break
        sample.append(item)
        chars += len(item.text)
    if not chars:
        return 0.0
    started = time.monotonic()
    judge(nlp, sample)
    return (time.monotonic() - started) * total / chars


def _merge(into: dict[str, list[int]], more: Mapping[str, list[int]]) -> None:
    for rule, (n, right) in more.items():
        counts = into.setdefault(rule, [0, 0])
        counts[0] += n
        counts[1] += right


def refit(prior: Table, judged: Judged, weight: int = COLLECTION_WEIGHT) -> Table:
    """The general table with the collection's counts added, each ``weight`` times."""

    def plus(
        base: Mapping[str, tuple[int, int]], more: Mapping[str, list[int]]
    ) -> dict[str, tuple[int, int]]:
        out = dict(base)
        for rule, (n, right) in more.items():
            had_n, had_right = out.get(rule, (0, 0))
            out[rule] = (had_n + weight * n, had_right + weight * right)
        return out

    return Table(
        quotes=plus(prior.quotes, judged.quotes), sources=plus(prior.sources, judged.sources)
    )


def table_json(table: Table) -> dict[str, dict[str, list[int]]]:
    """The table as ``resources/attribution_confidence.json`` holds one."""
    return {
        "quotes": {k: [n, r] for k, (n, r) in sorted(table.quotes.items())},
        "sources": {k: [n, r] for k, (n, r) in sorted(table.sources.items())},
    }
