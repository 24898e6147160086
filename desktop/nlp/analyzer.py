"""Run the pipeline over article texts: entities from spaCy's NER, quotes and sources from
the attribution engine.

One result per text, in order, and one text never stops the others: whatever the model or
the engine raises for a text becomes an ``AnalysisFailure`` for that text alone. Texts
longer than a piece (``pieces.PIECE_CHARS``, and never more than ``nlp.max_length``) are
analyzed in pieces cut at paragraph breaks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from desktop.domain import Attribution, Entity, Origin
from desktop.nlp.pieces import PIECE_CHARS, merge_attributions, piece_ranges, shift_entities
from desktop.nlp.pipeline import Pipeline
from desktop.nlp.tokenize import make_doc

if TYPE_CHECKING:
    from spacy.tokens import Doc


BATCH_SIZE = 16
REASON_CHARS = 300


@dataclass
class DocAnalysis:
    entities: list[Entity]
    attribution: Attribution


@dataclass
class AnalysisFailure:
    """A text the model or the quote engine failed on, and why, in one line."""

    reason: str


Result = DocAnalysis | AnalysisFailure


PieceHook = Callable[[int, int], None]


def analyze_texts(
    pipeline: Pipeline,
    texts: Iterable[str],
    piece_chars: int = PIECE_CHARS,
    before_piece: PieceHook | None = None,
) -> Iterator[Result]:
    """Analyze texts in order; one result per text, lazily. Runs of texts that fit in one
    piece go through ``nlp.pipe`` in batches; a longer text goes piece by piece, calling
    ``before_piece(piece, pieces)`` before each (for progress, and to cancel: whatever it
    raises ends the analysis, it is not that text's failure)."""
    limit = max(2, min(piece_chars, pipeline.nlp.max_length))
    run: list[str] = []
    for text in texts:
        if len(text) <= limit:
            run.append(text)
            continue
        yield from _short_texts(pipeline, run)
        run = []
        try:
            yield _guarded(text, partial(_long_text, pipeline, text, limit, before_piece))
        except _CallerStop as stop:
            raise stop.raised from None
    yield from _short_texts(pipeline, run)


class _CallerStop(Exception):
    """Carries what the caller's ``before_piece`` raised past the per-text guard."""

    def __init__(self, raised: BaseException) -> None:
        super().__init__(str(raised))
        self.raised = raised


def _from_doc(doc: Doc, pipeline: Pipeline) -> DocAnalysis:
    """The entities as the pipeline labels them; the quote engine reads them in the
    OntoNotes labels it knows (``Pipeline.engine_labels``)."""
    from desktop.nlp.attribution import attribute

    entities = [
        Entity(ent.start_char, ent.end_char, ent.label_, ent.text, Origin.MODEL) for ent in doc.ents
    ]
    if pipeline.engine_labels:
        relabel_for_engine(doc, pipeline.engine_labels)
    return DocAnalysis(entities=entities, attribution=attribute(doc, table=pipeline.calibration))


def relabel_for_engine(doc: Doc, mapping: Mapping[str, str]) -> None:
    """Give ``doc``'s entities the labels ``mapping`` names for theirs (spans unchanged)."""
    from spacy.tokens import Span

    doc.ents = [
        Span(doc, e.start, e.end, label=mapping[e.label_]) if e.label_ in mapping else e
        for e in doc.ents
    ]


def _reason(exc: Exception) -> str:
    text = " ".join(str(exc).split()) or "no message"
    if len(text) > REASON_CHARS:
        text = text[: REASON_CHARS - 1] + "…"
    return f"{type(exc).__name__}: {text}"


def _guarded(text: str, work: Callable[[], DocAnalysis]) -> Result:
    try:
        return check_spans(text, work())
    except _CallerStop:
        raise
    except Exception as exc:  # noqa: BLE001 - any failure is this text's alone
        return AnalysisFailure(_reason(exc))


class SpanError(ValueError):
    """The model or the engine returned a span that is not a stretch of the text."""


def check_spans(text: str, analysis: DocAnalysis) -> DocAnalysis:
    """``analysis`` unchanged when every span it holds is a stretch of ``text``."""
    spans: list[tuple[int, int, str]] = [(e.start, e.end, e.text) for e in analysis.entities]
    for q in analysis.attribution.quotes:
        spans.append((q.start, q.end, q.text))
        spans.extend((s.start, s.end, s.text) for s in (q.cue, q.speaker) if s is not None)
    for source in analysis.attribution.sources:
        spans.extend((m.start, m.end, m.text) for m in source.mentions)
    for start, end, said in spans:
        if not (0 <= start < end <= len(text)) or text[start:end] != said:
            raise SpanError(f"a span at {start}..{end} is not a stretch of the text")
    return analysis


def _short_texts(pipeline: Pipeline, texts: Sequence[str]) -> Iterator[Result]:
    """``nlp.pipe`` over the texts; when it raises, the texts it had not delivered yet are
    run one by one, so that only the one at fault fails."""
    done = 0
    try:
        nlp = pipeline.nlp
        docs = nlp.pipe((make_doc(nlp, t) for t in texts), batch_size=BATCH_SIZE)
        for text, doc in zip(texts, docs, strict=True):
            result = _guarded(text, partial(_from_doc, doc, pipeline))
            done += 1
            yield result
    except Exception:  # noqa: BLE001 - told apart text by text below
        for text in texts[done:]:
            yield _guarded(text, partial(_one_text, pipeline, text))


def _one_text(pipeline: Pipeline, text: str) -> DocAnalysis:
    return _from_doc(pipeline.nlp(make_doc(pipeline.nlp, text)), pipeline)


def _long_text(
    pipeline: Pipeline, text: str, limit: int, before_piece: PieceHook | None
) -> DocAnalysis:
    entities: list[Entity] = []
    parts: list[tuple[int, Attribution]] = []
    ranges = piece_ranges(text, limit)
    for n, (start, end) in enumerate(ranges):
        if before_piece is not None:
            try:
                before_piece(n, len(ranges))
            except Exception as exc:  # noqa: BLE001 - the caller's, passed on untouched
                raise _CallerStop(exc) from exc
        doc = pipeline.nlp(make_doc(pipeline.nlp, text[start:end]))
        piece = _from_doc(doc, pipeline)
        entities.extend(shift_entities(piece.entities, start))
        parts.append((start, piece.attribution))
    return DocAnalysis(entities=entities, attribution=merge_attributions(parts))
