"""Long texts in pieces: cut at paragraph breaks, analyzed one by one, put back together.

spaCy refuses a text longer than ``nlp.max_length`` (E088, 1,000,000 characters by
default) and its parser needs memory in proportion to the text, so an article longer than
``PIECE_CHARS`` is analyzed piece by piece. Pieces cover the text exactly, in order; every
span found in a piece is moved by the piece's start, so offsets index the whole text.
A quote that would run across a cut is not found: cuts are put at paragraph breaks, where
quotes end, whenever the text has any.
"""

from __future__ import annotations

import dataclasses
import re

from desktop.domain import Attribution, Entity, Quote, Source, Span

PIECE_CHARS = 100_000

# in order of preference: a blank line, any line end, a sentence end, a space
_CUTS = (
    re.compile(r"(?:\r\n|[\n\r\u2028\u2029\x85])[ \t]*(?:\r\n|[\n\r\u2028\u2029\x85])\s*"),
    re.compile(r"(?:\r\n|[\n\r\u2028\u2029\x85])\s*"),
    re.compile(r"(?<=[.!?])\s+"),
    re.compile(r"\s+"),
)


def piece_ranges(text: str, limit: int = PIECE_CHARS) -> list[tuple[int, int]]:
    """``[start, end)`` ranges covering ``text`` exactly, each at most ``limit`` long.

    Each cut goes after the last paragraph break in the second half of the stretch; failing
    that after a line end, a sentence end, a space; inside a word only as a last resort."""
    if limit < 2:
        raise ValueError("a piece must hold at least two characters")
    ranges: list[tuple[int, int]] = []
    start = 0
    while len(text) - start > limit:
        ranges.append((start, _cut(text, start, start + limit)))
        start = ranges[-1][1]
    ranges.append((start, len(text)))
    return ranges


def _cut(text: str, start: int, end: int) -> int:
    for low in (start + (end - start) // 2, start + 1):
        for pattern in _CUTS:
            last = None
            for last in pattern.finditer(text, low, end):  # noqa: B007 - the last one counts
                pass
            if last is not None and last.end() > start:
                return last.end()
    return end


def shift_entities(entities: list[Entity], offset: int) -> list[Entity]:
    return [dataclasses.replace(e, start=e.start + offset, end=e.end + offset) for e in entities]


def _shift(span: Span | None, offset: int) -> Span | None:
    return None if span is None else Span(span.start + offset, span.end + offset, span.text)


def merge_attributions(parts: list[tuple[int, Attribution]]) -> Attribution:
    """One attribution from those of the pieces (each with its offset in the whole text).

    Sources of the same name and type are one source (the engine resolves within a piece
    only); keys are given again, "s1", "s2", ... in order of first appearance."""
    merged = Attribution()
    by_name: dict[tuple[str, str], Source] = {}
    for offset, part in parts:
        keys: dict[str, str] = {}
        for source in part.sources:
            mentions = [Span(m.start + offset, m.end + offset, m.text) for m in source.mentions]
            same = by_name.get((source.name.casefold(), source.type))
            if same is None:
                same = dataclasses.replace(
                    source, key=f"s{len(merged.sources) + 1}", mentions=mentions
                )
                by_name[(source.name.casefold(), source.type)] = same
                merged.sources.append(same)
            else:
                same.mentions.extend(mentions)
                same.description = same.description or source.description
            keys[source.key] = same.key
        merged.quotes.extend(_moved(q, offset, keys) for q in part.quotes)
    return merged


def _moved(quote: Quote, offset: int, keys: dict[str, str]) -> Quote:
    return dataclasses.replace(
        quote,
        start=quote.start + offset,
        end=quote.end + offset,
        cue=_shift(quote.cue, offset),
        speaker=_shift(quote.speaker, offset),
        source_key=keys.get(quote.source_key) if quote.source_key is not None else None,
    )
