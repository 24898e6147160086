"""What the entity recognizer learns from: a person's annotations, in spaCy's terms.

``training_text`` turns an article into what is known about it (plain data, no spaCy):

- its gold entities: a person's (origin ``human``), and every entity kept in a reviewed article;
- its negatives: model entities a person rejected, which are *outside* (no entity there);
- whether the rest of the text is known to hold no entity (``complete``): in a reviewed
  article, or one the model never analyzed (imported with its annotations), it is; in an
  article the model analyzed and a person only partly corrected it is *missing*, so spaCy
  neither rewards nor punishes what it predicts there.

``make_docs`` builds the reference Docs (``doc.set_ents`` with ``outside``/``missing``), one
per piece of text cut at paragraph breaks; ``split_by_article`` holds out whole articles.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from desktop.domain import Article, ArticleStatus, Origin
from desktop.nlp.pieces import piece_ranges

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

PIECE_CHARS = 2_000


@dataclass(frozen=True)
class TrainingText:
    """One article's text and what a person said about its entities."""

    key: str
    text: str
    entities: tuple[tuple[int, int, str], ...]
    negatives: tuple[tuple[int, int], ...] = ()
    complete: bool = True


@dataclass
class DocsReport:
    """How many pieces became Docs, and how many spans could not be placed on tokens."""

    docs: int = 0
    entities: int = 0
    skipped: list[str] = field(default_factory=list)


def training_text(article: Article, labels: Iterable[str]) -> TrainingText | None:
    """What the article teaches about ``labels``, or None when it teaches nothing (no gold
    entity, no rejected one, and not reviewed)."""
    wanted = set(labels)
    reviewed = article.status == ArticleStatus.REVIEWED
    gold = tuple(
        sorted(
            (e.start, e.end, e.label)
            for e in article.entities
            if not e.rejected and e.label in wanted and (e.origin == Origin.HUMAN or reviewed)
        )
    )
    negatives = tuple(
        sorted(
            (e.start, e.end) for e in article.entities if e.rejected and e.origin == Origin.MODEL
        )
    )
    has_human = any(e.origin == Origin.HUMAN for e in article.entities)
    complete = reviewed or (article.model_name is None and has_human)
    if not gold and not negatives and not reviewed:
        return None
    return TrainingText(article.external_id, article.text, gold, negatives, complete)


def split_by_article(
    texts: Sequence[TrainingText], dev_share: float = 0.2, seed: int = 0
) -> tuple[list[TrainingText], list[TrainingText]]:
    """``(train, dev)``: a seeded shuffle, ``dev_share`` of the articles (at least one, and
    at least one left to train on) held out whole."""
    if len(texts) < 2:
        raise ValueError(
            f"training needs at least 2 annotated articles (one is held out); found {len(texts)}"
        )
    order = sorted(texts, key=lambda t: t.key)
    random.Random(seed).shuffle(order)
    n_dev = min(len(order) - 1, max(1, round(len(order) * dev_share)))
    return order[n_dev:], order[:n_dev]


def make_docs(nlp: Language, texts: Iterable[TrainingText], report: DocsReport) -> list[Doc]:
    """Reference Docs for spaCy: gold entities set, negatives ``outside``, the rest outside
    or missing as the text is complete or not. Pieces nothing is known about are left out."""
    docs: list[Doc] = []
    for item in texts:
        for start, end in piece_ranges(item.text, PIECE_CHARS):
            doc = _piece_doc(nlp, item, start, end, report)
            if doc is not None:
                docs.append(doc)
    report.docs += len(docs)
    return docs


def _piece_doc(
    nlp: Language, item: TrainingText, start: int, end: int, report: DocsReport
) -> Doc | None:
    from spacy.util import filter_spans

    doc = nlp.make_doc(item.text[start:end])
    spans = []
    for s, e, label in item.entities:
        if s < start or e > end:
            if s < end and e > start:
                report.skipped.append(f"{item.key}: {label} at {s}-{e} runs across a cut")
            continue
        span = doc.char_span(s - start, e - start, label=label, alignment_mode="expand")
        if span is None or not span.text.strip():
            report.skipped.append(f"{item.key}: {label} at {s}-{e} is not on tokens")
            continue
        spans.append(span)
    gold = filter_spans(spans)
    report.skipped.extend(
        f"{item.key}: overlapping entity dropped" for _ in range(len(spans) - len(gold))
    )
    taken = {i for span in gold for i in range(span.start, span.end)}
    outside = []
    for s, e in item.negatives:
        if start <= s and e <= end:
            span = doc.char_span(s - start, e - start, alignment_mode="expand")
            if span is not None and not taken.intersection(range(span.start, span.end)):
                outside.append(span)
    if item.complete:
        doc.set_ents(gold, default="outside")
    elif gold or outside:
        doc.set_ents(gold, outside=filter_spans(outside), default="missing")
    else:
        return None
    report.entities += len(gold)
    return doc
