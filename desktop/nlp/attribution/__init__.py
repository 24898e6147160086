"""Rule-based quote attribution: who said what in a news article, resolved to sources.

``attribute(doc)`` takes a parsed spaCy ``Doc`` and returns a ``desktop.domain.Attribution``
with every attributed statement (direct, mixed, indirect), its cue and speaker mention, and
the article's sources.  The steps, one module each:

- ``marks``: paragraphs and quotation-mark pairs; ``context``: per-article lookup tables;
- ``lexicon``: the cue verbs, phrases and nouns of ``resources/speech_verbs.txt``;
- ``direct``: quotations with a cue beside them, and their continuations;
- ``complements``: what a verb cue reports (its clause, or what its lexicon tags allow);
- ``paragraphs``: cue-less quotation paragraphs, signed posts, link lines and captions,
  direct quotes kept inside their marks;
- ``labels``: "Name: statement" headlines and transcript lines;
- ``reported``: reported speech from the parse ("X said that ...", "according to X");
- ``speakers``: the speaker mention for a cue;
- ``names`` and ``resolve``: from mentions to sources (pronouns, surnames, descriptions),
  with ``people``/``evidence`` (who is named, their gender and roles), ``ranking`` (which
  person a pronoun stands for), ``descriptions`` (roles, documents) and ``credits``;
- ``confidence``: each rule's calibrated rate of being right, for quotes and sources.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from typing import TYPE_CHECKING

from desktop.domain import Attribution, Quote, Span
from desktop.nlp.attribution.confidence import Table
from desktop.nlp.attribution.confidence import score as score_confidence
from desktop.nlp.attribution.context import Context, Found
from desktop.nlp.attribution.direct import direct_quotes
from desktop.nlp.attribution.labels import label_statements
from desktop.nlp.attribution.lexicon import Lexicon, load_lexicon
from desktop.nlp.attribution.paragraphs import (
    continuation_paragraphs,
    drop_link_lines,
    inside_marks,
    signed_paragraphs,
)
from desktop.nlp.attribution.reported import reported_speech
from desktop.nlp.attribution.resolve import resolve_sources

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["attribute", "find_statements"]


def find_statements(doc: Doc, lexicon: Lexicon | None = None) -> tuple[Context, list[Found]]:
    """Every attributed statement in ``doc``, before source resolution, in text order."""
    ctx = Context(doc, lexicon or load_lexicon())
    found = direct_quotes(ctx)
    found += label_statements(ctx, found)
    found += reported_speech(ctx, found)
    found = drop_link_lines(ctx, drop_nested(found))
    found += continuation_paragraphs(ctx, found)
    found += signed_paragraphs(ctx, found)
    found = inside_marks(ctx, found)
    found.sort(key=lambda f: (f.start, f.end))
    return ctx, found


def drop_nested(found: list[Found]) -> list[Found]:
    """Drop statements whose cue sits inside another statement's content: news attribution
    is reported at its outermost level ("X said Y believes Z" is X's statement)."""
    by_start = sorted(found, key=lambda o: o.start)
    starts = [o.start for o in by_start]
    longest = max((o.end - o.start for o in found), default=0)

    def holders(position: int) -> Iterator[Found]:
        # only a statement starting within ``longest`` before the position can hold it
        i = bisect_right(starts, position) - 1
        while i >= 0 and starts[i] >= position - longest:
            if position < by_start[i].end:
                yield by_start[i]
            i -= 1

    keep: list[Found] = []
    for f in found:
        if f.cue is None or f.follows_found is not None or f.outer:
            keep.append(f)
            continue
        inside = any(
            o is not f and (o.outer or not (o.cue and f.start <= o.cue[0] < f.end))
            for o in holders(f.cue[0])
        )
        if not inside:
            keep.append(f)
    return keep


def attribute(doc: Doc, lexicon: Lexicon | None = None, table: Table | None = None) -> Attribution:
    """Quotes and sources of one parsed article (spans index ``doc.text``).

    ``doc`` needs a tagger/lemmatizer, the dependency parser and NER (any English spaCy
    pipeline has them).  Sources are keyed "s1", "s2", ... in order of first appearance;
    a quote with no resolvable speaker has ``source_key=None``.  A continuation paragraph
    (a quotation with no cue of its own) has neither cue nor speaker mention, only the source
    of the quotation it continues; a second quotation in the paragraph of an attributed one
    ('"A," she said. "B."') shares that one's cue and mention. ``table``: the confidence
    table (a collection's refitted one); None: the general one.
    """
    ctx, found = find_statements(doc, lexicon)
    sources = resolve_sources(ctx, found)
    text = ctx.text  # Doc.text joins every token again on each access
    score_confidence(found, text, table)
    quotes = [
        Quote(
            start=f.start,
            end=f.end,
            text=text[f.start : f.end],
            kind=f.kind,
            cue=Span.of(text, *f.cue) if f.cue else None,
            speaker=Span.of(text, *f.speaker) if f.speaker else None,
            source_key=f.source_key,
            confidence=f.confidence,
            reason=f.reason,
            source_confidence=f.source_confidence if f.source_key else None,
            source_reason=f.source_reason if f.source_key else "",
        )
        for f in found
    ]
    return Attribution(quotes=quotes, sources=sources)
