"""Long texts in worker mode: their pieces are the units shipped out, so that one long
article runs on every worker, and they are put back together here as ``analyze_texts``
puts them together in one process.

The caller's ``before_piece(piece, pieces)`` hears of each piece as it is sent to a worker,
in the order analysis in one process reports them: only for the text to be yielded next
(pieces of a later text sent meanwhile are held back until it is), and never twice (a
piece run again after its worker died was reported already).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from desktop.domain import Attribution, Entity
from desktop.nlp.analyzer import (
    AnalysisFailure,
    DocAnalysis,
    PieceHook,
    Result,
    SpanError,
    check_spans,
)
from desktop.nlp.pieces import merge_attributions, piece_ranges, shift_entities

# a unit to analyze: its text, and for a piece (index of its text in the input, the piece,
# how many pieces the text has); None for a whole text
PieceOf = tuple[int, int, int]
Unit = tuple[str, PieceOf | None]


@dataclass(frozen=True)
class Plan:
    """One input text and the ranges of its pieces (None: it goes whole)."""

    text: str
    ranges: list[tuple[int, int]] | None


def split(texts: Iterable[str], limit: int, plans: deque[Plan]) -> Iterator[Unit]:
    """The units of ``texts``, in order: a text of at most ``limit`` characters whole, a
    longer one as its pieces; each text's ``Plan`` is appended to ``plans`` first."""
    for index, text in enumerate(texts):
        if len(text) <= limit:
            plans.append(Plan(text, None))
            yield text, None
            continue
        ranges = piece_ranges(text, limit)
        plans.append(Plan(text, ranges))
        for n, (start, end) in enumerate(ranges):
            yield text[start:end], (index, n, len(ranges))


@dataclass
class PieceReports:
    """The pieces reported to the caller: for the ``head`` text at once, for later texts
    when they become the head, each piece once."""

    before_piece: PieceHook | None
    head: int = 0
    held: dict[int, list[tuple[int, int]]] = field(default_factory=dict)
    shown: int = -1  # the head's last piece reported

    def sent(self, piece_of: PieceOf) -> None:
        """A piece is being sent to a worker."""
        text, piece, pieces = piece_of
        if text == self.head:
            self._show(piece, pieces)
        else:
            self.held.setdefault(text, []).append((piece, pieces))

    def move_head(self, text: int) -> None:
        """``text`` is now the one to yield next: report what was held back for it."""
        if text != self.head:
            self.head, self.shown = text, -1
        for piece, pieces in self.held.pop(text, []):
            self._show(piece, pieces)

    def _show(self, piece: int, pieces: int) -> None:
        if piece > self.shown:
            self.shown = piece
            if self.before_piece is not None:
                self.before_piece(piece, pieces)


def reassemble(
    plans: deque[Plan], results: Iterator[Result], reports: PieceReports
) -> Iterator[Result]:
    """One result per input text, from the units' results in order (``plans`` says which
    units make each text); pulling from ``results`` is what drives the workers."""
    index = 0
    while True:
        reports.move_head(index)
        first = next(results, None)
        if first is None:
            return
        plan = plans.popleft()
        if plan.ranges is None:
            yield first
        else:
            parts = [first] + [next(results) for _ in plan.ranges[1:]]
            yield merged(plan.text, plan.ranges, parts)
        index += 1


def merged(text: str, ranges: list[tuple[int, int]], parts: list[Result]) -> Result:
    """A long text's result from its pieces' (the first failure of a piece is the text's)."""
    entities: list[Entity] = []
    attributions: list[tuple[int, Attribution]] = []
    for (start, _), part in zip(ranges, parts, strict=True):
        if isinstance(part, AnalysisFailure):
            return part
        entities.extend(shift_entities(part.entities, start))
        attributions.append((start, part.attribution))
    try:
        return check_spans(text, DocAnalysis(entities, merge_attributions(attributions)))
    except SpanError as exc:
        return AnalysisFailure(f"SpanError: {exc}")
