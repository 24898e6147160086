"""Run the pipeline over article texts: entities from spaCy's NER, quotes and sources from
the attribution engine."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from desktop.domain import Attribution, Entity, Origin
from desktop.nlp.pipeline import Pipeline

BATCH_SIZE = 16


@dataclass
class DocAnalysis:
    entities: list[Entity]
    attribution: Attribution


def analyze_texts(pipeline: Pipeline, texts: Iterable[str]) -> Iterator[DocAnalysis]:
    """Analyze texts in order with ``nlp.pipe``; one result per text, lazily."""
    from desktop.nlp.attribution import attribute

    for doc in pipeline.nlp.pipe(texts, batch_size=BATCH_SIZE):
        entities = [
            Entity(ent.start_char, ent.end_char, ent.label_, ent.text, Origin.MODEL)
            for ent in doc.ents
        ]
        yield DocAnalysis(entities=entities, attribution=attribute(doc))
