"""Merging annotators' versions of one article into units a curator decides, one by one.

A *unit* is a stretch of text where at least one annotator marked something: entities that
overlap (whatever their labels) form one unit, and so do quotes whose content overlaps. In a
unit each annotator has a *reading*: what they marked there (possibly nothing). The unit is
agreed when every annotator reads it alike. The curator picks one reading per unit (by
default the one most annotators gave), and ``curate`` builds the curated version from the
picks. Plain data, no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from desktop.domain.agreement import trim
from desktop.domain.model import Article, Entity, Origin, Quote, Source

ENTITY = "entity"
QUOTE = "quote"


@dataclass(frozen=True, slots=True, order=True)
class Mark:
    """What an annotator marked, as compared: an entity's extent and label, or a quote's
    content extent, kind (in ``label``), speaker mention and source name."""

    start: int
    end: int
    label: str
    speaker: tuple[int, int] | None = None
    source: str = ""


Reading = tuple[Mark, ...]


@dataclass(frozen=True, slots=True)
class Choice:
    """A distinct reading of a unit and the annotators who gave it (in name order)."""

    reading: Reading
    annotators: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Unit:
    """One stretch to decide: ``choices`` most supported first (``choices[0]`` is the
    majority's); ``agreed`` when there is one choice only."""

    kind: str
    start: int
    end: int
    choices: tuple[Choice, ...]

    @property
    def agreed(self) -> bool:
        return len(self.choices) == 1

    def reading_of(self, annotator: str) -> Reading:
        for choice in self.choices:
            if annotator in choice.annotators:
                return choice.reading
        return ()


def entity_mark(e: Entity) -> Mark:
    return Mark(e.start, e.end, e.label)


def quote_mark(q: Quote, sources: Mapping[str, Source]) -> Mark:
    sp = q.speaker
    source = sources.get(q.source_key or "")
    return Mark(q.start, q.end, str(q.kind), (sp.start, sp.end) if sp else None,
                source.name if source else "")  # fmt: skip


def _clusters(extents: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping extents joined into stretches, in text order."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(extents):
        if out and start < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


Placed = tuple[int, int, Mark]  # the extent a mark is compared on, and the mark


def _units(kind: str, marked: Mapping[str, Sequence[Placed]]) -> list[Unit]:
    names = sorted(marked)
    stretches = _clusters([(s, e) for items in marked.values() for s, e, _ in items])
    units = []
    for start, end in stretches:
        by_reading: dict[Reading, list[str]] = {}
        for name in names:
            inside = tuple(sorted(m for s, e, m in marked[name] if s < end and e > start))
            by_reading.setdefault(inside, []).append(name)
        choices = sorted(
            (Choice(reading, tuple(who)) for reading, who in by_reading.items()),
            key=lambda c: (-len(c.annotators), c.annotators),
        )
        units.append(Unit(kind, start, end, tuple(choices)))
    return units


def merge(text: str, versions: Mapping[str, Article]) -> list[Unit]:
    """Every unit of the annotators' versions, entities first, each kind in text order.

    A quote's extent is trimmed of quotation marks and edge punctuation first (as the
    scorer trims it), so two annotators who drew the marks in or out meet in one unit.
    """
    ents: dict[str, list[Placed]] = {}
    quotes: dict[str, list[Placed]] = {}
    for name, art in versions.items():
        sources = {s.key: s for s in art.sources}
        ents[name] = [(e.start, e.end, entity_mark(e)) for e in art.entities if not e.rejected]
        quotes[name] = []
        for q in art.quotes:
            if not q.rejected:
                start, end = trim(text, q.start, q.end)
                if start >= end:
                    start, end = q.start, q.end
                quotes[name].append((start, end, quote_mark(q, sources)))
    return _units(ENTITY, ents) + _units(QUOTE, quotes)


def majority(units: Sequence[Unit]) -> list[int]:
    """The default pick: each unit's most supported reading."""
    return [0 for _ in units]


def picks_of(units: Sequence[Unit], version: Article) -> list[int | None]:
    """Which choice of each unit ``version`` (a curated one) took; None when it took none
    of them (the curator edited it, or the versions changed since)."""
    mine = merge(version.text, {"": version})
    out: list[int | None] = []
    for unit in units:
        reading = tuple(
            m
            for u in mine
            if u.kind == unit.kind and u.start < unit.end and u.end > unit.start
            for m in u.choices[0].reading
        )
        found = [i for i, c in enumerate(unit.choices) if c.reading == reading]
        out.append(found[0] if found else None)
    return out


def curate(base: Article, versions: Mapping[str, Article], units: Sequence[Unit],
           picks: Sequence[int | None]) -> Article:  # fmt: skip
    """The curated version: ``base`` with, in each unit, the reading picked (None: keep
    nothing there). Every annotation in it is a person's; quotes keep the cue and source
    of the annotator they came from, and sources with one name become one source; each
    names the first annotator (by name) whose reading it is."""
    found: dict[Mark, tuple[Quote, Source | None]] = {}
    for art in versions.values():
        sources = {s.key: s for s in art.sources}
        for q in art.quotes:
            found.setdefault(quote_mark(q, sources), (q, sources.get(q.source_key or "")))
    entities: list[Entity] = []
    quotes: list[Quote] = []
    by_name: dict[str, Source] = {}
    for unit, pick in zip(units, picks, strict=True):
        if pick is None:
            continue
        choice = unit.choices[pick]
        who = choice.annotators[0] if choice.annotators else None  # whose reading it is
        for mark in choice.reading:
            if unit.kind == ENTITY:
                text = base.text[mark.start : mark.end]
                made = Entity(mark.start, mark.end, mark.label, text, Origin.HUMAN, annotator=who)
                entities.append(made)
                continue
            quote, source = found[mark]
            quotes.append(replace(_curated_quote(quote, source, by_name), annotator=who))
    for s in by_name.values():
        s.mentions.sort(key=lambda m: (m.start, m.end))
    entities.sort(key=lambda e: (e.start, e.end, e.label))
    quotes.sort(key=lambda q: (q.start, q.end))
    return replace(base, entities=entities, quotes=quotes, sources=list(by_name.values()),
                   annotator=None)  # fmt: skip


def _curated_quote(quote: Quote, source: Source | None, by_name: dict[str, Source]) -> Quote:
    """The quote as a person's, its source one of the curated version's (by name)."""
    key = None
    if source is not None:
        kept = by_name.get(source.name)
        if kept is None:
            kept = replace(source, key=f"s{len(by_name) + 1}", mentions=[], origin=Origin.HUMAN)
            by_name[source.name] = kept
        seen = {(m.start, m.end) for m in kept.mentions}
        kept.mentions.extend(m for m in source.mentions if (m.start, m.end) not in seen)
        key = kept.key
    return replace(quote, source_key=key, origin=Origin.HUMAN, rejected=False, confidence=None,
                   reason="", source_confidence=None, source_reason="")  # fmt: skip


def describe(unit: Unit, reading: Reading, text: str) -> str:
    """A reading in a few words, for a table cell: labels, or each quote's kind and source."""
    if not reading:
        return "—"
    parts = []
    for m in reading:
        if unit.kind == ENTITY:
            whole = (m.start, m.end) == (unit.start, unit.end)
            parts.append(m.label if whole else f"{m.label} «{text[m.start : m.end]}»")
        else:
            who = m.source or (text[m.speaker[0] : m.speaker[1]] if m.speaker else "")
            parts.append(f"{m.label} · {who}" if who else m.label)
    return "; ".join(parts)
